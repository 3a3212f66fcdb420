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


def published_pdf(publication: Publication) -> tuple[str, str, bytes]:
    """The publication's PDF, rendered the first time and read from storage ever after."""
    path = published_pdf_path(publication)
    filename = report_pdf_filename(publication.document)
    if default_storage.exists(path):
        with default_storage.open(path) as stored:
            return filename, MIMETYPE, stored.read()
    filename, mimetype, content = render_report_pdf(publication.document)
    default_storage.save(path, ContentFile(content))
    return filename, mimetype, content
