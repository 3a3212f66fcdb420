from dataclasses import dataclass

from django.db.models import Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.html import mark_safe
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import get_language

from measures.document import report_document
from measures.models import Agency, Publication, Report
from reports.pdf import render_report_pdf
from reports.rendering import published_fragment, published_pdf, report_fragment


def index(request):
    agencies = (
        Agency.objects.annotate(
            latest_year=Max("reports__fiscal_year", filter=Q(reports__publications__isnull=False))
        )
        .filter(latest_year__isnull=False)
        .order_by("-latest_year", "name")
    )
    return render(request, "reports/index.html", {"agencies": agencies})


def agency_detail(request, slug):
    agency = get_object_or_404(Agency, slug=slug)
    reports = (
        agency.reports.annotate(latest_version=Max("publications__version"))
        .filter(
            Q(latest_version__isnull=False) | Q(pk__in=Report.objects.previewable_by(request.user))
        )
        .order_by("-fiscal_year")
    )
    if not reports:
        raise Http404("No published report")
    return render(request, "reports/agency.html", {"agency": agency, "reports": reports})


@dataclass
class ReportVersion:
    """What a visitor sees at a report's URL: its newest publication, or a member's live draft."""

    report: Report
    document: dict
    publication: Publication | None

    @property
    def draft(self) -> bool:
        return self.publication is None


def _report_version(request, slug: str, year: int) -> ReportVersion:
    report = (
        Report.objects.select_related("agency").filter(agency__slug=slug, fiscal_year=year).first()
    )
    if report is None:
        raise Http404("No such report")
    # Members preview the live draft at the public URL; "?published" shows what the public sees.
    if "published" not in request.GET and report.is_previewable_by(request.user):
        return ReportVersion(report, report_document(report), None)
    publication = report.latest_publication()
    if publication is None:
        raise Http404("Not published")
    return ReportVersion(report, publication.document, publication)


def _not_modified(request, version: ReportVersion, etag: str):
    """A 304 when the visitor's copy is this version; None when the body must be sent."""
    # Whole seconds, as HTTP dates carry them.
    published_at = int(version.publication.published_at.timestamp())
    return get_conditional_response(request, etag=etag, last_modified=published_at)


def _conditional_headers(response, version: ReportVersion, etag: str):
    if version.draft:
        add_never_cache_headers(response)
    else:
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(version.publication.published_at.timestamp())
        response.headers["Cache-Control"] = "max-age=0, must-revalidate"
    return response


def report_detail(request, slug, year):
    version = _report_version(request, slug, year)
    etag = ""
    if version.draft:
        body = report_fragment(version.document)
    else:
        body, digest = published_fragment(version.publication)
        etag = f'"{digest}-{get_language()}-{request.user.pk or 0}"'
        if not_modified := _not_modified(request, version, etag):
            return not_modified
    context = {
        "version": version,
        "document": version.document,
        # Rendered from reports/_report.html, which escapes every user text.
        "report_html": mark_safe(body),  # noqa: S308
    }
    return _conditional_headers(render(request, "reports/report.html", context), version, etag)


def report_pdf(request, slug, year):
    version = _report_version(request, slug, year)
    etag = ""
    if version.draft:
        filename, mimetype, content = render_report_pdf(version.document, draft=True)
    else:
        publication = version.publication
        etag = f'"pdf-{publication.pk}-v{publication.version}"'
        if not_modified := _not_modified(request, version, etag):
            return not_modified
        filename, mimetype, content = published_pdf(publication)
    response = HttpResponse(content, content_type=mimetype)
    response.headers["Content-Disposition"] = content_disposition_header(False, filename)
    return _conditional_headers(response, version, etag)
