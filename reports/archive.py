"""A ZIP of published report PDFs, for administrators who file a whole year at once."""

import zipfile
from collections.abc import Callable, Iterable
from typing import BinaryIO

from itaportal import limits
from measures.models import Publication, Report
from reports.rendering import published_pdf


def latest_publications(reports: Iterable[Report]) -> list[Publication]:
    """The version the public sees of each published report, in agency order."""
    latest = {}
    for publication in (
        Publication.objects.public()
        .reports()
        .filter(report__in=reports)
        .select_related("report__agency")
        .order_by("report__agency__province", "report__agency__name", "-version")
    ):
        latest.setdefault(publication.report_id, publication)
    return list(latest.values())


def write_pdfs_zip(
    publications: list[Publication],
    file: BinaryIO,
    *,
    progress: Callable[[int, int, Publication], None] | None = None,
) -> int:
    """Write each publication's PDF into ``file`` as "<agency slug>/<Thai file name>"; PDFs
    kept from earlier downloads are reused, the others rendered and kept."""
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, publication in enumerate(publications, start=1):
            # Another process rendering the same PDF finishes it well within the lock's time.
            filename, _mimetype, content = published_pdf(
                publication, wait=limits.RENDER_LOCK_SECONDS
            )
            archive.writestr(f"{publication.report.agency.slug}/{filename}", content)
            if progress:
                progress(done, len(publications), publication)
    return len(publications)
