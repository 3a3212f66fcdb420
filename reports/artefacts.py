"""What is kept of a rendered report, named by its content; and the cleanup of what nothing
refers to any more.

Kept PDFs (in the default storage), page bodies (in the cache) and ETags are named by a digest
of what they are made from: the publication's frozen record (``Publication.digest``: document,
version and date) or a draft's document; the renderer (``renderer_version``); and the variant
(public, archival or draft PDF, the page in a language). Database ids and versions are never part
of a name: a restored or reset database hands them out again for other content, and a copy made
from that content must never be found under them. A new renderer names every copy anew.
"""

import contextlib
import hashlib
from datetime import timedelta
from functools import cache
from importlib.metadata import version

from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from itaportal import limits
from measures.document import report_document
from measures.models import Publication, RenderLock, Report, content_digest

PDF_DIR = "report-pdfs"
DRAFT_PDF_DIR = f"{PDF_DIR}/drafts"
# reports.pdf lays a PDF out in Thai whatever the visitor's language.
PDF_LANGUAGE = "th"
PROGRESS_SUFFIX = ".progress"

# What a page or PDF is made from besides its document: a change to any of them makes a new
# renderer. Packages count by their installed version, files by their bytes.
RENDERER_PACKAGES = ("Django", "weasyprint", "pydyf", "pikepdf", "fonttools", "tinyhtml5")
RENDERER_FILES = (
    "templates/**/*",
    "static/**/*",
    "locale/**/*.mo",
    "reports/pdf*.py",
    "reports/opendata.py",
    "reports/schema/*",
    "measures/thai.py",
    "measures/citations.py",
    "measures/templatetags/*.py",
)


@cache
def renderer_version() -> str:
    """A digest of the renderer: the packages, text shaping library, templates, stylesheets,
    fonts, compiled translations and modules that turn a document into a page or a PDF."""
    from weasyprint.text.ffi import pango

    digest = hashlib.blake2b(digest_size=6)
    for package in RENDERER_PACKAGES:
        digest.update(f"{package}={version(package)}\n".encode())
    digest.update(f"pango={pango.pango_version()}\n".encode())
    for pattern in RENDERER_FILES:
        for path in sorted(settings.BASE_DIR.glob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def pdf_path(digest: str, variant: str) -> str:
    """Where a publication's PDF is kept: ``variant`` is "public" or "archival"."""
    return f"{PDF_DIR}/{digest}/{pdf_tag(digest, variant)}.pdf"


def pdf_tag(digest: str, variant: str) -> str:
    """The name of a publication's PDF, its ETag too."""
    return f"{variant}-{PDF_LANGUAGE}-{digest}-{renderer_version()}"


def draft_pdf_path(report: Report, document: dict) -> str:
    """Where a large draft's PDF is kept: beside the report's other drafts, so that a newer one
    replaces them, and named by its content, so that an edit gives a new one."""
    digest = content_digest(document)
    folder = f"{document.get('kind', 'report')}-{report.pk}"  # the plan's drafts apart
    return f"{DRAFT_PDF_DIR}/{folder}/draft-{PDF_LANGUAGE}-{digest}-{renderer_version()}.pdf"


def fragment_key(digest: str, language: str) -> str:
    """The cache key of a publication's report body in ``language``."""
    return f"reports:fragment:{digest}:{language}:{renderer_version()}"


def page_etag(digest: str, language: str, user_id: int | None) -> str:
    # A signed-in member's page differs in its header: their own ETag.
    return f'"page-{language}-{digest}-{renderer_version()}-{user_id or 0}"'


def listdir(path: str) -> tuple[list[str], list[str]]:
    """The storage's folders and files under ``path``; none if there is no such folder (object
    storage has no folders, only names that share a prefix)."""
    try:
        return default_storage.listdir(path)
    except FileNotFoundError:
        return [], []


def forget(digest: str) -> None:
    """Every kept copy made from the publication named ``digest``: its PDFs of every variant and
    renderer, their progress files, and its page bodies."""
    directory = f"{PDF_DIR}/{digest}"
    _delete([f"{directory}/{name}" for name in listdir(directory)[1]] + [directory])
    django_cache.delete_many([fragment_key(digest, code) for code, _name in settings.LANGUAGES])


def artefacts_clean(*, dry_run: bool = False) -> list[str]:
    """Delete the kept PDFs that neither a report's public version nor its current draft refers
    to (a withdrawn, superseded or restored-away version, an edited draft, an earlier
    renderer), progress files of renders that died, and stale render locks. Returns the names
    deleted (with ``dry_run``, that would be)."""
    # Listed before the publications are read: a PDF is written only for a publication already
    # committed, so any file listed here belongs to one that the query below sees.
    folders, files = listdir(PDF_DIR)
    drafts = listdir(DRAFT_PDF_DIR)[0] if "drafts" in folders else []
    live = _latest_public_digests()
    locked = _locked_names()
    # Files directly in these folders were named by id and version, before content addressing.
    doomed = [f"{PDF_DIR}/{name}" for name in files]
    doomed += [f"{DRAFT_PDF_DIR}/{name}" for name in listdir(DRAFT_PDF_DIR)[1]]
    emptied = []
    for folder in set(folders) - {"drafts"}:
        current = set()
        if folder in live:
            current = {pdf_path(folder, variant) for variant in ("public", "archival")}
        doomed += _unwanted(f"{PDF_DIR}/{folder}", current, locked)
        emptied += [] if current else [f"{PDF_DIR}/{folder}"]
    for folder in drafts:
        pk = folder.removeprefix("report-")
        report = Report.objects.filter(pk=pk).first() if pk.isdigit() else None
        current = {draft_pdf_path(report, report_document(report))} if report else set()
        doomed += _unwanted(f"{DRAFT_PDF_DIR}/{folder}", current, locked)
    if not dry_run:
        _delete(doomed + emptied)
        stale = timezone.now() - timedelta(seconds=limits.RENDER_LOCK_SECONDS)
        RenderLock.objects.filter(acquired_at__lt=stale).delete()
    return doomed


def _latest_public_digests() -> set[str]:
    """The publications the public is shown: each report's and each plan's latest public
    version."""
    public = Publication.objects.public()
    latest = public.filter(report=OuterRef("report"), kind=OuterRef("kind"))
    latest = latest.order_by("-version").values("pk")[:1]
    return set(public.filter(pk=Subquery(latest)).values_list("digest", flat=True))


def _delete(names: list[str]) -> None:
    """Files, then the folders they were in (the file system keeps empty folders; a folder a
    render has just written into again is left)."""
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)


def _locked_names() -> set[str]:
    stale = timezone.now() - timedelta(seconds=limits.RENDER_LOCK_SECONDS)
    return set(RenderLock.objects.filter(acquired_at__gte=stale).values_list("name", flat=True))


def _unwanted(directory: str, current: set[str], locked: set[str]) -> list[str]:
    """The files in ``directory`` other than the ``current`` PDFs and the progress of a render
    under way."""
    unwanted = []
    for name in listdir(directory)[1]:
        path = f"{directory}/{name}"
        rendering = path.removesuffix(PROGRESS_SUFFIX) in locked
        if path not in current and not (path.endswith(PROGRESS_SUFFIX) and rendering):
            unwanted.append(path)
    return unwanted
