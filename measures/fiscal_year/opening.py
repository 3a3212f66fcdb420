"""Services: opening a fiscal year's report, empty or from an earlier year, and its deadline."""

from django.db import transaction
from django.utils import timezone

from measures import thai
from measures.imports.services import report_carry_forward, report_create
from measures.models import Change, Report
from measures.notifications import events


def latest_before(agency, year: int) -> Report | None:
    """The report a new year starts from: the agency's latest before ``year``."""
    return agency.reports.filter(fiscal_year__lt=year).order_by("-fiscal_year").first()


def openable_years(agency) -> list[int]:
    """The fiscal years the agency may open now: the current one and, from July, the next
    (agencies plan the coming year's measures before it starts), less those already open."""
    today = timezone.localdate()
    current = thai.fiscal_year(today)
    years = [current, current + 1] if today.month in (7, 8, 9) else [current]
    opened = set(agency.reports.filter(fiscal_year__in=years).values_list("fiscal_year", flat=True))
    return [year for year in years if year not in opened]


@transaction.atomic
def report_open(*, agency, year: int, by, source: Report | None = None, deadline=None) -> Report:
    """Open a fiscal year's report: empty, or with the measures of ``source`` (an earlier year's
    report, its periods and year mentions moved on). The divisions are told."""
    if source is not None:
        report = report_carry_forward(report=source, year=year, by=by)
        changes = [{"field": "source", "before": "", "after": thai.thai_digits(source.fiscal_year)}]
    else:
        report, changes = report_create(agency=agency, year=year), []
    report.deadline = deadline
    report.save(update_fields=["deadline"])
    Change.objects.create(report=report, user=by, action=Change.Action.OPENED, changes=changes)
    events.year_opened(report, by=by)
    return report


@transaction.atomic
def report_set_deadline(*, report: Report, by, deadline) -> bool:
    """The coordinator sets (or clears) the day the divisions hand in by; they are told, and
    reminded seven days before. False if it was that already."""
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    if report.deadline == deadline:
        return False
    before = report.deadline
    report.deadline = deadline
    report.save(update_fields=["deadline"])
    Change.objects.create(
        report=report,
        user=by,
        action=Change.Action.DEADLINE,
        changes=[
            {
                "field": "deadline",
                "before": thai.format_date(before) if before else "",
                "after": thai.format_date(deadline) if deadline else "",
            }
        ],
    )
    if deadline:
        events.deadline_changed(report, by=by)
    return True
