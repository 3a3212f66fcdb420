"""Reader of a report's content from its table's rows (tables.py reads every source into them).

The usual report: a cover, a bold heading, the introductory sentence, then the six-column table
(see measures/demo/report-2568.txt, a PDF-to-text export). Cells hold paragraphs (``<p>…</p>``),
lines, inline numbering ("๑. … ๒. …", sometimes with no space after the dot), sub-items, bullets,
and stray spaces where the PDF wrapped; periods are written in many ways (measures/periods.py),
divisions by name, section or "ทุกกอง". What the reader changes or reads so is noted per row.

Nothing here touches the database: the reader returns plain data or raises ReportTextError naming
the line and the problem, so that a caller can refuse the whole file before changing anything.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from itaportal import limits
from measures import periods, thai
from measures.imports.tables import ReportTextError, Row, Table, text_table
from measures.items import ITEM, SUB_ITEM, ListItem

HEADERS = (
    "มาตรการ โครงการ หรือกิจกรรม",
    "วิธีดำเนินการ",
    "ระยะเวลาดำเนินการ",
    "ผู้รับผิดชอบ",
    "ผลการดำเนินการ",
    "ผลลัพธ์หรือความสำเร็จของการดำเนินการ",
)
COLUMNS = dict(
    zip(("title", "methods", "period", "divisions", "results", "outcomes"), HEADERS, strict=True)
)

_TAG = re.compile(r"</?p>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_REPEATED_SPACES = re.compile(r"\S[ \t]{2,}\S")
_OLD_AM = "\u0e4d\u0e32"  # ํ + า, as text copied out of PDFs often spells ำ
# An item number: digits and a dot at the start of the cell or after a space, not followed by a
# digit (which would make it a decimal such as ๐.๕๒).
_ITEM_NUMBER = re.compile(r"(?:^|(?<=\s))([๐-๙0-9]{1,3})\.(?![๐-๙0-9])\s*")
# A sub-item (๑.๑, 1.2.) or a bullet, at the start of a line.
_SUB_ITEM = re.compile(r"(?m)^([๐-๙0-9]{1,3})\.([๐-๙0-9]{1,2})\.?(?![๐-๙0-9])[ \t]*")
_BULLET = re.compile(r"(?m)^[-•▪●○◦*–][ \t]*")
_TITLE = re.compile(r"^([๐-๙0-9]{1,3})\.\s*(.+)$", re.DOTALL)
_CITATION = re.compile(r"ตัวชี้วัดที่\s*([๐-๙0-9]{1,2})")
_FISCAL_YEAR = re.compile(r"ปีงบประมาณ\s*(?:พ\.\s*ศ\.)?\s*([๐-๙0-9]{4})")
# "ทุกกอง", "ทุกสำนัก/กอง", "ทุกส่วนราชการ": every division of the agency.
_ALL_DIVISIONS = re.compile(
    r"ทุก\s*(?:กอง|สำนัก|ส่วนราชการ|หน่วยงาน)(?:\s*/\s*(?:ทุก)?\s*(?:กอง|สำนัก))*"
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
    # What the reader changed or read differently from how it is written, for the preview.
    notes: list[str] = field(default_factory=list)
    # Each list's items' levels (measures/items.py), by list; a list not here has no sub-items.
    levels: dict[str, list[int]] = field(default_factory=dict)

    def list_levels(self, column: str) -> list[int]:
        return self.levels.get(column) or [ITEM] * len(getattr(self, column))


@dataclass
class ParsedReport:
    cover_lines: list[str]
    heading_lines: list[str]
    introduction: str
    measures: list[ParsedMeasure]
    notes: list[str] = field(default_factory=list)


def normalise(text: str, found: set[str] | None = None) -> str:
    """One line of clean text: tags gone, whitespace collapsed, ำ written as one character.

    What it changed that a reader would see ("am", "spaces") is added to ``found``.
    """
    text = thai.plain_text(_TAG.sub(" ", text))
    if found is not None:
        if _OLD_AM in text:
            found.add("am")
        if _REPEATED_SPACES.search(text):
            found.add("spaces")
    return _SPACES.sub(" ", text.replace(_OLD_AM, "\u0e33")).strip()


def read_items(cell: str) -> tuple[list[ListItem], set[str], int]:
    """The items of a cell, in order, without their numbers, each with its level; what was
    normalised; how many sub-items were found.

    Numbers must run ๑, ๒, ๓ …: a digit-and-dot that is not the next number ("พ.ศ. ๒๕๖๘.") is
    text. A line starting with the item's number and the next sub-number (๑.๑, ๑.๒ … under ๑.)
    or with a bullet under a numbered item is a sub-item. Lines starting with a bullet ("-",
    "•") are items when nothing is numbered. Other lines continue the item before them (a PDF's
    or a narrow cell's wrapping).
    """
    found: set[str] = set()
    lines = [normalise(line, found) for line in _TAG.sub("\n", cell).splitlines()]
    text = "\n".join(line for line in lines if line)
    if not text:
        return [], found, 0
    starts = []  # (where an item's marker starts, where its text starts, its level)
    expected = 1
    for match in _ITEM_NUMBER.finditer(text):
        if thai.parse_number(match.group(1)) == expected:
            starts.append((*match.span(), ITEM))
            expected += 1
    bullets = [(*match.span(), SUB_ITEM) for match in _BULLET.finditer(text)]
    if starts:
        starts = _with_sub_items(text, starts, bullets)
    elif bullets:
        # A line before the first bullet ("ดำเนินการดังนี้") is an item of its own.
        bullets = [(start, end, ITEM) for start, end, _level in bullets]
        starts = bullets if bullets[0][0] == 0 else [(0, 0, ITEM), *bullets]
        found.add("bullets")
    if not starts or starts[0][0] != 0:
        return [ListItem(_SPACES.sub(" ", text))], found, 0
    ends = [start for start, _end, _level in starts[1:]] + [len(text)]
    items = [
        ListItem(_SPACES.sub(" ", text[begin:end]).strip(), level)
        for (_start, begin, level), end in zip(starts, ends, strict=True)
    ]
    return items, found, sum(item.level == SUB_ITEM for item in items)


def _with_sub_items(text: str, starts: list, bullets: list) -> list:
    """The numbered items' starts with their sub-items' (๑.๑, ๑.๒ … or bullets at the start of
    a line within item ๑), in the order they come."""
    sub_items = []
    for match in _SUB_ITEM.finditer(text):
        sub_items.append((match.start(), match.end(), match.group(1), match.group(2)))
    merged = sorted(
        [*starts, *((b, e, SUB_ITEM, None, None) for b, e, _l in bullets)]
        + [(b, e, SUB_ITEM, parent, sub) for b, e, parent, sub in sub_items],
        key=lambda start: start[0],
    )
    kept = []
    item = sub = 0
    for start in merged:
        begin, end, level = start[:3]
        if level == ITEM:
            item, sub = item + 1, 0
            kept.append((begin, end, ITEM))
            continue
        if not item or any(begin < e and b < end for b, e, _l in kept):
            continue  # before the first item, or within an item's own number
        parent, number = start[3:] if len(start) > 3 else (None, None)
        if parent is not None and (
            thai.parse_number(parent) != item or thai.parse_number(number) != sub + 1
        ):
            continue  # a figure at a line's start (๑.๕ ล้าน), not the next sub-item
        sub += 1
        kept.append((begin, end, SUB_ITEM))
    return kept


def split_items(cell: str) -> list[str]:
    """The numbered items' texts of a cell, in order, without their numbers (``read_items``)."""
    return [item.text for item in read_items(cell)[0]]


def parse_title(cell: str, notes: list[str]) -> tuple[int | None, str]:
    """The measure's number (None when the cell has none) and its title; a second number typed
    before the title ("๑. 1. มาตรการ…") is removed and noted."""
    text = normalise(cell)
    match = _TITLE.match(text)
    if not match:
        return None, text
    number, title = thai.parse_number(match.group(1)), match.group(2)
    if again := _TITLE.match(title):
        notes.append(
            _("Title: the number “%(number)s” typed before it was removed.")
            % {"number": again.group(1)}
        )
        title = again.group(2)
    return number, title


def parse_period(line: int, cell: str, fiscal_year: int | None) -> periods.Period:
    text = normalise(cell)
    try:
        return periods.parse_period(text, fiscal_year=fiscal_year)
    except periods.PeriodError as error:
        raise ReportTextError(line, _column_message("period", str(error))) from None


# A section (งาน…, ฝ่าย…) written before its division belongs to it; a word starting so, or as a
# division does, starts another unit.
_SECTION_WORDS = ("งาน", "ฝ่าย")
_UNIT_WORDS = (*_SECTION_WORDS, "กอง", "สำนัก", "ส่วน", "หน่วย")


class UnknownDivisions(ReportTextError):
    """Responsible units the agency has no division or remembered mapping for; ``names`` holds
    every one in the file once the whole table has been read, for the preview to offer mapping."""

    def __init__(self, line: int, message: str, names: list[str]):
        super().__init__(line, message)
        self.names = names


def read_divisions(
    line: int, cell: str, known: list[str], mapped: dict[str, list[str]] | None = None
) -> tuple[list[str], list[str]]:
    """Division names in a cell and notes on how they were read.

    Names are separated by spaces, commas, slashes or lines, and may themselves contain spaces,
    so the longest known name is taken first. "ทุกกอง" (and its kin) stands for every division; a
    section written before its division ("งานการเจ้าหน้าที่ สำนักปลัด") is that division; an
    abbreviation ending in ฯ is the one division whose name starts like it; ``mapped`` gives the
    divisions of the names the agency's coordinator mapped in earlier imports.
    """
    text = _ALL_DIVISIONS.sub(" ทุกกอง ", _TAG.sub(" ", cell))
    text = normalise(re.sub(r"[,;/、]|^\s*[-•▪●○◦*–]", " ", text, flags=re.MULTILINE))
    mapped = mapped or {}
    by_length = sorted([*known, *mapped], key=len, reverse=True)
    found: list[str] = []
    notes: list[str] = []
    unknown: list[str] = []
    section: list[str] = []  # words of a section (งาน…, ฝ่าย…), waiting for its division
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
        word = text[position:].split(" ", 1)[0][:100]
        names = [name] if name in known else mapped.get(name, [])
        if name in mapped and name not in known:
            notes.append(
                _("“%(text)s” read as %(name)s, as this agency's coordinator chose before.")
                % {"text": name, "name": ", ".join(names) or "-"}
            )
        elif name is None and word == "ทุกกอง":
            name, names = word, known
            notes.append(_("“%(text)s” read as every division.") % {"text": word})
        elif name is None and word.endswith("ฯ"):
            stems = [n for n in known if n.startswith(word[:-1]) and n != word]
            if len(stems) == 1:
                name, names = word, stems
                notes.append(_("“%(text)s” read as %(name)s.") % {"text": word, "name": stems[0]})
        if name is None:
            if section and (word.startswith(_UNIT_WORDS) or len(section) > 5):
                unknown.append(" ".join(section))
                section = []
            if word.startswith(_SECTION_WORDS) or section:
                section.append(word)
            else:
                unknown.append(word)
            position += len(word) + 1
            continue
        if section:
            notes.append(
                _("“%(text)s” read as %(name)s.")
                % {"text": " ".join([*section, name]), "name": ", ".join(names)}
            )
            section = []
        found.extend(n for n in names if n not in found)
        position += len(name) + 1
    if section:
        unknown.append(" ".join(section))
    if unknown:
        raise UnknownDivisions(
            line, _("The agency has no division “%(name)s”.") % {"name": unknown[0]}, unknown
        )
    if not found:
        raise ReportTextError(line, _("No responsible division is given."))
    return found, notes


def parse_divisions(line: int, cell: str, known: list[str]) -> list[str]:
    return read_divisions(line, cell, known)[0]


def _column_message(column: str, message: str) -> str:
    return _("column “%(column)s”: %(message)s") % {"column": COLUMNS[column], "message": message}


def cited_indicator(text: str) -> int | None:
    match = _CITATION.search(text)
    if match:
        number = thai.parse_number(match.group(1))
        if 1 <= number <= 10:
            return number
    return None


_NOTES = {
    "am": _lazy("ํ + า written as ำ"),
    "spaces": _lazy("repeated spaces made one"),
    "bullets": _lazy("bulleted lines read as items"),
}


def _parse_row(
    row: Row, divisions: list[str], fiscal_year: int | None, mapped: dict[str, list[str]]
) -> ParsedMeasure:
    line, cells = row.line, row.cells
    notes: list[str] = []
    number, title = parse_title(cells["title"], notes)
    if "number" in cells:
        try:
            number = thai.parse_number(cells["number"].strip().rstrip("."))
        except ValueError:
            raise ReportTextError(
                line,
                _("The number column holds “%(text)s”, not a measure number.")
                % {"text": cells["number"][:40]},
            ) from None
    _check_length(line, HEADERS[0], title, limits.TITLE_CHARS)
    lists = {}
    levels = {}
    for column in ("methods", "results", "outcomes"):
        items, found, sub_items = read_items(cells[column])
        if not items:
            raise ReportTextError(
                line, _("The column “%(column)s” is empty.") % {"column": COLUMNS[column]}
            )
        if len(items) > limits.ITEMS_PER_LIST:
            raise ReportTextError(
                line,
                _("The column “%(column)s” has %(count)s items; a list holds at most %(limit)s.")
                % {
                    "column": COLUMNS[column],
                    "count": thai.thai_digits(len(items)),
                    "limit": thai.thai_digits(limits.ITEMS_PER_LIST),
                },
            )
        for item in items:
            _check_length(line, COLUMNS[column], item.text, limits.ITEM_CHARS)
        notes += [_column_message(column, str(_NOTES[kind])) for kind in sorted(found)]
        if sub_items:
            notes.append(
                _column_message(
                    column,
                    _(
                        "%(count)s sub-items found (๑.๑, or bullets under an item): "
                        "kept as sub-items."
                    )
                    % {"count": thai.thai_digits(sub_items)},
                )
            )
        lists[column] = [item.text for item in items]
        levels[column] = [item.level for item in items]
    title_found: set[str] = set()
    normalise(cells["title"], title_found)
    notes += [_column_message("title", str(_NOTES[kind])) for kind in sorted(title_found)]
    period = parse_period(line, cells["period"], fiscal_year)
    written = normalise(cells["period"])
    if written != thai.format_period(*period.months):
        notes.append(
            _("Period “%(text)s” read as %(period)s.") % {"text": written, "period": period}
        )
    try:
        names, division_notes = read_divisions(line, cells["divisions"], divisions, mapped)
    except UnknownDivisions as error:
        message = _column_message("divisions", error.message)
        raise UnknownDivisions(line, message, error.names) from None
    except ReportTextError as error:
        raise ReportTextError(line, _column_message("divisions", error.message)) from None
    return ParsedMeasure(
        line,
        number,
        title,
        *period.months,
        divisions=names,
        methods=lists["methods"],
        results=lists["results"],
        outcomes=lists["outcomes"],
        outcome_indicators=[cited_indicator(text) for text in lists["outcomes"]],
        notes=notes + division_notes,
        levels=levels,
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


def parse_report_text(
    text: str,
    divisions: list[str],
    *,
    fiscal_year: int | None = None,
    mapped: dict[str, list[str]] | None = None,
) -> ParsedReport:
    """Read a whole report from text (tabs, a PDF's or a web page's copy, or HTML); ``divisions``
    are the names of the agency's divisions, ``fiscal_year`` the year a period written without
    one ("ตลอดปีงบประมาณ") falls in when the file does not say it."""
    return parse_table(text_table(text), divisions, fiscal_year=fiscal_year, mapped=mapped)


def parse_table(
    table: Table,
    divisions: list[str],
    *,
    fiscal_year: int | None,
    mapped: dict[str, list[str]] | None = None,
) -> ParsedReport:
    """The report from a source's table (see tables.py); shared by every reader. Units that are
    no division are refused once the whole table is read, all of them named (UnknownDivisions)."""
    stated = next((m for p in table.preamble if (m := _FISCAL_YEAR.search(normalise(p)))), None)
    if stated:
        fiscal_year = thai.parse_number(stated.group(1))
    measures: list[ParsedMeasure] = []
    numbers: set[int] = set()
    unknown: dict[str, None] = {}  # in the order they come
    first_unknown: UnknownDivisions | None = None
    for row in table.rows:
        if len(measures) == limits.MEASURES_PER_REPORT:
            raise ReportTextError(
                row.line,
                _("A report holds at most %(limit)s measures.")
                % {"limit": thai.thai_digits(limits.MEASURES_PER_REPORT)},
            )
        try:
            measure = _parse_row(row, divisions, fiscal_year, mapped or {})
        except UnknownDivisions as error:
            first_unknown = first_unknown or error
            unknown.update(dict.fromkeys(error.names))
            continue
        if measure.number is None:
            measure.number = max(numbers, default=0) + 1
            measure.notes.insert(
                0,
                _("The title has no number: numbered %(number)s by its place.")
                % {"number": thai.thai_digits(measure.number)},
            )
        if measure.number in numbers:
            raise ReportTextError(
                row.line,
                _("Measure number %(number)d appears twice.") % {"number": measure.number},
            )
        measures.append(measure)
        numbers.add(measure.number)
    if first_unknown:
        first_unknown.names = list(unknown)
        raise first_unknown
    report = _with_preamble(table.preamble, measures)
    report.notes = table.notes + report.notes
    return report


# The report's own title, which is never its introduction.
_REPORT_TITLE = re.compile(r"^\**\s*รายงานผล")


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
    notes = []
    if not heading and cover and not _REPORT_TITLE.match(cover[-1]):
        # No bold heading: the last paragraph before the table introduces it, unless it is the
        # report's title, which the PDF prints already.
        cover, rest = cover[:-1], cover[-1:]
    if not rest:
        notes.append(_("No introductory sentence before the table: the report keeps its own."))
    # The introduction is one paragraph; what follows it is the table's own title.
    notes += [
        _("“%(text)s”, before the table, is not the introduction: left out.")
        % {"text": normalise(line)[:80]}
        for line in rest[1:]
    ]
    introduction = normalise(" ".join(rest[:1]))
    _check_length(1, _("introductory sentence"), introduction, limits.INTRODUCTION_CHARS)
    return ParsedReport(
        cover_lines=[normalise(line) for line in cover],
        heading_lines=[normalise(line.strip("*")) for line in heading],
        introduction=introduction,
        measures=measures,
        notes=notes,
    )
