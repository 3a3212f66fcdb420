"""The report rendered once per published version and kept; drafts rendered on every request.

A publication never changes, so its HTML and PDF are rendered the first time they are asked for
and reused: the page's report body in Django's cache, the PDF in the default file storage, both
keyed by the publication and its version.
"""

import hashlib

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from measures.models import Publication
from reports.pdf import MIMETYPE, render_report_pdf, report_pdf_filename

PAGE_CACHE_SECONDS = 24 * 60 * 60
# A render takes about 0.04 s per measure here, warm (bench/RESULTS.md): beyond this many
# measures it would not fit a web request's time budget, and a background task renders it.
INLINE_PDF_MAX_MEASURES = 150


def report_fragment(document: dict) -> str:
    """The report's body (heading, introduction, table) as the page and the PDF show it."""
    return render_to_string("reports/_report.html", {"document": document})


def published_fragment(publication: Publication) -> tuple[str, str]:
    """The publication's report body in the current language, and a digest of it for the ETag."""
    key = f"reports:fragment:{publication.pk}:{publication.version}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is None:
        html = report_fragment(publication.document)
        cached = (html, hashlib.blake2b(html.encode(), digest_size=12).hexdigest())
        cache.set(key, cached, PAGE_CACHE_SECONDS)
    return cached


def published_pdf_path(publication: Publication) -> str:
    return f"report-pdfs/publication-{publication.pk}-v{publication.version}.pdf"


def kept_pdf(publication: Publication) -> tuple[str, str, bytes] | None:
    """The publication's PDF if it has been rendered and kept, else None."""
    path = published_pdf_path(publication)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path) as stored:
        return report_pdf_filename(publication.document), MIMETYPE, stored.read()


def renders_in_background(document: dict) -> bool:
    """Whether the report is too large for its PDF to be rendered within a web request."""
    return len(document["measures"]) > INLINE_PDF_MAX_MEASURES


def published_pdf(publication: Publication) -> tuple[str, str, bytes]:
    """The publication's PDF, rendered the first time and read from storage ever after."""
    if kept := kept_pdf(publication):
        return kept
    path = published_pdf_path(publication)
    filename, mimetype, content = render_report_pdf(publication.document)
    default_storage.save(path, ContentFile(content))
    return filename, mimetype, content
