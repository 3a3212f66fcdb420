"""The accounts' audit log, written from Django's sign-in signals and the two-factor pages."""

from django.contrib.auth import signals

from itaportal.middleware import client_ip
from measures.models import SignInEvent


def record(kind: str, request, user=None, username: str = "") -> None:
    # A sign-in from code (a test, a shell) has no request.
    meta = request.META if request is not None else {}
    SignInEvent.objects.create(
        kind=kind,
        user=user,
        username=(user.get_username() if user else username)[:150],
        ip_address=(client_ip(request) if request is not None else "") or None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
    )


def logged_in(sender, request, user, **kwargs):
    record(SignInEvent.Kind.LOGGED_IN, request, user)


def logged_out(sender, request, user, **kwargs):
    # Signing out without being signed in sends no user.
    if user is not None:
        record(SignInEvent.Kind.LOGGED_OUT, request, user)


def login_failed(sender, credentials, request=None, **kwargs):
    record(SignInEvent.Kind.FAILED, request, username=str(credentials.get("username", "")))


def connect() -> None:
    signals.user_logged_in.connect(logged_in, dispatch_uid="signin-log-in")
    signals.user_logged_out.connect(logged_out, dispatch_uid="signin-log-out")
    signals.user_login_failed.connect(login_failed, dispatch_uid="signin-log-failed")
