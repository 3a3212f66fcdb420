"""What a review finding is, the text a review reads, and the registry of checks.

A review reads the report *document* (measures.document.report_document: the same dict that a
publication freezes), so that drafts and published versions are reviewed alike. Every finding
points at one piece of text (measure, column, item) and at the span of it that is wrong, as
character offsets, so that a page can highlight it without reviewing again.
"""

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from itertools import islice

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from itaportal import limits
from measures import thai

ERROR, WARNING = "error", "warning"
SEVERITY_LABELS = {ERROR: _("error"), WARNING: _("warning")}

# Where in the report a piece of text stands; the labels are the report's own column headers.
COLUMN_LABELS = {
    "cover": _("cover"),
    "introduction": _("introductory sentence"),
    "title": _("measure, project or activity"),
    "methods": _("method"),
    "period": _("period"),
    "divisions": _("responsible divisions"),
    "results": _("result"),
    "outcomes": _("outcome"),
    "scores": _("indicator scores"),
}


EXCERPT_CONTEXT = 200


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, the text with the offending span, why, and a fix if known."""

    check: str
    severity: str
    message: str
    measure: int | None = None
    column: str = ""
    item: int | None = None
    text: str = ""
    start: int = 0
    end: int = 0
    suggestion: str = ""

    @property
    def key(self) -> str:
        """Stable across runs: an acknowledgement holds until the quoted text changes."""
        parts = (self.check, self.measure, self.column, self.item, self.text[self.start : self.end])
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def excerpt(self) -> tuple[str, str, str]:
        """The text split around the problem: (before, problem, after) for highlighting, with
        at most EXCERPT_CONTEXT characters either side, so that a page of findings on long
        texts stays short."""
        before, after = self.text[: self.start], self.text[self.end :]
        if len(before) > EXCERPT_CONTEXT:
            before = "…" + before[-EXCERPT_CONTEXT:]
        if len(after) > EXCERPT_CONTEXT:
            after = after[:EXCERPT_CONTEXT] + "…"
        return before, self.text[self.start : self.end], after

    @property
    def location_parts(self) -> tuple[str, str, str]:
        """("มาตรการที่ ๕", "วิธีดำเนินการ", "ข้อ ๑"): measure, column and item in words a
        coordinator reads, each "" where the finding has none. The review page and the
        review_report command both print these."""
        measure = column = item = ""
        if self.measure is not None:
            measure = _("measure %(number)s") % {"number": thai.thai_digits(self.measure)}
        if self.column:
            column = str(COLUMN_LABELS[self.column])
        if self.item is not None:
            item = _("item %(number)s") % {"number": thai.thai_digits(self.item)}
        return measure, column, item

    @property
    def location(self) -> str:
        """ "มาตรการที่ ๕ วิธีดำเนินการ ข้อ ๑" """
        return " ".join(part for part in self.location_parts if part)

    def as_dict(self) -> dict:
        return asdict(self) | {"key": self.key}


@dataclass(frozen=True)
class Cell:
    """One piece of the report's free text, addressed as a finding addresses it."""

    text: str
    column: str
    measure: int | None = None
    item: int | None = None

    def finding(self, check: str, severity: str, message: str, start: int, end: int, **extra):
        return Finding(
            check,
            severity,
            str(message),
            measure=self.measure,
            column=self.column,
            item=self.item,
            text=self.text,
            start=start,
            end=end,
            **extra,
        )


@dataclass
class ReviewInput:
    """A report document and what the agency has told us about its own vocabulary."""

    document: dict
    # Indicator number → its name in the ITA framework.
    indicator_names: dict[int, str]
    accepted_words: frozenset[str] = field(default_factory=frozenset)
    # When the checks stop reading (time.monotonic()), and how many cells each check left unread.
    deadline: float = field(default_factory=lambda: time.monotonic() + limits.REVIEW_SECONDS)
    unread: dict[str, int] = field(default_factory=dict)

    def cells_in_time(self, check: str) -> Iterator["Cell"]:
        """The cells, until the review's time is up; the check's unread cells are counted."""
        for index, cell in enumerate(self.cells):
            if time.monotonic() > self.deadline:
                self.unread[check] = len(self.cells) - index
                return
            yield cell

    @cached_property
    def cells(self) -> list[Cell]:
        """Every piece of free text the report prints, in reading order."""
        cells = [Cell(self.document["introduction"], "introduction")]
        for measure in self.document["measures"]:
            number = measure["number"]
            cells.append(Cell(measure["title"], "title", number))
            for column in ("methods", "results", "outcomes"):
                for order, item in enumerate(measure[column], start=1):
                    text = item["text"] if column == "outcomes" else item
                    cells.append(Cell(text, column, number, order))
        return cells

    @cached_property
    def names(self) -> list[str]:
        """Names the agency itself gave: always right, and the form that variants should take."""
        agency = self.document["agency"]
        names = [agency["name"], agency["short_name"], agency["district"], agency["province"]]
        for measure in self.document["measures"]:
            names.extend(measure["divisions"])
        names.extend(self.indicator_names.values())
        return list(dict.fromkeys(name for name in names if name))

    @cached_property
    def scores(self) -> dict[int, dict]:
        return {entry["indicator"]: entry for entry in self.document["scores"]}


Check = Callable[[ReviewInput], Iterable[Finding]]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register a check; a new check is one decorated function in any module of this package."""

    def register(function: Check) -> Check:
        CHECKS[name] = function
        return function

    return register


def run_checks(review: ReviewInput, names: Iterable[str] | None = None) -> Iterator[Finding]:
    """Every check's findings, at most REVIEW_FINDINGS_PER_CHECK each; then a warning for each
    check that listed no more or ran out of time, so that what was not checked is never taken
    for checked."""
    for name in names or CHECKS:
        findings = iter(CHECKS[name](review))
        yield from islice(findings, limits.REVIEW_FINDINGS_PER_CHECK)
        if next(findings, None) is not None:
            yield Finding(
                name,
                WARNING,
                _(
                    "This check lists its first %(count)s findings only; correct them and "
                    "review again to see the rest."
                )
                % {"count": thai.thai_digits(limits.REVIEW_FINDINGS_PER_CHECK)},
            )
        if unread := review.unread.get(name):
            yield Finding(
                name,
                WARNING,
                ngettext(
                    "Not checked: the review ran out of time before %(count)s piece of text. "
                    "Shorten the longest texts, or read them yourself.",
                    "Not checked: the review ran out of time before %(count)s pieces of text. "
                    "Shorten the longest texts, or read them yourself.",
                    unread,
                )
                % {"count": thai.thai_digits(unread)},
            )
