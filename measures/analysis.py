"""The analysis of last year's ITA result that the measures plan opens with, from stored scores.

The figures are always computed (never typed): the ten indicators with the scores of the
assessed year and the year before, the change, the indicators below the pass mark or falling,
and the overall result with its level from the year's rules. The coordinator's two texts
(weaknesses to fix urgently, issues to improve) follow; ``analysis_drafts`` offers a first
version of them from the flagged indicators.
"""

from decimal import Decimal

from measures.citations import score_text
from measures.models import Indicator, IndicatorScore, ItaResult, LevelRule, Report
from measures.thai import thai_digits

# The assessment's pass mark (ita_framework.md §2): an indicator below it is a weakness.
PASS_MARK = Decimal(85)


def analysis_year(report: Report) -> int:
    """The assessment a year's plan analyses: the one of the year before."""
    return report.fiscal_year - 1


def result_document(result: ItaResult | None) -> dict | None:
    if result is None:
        return None
    values = {"overall": result.overall, "iit": result.iit, "eit": result.eit, "oit": result.oit}
    return {key: None if value is None else str(value) for key, value in values.items()} | {
        "level": result.level
    }


def analysis_document(report: Report) -> dict:
    """The analysis of ``analysis_year(report)``'s result, as the plan's document carries it."""
    year = analysis_year(report)
    agency = report.agency
    scores = {
        (s.indicator_id, s.fiscal_year): s.score
        for s in IndicatorScore.objects.filter(agency=agency, fiscal_year__in=(year, year - 1))
    }
    rows = []
    for indicator in Indicator.objects.all():
        score, previous = scores.get((indicator.pk, year)), scores.get((indicator.pk, year - 1))
        change = None if score is None or previous is None else score - previous
        rows.append(
            {
                "indicator": indicator.number,
                "name_th": indicator.name_th,
                "group": indicator.group,
                "score": None if score is None else str(score),
                "previous": None if previous is None else str(previous),
                "change": None if change is None else str(change),
                "below_pass": score is not None and score < PASS_MARK,
                "falling": change is not None and change < 0,
            }
        )
    results = {
        r.fiscal_year: r for r in agency.ita_results.filter(fiscal_year__in=(year, year - 1))
    }
    result, previous = results.get(year), results.get(year - 1)
    return {
        "year": year,
        "pass_mark": str(PASS_MARK),
        "indicators": rows,
        "result": result_document(result),
        "previous_result": result_document(previous),
        "urgent": report.analysis_urgent,
        "improve": report.analysis_improve,
    }


def analysis_drafts(analysis: dict) -> tuple[str, str]:
    """First versions of the coordinator's two texts: the indicators below the pass mark are
    the weaknesses to fix urgently, the ones that fell (but pass) the issues to improve."""
    urgent, improve = [], []
    for row in analysis["indicators"]:
        subject = f"ตัวชี้วัดที่ {thai_digits(row['indicator'])} {row['name_th']}"
        if row["below_pass"]:
            urgent.append(
                f"{subject} ได้ {score_text(Decimal(row['score']))} คะแนน "
                f"ต่ำกว่าเกณฑ์ผ่าน ({thai_digits(analysis['pass_mark'])} คะแนน)"
            )
        elif row["falling"]:
            improve.append(
                f"{subject} ได้ {score_text(Decimal(row['score']))} คะแนน "
                f"ลดลงจากปีก่อน {score_text(-Decimal(row['change']))} คะแนน"
            )
    return _numbered(urgent), _numbered(improve)


def _numbered(lines: list[str]) -> str:
    return " ".join(f"{thai_digits(n)}. {line}" for n, line in enumerate(lines, start=1))


def level_of(year: int, overall, parts=()) -> str:
    """The level of a score in ``year``'s rules (for a result not stored yet, e.g. an import)."""
    return LevelRule.objects.level(year, overall, parts)
