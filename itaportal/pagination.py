from django.core.paginator import Page, Paginator


def paginate(request, items, per_page: int) -> Page:
    """The page of ``items`` asked for by ``?page=``; a page number out of range gives the last."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
