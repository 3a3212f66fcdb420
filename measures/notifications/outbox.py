"""The outbox: e-mails are written in the transaction of what they tell about and delivered by
the background worker, with retries; nothing is sent within a web request."""

import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from measures.notifications.models import Kind, NotificationOptOut, OutboxMessage
from measures.notifications.tasks import deliver_message

logger = logging.getLogger(__name__)


class LogEmailBackend(BaseEmailBackend):
    """Where e-mail goes when no mail server is configured: into the log, one record each."""

    def send_messages(self, email_messages):
        for message in email_messages:
            logger.info(
                "e-mail not sent (no EMAIL_HOST): to %s, subject %s\n%s",
                ", ".join(message.to),
                message.subject,
                message.body,
            )
        return len(email_messages)


def portal_url(path: str) -> str:
    return settings.PORTAL_URL + path


def render_message(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) in Thai from a template whose first line is the subject."""
    with translation.override("th"):
        text = render_to_string(template, context)
    subject, _newline, body = text.strip().partition("\n")
    return " ".join(subject.split()), body.strip() + "\n"


def wanting(users: Iterable, kind: Kind) -> list:
    """Those of ``users`` who have an e-mail address, an open account and not switched ``kind``
    off, each once."""
    users = {user.pk: user for user in users if user.email and user.is_active}
    off = set(
        NotificationOptOut.objects.filter(user__in=users, kind=kind).values_list("user", flat=True)
    )
    return [user for pk, user in users.items() if pk not in off]


@transaction.atomic
def messages_queue(
    *,
    kind: Kind,
    users: Iterable,
    template: str,
    context: dict,
    agency=None,
    exclude=None,
    key: str = "",
) -> list[OutboxMessage]:
    """Write one message from ``template`` to each of ``users`` who wants ``kind`` (never to
    ``exclude``, who did what it tells about) and queue its delivery.

    The delivery task is queued in the same transaction (the database task backend), so a
    message exists exactly when what it tells about happened. With ``key``, a person gets the
    message once only, however often this runs.
    """
    queued = []
    for user in wanting(users, kind):
        if exclude is not None and user.pk == exclude.pk:
            continue
        subject, body = render_message(template, {**context, "recipient": user})
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    kind=kind,
                    agency=agency,
                    user=user,
                    to=user.email,
                    subject=subject,
                    body=body,
                    key=key,
                )
        except IntegrityError:  # sent already under this key
            continue
        deliver_message.enqueue(message.pk)
        queued.append(message)
    return queued


def message_deliver(message: OutboxMessage) -> None:
    """Hand the message to the mail server; on failure try again later, or mark it failed after
    the last of settings.EMAIL_RETRY_DELAYS."""
    if message.status != OutboxMessage.Status.QUEUED:
        return
    message.attempts += 1
    email = EmailMessage(message.subject, message.body, to=[message.to])
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        message.last_error = f"{error.__class__.__name__}: {error}"[:1000]
        delays = settings.EMAIL_RETRY_DELAYS
        if message.attempts > len(delays):
            message.status, message.next_attempt_at = OutboxMessage.Status.FAILED, None
            logger.warning("e-mail %s failed for good: %s", message.pk, message.last_error)
        else:
            message.next_attempt_at = timezone.now() + timezone.timedelta(
                seconds=delays[message.attempts - 1]
            )
            deliver_message.using(run_after=message.next_attempt_at).enqueue(message.pk)
    else:
        message.status, message.sent_at = OutboxMessage.Status.SENT, timezone.now()
        message.next_attempt_at = None
    message.save(update_fields=["attempts", "status", "last_error", "next_attempt_at", "sent_at"])


@transaction.atomic
def message_retry(*, message: OutboxMessage) -> None:
    """Send a failed message again, from the first attempt (an administrator's decision)."""
    message.status, message.attempts, message.next_attempt_at = OutboxMessage.Status.QUEUED, 0, None
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    deliver_message.enqueue(message.pk)


@transaction.atomic
def notifications_choose(*, user, kinds_off: Iterable[str], offered: Iterable[str]) -> None:
    """``user`` receives the ``offered`` kinds of e-mail except ``kinds_off``."""
    kinds_off = set(kinds_off)
    user.notification_opt_outs.filter(kind__in=set(offered) - kinds_off).delete()
    for kind in kinds_off:
        NotificationOptOut.objects.get_or_create(user=user, kind=kind)
