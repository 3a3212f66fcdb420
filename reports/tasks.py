"""Background work: a published PDF too large to render within a web request."""

from django_tasks import task

from measures.models import Publication
from reports.rendering import published_pdf, published_pdf_path


@task()
def render_publication_pdf(publication_id: int) -> str:
    """Render and keep a publication's PDF (nothing to do if it is kept already)."""
    publication = Publication.objects.get(pk=publication_id)
    published_pdf(publication)
    return published_pdf_path(publication)
