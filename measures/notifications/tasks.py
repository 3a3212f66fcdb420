"""Background work of the notifications: delivering the outbox, and the deadline reminders."""

import datetime

from django_tasks import task

from measures.notifications.models import OutboxMessage

# The outbox and the events queue these tasks: they are imported where they are used.


@task()
def deliver_message(message_id: int) -> str:
    """Send one message of the outbox (or schedule its next attempt)."""
    from measures.notifications.outbox import message_deliver

    message = OutboxMessage.objects.get(pk=message_id)
    message_deliver(message)
    return message.status


@task()
def remind_deadline(report_id: int, deadline: str) -> int:
    """Seven days before ``deadline``: remind the divisions that have not handed in. Nothing to do
    if the deadline has changed since (its own reminder is queued) or the report was submitted."""
    from measures.models import Report
    from measures.notifications import events

    report = Report.objects.select_related("agency").filter(pk=report_id).first()
    if report is None or report.deadline != datetime.date.fromisoformat(deadline):
        return 0
    return len(events.deadline_near(report))
