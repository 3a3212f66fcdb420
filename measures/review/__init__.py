"""Pre-publication review of a report: see measures.review.base for what a finding is.

Importing this package registers every check; ``review_document`` runs them all.
"""

from collections import defaultdict

from measures.review import language, structure, typography
from measures.review.base import (
    CHECKS,
    COLUMN_LABELS,
    ERROR,
    WARNING,
    Finding,
    ReviewInput,
    run_checks,
)

__all__ = [
    "CHECKS",
    "ERROR",
    "WARNING",
    "Finding",
    "ReviewInput",
    "measure_warnings",
    "review_document",
]

# The modules register their checks when imported; naming them keeps the imports explicit.
CHECK_MODULES = (structure, language, typography)


def review_document(
    document: dict,
    *,
    indicator_names: dict[int, str],
    accepted_words=(),
    checks=None,
) -> list[Finding]:
    """All findings on a report document, errors first, then in reading order."""
    review = ReviewInput(document, indicator_names, frozenset(accepted_words))
    return sorted(_without_repeats(list(run_checks(review, checks))), key=_sort_key)


# What the measure editor tells at save, without refusing it: a list left empty, a period
# outside the fiscal year. The review before publishing tells the same again.
SAVE_CHECKS = ("completeness", "periods")


def measure_warnings(measure: dict, *, fiscal_year: int) -> list[Finding]:
    """The save-time findings on one measure's document (measures.document.measure_document)."""
    document = {"fiscal_year": fiscal_year, "introduction": "", "measures": [measure]}
    return review_document(document, indicator_names={}, checks=SAVE_CHECKS)


# A finding of the first check is dropped where one of the second covers the same text: a word
# spelled unlike its other occurrences is also unknown to the dictionary, and the variant's
# suggestion (the report's own spelling) is the better one.
SUPERSEDED_BY = {"spelling": "variants"}


def _without_repeats(findings: list[Finding]) -> list[Finding]:
    spans = defaultdict(list)  # (check, measure, column, item) → spans found there
    for f in findings:
        spans[f.check, f.measure, f.column, f.item].append((f.start, f.end))

    def covered(f: Finding) -> bool:
        better = spans.get((SUPERSEDED_BY.get(f.check), f.measure, f.column, f.item), ())
        return any(start < f.end and f.start < end for start, end in better)

    return [f for f in findings if not covered(f)]


def _sort_key(finding: Finding):
    return (
        not finding.is_error,
        finding.measure or 0,
        list(COLUMN_LABELS).index(finding.column) if finding.column else -1,
        finding.item or 0,
        finding.start,
    )
