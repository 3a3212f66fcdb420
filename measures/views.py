"""Staff pages: the agency's people write, review and publish their report here.

Every view reaches its objects through ``_get_for_user``: objects of another agency are 404,
roles that may not act are 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.pagination import paginate
from measures import services, thai
from measures.document import report_document
from measures.forms import (
    AcceptedWordForm,
    DivisionFormSet,
    ItemFormSet,
    MeasureForm,
    MembershipForm,
    NewMeasureForm,
    NewMemberForm,
    OutcomeFormSet,
    ScoresForm,
    WithdrawalForm,
    item_initial,
    outcome_data,
    outcome_initial,
)
from measures.models import AcceptedWord, Measure, Membership, Publication, Report

CHANGES_PER_PAGE = 100
MEMBERS_PER_PAGE = 100

AGENCY_LOOKUP = {
    Report: "agency",
    Measure: "report__agency",
    Publication: "report__agency",
    Membership: "agency",
    AcceptedWord: "agency",
}


def _membership(request) -> Membership:
    membership = request.user.memberships.select_related("agency").first()
    if membership is None:
        raise PermissionDenied
    return membership


def _get_for_user(request, model, *, allow=None, **lookup):
    """(membership, object) for an object of the user's agency; 404 for any other agency's.

    ``allow(membership, obj)`` says whether this user's role may do what the view does (403).
    """
    membership = _membership(request)
    lookup[AGENCY_LOOKUP[model]] = membership.agency
    obj = get_object_or_404(model.objects.all(), **lookup)
    if allow is not None and not allow(membership, obj):
        raise PermissionDenied
    return membership, obj


def _agency_for_coordinator(request):
    membership = _membership(request)
    if not membership.is_coordinator:
        raise PermissionDenied
    return membership.agency


def _coordinator(membership, _obj) -> bool:
    return membership.is_coordinator


def _reviewer(membership, _obj) -> bool:
    """The coordinator and the approver: those who read the whole report before it goes out."""
    return membership.role != Membership.Role.DIVISION_STAFF


def _measure_editor(membership, measure) -> bool:
    return membership.can_edit_measure(measure)


@login_required
def dashboard(request, year: int | None = None):
    membership = _membership(request)
    reports = membership.agency.reports.all()
    current_year = thai.fiscal_year(timezone.localdate())
    if year is None:
        report = reports.filter(fiscal_year=current_year).first() or reports.first()
    else:
        _member, report = _get_for_user(request, Report, fiscal_year=year)
    context = {
        "membership": membership,
        "reports": reports,
        "report": report,
        "current_year": current_year,
        "can_start": membership.is_coordinator
        and not reports.filter(fiscal_year=current_year).exists(),
    }
    if report:
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
        context["measures"] = measures
        context["missing"] = [m for m in measures if m.is_mine and not m.is_complete]
        context["publication"] = report.latest_publication()
    return render(request, "staff/dashboard.html", context)


@login_required
@require_POST
def report_start(request):
    agency = _agency_for_coordinator(request)
    year = thai.fiscal_year(timezone.localdate())
    Report.objects.get_or_create(agency=agency, fiscal_year=year)
    return redirect("staff:report", year=year)


@login_required
def measure_new(request, year: int):
    _member, report = _get_for_user(request, Report, allow=_coordinator, fiscal_year=year)
    form = NewMeasureForm(request.POST or None)
    if form.is_valid():
        measure = services.measure_create(
            report=report, by=request.user, title=form.cleaned_data["title"]
        )
        messages.success(request, _("The measure was added. Fill in its details."))
        return redirect("staff:measure", pk=measure.pk)
    return render(request, "staff/measure_new.html", {"report": report, "form": form})


@login_required
def measure_edit(request, pk: int):
    membership, measure = _get_for_user(request, Measure, allow=_measure_editor, pk=pk)
    report = measure.report
    setup_allowed = membership.is_coordinator
    data = request.POST if request.method == "POST" else None
    forms = _measure_forms(measure, data, setup_allowed)
    # The version the editor was opened at travels with the form (optimistic locking).
    version = measure.version if data is None else _int_or_zero(data.get("version"))
    conflict = None
    if data is not None and all(f.is_valid() for f in forms.values()):
        try:
            change = services.measure_save(
                measure=measure,
                by=request.user,
                version=version,
                setup=forms["setup"].cleaned_data if setup_allowed else None,
                methods=[row["text"] for row in forms["methods"].items()]
                if setup_allowed
                else None,
                results=[row["text"] for row in forms["results"].items()],
                outcomes=outcome_data(forms["outcomes"]),
            )
        except services.MeasureConflict as error:
            conflict = error.changes
            # Saving again after reading the changes is a deliberate choice: it may go ahead.
            version = error.measure.version
        else:
            if change:
                messages.success(request, _("Saved."))
            else:
                messages.info(request, _("Nothing had changed."))
            return redirect("staff:measure", pk=measure.pk)
    context = {
        "report": report,
        "measure": measure,
        "setup_allowed": setup_allowed,
        "conflict": conflict,
        "version": version,
        **forms,
    }
    status = 409 if conflict is not None else 200
    return render(request, "staff/measure_form.html", context, status=status)


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
    _member, measure = _get_for_user(request, Measure, allow=_coordinator, pk=pk)
    if request.method == "POST":
        year = measure.report.fiscal_year
        services.measure_delete(measure=measure, by=request.user)
        messages.success(request, _("The measure was deleted."))
        return redirect("staff:report", year=year)
    return render(request, "staff/measure_delete.html", {"measure": measure})


@login_required
@require_POST
def measure_move(request, pk: int):
    _member, measure = _get_for_user(request, Measure, allow=_coordinator, pk=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.measure_move(measure=measure, by=request.user, offset=offset)
    return redirect("staff:report", year=measure.report.fiscal_year)


@login_required
def measure_history(request, pk: int):
    _member, measure = _get_for_user(request, Measure, pk=pk)
    changes = paginate(request, measure.changes.select_related("user"), CHANGES_PER_PAGE)
    return render(request, "staff/measure_history.html", {"measure": measure, "changes": changes})


@login_required
def report_history(request, year: int):
    _member, report = _get_for_user(request, Report, fiscal_year=year)
    changes = paginate(request, report.changes.select_related("user"), CHANGES_PER_PAGE)
    return render(request, "staff/report_history.html", {"report": report, "changes": changes})


@login_required
def scores(request, year: int):
    _member, report = _get_for_user(request, Report, allow=_coordinator, fiscal_year=year)
    form = ScoresForm(request.POST or None, report=report, initial=_score_initial(report))
    if form.is_valid():
        if services.scores_save(report=report, by=request.user, values=form.values()):
            messages.success(request, _("The scores were saved."))
        else:
            messages.info(request, _("Nothing had changed."))
        return redirect("staff:scores", year=year)
    document = report_document(report)
    return render(
        request,
        "staff/scores.html",
        {"report": report, "form": form, "scores": document["scores"]},
    )


def _score_initial(report: Report) -> dict:
    return {
        f"score_{s.indicator.number}_{s.fiscal_year}": s.score
        for s in report.agency.scores.filter(
            fiscal_year__in=[report.fiscal_year - 1, report.fiscal_year]
        ).select_related("indicator")
    }


@login_required
def report_preview(request, year: int):
    _member, report = _get_for_user(request, Report, fiscal_year=year)
    return render(
        request,
        "staff/report_preview.html",
        {"report": report, "document": report_document(report), "publication": None},
    )


WORKFLOW = {
    "submit": (services.report_submit, Membership.Role.COORDINATOR),
    "return": (services.report_return, None),
    "approve": (services.report_approve, Membership.Role.APPROVER),
    "publish": (services.report_publish_approved, Membership.Role.COORDINATOR),
}
WORKFLOW_DONE = {
    "submit": gettext_lazy("The report was submitted for approval."),
    "return": gettext_lazy("The report was returned to draft."),
    "approve": gettext_lazy("The report was approved."),
    "publish": gettext_lazy("The report was published."),
}


def _workflow_allowed(action):
    def allow(membership, _report):
        role = WORKFLOW[action][1]
        if role is None:  # sending back: the coordinator or the approver
            return _reviewer(membership, _report)
        return membership.role == role

    return allow


@login_required
@require_POST
def report_action(request, year: int, action: str):
    membership, report = _get_for_user(
        request, Report, allow=_workflow_allowed(action), fiscal_year=year
    )
    service = WORKFLOW[action][0]
    extra = {"position": membership.position} if action == "approve" else {}
    try:
        service(report=report, by=request.user, **extra)
    except services.WorkflowError as error:
        messages.error(
            request,
            _("This cannot be done while the report is “%(status)s”.") % {"status": error},
        )
    except services.PublishRefused as refused:
        messages.error(request, str(refused))
        return redirect("staff:review", year=year)
    else:
        messages.success(request, WORKFLOW_DONE[action])
        # Submitting reviews the report: the coordinator sees at once what stands in the way
        # of publishing, while the approver reads the report.
        if action == "submit" and (blocking := services.report_review_blocking(report)):
            messages.warning(request, _blocking_summary(blocking))
            return redirect("staff:review", year=year)
    return redirect("staff:report", year=year)


def _blocking_summary(findings) -> str:
    """What the coordinator must still do before the report can be published."""
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    todo = []
    if errors:
        todo.append(
            ngettext(
                "Correct %(count)s error before publishing.",
                "Correct %(count)s errors before publishing.",
                errors,
            )
            % {"count": thai.thai_digits(errors)}
        )
    if warnings:
        todo.append(
            ngettext(
                "Correct or acknowledge %(count)s warning before publishing.",
                "Correct or acknowledge %(count)s warnings before publishing.",
                warnings,
            )
            % {"count": thai.thai_digits(warnings)}
        )
    return " ".join(todo)


@login_required
def review(request, year: int):
    membership, report = _get_for_user(request, Report, allow=_reviewer, fiscal_year=year)
    reviewed = services.report_review_status(report)
    blocking = [r.finding for r in reviewed if r.blocks_publishing]
    measure_pks = dict(report.measures.values_list("number", "pk"))
    return render(
        request,
        "staff/review.html",
        {
            "membership": membership,
            "report": report,
            # Each finding with the measure to open to correct it.
            "rows": [(r, measure_pks.get(r.finding.measure)) for r in reviewed],
            "blocking": _blocking_summary(blocking),
            "error_count": sum(r.finding.is_error for r in reviewed),
            "warning_count": sum(not r.finding.is_error for r in reviewed),
        },
    )


@login_required
@require_POST
def review_acknowledge(request, year: int):
    _member, report = _get_for_user(request, Report, allow=_reviewer, fiscal_year=year)
    try:
        services.review_acknowledge(
            report=report, finding_key=request.POST.get("key", ""), by=request.user
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The warning was acknowledged."))
    return redirect("staff:review", year=year)


@login_required
def publications(request, year: int):
    membership, report = _get_for_user(request, Report, fiscal_year=year)
    context = {
        "report": report,
        "versions": report.publications.select_related("published_by", "withdrawn_by"),
        "public": report.latest_publication(),
        "can_withdraw": membership.is_coordinator,
    }
    return render(request, "staff/publications.html", context)


@login_required
def report_withdraw(request, year: int):
    _member, report = _get_for_user(request, Report, allow=_coordinator, fiscal_year=year)
    publication = report.latest_publication()
    if publication is None:
        messages.error(request, _("The public cannot read this report: nothing to withdraw."))
        return redirect("staff:publications", year=year)
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.report_withdraw(report=report, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The report was withdrawn: the public can no longer read it."))
        return redirect("staff:publications", year=year)
    context = {"report": report, "publication": publication, "form": form}
    return render(request, "staff/withdraw.html", context)


@login_required
def publication_detail(request, year: int, version: int):
    _member, publication = _get_for_user(
        request, Publication, report__fiscal_year=year, version=version
    )
    return render(
        request,
        "staff/report_preview.html",
        {
            "report": publication.report,
            "document": publication.document,
            "publication": publication,
        },
    )


@login_required
def people(request):
    agency = _agency_for_coordinator(request)
    user_form = NewMemberForm(request.POST or None, prefix="user")
    member_form = MembershipForm(request.POST or None, prefix="member", agency=agency)
    if user_form.is_valid() and member_form.is_valid():
        services.membership_create(
            agency=agency,
            user=user_form.save(commit=False),
            membership=member_form.save(commit=False),
            divisions=member_form.cleaned_data["divisions"],
        )
        messages.success(request, _("The member was added. Give them their first password."))
        return redirect("staff:people")
    members = paginate(
        request,
        agency.memberships.select_related("user")
        .prefetch_related("divisions")
        .annotate(
            two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True))
        ),
        MEMBERS_PER_PAGE,
    )
    return render(
        request,
        "staff/people.html",
        {"members": members, "user_form": user_form, "member_form": member_form},
    )


@login_required
def person(request, pk: int):
    _member, membership = _get_for_user(request, Membership, allow=_coordinator, pk=pk)
    if request.method == "POST" and "remove" in request.POST:
        if membership.user_id == request.user.pk:
            messages.error(request, _("You cannot remove yourself."))
        else:
            services.membership_remove(membership=membership)
            messages.success(request, _("The member was removed."))
            return redirect("staff:people")
    form = MembershipForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None,
        instance=membership,
        agency=membership.agency,
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("staff:people")
    return render(request, "staff/person.html", {"membership": membership, "form": form})


@login_required
def divisions(request):
    agency = _agency_for_coordinator(request)
    formset = DivisionFormSet(request.POST or None, queryset=agency.divisions.all())
    if formset.is_valid():
        for division in formset.save(commit=False):
            division.agency = agency
            division.save()
        for division in formset.deleted_objects:
            division.delete()
        messages.success(request, _("Saved."))
        return redirect("staff:divisions")
    return render(request, "staff/divisions.html", {"formset": formset})


@login_required
def words(request):
    agency = _agency_for_coordinator(request)
    form = AcceptedWordForm(request.POST or None, agency=agency)
    if form.is_valid():
        word = form.save(by=request.user)
        messages.success(request, _("“%(word)s” was added to the accepted words.") % {"word": word})
        return redirect("staff:words")
    accepted = agency.accepted_words.select_related("added_by")
    return render(request, "staff/words.html", {"form": form, "words": accepted})


@login_required
@require_POST
def word_delete(request, pk: int):
    _member, word = _get_for_user(request, AcceptedWord, allow=_coordinator, pk=pk)
    word.delete()
    messages.success(request, _("“%(word)s” was removed from the accepted words.") % {"word": word})
    return redirect("staff:words")
