"""Writes that touch several models, each in one transaction."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import thai
from measures.citations import score_text
from measures.document import report_document
from measures.models import (
    Agency,
    Change,
    Indicator,
    IndicatorScore,
    Measure,
    Membership,
    Method,
    Outcome,
    Publication,
    Report,
    Result,
)
from measures.report_text import ParsedReport


@transaction.atomic
def report_import_parsed(*, report: Report, parsed: ParsedReport) -> list[Measure]:
    """Replace the report's measures with those read from a file, and take its introduction.

    Importing the same file twice gives the same report, never duplicated measures.
    """
    divisions = {d.name: d for d in report.agency.divisions.all()}
    indicators = {i.number: i for i in Indicator.objects.all()}
    report.measures.all().delete()
    if parsed.introduction:
        report.introduction = parsed.introduction
        report.save(update_fields=["introduction"])
    measures = []
    for row in parsed.measures:
        measure = Measure.objects.create(
            report=report,
            number=row.number,
            title=row.title,
            start_month=row.start_month,
            start_year=row.start_year,
            end_month=row.end_month,
            end_year=row.end_year,
        )
        measure.divisions.set([divisions[name] for name in row.divisions])
        cited = {n for n in row.outcome_indicators if n is not None}
        measure.indicators.set([indicators[n] for n in sorted(cited)])
        Method.objects.bulk_create(
            Method(measure=measure, order=i, text=t) for i, t in enumerate(row.methods, 1)
        )
        Result.objects.bulk_create(
            Result(measure=measure, order=i, text=t) for i, t in enumerate(row.results, 1)
        )
        Outcome.objects.bulk_create(
            Outcome(measure=measure, order=i, text=t, indicator=indicators.get(n))
            for i, (t, n) in enumerate(zip(row.outcomes, row.outcome_indicators, strict=True), 1)
        )
        measures.append(measure)
    return measures


@transaction.atomic
def report_publish(*, report: Report, by=None) -> Publication:
    """Freeze the report as it is now into a new published version that the public sees."""
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    last = report.publications.order_by("-version").values_list("version", flat=True).first()
    publication = Publication.objects.create(
        report=report,
        version=(last or 0) + 1,
        published_at=timezone.now(),
        published_by=by,
        document=report_document(report),
    )
    report.status = Report.Status.PUBLISHED
    report.save(update_fields=["status"])
    return publication


def agency_division_names(agency: Agency) -> list[str]:
    return list(agency.divisions.values_list("name", flat=True))


class WorkflowError(Exception):
    """A report is not in the state an action needs (e.g. publishing a report not approved)."""


class MeasureConflict(Exception):
    """Someone else saved the measure after the editor opened it; ``changes`` says what."""

    def __init__(self, measure: Measure, changes):
        super().__init__(f"measure {measure.pk} is at version {measure.version}")
        self.measure = measure
        self.changes = changes


@dataclass(frozen=True)
class OutcomeData:
    text: str
    indicator: Indicator | None = None
    cite_score: bool = False


def _numbered(lines) -> str:
    return "\n".join(f"{thai.thai_digits(i)}. {line}" for i, line in enumerate(lines, 1))


def measure_snapshot(measure: Measure) -> dict[str, str]:
    """What a person sees of a measure, field by field, as text: the basis of recorded changes."""
    outcomes = []
    for item in measure.outcomes.select_related("indicator"):
        text = item.text
        if item.indicator:
            cited = _(", score cited") if item.cite_score else ""
            text += f" [{item.indicator}{cited}]"
        outcomes.append(text)
    return {
        "title": measure.title,
        "period": measure.period_display,
        "divisions": ", ".join(d.name for d in measure.divisions.all()),
        "indicators": ", ".join(thai.thai_digits(i.number) for i in measure.indicators.all()),
        "methods": _numbered(measure.methods.values_list("text", flat=True)),
        "results": _numbered(measure.results.values_list("text", flat=True)),
        "outcomes": _numbered(outcomes),
    }


def _diff(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    return [
        {"field": key, "before": before[key], "after": after[key]}
        for key in before
        if before[key] != after[key]
    ]


def _report_reopen(report: Report) -> None:
    """An edit after submission, approval or publication starts a new draft revision.

    The approval was given to what the approver saw, so it goes too; the public keeps the last
    publication until the next one.
    """
    if report.status == Report.Status.DRAFT:
        return
    report.status = Report.Status.DRAFT
    report.approved_by, report.approver_name, report.approver_position = None, "", ""
    report.approved_on = None
    report.save(
        update_fields=[
            "status",
            "approved_by",
            "approver_name",
            "approver_position",
            "approved_on",
        ]
    )


def _touch(measure: Measure, by) -> None:
    measure.version += 1
    measure.updated_at = timezone.now()
    measure.updated_by = by
    measure.save(update_fields=["version", "updated_at", "updated_by"])


MEASURE_FIELDS = ("title", "start_month", "start_year", "end_month", "end_year")


@transaction.atomic
def measure_save(
    *,
    measure: Measure,
    by,
    version: int,
    setup: dict | None = None,
    methods: list[str] | None = None,
    results: list[str],
    outcomes: list[OutcomeData],
) -> Change | None:
    """Save an edited measure made from ``version``; refuse (MeasureConflict) if it is stale.

    ``setup`` (title, period, divisions, indicators) and ``methods`` are the coordinator's:
    None leaves them as they are. The lists are replaced whole, numbered in the order given.
    Returns the recorded change, or None when nothing differed.
    """
    locked = Measure.objects.select_for_update().select_related("report").get(pk=measure.pk)
    if locked.version != version:
        changes = locked.changes.filter(version__gt=version).select_related("user")
        raise MeasureConflict(locked, list(changes.order_by("version")))
    before = measure_snapshot(locked)
    if setup is not None:
        for field in MEASURE_FIELDS:
            setattr(locked, field, setup[field])
        locked.save(update_fields=MEASURE_FIELDS)
        locked.divisions.set(setup["divisions"])
        locked.indicators.set(setup["indicators"])
    if methods is not None:
        _replace_items(locked.methods, Method, [{"text": text} for text in methods])
    _replace_items(locked.results, Result, [{"text": text} for text in results])
    _replace_items(
        locked.outcomes,
        Outcome,
        [{"text": o.text, "indicator": o.indicator, "cite_score": o.cite_score} for o in outcomes],
    )
    changes = _diff(before, measure_snapshot(locked))
    if not changes:
        return None
    _touch(locked, by)
    _report_reopen(locked.report)
    measure.version = locked.version
    return Change.objects.create(
        report=locked.report,
        measure=locked,
        subject=str(locked),
        version=locked.version,
        user=by,
        action=Change.Action.EDITED,
        changes=changes,
    )


def _replace_items(manager, model, rows: list[dict]) -> None:
    manager.all().delete()
    model.objects.bulk_create(
        model(measure=manager.instance, order=order, **row) for order, row in enumerate(rows, 1)
    )


@transaction.atomic
def measure_create(*, report: Report, by, title: str) -> Measure:
    """A new measure at the end of the report's table."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    last = report.measures.aggregate(last=Max("number"))["last"] or 0
    measure = Measure.objects.create(
        report=report, number=last + 1, title=title, updated_at=timezone.now(), updated_by=by
    )
    _report_reopen(report)
    Change.objects.create(
        report=report,
        measure=measure,
        subject=str(measure),
        version=measure.version,
        user=by,
        action=Change.Action.CREATED,
        changes=[{"field": "title", "before": "", "after": title}],
    )
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, by) -> None:
    """Delete a measure and close the gap in the numbering behind it."""
    report = Report.objects.select_for_update().get(pk=measure.report_id)
    subject = str(measure)
    number = measure.number
    measure.delete()
    for later in report.measures.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])
    _report_reopen(report)
    Change.objects.create(report=report, subject=subject, user=by, action=Change.Action.DELETED)


@transaction.atomic
def measure_move(*, measure: Measure, by, offset: int) -> bool:
    """Swap a measure with its neighbour (offset -1 up, +1 down); False at either end."""
    report = Report.objects.select_for_update().get(pk=measure.report_id)
    neighbour = report.measures.filter(number=measure.number + offset).first()
    if neighbour is None:
        return False
    number, spare = measure.number, report.measures.aggregate(last=Max("number"))["last"] + 1
    # The numbers are unique, so one of the two waits on a free number during the swap.
    Measure.objects.filter(pk=neighbour.pk).update(number=spare)
    Measure.objects.filter(pk=measure.pk).update(number=neighbour.number)
    Measure.objects.filter(pk=neighbour.pk).update(number=number)
    measure.refresh_from_db()
    _report_reopen(report)
    Change.objects.create(
        report=report,
        measure=measure,
        subject=str(measure),
        user=by,
        action=Change.Action.MOVED,
        changes=[
            {
                "field": "number",
                "before": thai.thai_digits(number),
                "after": thai.thai_digits(measure.number),
            }
        ],
    )
    return True


@transaction.atomic
def scores_save(
    *, report: Report, by, values: dict[tuple[int, int], Decimal | None]
) -> Change | None:
    """Store the agency's scores; ``values`` maps (indicator number, fiscal year) to a score.

    None removes a score. Returns the recorded change, or None when nothing differed.
    """
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    indicators = {i.number: i for i in Indicator.objects.all()}
    years = {year for _number, year in values}
    stored = {
        (s.indicator.number, s.fiscal_year): s
        for s in IndicatorScore.objects.for_years(report.agency, *years)
    }
    changes = []
    for (number, year), value in sorted(values.items()):
        current = stored.get((number, year))
        before = current.score if current else None
        if before == value:
            continue
        if value is None:
            current.delete()
        elif current:
            current.score = value
            current.save(update_fields=["score"])
        else:
            IndicatorScore.objects.create(
                agency=report.agency, fiscal_year=year, indicator=indicators[number], score=value
            )
        changes.append(
            {
                "field": "score",
                "before": _score_line(indicators[number], year, before),
                "after": _score_line(indicators[number], year, value),
            }
        )
    if not changes:
        return None
    _report_reopen(report)
    return Change.objects.create(
        report=report, user=by, action=Change.Action.SCORES, changes=changes
    )


def _score_line(indicator: Indicator, year: int, value: Decimal | None) -> str:
    shown = score_text(value) if value is not None else "-"
    return f"{indicator} (พ.ศ. {thai.thai_digits(year)}): {shown}"


def _transition(report: Report, by, *, sources, target, action) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in sources:
        raise WorkflowError(report.get_status_display())
    report.status = target
    report.save(update_fields=["status"])
    Change.objects.create(report=report, user=by, action=action)
    return report


@transaction.atomic
def report_submit(*, report: Report, by) -> Report:
    """The coordinator hands the draft to the head of agency for approval."""
    return _transition(
        report,
        by,
        sources=[Report.Status.DRAFT],
        target=Report.Status.SUBMITTED,
        action=Change.Action.SUBMITTED,
    )


@transaction.atomic
def report_return(*, report: Report, by) -> Report:
    """Back to draft for corrections before publication; any approval is withdrawn."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in (Report.Status.SUBMITTED, Report.Status.APPROVED):
        raise WorkflowError(report.get_status_display())
    _report_reopen(report)
    Change.objects.create(report=report, user=by, action=Change.Action.RETURNED)
    return report


@transaction.atomic
def report_approve(*, report: Report, by, position: str) -> Report:
    """The head of agency signs off the submitted report; name, position and date are kept."""
    report = _transition(
        report,
        by,
        sources=[Report.Status.SUBMITTED],
        target=Report.Status.APPROVED,
        action=Change.Action.APPROVED,
    )
    report.approved_by = by
    report.approver_name = by.get_full_name() or by.get_username()
    report.approver_position = position
    report.approved_on = timezone.localdate()
    report.save(update_fields=["approved_by", "approver_name", "approver_position", "approved_on"])
    return report


@transaction.atomic
def report_publish_approved(*, report: Report, by) -> Publication:
    """Publish the approved revision: the public sees it from now on."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.APPROVED:
        raise WorkflowError(report.get_status_display())
    publication = report_publish(report=report, by=by)
    Change.objects.create(
        report=report,
        user=by,
        action=Change.Action.PUBLISHED,
        changes=[
            {"field": "version", "before": "", "after": thai.thai_digits(publication.version)}
        ],
    )
    return publication


@transaction.atomic
def membership_create(*, agency: Agency, user, membership: Membership, divisions) -> Membership:
    """A new person in the agency: their account and their role, created together."""
    user.save()
    membership.user, membership.agency = user, agency
    membership.save()
    membership.divisions.set(divisions)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """The person leaves the agency: the account is closed but kept, so history keeps names."""
    user = membership.user
    membership.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
