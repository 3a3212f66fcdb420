"""Editing a report's content: measures (create, save, delete, move) and the ITA scores.

Every edit is recorded as a Change with a field-by-field snapshot diff, and reopens a report that
was submitted, approved or published. Two people saving the same measure: the later save is
refused (MeasureConflict) with what the first one changed (optimistic locking on its version).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal import limits
from measures import items, thai
from measures.citations import score_text
from measures.models import (
    Change,
    Indicator,
    IndicatorScore,
    ItaResult,
    Measure,
    Method,
    Outcome,
    Report,
    Result,
)


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
    level: int = items.ITEM


def _numbered(rows) -> str:
    """(text, level) rows as numbered lines, so that making an item a sub-item is a change."""
    rows = list(rows)
    return items.numbered_lines([text for text, _level in rows], [level for _t, level in rows])


def _rows(values) -> list[dict]:
    """Items given as texts or ListItems, as rows to store; a first sub-item becomes an item."""
    values = [items.ListItem(value) if isinstance(value, str) else value for value in values]
    levels = items.levels_of(value.level for value in values)
    return [
        {"text": value.text, "level": level} for value, level in zip(values, levels, strict=True)
    ]


def measure_snapshot(measure: Measure) -> dict[str, str]:
    """What a person sees of a measure, field by field, as text: the basis of recorded changes."""
    outcomes = []
    for item in measure.outcomes.select_related("indicator"):
        text = item.text
        if item.indicator:
            cited = _(", score cited") if item.cite_score else ""
            text += f" [{item.indicator}{cited}]"
        outcomes.append((text, item.level))
    return {
        "title": measure.title,
        "period": measure.period_display,
        "divisions": ", ".join(d.name for d in measure.divisions.all()),
        "budget": thai.budget_text(measure.budget),
        "indicators": ", ".join(thai.thai_digits(i.number) for i in measure.indicators.all()),
        "methods": _numbered(measure.methods.values_list("text", "level")),
        "results": _numbered(measure.results.values_list("text", "level")),
        "outcomes": _numbered(outcomes),
    }


def _diff(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    return [
        {"field": key, "before": before[key], "after": after[key]}
        for key in before
        if before[key] != after[key]
    ]


def _touch(measure: Measure, by) -> None:
    measure.version += 1
    measure.updated_at = timezone.now()
    measure.updated_by = by
    measure.save(update_fields=["version", "updated_at", "updated_by"])


MEASURE_FIELDS = ("title", "start_month", "start_year", "end_month", "end_year", "budget")


@transaction.atomic
def measure_save(
    *,
    measure: Measure,
    by,
    version: int,
    setup: dict | None = None,
    methods: list[str | items.ListItem] | None = None,
    results: list[str | items.ListItem],
    outcomes: list[OutcomeData],
) -> Change | None:
    """Save an edited measure made from ``version``; refuse (MeasureConflict) if it is stale.

    ``setup`` (title, period, divisions, indicators) and ``methods`` are the coordinator's:
    None leaves them as they are. The lists are replaced whole, numbered in the order given; an
    item given as a ListItem of level 1 is a sub-item of the one before it.
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
        _replace_items(locked.methods, Method, _rows(methods))
    _replace_items(locked.results, Result, _rows(results))
    levels = items.levels_of(o.level for o in outcomes)
    _replace_items(
        locked.outcomes,
        Outcome,
        [
            {"text": o.text, "indicator": o.indicator, "cite_score": o.cite_score, "level": level}
            for o, level in zip(outcomes, levels, strict=True)
        ],
    )
    changes = _diff(before, measure_snapshot(locked))
    if not changes:
        return None
    _touch(locked, by)
    locked.report.reopen()
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


def too_many_measures_message() -> str:
    return _("A report holds at most %(limit)s measures.") % {
        "limit": thai.thai_digits(limits.MEASURES_PER_REPORT)
    }


@transaction.atomic
def measure_create(*, report: Report, by, title: str) -> Measure:
    """A new measure at the end of the report's table; refused (ValidationError) when the report
    has its most measures already."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.measures.count() >= limits.MEASURES_PER_REPORT:
        raise ValidationError(too_many_measures_message())
    last = report.measures.aggregate(last=Max("number"))["last"] or 0
    measure = Measure.objects.create(
        report=report, number=last + 1, title=title, updated_at=timezone.now(), updated_by=by
    )
    report.reopen()
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
    report.reopen()
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
    report.reopen()
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
    report.reopen()
    return Change.objects.create(
        report=report, user=by, action=Change.Action.SCORES, changes=changes
    )


@transaction.atomic
def ita_results_save(*, report: Report, by, values: dict[int, dict | None]) -> Change | None:
    """Store the agency's ITA results; ``values`` maps a year to its overall, IIT, EIT and OIT
    scores (None removes the year's result). Returns the recorded change, or None when nothing
    differed. The report's own content does not change: its plan's analysis reads them."""
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    stored = {r.fiscal_year: r for r in report.agency.ita_results.filter(fiscal_year__in=values)}
    changes = []
    for year, typed in sorted(values.items()):
        current = stored.get(year)
        before = _result_line(year, current)
        if typed is None:
            if current:
                current.delete()
        else:
            current = current or ItaResult(agency=report.agency, fiscal_year=year)
            for part, value in typed.items():
                setattr(current, part, value)
            current.save()
        after = _result_line(year, current if typed else None)
        if before != after:
            changes.append({"field": "ita_result", "before": before, "after": after})
    if not changes:
        return None
    return Change.objects.create(
        report=report, user=by, action=Change.Action.SCORES, changes=changes
    )


def _result_line(year: int, result: ItaResult | None) -> str:
    if result is None:
        return f"พ.ศ. {thai.thai_digits(year)}: -"
    parts = " ".join(
        f"{label} {score_text(value)}"
        for label, value in zip(("IIT", "EIT", "OIT"), result.parts, strict=True)
        if value is not None
    )
    return f"พ.ศ. {thai.thai_digits(year)}: {score_text(result.overall)} {parts}".strip()


def _score_line(indicator: Indicator, year: int, value: Decimal | None) -> str:
    shown = score_text(value) if value is not None else "-"
    return f"{indicator} (พ.ศ. {thai.thai_digits(year)}): {shown}"
