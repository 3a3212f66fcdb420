"""Staff pages of a fiscal year's report: the dashboard, measures, scores, preview and history."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itaportal.pagination import paginate
from measures import editing, thai
from measures.document import measure_document, report_document, report_scores, score_citations
from measures.fiscal_year import handins, opening
from measures.models import Change, Indicator, Measure, Report
from measures.oit.ita_page import ita_rows
from measures.review import measure_warnings
from measures.staff.access import (
    coordinator,
    get_for_user,
    measure_editor,
    membership_of,
)
from measures.staff.forms import (
    RESULT_PARTS,
    DeadlineForm,
    ItemFormSet,
    MeasureForm,
    NewMeasureForm,
    OutcomeFormSet,
    ScoresForm,
    error_summary,
    item_initial,
    outcome_data,
    outcome_initial,
)

CHANGES_PER_PAGE = 100


@login_required
def dashboard(request, year: int | None = None):
    membership = membership_of(request)
    agency = membership.agency
    reports = agency.reports.all()
    current_year = thai.fiscal_year(timezone.localdate())
    if year is None:
        report = reports.filter(fiscal_year=current_year).first() or reports.first()
    else:
        _member, report = get_for_user(request, Report, fiscal_year=year)
    context = {
        "membership": membership,
        "reports": reports,
        "report": report,
        "current_year": current_year,
        # The years still to open, offered on every dashboard (to the coordinator, the action).
        "open_years": opening.openable_years(agency),
    }
    if report:
        context.update(_year_context(report, membership))
    return render(request, "staff/dashboard.html", context)


def _year_context(report: Report, membership) -> dict:
    measures = list(
        report.measures.annotate(
            result_count=Count("results", distinct=True),
            outcome_count=Count("outcomes", distinct=True),
        )
        .prefetch_related("divisions")
        .select_related("updated_by")
    )
    mine = set(membership.divisions.values_list("pk", flat=True))
    for measure in measures:
        measure.is_mine = any(d.pk in mine for d in measure.divisions.all())
        measure.is_complete = measure.result_count and measure.outcome_count
    progress = handins.report_division_progress(report)
    # The last decision, when it was a send-back: its reason stays in view until resubmission.
    decision = report.changes.filter(
        action__in=[Change.Action.SUBMITTED, Change.Action.RETURNED]
    ).first()
    sent_back = None
    if decision and decision.action == Change.Action.RETURNED and report.status == "draft":
        sent_back = {item["field"]: item["after"] for item in decision.changes}
        sent_back["change"] = decision
        # Division staff read it when it concerns their division.
        concerned = sent_back.get("divisions_concerned", "").split(", ")
        if membership.role == "division_staff" and not any(
            p.division.name in concerned for p in progress if p.division.pk in mine
        ):
            sent_back = None
    return {
        "measures": measures,
        "missing": [m for m in measures if m.is_mine and not m.is_complete],
        "publication": report.latest_publication(),
        "progress": progress,
        "my_progress": [p for p in progress if p.division.pk in mine],
        "all_handed_in": all(p.hand_in for p in progress),
        "sent_back": sent_back,
        "deadline_form": DeadlineForm(initial={"deadline": report.deadline}),
        "overdue": report.deadline is not None and report.deadline < timezone.localdate(),
        **(_ita_context(report) if membership.is_coordinator else {}),
    }


def _ita_context(report: Report) -> dict:
    """The year's OIT items, and those without evidence, for the coordinator's dashboard."""
    rows = ita_rows(report.agency, report.fiscal_year)
    return {"ita_rows": rows, "ita_missing": [row for row in rows if not row.has_evidence]}


@login_required
def measure_new(request, year: int):
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    form = NewMeasureForm(request.POST or None)
    if form.is_valid():
        try:
            measure = editing.measure_create(
                report=report, by=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measure was added. Fill in its details."))
            return redirect("staff:measure", pk=measure.pk)
    return render(request, "staff/measure_new.html", {"report": report, "form": form})


@login_required
def measure_edit(request, pk: int):
    membership, measure = get_for_user(request, Measure, allow=measure_editor, pk=pk)
    report = measure.report
    setup_allowed = membership.is_coordinator
    data = request.POST if request.method == "POST" else None
    forms = _measure_forms(measure, data, setup_allowed)
    # The version the editor was opened at travels with the form (optimistic locking).
    version = measure.version if data is None else _int_or_zero(data.get("version"))
    conflict = None
    if data is not None and all(f.is_valid() for f in forms.values()):
        try:
            change = editing.measure_save(
                measure=measure,
                by=request.user,
                version=version,
                setup=forms["setup"].cleaned_data if setup_allowed else None,
                methods=forms["methods"].list_items() if setup_allowed else None,
                results=forms["results"].list_items(),
                outcomes=outcome_data(forms["outcomes"]),
            )
        except editing.MeasureConflict as error:
            conflict = error.changes
            # Saving again after reading the changes is a deliberate choice: it may go ahead.
            version = error.measure.version
        else:
            if change:
                messages.success(request, _("Saved."))
            else:
                messages.info(request, _("Nothing had changed."))
            for finding in measure_warnings(
                measure_document(measure, {}), fiscal_year=report.fiscal_year
            ):
                messages.warning(request, finding.message)
            return redirect("staff:measure", pk=measure.pk)
    context = {
        "report": report,
        "measure": measure,
        "setup_allowed": setup_allowed,
        "conflict": conflict,
        "version": version,
        "max_form_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "max_form_mb": thai.thai_digits(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)),
        "errors": error_summary(forms.values()) if data is not None else [],
        "citations": _citations_by_choice(report),
        **forms,
    }
    status = 409 if conflict is not None else 200
    return render(request, "staff/measure_form.html", context, status=status)


def _citations_by_choice(report: Report) -> dict[int, str]:
    """The sentence each indicator's "cite the score" adds, by the indicator's choice value in
    the outcome form, for the preview shown as the clerk ticks it."""
    citations = score_citations(report_scores(report))
    return {
        pk: citations[number]
        for number, pk in Indicator.objects.values_list("number", "pk")
        if citations.get(number)
    }


def _int_or_zero(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _measure_forms(measure: Measure, data, setup_allowed: bool) -> dict:
    # Bound lists are read from what was posted alone: a row someone kept unchanged must not
    # be mistaken for an untouched blank row.
    def initial(rows):
        return rows if data is None else None

    forms = {
        "setup": MeasureForm(data, instance=measure, report=measure.report),
        "methods": ItemFormSet(
            data, prefix="methods", initial=initial(item_initial(measure.methods))
        ),
        "results": ItemFormSet(
            data, prefix="results", initial=initial(item_initial(measure.results))
        ),
        "outcomes": OutcomeFormSet(
            data, prefix="outcomes", initial=initial(outcome_initial(measure))
        ),
    }
    if not setup_allowed:
        # Division staff see the set-up as text; only what they write is bound to their input.
        del forms["setup"], forms["methods"]
    return forms


@login_required
def measure_delete(request, pk: int):
    _member, measure = get_for_user(request, Measure, allow=coordinator, pk=pk)
    if request.method == "POST":
        year = measure.report.fiscal_year
        editing.measure_delete(measure=measure, by=request.user)
        messages.success(request, _("The measure was deleted."))
        return redirect("staff:report", year=year)
    return render(request, "staff/measure_delete.html", {"measure": measure})


@login_required
@require_POST
def measure_move(request, pk: int):
    _member, measure = get_for_user(request, Measure, allow=coordinator, pk=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    editing.measure_move(measure=measure, by=request.user, offset=offset)
    return redirect("staff:report", year=measure.report.fiscal_year)


@login_required
def measure_history(request, pk: int):
    _member, measure = get_for_user(request, Measure, pk=pk)
    changes = paginate(request, measure.changes.select_related("user"), CHANGES_PER_PAGE)
    return render(request, "staff/measure_history.html", {"measure": measure, "changes": changes})


@login_required
def report_history(request, year: int):
    _member, report = get_for_user(request, Report, fiscal_year=year)
    changes = paginate(request, report.changes.select_related("user"), CHANGES_PER_PAGE)
    return render(request, "staff/report_history.html", {"report": report, "changes": changes})


@login_required
def scores(request, year: int):
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    form = ScoresForm(request.POST or None, report=report, initial=_score_initial(report))
    if form.is_valid():
        saved = editing.scores_save(report=report, by=request.user, values=form.values())
        values = form.result_values()
        saved = editing.ita_results_save(report=report, by=request.user, values=values) or saved
        if saved:
            messages.success(request, _("The scores were saved."))
        else:
            messages.info(request, _("Nothing had changed."))
        return redirect("staff:scores", year=year)
    document = report_document(report)
    years = [report.fiscal_year - 1, report.fiscal_year]
    levels = {
        r.fiscal_year: r.level for r in report.agency.ita_results.filter(fiscal_year__in=years)
    }
    for row in form.results:
        row["level"] = levels.get(row["year"], "")
    return render(
        request,
        "staff/scores.html",
        {"report": report, "form": form, "scores": document["scores"]},
    )


def _score_initial(report: Report) -> dict:
    years = [report.fiscal_year - 1, report.fiscal_year]
    initial = {
        f"score_{s.indicator.number}_{s.fiscal_year}": s.score
        for s in report.agency.scores.filter(fiscal_year__in=years).select_related("indicator")
    }
    for result in report.agency.ita_results.filter(fiscal_year__in=years):
        for part, value in zip(RESULT_PARTS, (result.overall, *result.parts), strict=True):
            initial[f"result_{part}_{result.fiscal_year}"] = value
    return initial


@login_required
def report_preview(request, year: int):
    _member, report = get_for_user(request, Report, fiscal_year=year)
    return render(
        request,
        "staff/report_preview.html",
        {"report": report, "document": report_document(report), "publication": None},
    )
