"""A report as one plain, JSON-serialisable document.

The same document is what a publication freezes, what the public page and the PDF render, and what
the open data exports. ``SCHEMA_VERSION`` changes whenever its shape does.
"""

from decimal import Decimal

from measures.citations import score_citation
from measures.items import LISTS, document_levels
from measures.models import IndicatorScore, Measure, Report

# Keys may be added within a version (version 1 gained "approval", outcomes' "citation" and
# "sign_off", measures' "evidence" and "levels").
SCHEMA_VERSION = 1


def report_scores(report: Report) -> dict[int, dict]:
    """Indicator number → its score this fiscal year and the year before, as the document
    holds them."""
    scores: dict[int, dict] = {}
    for score in IndicatorScore.objects.for_years(
        report.agency, report.fiscal_year, report.fiscal_year - 1
    ):
        entry = scores.setdefault(
            score.indicator.number,
            {
                "indicator": score.indicator.number,
                "name_th": score.indicator.name_th,
                "group": score.indicator.group,
                "score": None,
                "previous": None,
            },
        )
        key = "score" if score.fiscal_year == report.fiscal_year else "previous"
        entry[key] = str(score.score)
    return scores


def score_citations(scores: dict[int, dict]) -> dict[int, str | None]:
    """Indicator number → the sentence an outcome citing its score adds."""
    return {
        number: score_citation(
            number, entry["name_th"], _decimal(entry["score"]), _decimal(entry["previous"])
        )
        for number, entry in scores.items()
    }


def report_document(report: Report) -> dict:
    agency = report.agency
    scores = report_scores(report)
    citations = score_citations(scores)
    return {
        "schema_version": SCHEMA_VERSION,
        "agency": {
            "name": agency.name,
            "short_name": agency.short_name,
            "kind": agency.kind,
            "district": agency.district,
            "province": agency.province,
            "slug": agency.slug,
        },
        "fiscal_year": report.fiscal_year,
        "introduction": report.introduction or report.default_introduction(),
        "measures": _numbered_evidence(
            [measure_document(measure, citations) for measure in report.measures.with_lists()]
        ),
        "scores": [scores[number] for number in sorted(scores)],
        "approval": report.approval(),
        "sign_off": agency.sign_off_roles(),
    }


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def measure_document(measure: Measure, citations: dict[int, str | None]) -> dict:
    """One measure's row; ``citations`` maps indicator numbers to their computed sentences."""
    period = None
    if measure.has_period:
        period = {
            "start_month": measure.start_month,
            "start_year": measure.start_year,
            "end_month": measure.end_month,
            "end_year": measure.end_year,
        }
    document = {
        "number": measure.number,
        "title": measure.title,
        "period": period,
        "divisions": [division.name for division in measure.divisions.all()],
        "budget": None if measure.budget is None else str(measure.budget),
        "indicators": [indicator.number for indicator in measure.indicators.all()],
        "methods": [item.text for item in measure.methods.all()],
        "results": [item.text for item in measure.results.all()],
        "outcomes": [_outcome(item, citations) for item in measure.outcomes.all()],
        "evidence": [_evidence(evidence) for evidence in measure.evidence.all()],
    }
    levels = document_levels(
        {column: [item.level for item in getattr(measure, column).all()] for column in LISTS}
    )
    if levels:
        document["levels"] = levels
    return document


def _evidence(evidence) -> dict:
    """A link or file given for one of the measure's results. A file is named by its content,
    so that the publication keeps sending the version it was published with."""
    entry = {
        "id": evidence.pk,
        "result": evidence.result_number,
        "title": evidence.title,
        "kind": evidence.kind,
        "url": evidence.url,
    }
    if version := evidence.current_file():
        entry["file"] = {
            "name": version.name,
            "content_type": version.content_type,
            "sha256": version.sha256,
            "storage_name": version.file.name,
        }
    return entry


def _numbered_evidence(measures: list[dict]) -> list[dict]:
    """Numbers the evidence through the report, in reading order, as the PDF lists it."""
    number = 0
    for measure in measures:
        measure["evidence"].sort(key=lambda entry: (entry["result"], entry["id"]))
        for entry in measure["evidence"]:
            number += 1
            entry["number"] = number
    return measures


def _outcome(item, citations: dict[int, str | None]) -> dict:
    number = item.indicator.number if item.indicator else None
    outcome = {"text": item.text, "indicator": number}
    citation = citations.get(number) if item.cite_score else None
    if citation:
        outcome["citation"] = citation
    return outcome
