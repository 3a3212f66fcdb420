"""The forms of notifications: each person's choice of e-mails, and the password reset that
goes through the outbox."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from measures.models import Membership
from measures.notifications import events
from measures.notifications.models import Kind

Role = Membership.Role
# The e-mails each role may receive, and so switch off.
KINDS_FOR = {
    Role.DIVISION_STAFF: [Kind.YEAR, Kind.REMINDER, Kind.SENT_BACK, Kind.PUBLISHED],
    Role.COORDINATOR: [Kind.HANDED_IN, Kind.APPROVED, Kind.SENT_BACK, Kind.PUBLISHED],
    Role.APPROVER: [Kind.SUBMITTED, Kind.PUBLISHED],
}


class NotificationsForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label=_("Send me an e-mail when"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.offered = user, KINDS_FOR[role]
        self.fields["wanted"].choices = [(kind.value, kind.label) for kind in self.offered]
        off = set(user.notification_opt_outs.values_list("kind", flat=True))
        self.fields["wanted"].initial = [kind.value for kind in self.offered if kind not in off]

    def kinds_off(self) -> list[str]:
        wanted = set(self.cleaned_data["wanted"])
        return [kind.value for kind in self.offered if kind.value not in wanted]


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, its e-mail written in Thai to the outbox and sent by the worker.

    Invited people who never chose a password (no usable password yet) may ask for a new link.
    """

    def get_users(self, email):
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)

    def save(self, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            events.password_reset(user)
