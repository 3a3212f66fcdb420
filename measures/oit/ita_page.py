"""An agency's ITA page of one assessment year: each OIT item with the portal's own document
that satisfies it and the evidence the agency gave."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from measures import thai
from measures.models import Agency, Report
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


def published_report_years(agency: Agency) -> set[int]:
    reports = Report.objects.published().filter(agency=agency)
    return set(reports.values_list("fiscal_year", flat=True))


def portal_document(item: OitItem, agency: Agency, report_years: set[int]) -> PortalDocument | None:
    """The portal's document that satisfies ``item``: the report of its fiscal year once it is
    published. The plan and the analysis are not published by the portal yet, so their items
    show “not yet published”; when they are, this is the one place that links them."""
    year = item.document_year
    if item.satisfied_by == SatisfiedBy.REPORT:
        title = _("Report on the implementation of measures, fiscal year %(year)s") % {
            "year": thai.thai_digits(year)
        }
        url = reverse("reports:report", args=[agency.slug, year]) if year in report_years else None
        return PortalDocument(title, url)
    if item.satisfied_by in (SatisfiedBy.PLAN, SatisfiedBy.ANALYSIS):
        return PortalDocument(item.get_satisfied_by_display(), None)
    return None


def ita_rows(agency: Agency, year: int) -> list[ItemRow]:
    """Every item of the year's list in order, in three queries."""
    items = OitItem.objects.filter(oit_list__year=year).select_related("oit_list")
    evidence = Evidence.objects.for_items(agency, year).prefetch_related("files")
    by_item: dict[int, list[Evidence]] = {}
    for entry in evidence:
        by_item.setdefault(entry.oit_item_id, []).append(entry)
    report_years = published_report_years(agency)
    return [
        ItemRow(item, portal_document(item, agency, report_years), by_item.get(item.pk, []))
        for item in items
    ]


def public_ita_years(agency: Agency) -> list[int]:
    """The assessment years whose ITA page the public sees: those for which the agency has
    published, on the portal, the report of that year or of a year the list's items name
    (2569's list names 2568's report); a withdrawn report counts for nothing."""
    published = published_report_years(agency)
    named: dict[int, set[int]] = {}
    for year, offset in OitItem.objects.values_list("oit_list__year", "fiscal_year_offset"):
        named.setdefault(year, {year}).add(year + offset)
    return sorted((year for year, years in named.items() if years & published), reverse=True)


def ita_page_is_public(agency: Agency, year: int) -> bool:
    return year in public_ita_years(agency)


def missing_items(agency: Agency, year: int) -> list[OitItem]:
    """The items of the year with neither a published document of the portal nor evidence."""
    return [row.item for row in ita_rows(agency, year) if not row.has_evidence]
