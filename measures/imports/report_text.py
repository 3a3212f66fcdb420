"""Reader for the text format of an exported report (see measures/demo/report-2568.txt).

The format is what a PDF-to-text export of the usual Word report gives: a cover, a bold heading,
the introductory sentence, then for every measure the six-column header row followed by one row
of six tab-separated cells. Cells hold paragraphs (``<p>…</p>``) or inline numbering
("๑. … ๒. …", sometimes with no space after the dot), and stray spaces where the PDF wrapped.

Nothing here touches the database: the reader returns plain data or raises ReportTextError naming
the line and the problem, so that a caller can refuse the whole file before changing anything.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from itaportal import limits
from measures import thai

HEADERS = (
    "มาตรการ โครงการ หรือกิจกรรม",
    "วิธีดำเนินการ",
    "ระยะเวลาดำเนินการ",
    "ผู้รับผิดชอบ",
    "ผลการดำเนินการ",
    "ผลลัพธ์หรือความสำเร็จของการดำเนินการ",
)

_TAG = re.compile(r"</?p>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# An item number: digits and a dot at the start of the cell or after a space, not followed by a
# digit (which would make it a decimal such as ๐.๕๒).
_ITEM_NUMBER = re.compile(r"(?:^|(?<=\s))([๐-๙0-9]{1,3})\.(?![๐-๙0-9])\s*")
_PERIOD = re.compile(
    r"^(?P<start_month>[^\s\d๐-๙-]+)\s*(?P<start_year>[๐-๙0-9]{4})?\s*[-–]\s*"
    r"(?P<end_month>[^\s\d๐-๙-]+)\s*(?P<end_year>[๐-๙0-9]{4})$"
)
_CITATION = re.compile(r"ตัวชี้วัดที่\s*([๐-๙0-9]{1,2})")


class ReportTextError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(
            _("line %(line)s: %(message)s") % {"line": thai.thai_digits(line), "message": message}
        )


@dataclass
class ParsedMeasure:
    line: int
    number: int
    title: str
    start_month: int
    start_year: int
    end_month: int
    end_year: int
    divisions: list[str]
    methods: list[str]
    results: list[str]
    outcomes: list[str]
    # Indicator number cited by each outcome (None where the outcome cites none).
    outcome_indicators: list[int | None] = field(default_factory=list)


@dataclass
class ParsedReport:
    cover_lines: list[str]
    heading_lines: list[str]
    introduction: str
    measures: list[ParsedMeasure]


def normalise(text: str) -> str:
    """One line of clean text: tags gone, whitespace collapsed, ำ written as one character.

    Text copied out of PDFs often spells sara am as nikhahit + sara aa (ํ + า).
    """
    text = thai.plain_text(_TAG.sub(" ", text)).replace("\u0e4d\u0e32", "\u0e33")
    return _SPACES.sub(" ", text).strip()


def split_items(cell: str) -> list[str]:
    """The numbered items of a cell, in order, without their numbers.

    Numbers must run ๑, ๒, ๓ …: a digit-and-dot that is not the next number ("พ.ศ. ๒๕๖๘.") is
    text. A cell that does not start with ๑. is a single unnumbered item.
    """
    text = normalise(cell)
    if not text:
        return []
    starts = []
    expected = 1
    for match in _ITEM_NUMBER.finditer(text):
        if thai.parse_number(match.group(1)) == expected:
            starts.append(match)
            expected += 1
    if not starts or starts[0].start() != 0:
        return [text]
    ends = [m.start() for m in starts[1:]] + [len(text)]
    return [text[m.end() : end].strip() for m, end in zip(starts, ends, strict=True)]


def is_header(cells: list[str]) -> bool:
    return len(cells) == len(HEADERS) and all(
        _squash(cell) == _squash(header) for cell, header in zip(cells, HEADERS, strict=True)
    )


def _squash(text: str) -> str:
    return _SPACES.sub("", normalise(text))


def parse_title(line: int, cell: str) -> tuple[int, str]:
    match = re.match(r"^([๐-๙0-9]{1,3})\.\s*(.+)$", normalise(cell))
    if not match:
        raise ReportTextError(
            line,
            _("The measure cell must start with its number, such as “๑. …”, not “%(text)s”.")
            % {"text": cell[:40]},
        )
    return thai.parse_number(match.group(1)), match.group(2)


def parse_period(line: int, cell: str) -> tuple[int, int, int, int]:
    text = normalise(cell)
    match = _PERIOD.match(text)
    if not match:
        raise ReportTextError(
            line,
            _("Cannot read the period “%(text)s” (for example “ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘”).")
            % {"text": text},
        )
    months = []
    for month in (match["start_month"], match["end_month"]):
        try:
            months.append(thai.parse_month(month))
        except ValueError:
            raise ReportTextError(
                line,
                _("Unknown month “%(month)s” in the period “%(text)s”.")
                % {"month": month, "text": text},
            ) from None
    start_month, end_month = months
    end_year = thai.parse_number(match["end_year"])
    start_year = thai.parse_number(match["start_year"]) if match["start_year"] else end_year
    if thai.month_index(end_month, end_year) < thai.month_index(start_month, start_year):
        raise ReportTextError(
            line, _("Period “%(text)s”: the end is before the start.") % {"text": text}
        )
    return start_month, start_year, end_month, end_year


def parse_divisions(line: int, cell: str, known: list[str]) -> list[str]:
    """Division names in a cell separated by spaces; names may themselves contain spaces,
    so the longest known name is taken first."""
    text = normalise(cell)
    by_length = sorted(known, key=len, reverse=True)
    found: list[str] = []
    position = 0  # read in place: slicing off each name would cost the square of a long cell
    while position < len(text):
        name = next(
            (
                n
                for n in by_length
                if text.startswith(n, position)
                and text[position + len(n) : position + len(n) + 1] in ("", " ")
            ),
            None,
        )
        if name is None:
            unknown = text[position:].split(" ", 1)[0][:100]
            raise ReportTextError(
                line, _("The agency has no division “%(name)s”.") % {"name": unknown}
            )
        if name not in found:
            found.append(name)
        position += len(name) + 1
    if not found:
        raise ReportTextError(line, _("No responsible division is given."))
    return found


def cited_indicator(text: str) -> int | None:
    match = _CITATION.search(text)
    if match:
        number = thai.parse_number(match.group(1))
        if 1 <= number <= 10:
            return number
    return None


def _parse_row(line: int, cells: list[str], divisions: list[str]) -> ParsedMeasure:
    number, title = parse_title(line, cells[0])
    _check_length(line, HEADERS[0], title, limits.TITLE_CHARS)
    methods, results, outcomes = (split_items(cells[i]) for i in (1, 4, 5))
    for column, items in ((1, methods), (4, results), (5, outcomes)):
        if not items:
            raise ReportTextError(
                line, _("The column “%(column)s” is empty.") % {"column": HEADERS[column]}
            )
        if len(items) > limits.ITEMS_PER_LIST:
            raise ReportTextError(
                line,
                _("The column “%(column)s” has %(count)s items; a list holds at most %(limit)s.")
                % {
                    "column": HEADERS[column],
                    "count": thai.thai_digits(len(items)),
                    "limit": thai.thai_digits(limits.ITEMS_PER_LIST),
                },
            )
        for item in items:
            _check_length(line, HEADERS[column], item, limits.ITEM_CHARS)
    return ParsedMeasure(
        line,
        number,
        title,
        *parse_period(line, cells[2]),
        divisions=parse_divisions(line, cells[3], divisions),
        methods=methods,
        results=results,
        outcomes=outcomes,
        outcome_indicators=[cited_indicator(text) for text in outcomes],
    )


def _check_length(line: int, column: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise ReportTextError(
            line,
            _("The column “%(column)s” holds a text of %(count)s characters; at most %(limit)s.")
            % {
                "column": column,
                "count": thai.thai_digits(f"{len(text):,}"),
                "limit": thai.thai_digits(f"{limit:,}"),
            },
        )


def parse_report_text(text: str, divisions: list[str]) -> ParsedReport:
    """Read a whole report; ``divisions`` are the names of the agency's divisions."""
    lines = text.splitlines()
    preamble: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    expecting_row_after: int | None = None
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        cells = raw.split("\t")
        if is_header(cells):
            if expecting_row_after is not None:
                raise ReportTextError(
                    number, _("A header row follows a header row with no measure between.")
                )
            expecting_row_after = number
            continue
        if expecting_row_after is None:
            if rows:
                raise ReportTextError(number, _("Text outside the table after a measure row."))
            if len(cells) > 1:
                raise ReportTextError(number, _("A table row before any header row."))
            preamble.append(raw.strip())
            continue
        rows.append((number, cells))
        expecting_row_after = None
    if expecting_row_after is not None:
        raise ReportTextError(
            expecting_row_after,
            _("The file ends after a header row with no measure row: is it truncated?"),
        )
    if not rows:
        raise ReportTextError(len(lines), _("The file has no table of measures."))
    return parse_rows(rows, preamble, divisions)


def parse_rows(
    rows: list[tuple[int, list[str]]], preamble: list[str], divisions: list[str]
) -> ParsedReport:
    """The report from its table's rows (line or row number, six cells) and the paragraphs
    before the table; shared by the text and the Word readers."""
    measures: list[ParsedMeasure] = []
    numbers: set[int] = set()
    for number, cells in rows:
        if len(measures) == limits.MEASURES_PER_REPORT:
            raise ReportTextError(
                number,
                _("A report holds at most %(limit)s measures.")
                % {"limit": thai.thai_digits(limits.MEASURES_PER_REPORT)},
            )
        if len(cells) != len(HEADERS):
            raise ReportTextError(
                number,
                _("A measure row needs %(expected)d tab-separated cells, this one has %(found)d.")
                % {"expected": len(HEADERS), "found": len(cells)},
            )
        measure = _parse_row(number, cells, divisions)
        if measure.number in numbers:
            raise ReportTextError(
                number, _("Measure number %(number)d appears twice.") % {"number": measure.number}
            )
        measures.append(measure)
        numbers.add(measure.number)
    return _with_preamble(preamble, measures)


def _with_preamble(preamble: list[str], measures: list[ParsedMeasure]) -> ParsedReport:
    """Split what stands before the table into cover, bold heading and introductory sentence."""
    cover: list[str] = []
    heading: list[str] = []
    rest: list[str] = []
    for line in preamble:
        if line.startswith("**") or (heading and not heading[-1].endswith("**")):
            heading.append(line)
        elif heading:
            rest.append(line)
        else:
            cover.append(line)
    if not heading:  # no bold heading: the last paragraph before the table introduces it
        cover, rest = cover[:-1], cover[-1:]
    introduction = normalise(" ".join(rest))
    _check_length(1, _("introductory sentence"), introduction, limits.INTRODUCTION_CHARS)
    return ParsedReport(
        cover_lines=[normalise(line) for line in cover],
        heading_lines=[normalise(line.strip("*")) for line in heading],
        introduction=introduction,
        measures=measures,
    )
