"""The forms of two-factor sign-in: a code from the app, and the proof to turn it off."""

import re

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from measures import thai


def _code_matches(device: TOTPDevice, code: str) -> bool:
    """Whether ``code`` is the device's current code; a wrong one counts towards its throttle."""
    return verify_token(device.user, device.persistent_id, code) is not None


def _digits(code: str) -> str:
    return thai.SPACES.sub("", code)


def password_matches(request, user, password: str) -> bool:
    """Whether ``password`` is ``user``'s, checked as a sign-in is (django-axes): a wrong one
    counts towards the lockout of that user from this address, and while they are locked out
    every password is refused unchecked and the page says so (axes' middleware answers with
    registration/locked_out.html)."""
    signed_in = authenticate(request, username=user.get_username(), password=password)
    return signed_in is not None and signed_in.pk == user.pk


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Changing one's password: the old one is checked as a sign-in is (``password_matches``),
    so that a session left open cannot be used to guess it."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_matches(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class TwoFactorCodeForm(forms.Form):
    """A six-digit code from the authenticator app, checked against one device.

    After each wrong code the device refuses every code for a while, doubling each time
    (django-otp's throttling), so that the million codes cannot be tried.
    """

    code = forms.RegexField(
        label=_("Six-digit code"),
        # Apps show the code as "123 456".
        regex=r"^\s*\d{3}\s*\d{3}\s*$",
        max_length=20,
        error_messages={"invalid": _("Type the six digits that the app shows.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = _digits(self.cleaned_data["code"])
        allowed, refusal = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Too many wrong codes. Try again after %(time)s."),
                code="throttled",
                params={"time": thai.thai_digits(f"{localtime(refusal['locked_until']):%H:%M:%S}")},
            )
        if not _code_matches(self.device, code):
            raise forms.ValidationError(
                _("That code is wrong or has expired. Type the code that the app shows now."),
                code="wrong",
            )
        return code


class TwoFactorOffForm(forms.Form):
    """Turning two-factor sign-in off takes a current code or the account's password, so that a
    session left open cannot turn it off."""

    proof = forms.CharField(
        label=_("A code from the app, or your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, device: TOTPDevice, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.request = request

    def clean_proof(self):
        proof = self.cleaned_data["proof"]
        code = _digits(proof)
        # The portal's passwords are at least ten characters: six digits are a code.
        if re.fullmatch(r"\d{6}", code):
            accepted = self.device.verify_is_allowed()[0] and _code_matches(self.device, code)
        else:
            accepted = password_matches(self.request, self.device.user, proof)
        if not accepted:
            raise forms.ValidationError(_("That is neither a current code nor your password."))
        return proof
