"""The public ITA page of an agency's year, its items, its CSV, and the evidence files."""

import csv
import io

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from measures.imports.spreadsheet import neutralise
from measures.models import Agency, Report
from measures.oit.ita_page import ita_page_is_public, ita_rows
from measures.oit.models import Evidence, OitList
from reports.views import PUBLIC_MAX_AGE, cookieless


def _ita_year(request, slug: str, year: int):
    """(agency, list, draft): a member sees the year's page before it is public, marked."""
    agency = get_object_or_404(Agency, slug=slug)
    oit_list = get_object_or_404(OitList, year=year)
    member = Report.objects.previewable_by(request.user).filter(agency=agency).exists()
    public = ita_page_is_public(agency, year)
    if not (public or member):
        raise Http404("No public ITA page")
    return agency, oit_list, not public


def _cache_headers(request, response, draft: bool):
    """The page changes whenever the coordinator adds evidence: shared caches keep it for
    PUBLIC_MAX_AGE seconds; a member's or a draft page is never kept."""
    if draft or not cookieless(request):
        add_never_cache_headers(response)
    else:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


def _item_url(request, agency, year, item) -> str:
    return request.build_absolute_uri(
        reverse("reports:ita_item", args=[agency.slug, year, item.pk])
    )


def ita_page(request, slug, year):
    agency, oit_list, draft = _ita_year(request, slug, year)
    rows = ita_rows(agency, year)
    for row in rows:
        row.public_url = _item_url(request, agency, year, row.item)
    context = {"agency": agency, "oit_list": oit_list, "rows": rows, "draft": draft}
    return _cache_headers(request, render(request, "reports/ita.html", context), draft)


def ita_item(request, slug, year, item):
    """One item's own page: the stable URL a coordinator gives the national ITA system."""
    agency, oit_list, draft = _ita_year(request, slug, year)
    row = next((row for row in ita_rows(agency, year) if row.item.pk == item), None)
    if row is None:
        raise Http404("No such item")
    row.public_url = _item_url(request, agency, year, row.item)
    context = {"agency": agency, "oit_list": oit_list, "row": row, "draft": draft}
    return _cache_headers(request, render(request, "reports/ita_item.html", context), draft)


def ita_csv(request, slug, year):
    """The year's items with their URLs, for the coordinator's spreadsheet of the assessment."""
    agency, _oit_list, draft = _ita_year(request, slug, year)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Code"), _("Sub-indicator"), _("Item"), _("Item's URL"), _("Documents and evidence")]
    )
    for row in ita_rows(agency, year):
        links = []
        if row.document:
            links.append(
                request.build_absolute_uri(row.document.url)
                if row.document.url
                else f"{row.document.title}: {_('not yet published')}"
            )
        links += [_evidence_url(request, agency, year, entry) for entry in row.evidence]
        cells = [
            row.item.code,
            row.item.group,
            row.item.title,
            _item_url(request, agency, year, row.item),
            "\n".join(links),
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    # With a byte-order mark, Excel reads the Thai as UTF-8.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"ita-{agency.slug}-{year}.csv"
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    return _cache_headers(request, response, draft)


def _evidence_url(request, agency, year, entry: Evidence) -> str:
    if entry.kind == Evidence.Kind.LINK:
        return entry.url
    return request.build_absolute_uri(
        reverse("reports:ita_file", args=[agency.slug, year, entry.pk])
    )


def ita_file(request, slug, year, pk):
    """An item's file, in its newest version: the URL stays when the file is replaced."""
    agency, _oit_list, draft = _ita_year(request, slug, year)
    evidence = get_object_or_404(
        Evidence.objects.for_items(agency, year), pk=pk, kind=Evidence.Kind.FILE
    )
    version = evidence.current_file()
    if version is None:
        raise Http404("No file")
    return _file_response(
        request, version.file.name, version.name, version.content_type, version.sha256, draft
    )


def result_file(request, slug, year, pk):
    """A result's file: the version its report's newest publication names, or the newest for a
    member of the agency (the draft page links it)."""
    report = get_object_or_404(
        Report.objects.select_related("agency"), agency__slug=slug, fiscal_year=year
    )
    if "published" not in request.GET and report.is_previewable_by(request.user):
        evidence = get_object_or_404(
            Evidence.objects.for_results(report), pk=pk, kind=Evidence.Kind.FILE
        )
        version = evidence.current_file()
        if version is None:
            raise Http404("No file")
        return _file_response(
            request, version.file.name, version.name, version.content_type, version.sha256, True
        )
    publication = report.latest_publication()
    if publication is None:
        raise Http404("Not published")
    entry = next(
        (
            entry
            for measure in publication.document["measures"]
            for entry in measure.get("evidence", ())
            if entry["id"] == pk and "file" in entry
        ),
        None,
    )
    if entry is None:
        raise Http404("Not in the publication")
    file = entry["file"]
    return _file_response(
        request, file["storage_name"], file["name"], file["content_type"], file["sha256"], False
    )


def _file_response(request, storage_name, name, content_type, sha256, draft):
    """The stored file with its checked type, its Thai name (RFC 5987) and cache headers; the
    ETag is its content's digest, so a replaced file is fetched again."""
    etag = f'"{sha256}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            stored = default_storage.open(storage_name)
        except FileNotFoundError as error:
            raise Http404("File missing from the storage") from error
        response = FileResponse(stored, content_type=content_type)
        response.headers["Content-Disposition"] = content_disposition_header(False, name)
    response.headers["ETag"] = etag
    response.headers["X-Content-Type-Options"] = "nosniff"
    return _cache_headers(request, response, draft)
