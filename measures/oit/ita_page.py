"""An agency's ITA page of one assessment year: each OIT item with the portal's own document
that satisfies it and the evidence the agency gave."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from measures import thai
from measures.models import Agency, Publication
from measures.oit.models import Evidence, OitItem

SatisfiedBy = OitItem.SatisfiedBy


@dataclass(frozen=True)
class PortalDocument:
    """A document this portal publishes for an item; ``url`` is None while it is not published."""

    title: str
    url: str | None


@dataclass
class ItemRow:
    item: OitItem
    document: PortalDocument | None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence) or bool(self.document and self.document.url)


def published_years(agency: Agency) -> dict[str, set[int]]:
    """The fiscal years of the agency's public (not withdrawn) publications, by kind."""
    years = {kind: set() for kind in Publication.Kind.values}
    rows = Publication.objects.public().filter(report__agency=agency)
    for kind, year in rows.values_list("kind", "report__fiscal_year"):
        years[kind].add(year)
    return years


def portal_document(
    item: OitItem, agency: Agency, published: dict[str, set[int]]
) -> PortalDocument | None:
    """The portal's document that satisfies ``item`` once it is published: the report of its
    fiscal year, or the measures plan, which opens with the analysis of last year's result."""
    year = item.document_year
    if item.satisfied_by == SatisfiedBy.REPORT:
        title = _("Report on the implementation of measures, fiscal year %(year)s") % {
            "year": thai.thai_digits(year)
        }
        url = reverse("reports:report", args=[agency.slug, year])
        return PortalDocument(title, url if year in published["report"] else None)
    if item.satisfied_by in (SatisfiedBy.PLAN, SatisfiedBy.ANALYSIS):
        url = reverse("reports:plan", args=[agency.slug, year])
        if item.satisfied_by == SatisfiedBy.ANALYSIS:
            url += "#analysis-heading"
        return PortalDocument(
            item.get_satisfied_by_display(), url if year in published["plan"] else None
        )
    return None


def ita_rows(agency: Agency, year: int) -> list[ItemRow]:
    """Every item of the year's list in order, in three queries."""
    items = OitItem.objects.filter(oit_list__year=year).select_related("oit_list")
    evidence = Evidence.objects.for_items(agency, year).prefetch_related("files")
    by_item: dict[int, list[Evidence]] = {}
    for entry in evidence:
        by_item.setdefault(entry.oit_item_id, []).append(entry)
    published = published_years(agency)
    return [
        ItemRow(item, portal_document(item, agency, published), by_item.get(item.pk, []))
        for item in items
    ]


def public_ita_years(agency: Agency) -> list[int]:
    """The assessment years whose ITA page the public sees: those for which the agency has
    published, on the portal, the report or the plan of that year or of a year the list's
    items name (2569's list names 2568's report); a withdrawn publication counts for nothing."""
    published = set().union(*published_years(agency).values())
    named: dict[int, set[int]] = {}
    for year, offset in OitItem.objects.values_list("oit_list__year", "fiscal_year_offset"):
        named.setdefault(year, {year}).add(year + offset)
    return sorted((year for year, years in named.items() if years & published), reverse=True)


def ita_page_is_public(agency: Agency, year: int) -> bool:
    return year in public_ita_years(agency)


def missing_items(agency: Agency, year: int) -> list[OitItem]:
    """The items of the year with neither a published document of the portal nor evidence."""
    return [row.item for row in ita_rows(agency, year) if not row.has_evidence]
