"""The report rendered once per published version and kept; drafts rendered on request.

A publication never changes, so its HTML and PDFs (public and archival) are rendered the first
time they are asked for and reused: the page's report body in Django's cache, the PDFs in the
default file storage, all named by their content (reports/artefacts.py). A draft too large to
render within a request is rendered by a background task and kept the same way.

One render per kept PDF at a time, across every process (``_render_once``): the first to ask
takes a lock named by the PDF's storage name (measures.models.RenderLock, in the shared
database), the others wait for its copy a few seconds and then show the progress page. A copy is
written under its one name, overwriting (settings.STORAGES), never beside it under another.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from itaportal import limits
from measures.models import Publication, RenderLock, Report
from reports import artefacts
from reports.artefacts import PROGRESS_SUFFIX, draft_pdf_path
from reports.opendata import open_data_document
from reports.pdf import (
    MIMETYPE,
    body_template,
    render_archival_pdf,
    render_report_pdf,
    report_pdf_filename,
)

logger = logging.getLogger(__name__)

PAGE_CACHE_SECONDS = 24 * 60 * 60
# How often a request waiting for another process's render looks for its copy.
POLL_SECONDS = 0.25


def report_fragment(document: dict) -> str:
    """The report's (or plan's) body (heading, introduction, table) as the page and the PDF
    show it."""
    return render_to_string(body_template(document), {"document": document})


def published_fragment(publication: Publication) -> str:
    """The publication's report body in the current language."""
    key = artefacts.fragment_key(publication.digest, translation.get_language())
    html = cache.get(key)
    if html is None:
        html = report_fragment(publication.document)
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return html


def _variant(archival: bool) -> str:
    return "archival" if archival else "public"


def published_pdf_path(publication: Publication, *, archival: bool = False) -> str:
    return artefacts.pdf_path(publication.digest, _variant(archival))


def published_pdf_etag(publication: Publication, *, archival: bool = False) -> str:
    return f'"{artefacts.pdf_tag(publication.digest, _variant(archival))}"'


def _kept(path: str, filename: str) -> tuple[str, str, bytes] | None:
    try:
        with default_storage.open(path) as stored:
            return filename, MIMETYPE, stored.read()
    except FileNotFoundError:
        return None


def _write(path: str, data: bytes) -> None:
    """``data`` kept under ``path`` itself, replacing what was there."""
    saved = default_storage.save(path, ContentFile(data))
    if saved != path:
        default_storage.delete(saved)
        raise ImproperlyConfigured(
            "The default storage renamed a kept copy: configure it to overwrite "
            "(FileSystemStorage: allow_overwrite=True; S3: file_overwrite=True)."
        )


def forget_withdrawn(sender, instance: Publication, **kwargs):
    """A withdrawn publication's kept PDFs and page body are deleted: what was taken down for
    its content is not kept ready to serve.

    Once the withdrawal is committed, so that a render finishing meanwhile either sees the
    withdrawal (``published_pdf``) or is deleted here.
    """
    if instance.withdrawn_at is None:
        return
    transaction.on_commit(lambda: _forget(instance))


def _forget(publication: Publication) -> None:
    artefacts.forget(publication.digest)


def kept_pdf(publication: Publication, *, archival: bool = False) -> tuple[str, str, bytes] | None:
    """The publication's public (or archival) PDF if it has been rendered and kept, else None."""
    filename = report_pdf_filename(publication.document, archival=archival)
    return _kept(published_pdf_path(publication, archival=archival), filename)


def _progress_path(path: str) -> str:
    return f"{path}{PROGRESS_SUFFIX}"


def _recording_progress(path: str):
    """A render's ``progress`` callback that keeps its figures beside the PDF's ``path``, in
    the storage the worker and the web servers share (the cache may not be shared)."""

    def record(written: int, measures: int) -> None:
        _write(_progress_path(path), f"{written} {measures}".encode())

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


def _render_to(path: str, render: Callable) -> tuple[str, str, bytes]:
    """``render(progress=…)`` kept at ``path``, its progress recorded on the way."""
    start = time.monotonic()
    try:
        rendered = render(progress=_recording_progress(path))
    finally:
        default_storage.delete(_progress_path(path))
    _write(path, rendered[2])
    logger.info("rendered %s in %.1f s", path, time.monotonic() - start)
    return rendered


def _acquire(name: str):
    """This process's hold on the render of ``name`` (the time it took it), or None while
    another process renders it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            RenderLock.objects.create(name=name, acquired_at=now)
        return now
    except IntegrityError:
        # Compare and set: of two processes finding the same dead holder, one takes it over.
        stale = now - timedelta(seconds=limits.RENDER_LOCK_SECONDS)
        taken = RenderLock.objects.filter(name=name, acquired_at__lt=stale).update(acquired_at=now)
        return now if taken else None


def _render_once(
    path: str, filename: str, render: Callable, *, wait: float
) -> tuple[str, str, bytes] | None:
    """The PDF kept at ``path``: read, or rendered by this process while it holds the render's
    lock. While another process renders it, wait up to ``wait`` seconds for its copy; None if
    it is not there by then."""
    deadline = time.monotonic() + wait
    while True:
        if kept := _kept(path, filename):
            return kept
        held_since = _acquire(path)
        if held_since is not None:
            try:
                # Rendered and released by another process between the look and the lock.
                return _kept(path, filename) or _render_to(path, render)
            finally:
                RenderLock.objects.filter(name=path, acquired_at=held_since).delete()
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)


def rendering_elsewhere(path: str) -> bool:
    """Whether some process holds the render of the PDF kept at ``path``."""
    stale = timezone.now() - timedelta(seconds=limits.RENDER_LOCK_SECONDS)
    return RenderLock.objects.filter(name=path, acquired_at__gte=stale).exists()


def kept_draft_pdf(report: Report, document: dict) -> tuple[str, str, bytes] | None:
    filename = report_pdf_filename(document, draft=True)
    return _kept(draft_pdf_path(report, document), filename)


def keep_draft_pdf(report: Report, document: dict) -> None:
    """Render a large draft's PDF and keep it in place of the report's earlier draft PDFs."""
    path = draft_pdf_path(report, document)
    if default_storage.exists(path):
        return
    directory = path.rsplit("/", 1)[0]
    for name in artefacts.listdir(directory)[1]:
        if f"{directory}/{name}" != path and not name.endswith(PROGRESS_SUFFIX):
            default_storage.delete(f"{directory}/{name}")

    def render(progress):
        return render_report_pdf(document, draft=True, progress=progress)

    _render_once(path, report_pdf_filename(document, draft=True), render, wait=0)


def _texts(document: dict):
    yield document["introduction"]
    for measure in document["measures"]:
        yield measure["title"]
        yield from measure["divisions"]
        yield from measure["methods"]
        yield from measure["results"]
        yield from (outcome["text"] for outcome in measure["outcomes"])


def renders_in_background(document: dict) -> bool:
    """Whether the report is too large for its PDF to be rendered within a web request: by its
    measures or by its text, whichever is reached first. A text longer than an item may be
    (kept from before the limits) is laid out more slowly than its length says: a cell of
    250,000 characters took a minute, as long as 150 measures."""
    lengths = [len(text) for text in _texts(document)]
    return (
        len(document["measures"]) > limits.INLINE_PDF_MEASURES
        or sum(lengths) > limits.INLINE_PDF_CHARS
        or max(lengths) > limits.ITEM_CHARS
    )


def published_pdf(
    publication: Publication, *, archival: bool = False, wait: float = limits.RENDER_WAIT_SECONDS
) -> tuple[str, str, bytes] | None:
    """The publication's public PDF, or its archival PDF/A-3a carrying the open-data JSON,
    rendered the first time and read from storage ever after; None if another process is
    rendering it and it is not ready within ``wait`` seconds."""
    path = published_pdf_path(publication, archival=archival)
    filename = report_pdf_filename(publication.document, archival=archival)

    def render(progress):
        if archival:
            data = open_data_document(publication)
            return render_archival_pdf(publication.document, data, progress=progress)
        return render_report_pdf(publication.document, progress=progress)

    pdf = _render_once(path, filename, render, wait=wait)
    # Withdrawn while it rendered: what was taken down is not kept (see forget_withdrawn).
    if pdf is not None and not Publication.objects.public().filter(pk=publication.pk).exists():
        _forget(publication)
    return pdf
