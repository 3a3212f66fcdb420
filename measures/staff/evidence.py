"""Staff pages of evidence: the coordinator's OIT items of a year, a measure's result evidence,
and one evidence's file versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from measures.models import Measure, Report
from measures.oit import services
from measures.oit.forms import EvidenceForm, ReplaceFileForm, ResultEvidenceForm
from measures.oit.ita_page import ita_rows
from measures.oit.models import Evidence, OitItem, OitList
from measures.staff.access import coordinator, get_for_user, measure_editor


def evidence_editor(membership, evidence: Evidence) -> bool:
    """The coordinator keeps the OIT items' evidence; a result's is kept by whoever edits its
    measure."""
    if evidence.oit_item_id:
        return membership.is_coordinator
    return membership.can_edit_measure(evidence.measure)


def _added(request, form) -> None:
    messages.success(
        request,
        _("The file was added.") if form.cleaned_data["upload"] else _("The link was added."),
    )


@login_required
def ita_items(request, year: int):
    """The year's OIT items with what each has, those without evidence first in mind."""
    membership, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    oit_list = OitList.objects.filter(year=year).first()
    rows = ita_rows(report.agency, year) if oit_list else []
    context = {
        "membership": membership,
        "report": report,
        "oit_list": oit_list,
        "rows": rows,
        "missing": [row for row in rows if not row.has_evidence],
    }
    return render(request, "staff/ita_items.html", context)


@login_required
def ita_item(request, year: int, item: int):
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    oit_item = get_object_or_404(OitItem, pk=item, oit_list__year=year)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            services.evidence_add(
                agency=report.agency,
                by=request.user,
                oit_item=oit_item,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _added(request, form)
            return redirect("staff:ita_item", year=year, item=oit_item.pk)
    row = next(row for row in ita_rows(report.agency, year) if row.item.pk == oit_item.pk)
    context = {"report": report, "row": row, "form": form}
    return render(request, "staff/ita_item.html", context)


@login_required
def measure_evidence(request, pk: int):
    """The links and files of a measure's results: photos, signed orders, attendance sheets."""
    _member, measure = get_for_user(request, Measure, allow=measure_editor, pk=pk)
    results = [result.text for result in measure.results.all()]
    form = ResultEvidenceForm(request.POST or None, request.FILES or None, results=results)
    if form.is_valid():
        try:
            services.evidence_add(
                agency=measure.report.agency,
                by=request.user,
                measure=measure,
                result_number=form.cleaned_data["result"],
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _added(request, form)
            return redirect("staff:measure_evidence", pk=measure.pk)
    evidence = list(measure.evidence.prefetch_related("files").order_by("result_number", "pk"))
    listed = [
        (number, text, [e for e in evidence if e.result_number == number])
        for number, text in enumerate(results, 1)
    ]
    # Evidence of a result since removed from the list stays until someone deletes it.
    orphans = [e for e in evidence if not 1 <= e.result_number <= len(results)]
    context = {
        "report": measure.report,
        "measure": measure,
        "results": listed,
        "orphans": orphans,
        "form": form,
    }
    return render(request, "staff/measure_evidence.html", context)


def _back(evidence: Evidence):
    if evidence.oit_item_id:
        return redirect(
            "staff:ita_item", year=evidence.oit_item.oit_list.year, item=evidence.oit_item_id
        )
    return redirect("staff:measure_evidence", pk=evidence.measure_id)


@login_required
def evidence_detail(request, pk: int):
    """One evidence: its file's versions, the newest first, and the form to replace it."""
    _member, evidence = get_for_user(request, Evidence, allow=evidence_editor, pk=pk)
    form = ReplaceFileForm(request.POST or None, request.FILES or None)
    if evidence.kind == Evidence.Kind.FILE and form.is_valid():
        services.evidence_replace_file(
            evidence=evidence, upload=form.cleaned_data["file"], by=request.user
        )
        messages.success(request, _("The file was replaced; its link stays the same."))
        return redirect("staff:evidence", pk=evidence.pk)
    context = {
        "evidence": evidence,
        "versions": evidence.files.select_related("uploaded_by").order_by("-pk"),
        "form": form if evidence.kind == Evidence.Kind.FILE else None,
    }
    return render(request, "staff/evidence.html", context)


@login_required
@require_POST
def evidence_delete(request, pk: int):
    _member, evidence = get_for_user(request, Evidence, allow=evidence_editor, pk=pk)
    back = _back(evidence)
    services.evidence_delete(evidence=evidence, by=request.user)
    messages.success(request, _("The evidence was removed."))
    return back


@login_required
def evidence_version(request, pk: int, version: int):
    """Any version of a file, for the agency's members: an earlier one stays retrievable."""
    _member, evidence = get_for_user(request, Evidence, pk=pk)
    stored = get_object_or_404(evidence.files, pk=version)
    try:
        content = stored.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("File missing from the storage") from error
    response = FileResponse(content, content_type=stored.content_type)
    response.headers["Content-Disposition"] = content_disposition_header(True, stored.name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response
