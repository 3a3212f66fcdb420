"""Services: the divisions' hand-ins of their part of a year's report, and their progress."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Change, Division, HandIn, Report
from measures.notifications import events
from measures.workflow import WorkflowError


@dataclass(frozen=True)
class DivisionProgress:
    """Where one division stands in a year's report, as the coordinator follows it."""

    class State:
        NOT_STARTED, IN_PROGRESS, HANDED_IN = "not_started", "in_progress", "handed_in"

    division: Division
    measures: int
    complete: int
    started: bool
    hand_in: HandIn | None
    last_change: Change | None

    @property
    def state(self) -> str:
        if self.hand_in:
            return self.State.HANDED_IN
        return self.State.IN_PROGRESS if self.started else self.State.NOT_STARTED

    @property
    def changed_since_hand_in(self) -> bool:
        return bool(self.hand_in and self.last_change and self.last_change.at > self.hand_in.at)


def report_division_progress(report: Report) -> list[DivisionProgress]:
    """Each division responsible for measures of the report: its measures, how many are
    complete, whether it has handed in, and the last change to its measures (who and when)."""
    measures = report.measures.annotate(
        results_count=Count("results", distinct=True),
        outcomes_count=Count("outcomes", distinct=True),
    ).prefetch_related("divisions")
    hand_ins = {h.division_id: h for h in report.hand_ins.select_related("by")}
    latest = Change.objects.filter(report=report, measure__divisions=OuterRef("pk"))
    latest = latest.order_by("-at", "-pk").values("pk")[:1]
    divisions = report.agency.divisions.annotate(last_change=Subquery(latest))
    changes = Change.objects.select_related("user").in_bulk(
        [d.last_change for d in divisions if d.last_change]
    )
    by_division: dict[int, list] = {}
    for measure in measures:
        for division in measure.divisions.all():
            by_division.setdefault(division.pk, []).append(measure)
    return [
        DivisionProgress(
            division=division,
            measures=len(mine),
            complete=sum(bool(m.results_count and m.outcomes_count) for m in mine),
            started=any(m.results_count or m.outcomes_count for m in mine),
            hand_in=hand_ins.get(division.pk),
            last_change=changes.get(division.last_change),
        )
        for division in divisions
        if (mine := by_division.get(division.pk))
    ]


class HandInRefused(ValueError):
    """A division's part cannot be handed in yet: these measures miss results or outcomes."""

    def __init__(self, measures):
        self.measures = list(measures)
        super().__init__(_("Not handed in: enter the results and outcomes of every measure first."))


@transaction.atomic
def division_hand_in(*, report: Report, division: Division, by) -> HandIn:
    """The division says its part of the draft is done: every measure it is responsible for has
    results and outcomes. The coordinators are told."""
    report = _draft_for_hand_in(report)
    if missing := report.measures.for_division(division).incomplete():
        raise HandInRefused(missing)
    hand_in, created = HandIn.objects.get_or_create(
        report=report, division=division, defaults={"at": timezone.now(), "by": by}
    )
    if created:
        Change.objects.create(
            report=report, user=by, action=Change.Action.HANDED_IN, subject=division.name
        )
        events.hand_in_changed(report, division, by=by, handed_in=True)
    return hand_in


@transaction.atomic
def division_reopen(*, report: Report, division: Division, by) -> None:
    """The division takes its part back to change it, until the report is submitted."""
    report = _draft_for_hand_in(report)
    if report.hand_ins.filter(division=division).delete()[0]:
        Change.objects.create(
            report=report, user=by, action=Change.Action.HANDIN_REOPENED, subject=division.name
        )
        events.hand_in_changed(report, division, by=by, handed_in=False)


def _draft_for_hand_in(report: Report) -> Report:
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    if report.status != Report.Status.DRAFT:
        raise WorkflowError(report.get_status_display())
    return report
