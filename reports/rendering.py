"""The report rendered once per published version and kept; drafts rendered on request.

A publication never changes, so its HTML and PDFs (public and archival) are rendered the first
time they are asked for and reused: the page's report body in Django's cache, the PDFs in the
default file storage, all keyed by the publication and its version. A draft too large to render
within a request is rendered by a background task and kept under a name derived from its content.
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from measures.models import Publication, Report
from reports.opendata import open_data_document
from reports.pdf import MIMETYPE, render_archival_pdf, render_report_pdf, report_pdf_filename
from reports.pdf_text import ARCHIVAL

PAGE_CACHE_SECONDS = 24 * 60 * 60
# A render takes about 0.04 s per measure here, warm (bench/RESULTS.md): beyond this many
# measures it would not fit a web request's time budget, and a background task renders it.
INLINE_PDF_MAX_MEASURES = 150
DRAFT_PDF_DIR = "report-pdfs/drafts"


def report_fragment(document: dict) -> str:
    """The report's body (heading, introduction, table) as the page and the PDF show it."""
    return render_to_string("reports/_report.html", {"document": document})


def _fragment_key(publication: Publication, language: str) -> str:
    return f"reports:fragment:{publication.pk}:{publication.version}:{language}"


def published_fragment(publication: Publication) -> tuple[str, str]:
    """The publication's report body in the current language, and a digest of it for the ETag."""
    key = _fragment_key(publication, translation.get_language())
    cached = cache.get(key)
    if cached is None:
        html = report_fragment(publication.document)
        cached = (html, hashlib.blake2b(html.encode(), digest_size=12).hexdigest())
        cache.set(key, cached, PAGE_CACHE_SECONDS)
    return cached


def published_pdf_path(publication: Publication, *, archival: bool = False) -> str:
    # The archival copy's name carries its PDF/A level: copies kept at an earlier level are
    # rendered afresh rather than served under the new claim.
    suffix = f"-archival-{ARCHIVAL.replace('/', '')}" if archival else ""
    return f"report-pdfs/publication-{publication.pk}-v{publication.version}{suffix}.pdf"


def _kept(path: str, filename: str) -> tuple[str, str, bytes] | None:
    if not default_storage.exists(path):
        return None
    with default_storage.open(path) as stored:
        return filename, MIMETYPE, stored.read()


def forget_withdrawn(sender, instance: Publication, **kwargs):
    """A withdrawn publication's kept PDFs and page body are deleted: what was taken down for
    its content is not kept ready to serve."""
    if instance.withdrawn_at is None:
        return
    for archival in (False, True):
        default_storage.delete(published_pdf_path(instance, archival=archival))
    cache.delete_many([_fragment_key(instance, language) for language, _name in settings.LANGUAGES])


def kept_pdf(publication: Publication, *, archival: bool = False) -> tuple[str, str, bytes] | None:
    """The publication's public (or archival) PDF if it has been rendered and kept, else None."""
    filename = report_pdf_filename(publication.document, archival=archival)
    return _kept(published_pdf_path(publication, archival=archival), filename)


def draft_pdf_path(report: Report, document: dict) -> str:
    """Where a large draft's PDF is kept: named by its content, so that an edit gives a new one."""
    digest = hashlib.blake2b(json.dumps(document, sort_keys=True).encode(), digest_size=12)
    return f"{DRAFT_PDF_DIR}/report-{report.pk}-{digest.hexdigest()}.pdf"


def _progress_path(path: str) -> str:
    return f"{path}.progress"


def _recording_progress(path: str):
    """A render's ``progress`` callback that keeps its figures beside the PDF's ``path``, in
    the storage the worker and the web servers share (the cache may not be shared)."""

    def record(written: int, measures: int) -> None:
        default_storage.delete(_progress_path(path))
        default_storage.save(_progress_path(path), ContentFile(f"{written} {measures}"))

    return record


def pdf_progress(path: str) -> tuple[int, int] | None:
    """How many of its measures the render of the PDF kept at ``path`` has written, and of how
    many; None before the first part of a long report is written, and after the last."""
    try:
        with default_storage.open(_progress_path(path)) as stored:
            written, measures = stored.read().split()
    except (FileNotFoundError, ValueError):
        return None
    return int(written), int(measures)


def _render_to(path: str, render, *args, **kwargs) -> tuple[str, str, bytes]:
    """``render(*args, **kwargs)`` kept at ``path``, its progress recorded on the way."""
    try:
        rendered = render(*args, progress=_recording_progress(path), **kwargs)
    finally:
        default_storage.delete(_progress_path(path))
    default_storage.save(path, ContentFile(rendered[2]))
    return rendered


def kept_draft_pdf(report: Report, document: dict) -> tuple[str, str, bytes] | None:
    filename = report_pdf_filename(document, draft=True)
    return _kept(draft_pdf_path(report, document), filename)


def keep_draft_pdf(report: Report, document: dict) -> None:
    """Render a large draft's PDF and keep it in place of the report's earlier draft PDFs."""
    path = draft_pdf_path(report, document)
    if default_storage.exists(path):
        return
    if default_storage.exists(DRAFT_PDF_DIR):
        for name in default_storage.listdir(DRAFT_PDF_DIR)[1]:
            if name.startswith(f"report-{report.pk}-") and not name.endswith(".progress"):
                default_storage.delete(f"{DRAFT_PDF_DIR}/{name}")
    _render_to(path, render_report_pdf, document, draft=True)


def renders_in_background(document: dict) -> bool:
    """Whether the report is too large for its PDF to be rendered within a web request."""
    return len(document["measures"]) > INLINE_PDF_MAX_MEASURES


def published_pdf(publication: Publication, *, archival: bool = False) -> tuple[str, str, bytes]:
    """The publication's public PDF, or its archival PDF/A-3a carrying the open-data JSON,
    rendered the first time and read from storage ever after."""
    if kept := kept_pdf(publication, archival=archival):
        return kept
    path = published_pdf_path(publication, archival=archival)
    if archival:
        data = open_data_document(publication)
        return _render_to(path, render_archival_pdf, publication.document, data)
    return _render_to(path, render_report_pdf, publication.document)
