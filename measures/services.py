"""Writes that touch several models, each in one transaction."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures import thai
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
    ReviewAcknowledgement,
)
from measures.report_text import ParsedReport
from measures.review import Finding, review_document


class PublishRefused(Exception):
    """The review found errors, or warnings nobody acknowledged: the report stays unpublished."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = sum(f.is_error for f in findings)
        if errors:
            message = ngettext(
                "Not published: the review found %(count)s error. Correct it first.",
                "Not published: the review found %(count)s errors. Correct them first.",
                errors,
            ) % {"count": thai.thai_digits(errors)}
        else:
            count = len(findings)
            message = ngettext(
                "Not published: %(count)s review warning is not acknowledged.",
                "Not published: %(count)s review warnings are not acknowledged.",
                count,
            ) % {"count": thai.thai_digits(count)}
        super().__init__(message)


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


def report_review(report: Report, *, document: dict | None = None) -> list[Finding]:
    """Everything the review finds in the report as it is now (or in ``document``, a version of
    it such as a publication's), errors first."""
    return review_document(
        document if document is not None else report_document(report),
        indicator_names=dict(Indicator.objects.values_list("number", "name_th")),
        accepted_words=report.agency.accepted_words.values_list("word", flat=True),
    )


@dataclass(frozen=True)
class ReviewedFinding:
    """A finding as the review page lists it: with who acknowledged it and when, if anyone did."""

    finding: Finding
    acknowledgement: ReviewAcknowledgement | None

    @property
    def blocks_publishing(self) -> bool:
        return self.finding.is_error or self.acknowledgement is None


def report_review_status(
    report: Report, *, findings: list[Finding] | None = None
) -> list[ReviewedFinding]:
    """The review of the report as it is now, each finding with its acknowledgement."""
    if findings is None:
        findings = report_review(report)
    acknowledgements = {
        a.finding_key: a for a in report.acknowledgements.select_related("acknowledged_by")
    }
    return [
        ReviewedFinding(f, None if f.is_error else acknowledgements.get(f.key)) for f in findings
    ]


def report_review_blocking(
    report: Report, *, findings: list[Finding] | None = None
) -> list[Finding]:
    """What stands between the report and publishing: every error, and the warnings nobody has
    acknowledged."""
    return [
        reviewed.finding
        for reviewed in report_review_status(report, findings=findings)
        if reviewed.blocks_publishing
    ]


@transaction.atomic
def review_acknowledge(*, report: Report, finding_key: str, by) -> ReviewAcknowledgement:
    """Record that ``by`` read a warning and accepts it. Errors cannot be acknowledged, only
    corrected; a key the current review does not produce is refused (the text has changed)."""
    finding = next((f for f in report_review(report) if f.key == finding_key), None)
    if finding is None:
        raise ValueError(_("This finding is no longer in the review: the text has changed."))
    if finding.is_error:
        raise ValueError(_("An error cannot be acknowledged; correct the report instead."))
    return _acknowledge(report, [finding], by)[0]


def _acknowledge(report: Report, findings: list[Finding], by) -> list[ReviewAcknowledgement]:
    now = timezone.now()
    return [
        ReviewAcknowledgement.objects.get_or_create(
            report=report,
            finding_key=finding.key,
            defaults={
                "check_name": finding.check,
                "message": f"{finding.location}: {finding.message}",
                "acknowledged_by": by,
                "acknowledged_at": now,
            },
        )[0]
        for finding in findings
    ]


@transaction.atomic
def report_publish(*, report: Report, by=None, acknowledge_warnings: bool = False) -> Publication:
    """Freeze the report as it is now into a new published version that the public sees.

    The review runs first: any error refuses publishing (PublishRefused), and so does any warning
    not acknowledged, unless ``acknowledge_warnings`` says that ``by`` acknowledges them all now.
    """
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    document = report_document(report)
    findings = report_review(report, document=document)
    errors = [f for f in findings if f.is_error]
    if errors:
        raise PublishRefused(errors)
    unacknowledged = report_review_blocking(report, findings=findings)
    if unacknowledged and not acknowledge_warnings:
        raise PublishRefused(unacknowledged)
    _acknowledge(report, unacknowledged, by)
    last = report.publications.order_by("-version").values_list("version", flat=True).first()
    publication = Publication.objects.create(
        report=report,
        version=(last or 0) + 1,
        published_at=timezone.now(),
        published_by=by,
        document=document,
    )
    report.status = Report.Status.PUBLISHED
    report.save(update_fields=["status"])
    return publication


def agency_division_names(agency: Agency) -> list[str]:
    return list(agency.divisions.values_list("name", flat=True))
