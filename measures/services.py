"""Writes that touch several models, each in one transaction."""

from django.db import transaction
from django.utils import timezone

from measures.document import report_document
from measures.models import (
    Agency,
    Indicator,
    Measure,
    Method,
    Outcome,
    Publication,
    Report,
    Result,
)
from measures.report_text import ParsedReport


@transaction.atomic
def report_import_parsed(*, report: Report, parsed: ParsedReport) -> list[Measure]:
    """Replace the report's measures with those read from a file, and take its introduction.

    Importing the same file twice gives the same report, never duplicated measures.
    """
    divisions = {d.name: d for d in report.agency.divisions.all()}
    indicators = {i.number: i for i in Indicator.objects.all()}
    report.measures.all().delete()
    if parsed.introduction:
        report.introduction = parsed.introduction
        report.save(update_fields=["introduction"])
    measures = []
    for row in parsed.measures:
        measure = Measure.objects.create(
            report=report,
            number=row.number,
            title=row.title,
            start_month=row.start_month,
            start_year=row.start_year,
            end_month=row.end_month,
            end_year=row.end_year,
        )
        measure.divisions.set([divisions[name] for name in row.divisions])
        cited = {n for n in row.outcome_indicators if n is not None}
        measure.indicators.set([indicators[n] for n in sorted(cited)])
        Method.objects.bulk_create(
            Method(measure=measure, order=i, text=t) for i, t in enumerate(row.methods, 1)
        )
        Result.objects.bulk_create(
            Result(measure=measure, order=i, text=t) for i, t in enumerate(row.results, 1)
        )
        Outcome.objects.bulk_create(
            Outcome(measure=measure, order=i, text=t, indicator=indicators.get(n))
            for i, (t, n) in enumerate(zip(row.outcomes, row.outcome_indicators, strict=True), 1)
        )
        measures.append(measure)
    return measures


@transaction.atomic
def report_publish(*, report: Report, by=None) -> Publication:
    """Freeze the report as it is now into a new published version that the public sees."""
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    last = report.publications.order_by("-version").values_list("version", flat=True).first()
    publication = Publication.objects.create(
        report=report,
        version=(last or 0) + 1,
        published_at=timezone.now(),
        published_by=by,
        document=report_document(report),
    )
    report.status = Report.Status.PUBLISHED
    report.save(update_fields=["status"])
    return publication


def agency_division_names(agency: Agency) -> list[str]:
    return list(agency.divisions.values_list("name", flat=True))
