"""Pre-publication review of a report: see measures.review.base for what a finding is.

Importing this package registers every check; ``review_document`` runs them all.
"""

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

__all__ = ["CHECKS", "ERROR", "WARNING", "Finding", "ReviewInput", "review_document"]

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
    return sorted(run_checks(review, checks), key=_sort_key)


def _sort_key(finding: Finding):
    return (
        not finding.is_error,
        finding.measure or 0,
        list(COLUMN_LABELS).index(finding.column) if finding.column else -1,
        finding.item or 0,
        finding.start,
    )
