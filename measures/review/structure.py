"""Checks on what the report states as facts: complete rows, periods, score citations."""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from measures import thai
from measures.review.base import ERROR, WARNING, Cell, Finding, ReviewInput, check


@check("completeness")
def completeness(review: ReviewInput):
    """Every measure needs methods, results, outcomes, a responsible division and a period."""
    if not review.document["measures"]:
        yield Finding("completeness", ERROR, _("The report has no measures."))
    missing = {
        "methods": _("The measure has no method (วิธีดำเนินการ)."),
        "results": _("The measure has no result (ผลการดำเนินการ)."),
        "outcomes": _("The measure has no outcome (ผลลัพธ์)."),
        "divisions": _("The measure has no responsible division."),
        "period": _("The measure has no period (ระยะเวลาดำเนินการ)."),
    }
    if review.document.get("kind") == "plan":
        # A plan is published before anything is done: results and outcomes come with the report.
        del missing["results"], missing["outcomes"]
    for measure in review.document["measures"]:
        if not measure["title"].strip():
            yield Finding(
                "completeness", ERROR, _("The measure has no title."), measure["number"], "title"
            )
        for column, message in missing.items():
            if not measure[column]:
                yield Finding("completeness", ERROR, message, measure["number"], column)
    for cell in review.cells:
        if cell.item is not None and not cell.text.strip():
            yield cell.finding("completeness", ERROR, _("The item is empty."), 0, 0)


@check("periods")
def periods(review: ReviewInput):
    """A period that starts before 1 October or ends after 30 September of the fiscal year."""
    year = review.document["fiscal_year"]
    (first_month, first_year), (last_month, last_year) = thai.fiscal_year_bounds(year)
    first, last = thai.month_index(first_month, first_year), thai.month_index(last_month, last_year)
    for measure in review.document["measures"]:
        period = measure["period"]
        if not period:
            continue
        start = thai.month_index(period["start_month"], period["start_year"])
        end = thai.month_index(period["end_month"], period["end_year"])
        if start < first or end > last:
            text = thai.format_period(*_period_tuple(period))
            yield Cell(text, "period", measure["number"]).finding(
                "periods",
                WARNING,
                _("The period is outside the fiscal year %(year)s (%(bounds)s).")
                % {
                    "year": thai.thai_digits(year),
                    "bounds": thai.format_period(first_month, first_year, last_month, last_year),
                },
                0,
                len(text),
                suggestion=thai.format_period(
                    *_clamp(period, (first_month, first_year), (last_month, last_year))
                ),
            )


def _period_tuple(period: dict) -> tuple[int, int, int, int]:
    # Keys by name: a document read back from PostgreSQL's jsonb has no key order.
    return period["start_month"], period["start_year"], period["end_month"], period["end_year"]


def _clamp(period: dict, first: tuple[int, int], last: tuple[int, int]) -> tuple[int, ...]:
    start = max((period["start_year"], period["start_month"]), first[::-1])
    end = min((period["end_year"], period["end_month"]), last[::-1])
    if end < start:  # wholly outside the year: the whole year is the likeliest intent
        start, end = first[::-1], last[::-1]
    return start[1], start[0], end[1], end[0]


_NUMBER = r"[๐-๙0-9]+(?:\.[๐-๙0-9]+)?"
_CITATION = re.compile(r"ตัวชี้วัดที่\s*([๐-๙0-9]{1,3})\s*")
# "ได้คะแนนเพิ่มขึ้นจากปีที่ผ่านมา ๐.๕๒ คะแนน" (a change) and "ได้ ๙๐ คะแนน" (a level).
# Between the direction and the figure: words, or a year ("จากปี ๒๕๖๗"), never another figure.
_CHANGE = re.compile(rf"(เพิ่มขึ้น|ลดลง)(?:[^๐-๙0-9]|[๐-๙0-9]{{4}}(?=\s)){{0,40}}?({_NUMBER})\s*คะแนน")
_LEVEL = re.compile(rf"ได้\s*(?:คะแนน)?\s*({_NUMBER})\s*คะแนน")
_SPACES = re.compile(r"\s+")


@check("citations")
def citations(review: ReviewInput):
    """ "ตัวชี้วัดที่ N <name>" must name indicator N, and the figures it gives must be the
    stored scores: the level this year, or the change from last year."""
    for cell in review.cells:
        matches = list(_CITATION.finditer(cell.text))
        if not matches:
            continue
        # A figure belongs to the citation it follows, up to the next citation.
        scope_ends = [m.start() for m in matches[1:]] + [len(cell.text)]
        for match, scope_end in zip(matches, scope_ends, strict=True):
            number = thai.parse_number(match.group(1))
            if number not in review.indicator_names:
                yield cell.finding(
                    "citations",
                    ERROR,
                    _("The ITA has indicators ๑ to ๑๐ only; there is no indicator %(number)s.")
                    % {"number": thai.thai_digits(number)},
                    match.start(1),
                    match.end(1),
                )
                continue
            yield from _wrong_name(review, cell, match, number)
            yield from _wrong_figures(review, cell, number, match.end(), scope_end)


def _wrong_name(review: ReviewInput, cell: Cell, match: re.Match, number: int):
    """A name right after the number that is another indicator's name (spacing ignored)."""
    rest = cell.text[match.end() : match.end() + 80]
    squashed = _SPACES.sub("", rest)
    if squashed.startswith(_SPACES.sub("", review.indicator_names[number])):
        return
    for other, name in review.indicator_names.items():
        if squashed.startswith(_SPACES.sub("", name)):
            end = match.end() + _span_of_squashed(rest, len(_SPACES.sub("", name)))
            yield cell.finding(
                "citations",
                ERROR,
                _("Indicator %(number)s is “%(right)s”; “%(name)s” is indicator %(other)s.")
                % {
                    "number": thai.thai_digits(number),
                    "right": review.indicator_names[number],
                    "name": name,
                    "other": thai.thai_digits(other),
                },
                match.start(),
                end,
                suggestion=f"ตัวชี้วัดที่ {thai.thai_digits(other)} {name}",
            )
            return


def _span_of_squashed(text: str, length: int) -> int:
    """How many characters of ``text`` hold its first ``length`` non-space characters."""
    seen = 0
    for index, char in enumerate(text):
        if not char.isspace():
            seen += 1
            if seen == length:
                return index + 1
    return len(text)


def _wrong_figures(review: ReviewInput, cell: Cell, number: int, start: int, end: int):
    stored = review.scores.get(number, {})
    scope = cell.text[start:end]
    for match in _CHANGE.finditer(scope):
        sign = 1 if match.group(1) == "เพิ่มขึ้น" else -1
        cited = sign * Decimal(thai.arabic_digits(match.group(2)))
        if stored.get("score") is None or stored.get("previous") is None:
            yield _unverifiable(cell, number, start + match.start(2), start + match.end(2), True)
            continue
        change = Decimal(stored["score"]) - Decimal(stored["previous"])
        if cited != change:
            direction = "เพิ่มขึ้น" if change >= 0 else "ลดลง"
            yield cell.finding(
                "citations",
                ERROR,
                _(
                    "The stored scores of indicator %(number)s changed by %(change)s points "
                    "(%(previous)s → %(score)s), not %(cited)s."
                )
                % {
                    "number": thai.thai_digits(number),
                    "change": thai.thai_digits(f"{change:+.2f}"),
                    "previous": thai.thai_digits(stored["previous"]),
                    "score": thai.thai_digits(stored["score"]),
                    "cited": thai.thai_digits(f"{cited:+.2f}"),
                },
                start + match.start(),
                start + match.end(),
                suggestion=f"{direction} {thai.thai_digits(f'{abs(change):.2f}')} คะแนน",
            )
    for match in _LEVEL.finditer(scope):
        cited = Decimal(thai.arabic_digits(match.group(1)))
        if stored.get("score") is None:
            yield _unverifiable(cell, number, start + match.start(1), start + match.end(1), False)
        elif cited != Decimal(stored["score"]):
            yield cell.finding(
                "citations",
                ERROR,
                _("The stored score of indicator %(number)s is %(score)s, not %(cited)s.")
                % {
                    "number": thai.thai_digits(number),
                    "score": thai.thai_digits(stored["score"]),
                    "cited": thai.thai_digits(match.group(1)),
                },
                start + match.start(1),
                start + match.end(1),
                suggestion=thai.thai_digits(stored["score"]),
            )


def _unverifiable(cell: Cell, number: int, start: int, end: int, change: bool) -> Finding:
    """A cited figure with no stored scores to check it against: the outcome cites an indicator
    whose scores the coordinator has not entered. It blocks until they are, or until someone
    acknowledges it."""
    if change:
        message = _(
            "Cannot verify this change: enter the scores of indicator %(number)s for this year "
            "and last year."
        )
    else:
        message = _("Cannot verify this score: enter this year's score of indicator %(number)s.")
    return cell.finding(
        "citations", WARNING, message % {"number": thai.thai_digits(number)}, start, end
    )
