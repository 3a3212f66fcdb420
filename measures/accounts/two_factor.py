"""Two-factor sign-in (django-otp, TOTP): who is offered it, and the code asked after the password.

A user with a confirmed authenticator-app device who has only typed the password is half signed
in: every page that needs a signed-in user sends them to the code form first, and a correct code
marks the session verified (``request.user.is_verified()``). Users without a device sign in with
the password alone, as before.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from measures.models import Membership

# What a half-signed-in session may still open: the code form, signing out, and the pages that
# need nobody signed in. Everything else waits for the code, public pages included, so that a
# member's live draft (shown at the public URL) needs the code too.
OPEN_BEFORE_THE_CODE = frozenset(
    {
        "two_factor_verify",
        "logout",
        "login",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "language",
        "set_language",
        "healthz",
    }
)


def available_to(user) -> bool:
    """Superusers and agency coordinators may turn two-factor sign-in on; anyone who has it on
    (a coordinator since moved to another role) may see it and turn it off."""
    return user.is_authenticated and (
        user.is_superuser
        or Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).exists()
        or user_has_device(user)
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def pending_device(user) -> TOTPDevice | None:
    """The device being set up: saved unconfirmed until the user types a code it made."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").last()


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps set up by typing instead of scanning."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// link as an SVG QR code in a data: URI (the CSP allows data:
    images; no script draws it). Dark on white, so that it scans on a dark screen too."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, light="#fff")


def code_required(get_response):
    """Send a half-signed-in user to the code form, with the page they asked for as ``next``."""

    def middleware(request):
        # A visitor without a session is nobody: their request does not touch the session.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and _needs_code_for(request):
            return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
        return get_response(request)

    return middleware


def _needs_code_for(request) -> bool:
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        view_name = None
    # Last, as it alone asks the database.
    return view_name not in OPEN_BEFORE_THE_CODE and user_has_device(user)
