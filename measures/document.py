"""A report as one plain, JSON-serialisable document.

The same document is what a publication freezes, what the public page and the PDF render, and what
the open data exports. ``SCHEMA_VERSION`` changes whenever its shape does.
"""

from measures.models import IndicatorScore, Report

SCHEMA_VERSION = 1


def report_document(report: Report) -> dict:
    agency = report.agency
    scores: dict[int, dict] = {}
    for score in IndicatorScore.objects.for_years(
        agency, report.fiscal_year, report.fiscal_year - 1
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
        "measures": [_measure(measure) for measure in report.measures.with_lists()],
        "scores": [scores[number] for number in sorted(scores)],
    }


def _measure(measure) -> dict:
    period = None
    if measure.has_period:
        period = {
            "start_month": measure.start_month,
            "start_year": measure.start_year,
            "end_month": measure.end_month,
            "end_year": measure.end_year,
        }
    return {
        "number": measure.number,
        "title": measure.title,
        "period": period,
        "divisions": [division.name for division in measure.divisions.all()],
        "indicators": [indicator.number for indicator in measure.indicators.all()],
        "methods": [item.text for item in measure.methods.all()],
        "results": [item.text for item in measure.results.all()],
        "outcomes": [
            {"text": item.text, "indicator": item.indicator.number if item.indicator else None}
            for item in measure.outcomes.all()
        ],
    }
