"""The two-factor pages under /accounts/two-factor/: turning it on and off, and the code asked
after the password (measures.accounts.two_factor sends half-signed-in users there)."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from measures.accounts.forms import (
    ThrottledPasswordChangeForm,
    TwoFactorCodeForm,
    TwoFactorOffForm,
)
from measures.accounts.signin_log import record
from measures.accounts.two_factor import (
    available_to,
    confirmed_device,
    pending_device,
    qr_code_uri,
    secret_for_typing,
)
from measures.models import SignInEvent


def _check_available(request):
    if not available_to(request.user):
        raise PermissionDenied


def _page(request, *, code_form=None, off_form=None):
    """The user's two-factor sign-in: off (with the offer), being set up (QR code), or on."""
    device = confirmed_device(request.user)
    pending = None if device else pending_device(request.user)
    context = {"device": device, "pending": pending}
    if device:
        context["off_form"] = off_form or TwoFactorOffForm(device=device, request=request)
    elif pending:
        context["code_form"] = code_form or TwoFactorCodeForm(device=pending)
        context["qr_code"] = qr_code_uri(pending)
        context["secret"] = secret_for_typing(pending)
    return render(request, "registration/two_factor.html", context)


def _verified(request, device: TOTPDevice) -> None:
    """The session has the second factor now: it gets a new key, as at a sign-in."""
    request.session.cycle_key()
    rotate_token(request)
    django_otp.login(request, device)


@never_cache
@login_required
def two_factor(request):
    _check_available(request)
    pending = pending_device(request.user)
    if request.method == "POST" and pending and confirmed_device(request.user) is None:
        form = TwoFactorCodeForm(request.POST, device=pending)
        if not form.is_valid():
            return _page(request, code_form=form)
        # Only confirmed once the app has made a correct code.
        pending.confirmed = True
        pending.save(update_fields=["confirmed"])
        _verified(request, pending)
        record(SignInEvent.Kind.TWO_FACTOR_ON, request, request.user)
        messages.success(
            request,
            _("Two-factor sign-in is on. From now on, sign in with your password and a code."),
        )
        return redirect("two_factor")
    return _page(request)


@login_required
@require_POST
def two_factor_setup(request):
    """A new secret key for the user's app, waiting for its first code."""
    _check_available(request)
    if confirmed_device(request.user) is None:
        TOTPDevice.objects.devices_for_user(request.user, confirmed=False).delete()
        TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
    return redirect("two_factor")


@login_required
@require_POST
def two_factor_off(request):
    _check_available(request)
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two_factor")
    form = TwoFactorOffForm(request.POST, device=device, request=request)
    if not form.is_valid():
        return _page(request, off_form=form)
    TOTPDevice.objects.devices_for_user(request.user).delete()
    record(SignInEvent.Kind.TWO_FACTOR_OFF, request, request.user)
    messages.success(request, _("Two-factor sign-in is off. You sign in with your password alone."))
    return redirect("two_factor")


def _next_url(request) -> str:
    next_url = request.POST.get("next", request.GET.get("next", ""))
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
def two_factor_verify(request):
    """The second step of signing in, for users with two-factor sign-in on."""
    next_url = _next_url(request)
    device = confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, device=device)
    if form.is_bound:
        if form.is_valid():
            _verified(request, device)
            record(SignInEvent.Kind.CODE_ACCEPTED, request, request.user)
            return redirect(next_url)
        record(SignInEvent.Kind.CODE_REFUSED, request, request.user)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with the old password checked as a sign-in is."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
