"""The outbox of e-mail notifications and the kinds each person has switched off."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a message is about; everyone may switch off each kind but the account messages."""

    YEAR = "year", _("a fiscal year is opened or its hand-in deadline changes")
    REMINDER = "reminder", _("a week before the deadline, while your division has not handed in")
    HANDED_IN = "handed_in", _("a division hands in its part or reopens it")
    SUBMITTED = "submitted", _("the report is submitted for approval")
    APPROVED = "approved", _("the report is approved")
    SENT_BACK = "sent_back", _("the report is sent back for corrections")
    PUBLISHED = "published", _("the report is published")
    ACCOUNT = "account", _("invitations and password resets")


class OutboxMessage(models.Model):
    """One e-mail to one person, written when something happened and delivered by the worker.

    The text is kept as sent; a delivery that fails is tried again a few times, then marked
    failed with the server's answer, for an administrator to see and send again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    agency = models.ForeignKey(
        "measures.Agency",
        models.SET_NULL,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.EmailField(_("e-mail address"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("delivery"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Names a message that must go out once only (a deadline reminder); blank for the others.
    key = models.CharField(_("once-only key"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail in the outbox")
        verbose_name_plural = _("e-mail outbox")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="outbox_once_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class NotificationOptOut(models.Model):
    """A kind of e-mail notification that one person does not want."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        verbose_name=_("user"),
        related_name="notification_opt_outs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("switched-off notification")
        verbose_name_plural = _("switched-off notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="opt_out_unique_kind"),
            models.CheckConstraint(condition=~Q(kind="account"), name="opt_out_not_account"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}"
