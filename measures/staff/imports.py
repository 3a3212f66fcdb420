"""The coordinator's data pages: imports (preview, then confirm), export, and carry forward.

An uploaded file waits between preview and confirmation in the "imports" storage, under a
random name that only this user's session knows; the confirmation names it by a token, never by
a path, and is refused if the file is gone, has changed, or the report changed since the preview.
"""

import hashlib
import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from measures import thai
from measures.document import report_document
from measures.imports import services
from measures.imports.resources import measures_file, template_file
from measures.imports.services import RowOutcome
from measures.imports.spreadsheet import FORMATS
from measures.models import Report
from measures.staff.access import coordinator, get_for_user
from measures.staff.forms import DivisionMappingForm, MeasuresImportForm, ReportImportForm

PENDING = "pending_import"

IMPORTS = {
    "measures": (MeasuresImportForm, services.report_import_rows),
    "report": (ReportImportForm, services.report_import_legacy),
}
TITLES = {
    "measures": gettext_lazy("Import measures from a spreadsheet"),
    "report": gettext_lazy("Import last year's report"),
}
KIND_LABELS = {
    RowOutcome.NEW: gettext_lazy("new"),
    RowOutcome.CHANGED: gettext_lazy("changed"),
    RowOutcome.UNCHANGED: gettext_lazy("unchanged"),
    RowOutcome.DELETED: gettext_lazy("deleted"),
    RowOutcome.ERROR: gettext_lazy("error"),
}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _report_state(report: Report) -> str:
    """What the preview compared the file with; a confirmation must find it unchanged."""
    document = report_document(report)
    return _digest(json.dumps(document, sort_keys=True, default=str).encode())


def _discard(request) -> None:
    pending = request.session.pop(PENDING, None)
    if pending:
        storages["imports"].delete(pending["name"])


def _stash(request, *, report: Report, kind: str, cleaned: dict, unknown: list[str]) -> str:
    """Keep the previewed file server-side; the token the confirmation must send back."""
    _discard(request)
    token = secrets.token_urlsafe(24)
    data = cleaned["data"]
    name = storages["imports"].save(f"{token}.upload", ContentFile(data))
    previews_sweep()
    request.session[PENDING] = {
        "token": token,
        "name": name,
        "sha256": _digest(data),
        "report": report.pk,
        "state": _report_state(report),
        "kind": kind,
        "format": cleaned["format"],
        "filename": cleaned["filename"],
        # Units of the file that are no division: what the mapping form asks about.
        "unknown": unknown,
    }
    return token


def previews_sweep(*, dry_run: bool = False) -> list[str]:
    """Delete previews never confirmed, once no session can still name them; their names (with
    ``dry_run``, of those that would be deleted)."""
    storage = storages["imports"]
    expired = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    swept = []
    try:
        names = storage.listdir("")[1]
    except FileNotFoundError:  # nothing was ever previewed here
        names = []
    for name in names:
        try:
            if storage.get_modified_time(name) < expired:
                if not dry_run:
                    storage.delete(name)
                swept.append(name)
        except FileNotFoundError:  # swept by a concurrent request
            pass
    return swept


def _unstash(request, *, report: Report, kind: str) -> tuple[dict, bytes] | None:
    """The previewed file this confirmation is for, if it is still there unchanged."""
    pending = request.session.get(PENDING)
    token = request.POST.get("token", "")
    if (
        not pending
        or not secrets.compare_digest(pending["token"].encode(), token.encode())
        or (pending["report"], pending["kind"]) != (report.pk, kind)
    ):
        return None
    try:
        with storages["imports"].open(pending["name"]) as file:
            data = file.read()
    except FileNotFoundError:
        return None
    if _digest(data) != pending["sha256"]:
        return None
    return pending, data


@login_required
@require_http_methods(["GET", "POST"])
def report_import(request, year: int, kind: str):
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    form_class, service = IMPORTS[kind]
    form = form_class()
    upload = outcome = token = mapping = None
    if request.method == "POST" and "map" in request.POST:
        # The units that are no division, mapped: remembered, then the same file previewed again.
        found = _unstash(request, report=report, kind=kind)
        if found is None:
            messages.error(
                request, _("The previewed file is no longer here or has changed. Upload it again.")
            )
            return redirect("staff:import", year=year, kind=kind)
        pending, data = found
        upload = {"data": data, "format": pending["format"], "filename": pending["filename"]}
        mapping = DivisionMappingForm(
            request.POST, names=pending["unknown"], divisions=report.agency.divisions.all()
        )
        if mapping.is_valid():
            services.division_mappings_save(
                agency=report.agency, choices=mapping.choices(), by=request.user
            )
            mapping = None
    elif request.method == "POST" and "token" in request.POST:
        found = _unstash(request, report=report, kind=kind)
        if found is None:
            messages.error(
                request, _("The previewed file is no longer here or has changed. Upload it again.")
            )
            return redirect("staff:import", year=year, kind=kind)
        pending, data = found
        upload = {"data": data, "format": pending["format"], "filename": pending["filename"]}
        if pending["state"] == _report_state(report):
            outcome = service(
                report=report, file=ContentFile(data), format=pending["format"], dry_run=False
            )
            if outcome.committed:
                _discard(request)
                messages.success(request, _("The import was saved.") + " " + _counts(outcome))
                return redirect("staff:report", year=year)
        else:
            messages.warning(
                request,
                _("The report changed after the preview. Check this new preview, then confirm."),
            )
    elif request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data
    if upload is not None and outcome is None:
        outcome = service(report=report, file=ContentFile(upload["data"]), format=upload["format"])
        unknown = getattr(outcome, "unknown_divisions", [])
        if outcome.ok or unknown:
            token = _stash(request, report=report, kind=kind, cleaned=upload, unknown=unknown)
        if unknown and mapping is None:
            mapping = DivisionMappingForm(names=unknown, divisions=report.agency.divisions.all())
    if outcome is not None and token is None:
        _discard(request)
    context = {
        "report": report,
        "kind": kind,
        "title": TITLES[kind],
        "form": form,
        "outcome": outcome,
        "rows": [(row, KIND_LABELS[row.kind]) for row in outcome.rows] if outcome else [],
        "summary": _counts(outcome) if outcome else "",
        "token": token,
        "mapping": mapping,
        "filename": upload["filename"] if upload else "",
        "template_url": reverse("staff:import_template", kwargs={"year": year}),
    }
    return render(request, "staff/import.html", context)


def _counts(outcome: services.ImportOutcome) -> str:
    counts = outcome.counts
    return ", ".join(
        f"{label} {thai.thai_digits(counts[kind])}"
        for kind, label in KIND_LABELS.items()
        if counts[kind]
    )


@login_required
@require_GET
def report_export(request, year: int, format: str):
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    response = HttpResponse(
        measures_file(report.measures.with_lists(), format),
        content_type=FORMATS[format]().get_content_type(),
    )
    filename = f"{report.agency.slug}-{year}-measures.{format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def import_template(request, year: int):
    """The blank spreadsheet to fill in and import: an example row and the columns explained."""
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    response = HttpResponse(
        template_file(report), content_type=FORMATS["xlsx"]().get_content_type()
    )
    filename = f"{report.agency.slug}-{year}-import-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
