"""E-mail in tests: delivering the outbox, a real SMTP server on loopback, links in messages."""

import re
import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from django.conf import settings

from measures.notifications.models import OutboxMessage
from measures.notifications.tasks import deliver_message


def deliver_queued() -> None:
    """What the worker does with the outbox, run in the test's own transaction."""
    for pk in OutboxMessage.objects.filter(status="queued").values_list("pk", flat=True):
        deliver_message.call(pk)


def link_in(body: str) -> str:
    """The path of the first link to the portal in an e-mail's text."""
    match = re.search(re.escape(settings.PORTAL_URL) + r"(/\S*)", body)
    assert match, body
    return match.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps what it receives, or refuses every recipient."""

    def __init__(self):
        self.messages, self.refuse = [], False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(
            {
                "to": envelope.rcpt_tos,
                # A long Thai subject is folded right after "Subject:"; mail programs drop the
                # fold's leading space, Python's parser keeps it.
                "subject": message["subject"].lstrip(),
                "body": message.get_body(("plain",)).get_content(),
            }
        )
        return "250 Message accepted"


class SMTPServer:
    """A real SMTP server on 127.0.0.1, started and stopped by the test."""

    def __init__(self):
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_TIMEOUT": 5,
        }
