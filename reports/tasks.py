"""Background work: a published PDF too large to render within a web request."""

from django_tasks import task

from measures.document import report_document
from measures.models import Publication, Report
from measures.plan import plan_document
from reports.rendering import keep_draft_pdf, published_pdf, published_pdf_path


@task()
def render_publication_pdf(publication_id: int, archival: bool = False) -> str:
    """Render and keep a publication's public or archival PDF (nothing to do if it is kept
    already)."""
    publication = Publication.objects.get(pk=publication_id)
    # Another process rendering it already (queued twice by app servers with their own caches)
    # keeps it: nothing to wait for here.
    published_pdf(publication, archival=archival, wait=0)
    return published_pdf_path(publication, archival=archival)


@task()
def render_draft_pdf(report_id: int, kind: str = Publication.Kind.REPORT) -> None:
    """Render and keep the PDF of a report's (or plan's) draft as it is when the task runs."""
    report = Report.objects.select_related("agency").get(pk=report_id)
    document = plan_document(report) if kind == Publication.Kind.PLAN else report_document(report)
    keep_draft_pdf(report, document)
