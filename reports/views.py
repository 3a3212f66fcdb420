import hashlib
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.html import mark_safe
from django.utils.http import content_disposition_header, http_date, parse_http_date
from django.utils.translation import get_language
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from itaportal.pagination import paginate
from measures.document import report_document
from measures.models import Agency, Publication, Report, public_publication
from measures.oit.ita_page import public_ita_years
from measures.plan import plan_document
from reports.artefacts import draft_pdf_path, page_etag
from reports.forms import IndexFilterForm
from reports.pdf import render_report_pdf
from reports.rendering import (
    PAGE_CACHE_SECONDS,
    kept_draft_pdf,
    kept_pdf,
    pdf_progress,
    published_fragment,
    published_pdf,
    published_pdf_etag,
    published_pdf_path,
    rendering_elsewhere,
    renders_in_background,
    report_fragment,
)
from reports.tasks import render_draft_pdf, render_publication_pdf

# How long browsers and the nginx front may reuse a published page or PDF without asking.
PUBLIC_MAX_AGE = 60


AGENCIES_PER_PAGE = 50
# A search lists its best matches only: a word that thousands of agencies hold ("องค์การ", a word
# of every report) would otherwise be counted and sorted in full for every visitor. Past this
# many the page says "more than" and asks for another word, a province or a type.
SEARCH_RESULTS = 100
REPORTS_PER_PAGE = 20
# Bumped by every publication (forget_public_copies): the index copies made before are not used.
INDEX_GENERATION_KEY = "reports:index:generation"
# Bumped by every migration (forget_every_public_copy): the visitors' copies made before are not
# used. A database restored from a backup or created anew may lack what they show.
COPIES_EPOCH_KEY = "reports:copies:epoch"


def index(request):
    """The agencies with published reports, searched and filtered.

    Cookieless visitors get a copy kept for PUBLIC_MAX_AGE seconds (by the nginx front too):
    rendering a search takes milliseconds of CPU that a busy portal should not spend again for
    every visitor asking the same thing. A publication starts new copies at once; an agency's
    new name shows within PUBLIC_MAX_AGE seconds.
    """
    if not cookieless(request):
        return _index(request)
    query = hashlib.blake2b(request.GET.urlencode().encode(), digest_size=12).hexdigest()

    def page():
        response = _index(request)
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
        return response.content, dict(response.headers)

    content, headers = _kept_for_index(f"reports:index-page:{get_language()}:{query}", page)
    return HttpResponse(content, headers=headers)


def _kept_for_index(key: str, make):
    """What ``make()`` returns, kept PUBLIC_MAX_AGE seconds under ``key`` with the index's
    generation it was made in: a publication makes it again at once. One round trip to Redis
    for the copy and the generation: a kept search costs little more than that."""
    found = cache.get_many([key, INDEX_GENERATION_KEY])
    generation = found.get(INDEX_GENERATION_KEY)
    kept = found.get(key)
    if kept is None or kept[0] != generation:
        kept = (generation, make())
        cache.set(key, kept, PUBLIC_MAX_AGE)
    return kept[1]


def _listed_provinces() -> list[str]:
    """The provinces of the agencies listed, for the filter. The same for every visitor and
    a join over every publication (milliseconds at 1,000 agencies), so kept as the index's
    copies are: a publication starts afresh, a renamed province shows within PUBLIC_MAX_AGE."""
    listed = Agency.objects.filter(public_publication("reports__publications"))
    listed = listed.exclude(province="").order_by("province")
    return _kept_for_index(
        "reports:provinces", lambda: list(listed.values_list("province", flat=True).distinct())
    )


def _index(request):
    form = IndexFilterForm(request.GET, provinces=_listed_provinces())
    agencies = (
        form.filter(Agency.objects.for_lists().filter(latest_public_year__isnull=False))
        # Agencies found by name or place before those found by their reports' words.
        .order_by("search_rank", "-latest_public_year", "name")
    )
    more_than = None
    if form.searching:
        # One query for the list and its count: the best SEARCH_RESULTS and one more, if any.
        found = agencies.first_found(SEARCH_RESULTS + 1)
        if len(found) > SEARCH_RESULTS:
            more_than, found = SEARCH_RESULTS, found[:SEARCH_RESULTS]
        agencies = found
    page = paginate(request, agencies, AGENCIES_PER_PAGE)
    context = {"form": form, "page_obj": page, "more_than": more_than}
    return render(request, "reports/index.html", context)


def agency_detail(request, slug):
    agency = get_object_or_404(Agency, slug=slug)
    reports = (
        agency.reports.annotate(
            latest_version=Max("publications__version", filter=public_publication("publications"))
        )
        .filter(
            Q(latest_version__isnull=False) | Q(pk__in=Report.objects.previewable_by(request.user))
        )
        .order_by("-fiscal_year")
    )
    page = paginate(request, reports, REPORTS_PER_PAGE)
    if not page.paginator.count:
        raise Http404("No published report")
    context = {"agency": agency, "page_obj": page, "ita_years": public_ita_years(agency)}
    return render(request, "reports/agency.html", context)


@dataclass
class ReportVersion:
    """What a visitor sees at a report's URL: its newest publication, or a member's live draft."""

    report: Report
    document: dict
    publication: Publication | None

    @property
    def draft(self) -> bool:
        return self.publication is None


def _report_version(request, slug: str, year: int, kind: str = Publication.Kind.REPORT):
    """The report's version (or, ``kind="plan"``, the plan's) that the visitor sees."""
    # Whether the year's other document is public too, for the link between them, in the
    # same query.
    other = Publication.Kind.REPORT if kind == Publication.Kind.PLAN else Publication.Kind.PLAN
    companion = Publication.objects.public().filter(report=OuterRef("pk"), kind=other)
    report = (
        Report.objects.select_related("agency")
        .annotate(companion_public=Exists(companion))
        .filter(agency__slug=slug, fiscal_year=year)
        .first()
    )
    if report is None:
        raise Http404("No such report")
    # Members preview the live draft at the public URL; "?published" shows what the public sees.
    if "published" not in request.GET and report.is_previewable_by(request.user):
        draft = plan_document(report) if kind == Publication.Kind.PLAN else report_document(report)
        return ReportVersion(report, draft, None)
    publication = report.latest_publication(kind)
    if publication is None:
        raise Http404("Not published")
    return ReportVersion(report, publication.document, publication)


def _not_modified(request, version: ReportVersion, etag: str):
    """A 304 when the visitor's copy is this version; None when the body must be sent."""
    # Whole seconds, as HTTP dates carry them.
    published_at = int(version.publication.published_at.timestamp())
    return get_conditional_response(request, etag=etag, last_modified=published_at)


def _conditional_headers(request, response, version: ReportVersion, etag: str):
    if version.draft:
        add_never_cache_headers(response)
        return response
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(version.publication.published_at.timestamp())
    if cookieless(request):
        # A published version never changes: a shared cache (the nginx front, docs/nginx.conf)
        # may answer for it; a new publication shows within PUBLIC_MAX_AGE seconds.
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


def cookieless(request) -> bool:
    """Nobody signed in and no message waiting: the visitor gets exactly what every anonymous
    visitor gets. Any other cookie is looked at, not trusted: a made-up session id authenticates
    nobody and must not skip the kept copies (it made the page ten times slower)."""
    if set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}:
        return True
    # len() reads the messages without marking them shown.
    return not request.user.is_authenticated and not len(messages.get_messages(request))


def _public_copy_key(view_name: str, slug: str, year: int, language: str) -> str:
    return f"reports:public:{view_name}:{slug}:{year}:{language}"


def kept_for_visitors(view):
    """Serve a published page or PDF to cookieless visitors from the cache: no query, no render.

    The copy keeps the response's body and headers: nothing in a public page is per visitor. A
    new or deleted publication deletes the copies (reports/apps.py); with a per-process cache
    another worker may serve the superseded copy for settings.PUBLIC_COPY_SECONDS at most. A
    copy made before the last migration (a restored or reset database) is not served.
    """

    @wraps(view)
    def wrapper(request, slug, year):
        if request.META.get("QUERY_STRING") or not cookieless(request):
            return view(request, slug, year)
        key = _public_copy_key(view.__name__, slug, year, get_language())
        found = cache.get_many([key, COPIES_EPOCH_KEY])
        epoch = found.get(COPIES_EPOCH_KEY)
        copy = found.get(key)
        if copy is None or copy[0] != epoch:
            response = view(request, slug, year)
            if response.status_code != 200 or not response.has_header("ETag"):
                return response
            copy = (
                epoch,
                response.content,
                dict(response.headers),
                parse_http_date(response.headers["Last-Modified"]),
            )
            cache.set(key, copy, settings.PUBLIC_COPY_SECONDS)
        _epoch, content, headers, last_modified = copy
        if not_modified := get_conditional_response(
            request, etag=headers["ETag"], last_modified=last_modified
        ):
            return not_modified
        return HttpResponse(content, headers=headers)

    return wrapper


@kept_for_visitors
def report_detail(request, slug, year):
    return _detail(request, _report_version(request, slug, year))


@kept_for_visitors
def plan_detail(request, slug, year):
    """The year's measures plan: the analysis of last year's result and the planned measures."""
    return _detail(request, _report_version(request, slug, year, Publication.Kind.PLAN))


def _detail(request, version: ReportVersion):
    etag = ""
    if version.draft:
        body = report_fragment(version.document)
    else:
        body = published_fragment(version.publication)
        etag = page_etag(version.publication.digest, get_language(), request.user.pk)
        if not_modified := _not_modified(request, version, etag):
            return not_modified
    context = {
        "version": version,
        "document": version.document,
        # The plan and the report link to each other when the public can read both.
        "companion": version.report.companion_public,
        # Rendered from reports/_report.html, which escapes every user text.
        "report_html": mark_safe(body),  # noqa: S308
    }
    return _conditional_headers(
        request, render(request, "reports/report.html", context), version, etag
    )


@kept_for_visitors
def report_pdf(request, slug, year):
    return _pdf(request, _report_version(request, slug, year))


@kept_for_visitors
def plan_pdf(request, slug, year):
    """The plan as the same official A4 PDF as the report, without the results columns."""
    return _pdf(request, _report_version(request, slug, year, Publication.Kind.PLAN))


def _pdf(request, version: ReportVersion):
    if not version.draft:
        return _published_pdf(request, version, archival=False)
    kept = kept_draft_pdf(version.report, version.document)
    if kept is None and renders_in_background(version.document):
        path = draft_pdf_path(version.report, version.document)
        kind = version.document.get("kind", Publication.Kind.REPORT)
        return _pdf_in_progress(request, version, path, render_draft_pdf, version.report.pk, kind)
    pdf = kept or render_report_pdf(version.document, draft=True)
    return _pdf_response(request, pdf, version, "")


@kept_for_visitors
def report_archival_pdf(request, slug, year):
    """The published report as PDF/A-3a with its open data attached; a draft has none."""
    report = get_object_or_404(
        Report.objects.published().select_related("agency"), agency__slug=slug, fiscal_year=year
    )
    publication = report.latest_publication()
    version = ReportVersion(report, publication.document, publication)
    return _published_pdf(request, version, archival=True)


def _published_pdf(request, version: ReportVersion, *, archival: bool):
    """A publication's PDF: from storage once rendered, rendered in the background if large."""
    publication = version.publication
    etag = published_pdf_etag(publication, archival=archival)
    if not_modified := _not_modified(request, version, etag):
        return not_modified
    kept = kept_pdf(publication, archival=archival)
    path = published_pdf_path(publication, archival=archival)
    if kept is None and renders_in_background(publication.document):
        return _pdf_in_progress(
            request, version, path, render_publication_pdf, publication.pk, archival
        )
    pdf = kept or published_pdf(publication, archival=archival)
    if pdf is None:  # another process is still rendering it
        return _pdf_in_progress(request, version, path)
    return _pdf_response(request, pdf, version, etag)


def _pdf_response(request, pdf: tuple[str, str, bytes], version: ReportVersion, etag: str):
    filename, mimetype, content = pdf
    response = HttpResponse(content, content_type=mimetype)
    response.headers["Content-Disposition"] = content_disposition_header(False, filename)
    return _conditional_headers(request, response, version, etag)


def _pdf_in_progress(request, version: ReportVersion, path: str, task=None, *args):
    """Show the progress of the render of the PDF kept at ``path``: by another process, or by
    ``task(*args)``, queued here once unless some process renders it already.

    The progress page reloads itself until the PDF is there.
    """
    rendering = rendering_elsewhere(path)
    failed = False
    if task is not None and not rendering:
        result = _queued(task, path, *args)
        rendering = result.status == TaskResultStatus.RUNNING
        failed = result.status == TaskResultStatus.FAILED
    context = {
        "document": version.document,
        "rendering": rendering,
        "failed": failed,
        "progress": pdf_progress(path) if rendering else None,
    }
    response = render(request, "reports/pdf_progress.html", context, status=202)
    add_never_cache_headers(response)
    return response


def _queued(task, path: str, *args):
    """The task rendering ``path``, queued if it is not yet (or failed, or finished without a
    file: the storage was emptied)."""
    key = f"reports:pdf-task:{path}"
    result = None
    if result_id := cache.get(key):
        try:
            result = task.get_result(result_id)
        except TaskResultDoesNotExist:
            result = None
    if result is None or result.status == TaskResultStatus.SUCCESSFUL:
        result = task.enqueue(*args)
        cache.set(key, result.id, PAGE_CACHE_SECONDS)
    if result.status == TaskResultStatus.FAILED:
        cache.delete(key)  # the next visit tries again
    return result


def forget_public_copies(sender, instance: Publication, **kwargs):
    """A new, changed or deleted publication replaces the visitors' copies of its page and PDF,
    and of the index."""
    cache.set(INDEX_GENERATION_KEY, time.time_ns(), None)
    report = instance.report
    cache.delete_many(
        [
            _public_copy_key(view.__name__, report.agency.slug, report.fiscal_year, language)
            for view in (report_detail, report_pdf, report_archival_pdf, plan_detail, plan_pdf)
            for language, _name in settings.LANGUAGES
        ]
    )


def forget_every_public_copy(**kwargs):
    """After a migration, every visitor's copy of a page, PDF or index is made anew: the
    database may have been restored or reset (docs/deploy.md runs ``migrate`` after both), and
    the copies of what it no longer holds must not outlive it. Content-addressed copies (PDFs,
    page bodies) need no such care."""
    now = time.time_ns()
    cache.set_many({INDEX_GENERATION_KEY: now, COPIES_EPOCH_KEY: now}, None)
