"""Who is told what: one function per event of the year's workflow, each queuing its e-mails.

Called by the services inside their transaction; the person who did the thing is never told
about it.
"""

import datetime

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from measures import thai
from measures.models import Division, Membership, Publication, Report
from measures.notifications.models import Kind, OutboxMessage
from measures.notifications.outbox import messages_queue, portal_url
from measures.notifications.tasks import remind_deadline

Role = Membership.Role
REMINDER_DAYS = 7
REMINDER_HOUR = 8  # in the morning of the day, local time


def members(agency, *roles, divisions=None) -> list:
    """The accounts of the agency's people in ``roles`` (of ``divisions`` only, if given)."""
    memberships = agency.memberships.filter(role__in=roles).select_related("user")
    if divisions is not None:
        memberships = memberships.filter(divisions__in=divisions).distinct()
    return [membership.user for membership in memberships]


def _year_context(report: Report, page: str = "staff:report", **extra) -> dict:
    return {
        "report": report,
        "agency": report.agency,
        "year": thai.thai_digits(report.fiscal_year),
        "deadline": thai.format_date(report.deadline) if report.deadline else "",
        "link": portal_url(reverse(page, args=[report.fiscal_year])),
        "settings_link": portal_url(reverse("notifications")),
        **extra,
    }


def _queue(kind, users, template, report, by=None, **context):
    context.setdefault("actor", by)
    return messages_queue(
        kind=kind,
        users=users,
        template=f"notifications/{template}.txt",
        context=_year_context(report, **context),
        agency=report.agency,
        exclude=by,
    )


def year_opened(report: Report, *, by) -> list[OutboxMessage]:
    """The divisions learn that the year is open, and by when to hand in."""
    schedule_reminder(report)
    staff = members(report.agency, Role.DIVISION_STAFF)
    return _queue(Kind.YEAR, staff, "year_opened", report, by)


def deadline_changed(report: Report, *, by) -> list[OutboxMessage]:
    """The divisions learn the new deadline; the reminder follows it."""
    schedule_reminder(report)
    staff = members(report.agency, Role.DIVISION_STAFF)
    return _queue(Kind.YEAR, staff, "deadline", report, by)


def schedule_reminder(report: Report) -> None:
    """Queue the reminder for seven days before the deadline (at once when that day has come)."""
    if report.deadline is None or report.deadline < timezone.localdate():
        return
    day = report.deadline - datetime.timedelta(days=REMINDER_DAYS)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMINDER_HOUR)))
    remind_deadline.using(run_after=max(at, timezone.now())).enqueue(
        report.pk, report.deadline.isoformat()
    )


def deadline_near(report: Report) -> list[OutboxMessage]:
    """Each division responsible for measures that has not handed in is reminded, once for this
    deadline."""
    if report.status != Report.Status.DRAFT or report.deadline is None:
        return []
    queued = []
    for division in report.divisions_not_handed_in():
        queued += messages_queue(
            kind=Kind.REMINDER,
            users=members(report.agency, Role.DIVISION_STAFF, divisions=[division]),
            template="notifications/reminder.txt",
            context=_year_context(
                report,
                division=division,
                missing=report.measures.for_division(division).incomplete().count(),
            ),
            agency=report.agency,
            key=f"reminder:{report.pk}:{division.pk}:{report.deadline.isoformat()}",
        )
    return queued


def hand_in_changed(report: Report, division: Division, *, by, handed_in: bool):
    coordinators = members(report.agency, Role.COORDINATOR)
    return _queue(
        Kind.HANDED_IN,
        coordinators,
        "handed_in",
        report,
        by,
        division=division,
        handed_in=handed_in,
    )


def submitted(report: Report, *, by, reason: str, pending: list[Division]):
    approvers = members(report.agency, Role.APPROVER)
    return _queue(
        Kind.SUBMITTED,
        approvers,
        "submitted",
        report,
        by,
        page="staff:approve",
        reason=reason,
        # Names: the text templates render without escaping, where join needs strings.
        pending=[division.name for division in pending],
    )


def approved(report: Report, *, by):
    coordinators = members(report.agency, Role.COORDINATOR)
    return _queue(Kind.APPROVED, coordinators, "approved", report, by, page="staff:publish")


def sent_back(report: Report, *, by, reason: str, divisions: list[Division]):
    """The coordinators and the staff of the divisions concerned read why."""
    users = members(report.agency, Role.COORDINATOR)
    if divisions:
        users += members(report.agency, Role.DIVISION_STAFF, divisions=divisions)
    return _queue(
        Kind.SENT_BACK,
        users,
        "sent_back",
        report,
        by,
        reason=reason,
        divisions=[division.name for division in divisions],
    )


def published(publication: Publication, *, by):
    """Everyone in the agency: the report is public, at this address."""
    report = publication.report
    context = _year_context(report, actor=by, publication=publication)
    context["link"] = portal_url(
        reverse("reports:report", args=[report.agency.slug, report.fiscal_year])
    )
    return messages_queue(
        kind=Kind.PUBLISHED,
        users=members(report.agency, *Role.values),
        template="notifications/published.txt",
        context=context,
        agency=report.agency,
        exclude=by,
    )


def set_password_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return portal_url(reverse("password_reset_confirm", args=[uid, token]))


def invited(membership: Membership, *, by):
    """A new member's invitation: the link sets their first password."""
    return messages_queue(
        kind=Kind.ACCOUNT,
        users=[membership.user],
        template="notifications/invitation.txt",
        context={
            "membership": membership,
            "agency": membership.agency,
            "actor": by,
            "link": set_password_link(membership.user),
            "login_link": portal_url(reverse("login")),
        },
        agency=membership.agency,
    )


def password_reset(user):
    return messages_queue(
        kind=Kind.ACCOUNT,
        users=[user],
        template="notifications/password_reset.txt",
        context={"link": set_password_link(user), "login_link": portal_url(reverse("login"))},
    )
