"""Open data: every published report as CSV, XLSX and JSON, at stable addresses next to its page.

All three are rendered from the latest publication's frozen document, never from the live
report, so that the data always matches the published page and PDF, even while a revision is
being drafted. Reports never published do not exist here (404).
"""

from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from measures.imports.resources import measures_file
from measures.imports.spreadsheet import FORMATS
from measures.models import Publication, Report

SCHEMA = Path(__file__).resolve().parent / "schema" / "report-v1.json"


def published(slug: str, year: int) -> Publication:
    report = get_object_or_404(Report.objects.published(), agency__slug=slug, fiscal_year=year)
    return report.latest_publication()


def open_data_document(publication: Publication) -> dict:
    """The published document with the version and date of its publication."""
    return {
        **publication.document,
        "publication": {
            "version": publication.version,
            "published_at": publication.published_at.isoformat(),
        },
    }


def _open(response: HttpResponse) -> HttpResponse:
    # Open data is meant to be fetched by other sites' scripts too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def data_json(request, slug: str, year: int):
    document = open_data_document(published(slug, year))
    return _open(JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2}))


def plan_json(request, slug: str, year: int):
    """The published plan: the report's shape (measures without results, with budgets) plus
    "kind": "plan" and its "analysis"."""
    report = get_object_or_404(Report, agency__slug=slug, fiscal_year=year)
    publication = report.latest_publication(Publication.Kind.PLAN)
    if publication is None:
        raise Http404("Not published")
    document = open_data_document(publication)
    return _open(JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2}))


def _measures_download(slug: str, year: int, format: str) -> HttpResponse:
    publication = published(slug, year)
    response = HttpResponse(
        measures_file(publication.document["measures"], format),
        content_type=FORMATS[format]().get_content_type()
        + ("; charset=utf-8" if format == "csv" else ""),
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-{year}.{format}"'
    return _open(response)


def data_csv(request, slug: str, year: int):
    return _measures_download(slug, year, "csv")


def data_xlsx(request, slug: str, year: int):
    return _measures_download(slug, year, "xlsx")


def schema(request):
    return _open(FileResponse(SCHEMA.open("rb"), content_type="application/schema+json"))
