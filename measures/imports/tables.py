"""One reader of a report's table for every source (text with tabs, text copied from a PDF or a
web page, an HTML table, a Word table): rows of cells, the header found by its column names.

Sources differ only in how they give rows: a Word or HTML table gives them whole, text gives
lines, and a cell of several lines (as Word and browsers copy it) spreads a row over several
lines, which are put back together here. Cells keep their lines ("\\n"-separated); the report
reader (report_text.py) makes items of them. Nothing here touches the database.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from itaportal import limits
from measures import thai

# The report's columns, each known by the words its header cell holds; checked in this order
# because "ผลลัพธ์หรือความสำเร็จของการดำเนินการ" also holds "ดำเนินการ".
COLUMN_NAMES = {
    "outcomes": ("ผลลัพธ์", "ความสำเร็จ"),
    "results": ("ผลการดำเนินการ", "ผลการดำเนินงาน", "ผลการปฏิบัติงาน"),
    "methods": ("วิธีดำเนินการ", "วิธีการดำเนินการ", "วิธีการดำเนินงาน", "ขั้นตอน"),
    "period": ("ระยะเวลา",),
    "divisions": ("ผู้รับผิดชอบ", "หน่วยงานที่รับผิดชอบ", "หน่วยงานรับผิดชอบ"),
    "title": ("มาตรการ", "โครงการ", "กิจกรรม"),
}
# A column of measure numbers of its own, named exactly one of these.
NUMBER_NAMES = ("ที่", "ลำดับ", "ลำดับที่", "ข้อ")
_SPACES = re.compile(r"\s+")
# Columns in text with no tabs: two spaces or more (a PDF's layout), or a vertical bar.
_SEPARATORS = (re.compile(r"\t"), re.compile(r" {2,}"), re.compile(r"\s*\|\s*"))
_ITEM_START = re.compile(r"^\s*(?:[๐-๙0-9]{1,3}\.|[-•▪●○◦*–])")


class ReportTextError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(
            _("line %(line)s: %(message)s") % {"line": thai.thai_digits(line), "message": message}
        )


@dataclass
class Row:
    line: int  # the text's line where the row starts, or the row's number in a Word/HTML table
    cells: dict[str, str]  # column key → the cell's text, its lines separated by "\n"


@dataclass
class Table:
    preamble: list[str]  # paragraphs before the table; bold ones (the heading) in "**"
    rows: list[Row]
    notes: list[str] = field(default_factory=list)  # rows skipped, text left out: shown


def _squash(text: str) -> str:
    return _SPACES.sub("", thai.plain_text(re.sub(r"</?p>", " ", text, flags=re.IGNORECASE)))


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column key → index when ``cells`` are the header row, else None."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = _squash(cell)
        if text in NUMBER_NAMES:
            key = "number"
        else:
            key = next(
                (k for k, names in COLUMN_NAMES.items() if any(n in text for n in names)), ""
            )
        if key and key not in columns:
            columns[key] = index
        elif text:
            return None
    return columns if set(COLUMN_NAMES) <= set(columns) else None


def _one_text(cells: list[str]) -> str | None:
    """The text of a row that holds one text only (a title or a heading merged across the
    columns, repeated in each as Word gives it), else None."""
    texts = {thai.plain_text(cell) for cell in cells} - {""}
    return texts.pop() if len(texts) == 1 else None


def _row_error(line: int, columns: dict[str, int], found: int) -> ReportTextError:
    return ReportTextError(
        line,
        _("A measure row needs %(expected)d tab-separated cells, this one has %(found)d.")
        % {"expected": max(columns.values()) + 1, "found": found},
    )


def _measure_row(line: int, cells: list[str], columns: dict[str, int]) -> Row:
    width = max(columns.values()) + 1
    if len(cells) > width and not any(c.strip() for c in cells[width:]):
        cells = cells[:width]  # trailing tabs
    if len(cells) != width:
        raise _row_error(line, columns, len(cells))
    return Row(line, {key: cells[index] for key, index in columns.items()})


def _skipped(line: int, text: str) -> str:
    return _("Line %(line)s, “%(text)s”, is not a measure row: left out.") % {
        "line": thai.thai_digits(line),
        "text": text[:80],
    }


def rows_table(paragraphs: list[str], rows: list[tuple[int, list[str]]]) -> Table:
    """The table of a source that gives whole rows (Word, HTML): the header found among them,
    title and heading rows (one text across the row) and empty rows left out and noted."""
    table = Table(list(paragraphs), [])
    columns = None
    for line, cells in rows:
        if len(cells) > limits.IMPORT_COLUMNS:
            raise ReportTextError(line, _too_many_columns(len(cells)))
        if found := header_columns(cells):
            columns = found
            continue
        text = _one_text(cells)
        if columns is None:
            if text is None:
                raise ReportTextError(line, _("A table row before any header row."))
            table.preamble.append(text)
        elif not any(cell.strip() for cell in cells):
            continue
        elif text is not None and not _ITEM_START.match(text):
            table.notes.append(
                _("Table row %(row)s, “%(text)s”, is not a measure row: left out.")
                % {"row": thai.thai_digits(line), "text": text[:80]}
            )
        else:
            table.rows.append(_measure_row(line, cells, columns))
            if len(table.rows) > limits.IMPORT_ROWS:
                raise _too_many_measures(line)
    return table


def _too_many_columns(count: int) -> str:
    return _("A row of %(count)s columns: a report's table has at most %(limit)s.") % {
        "count": thai.thai_digits(count),
        "limit": thai.thai_digits(limits.IMPORT_COLUMNS),
    }


def _too_many_measures(line: int) -> ReportTextError:
    return ReportTextError(
        line,
        _("A report holds at most %(limit)s measures.")
        % {"limit": thai.thai_digits(limits.MEASURES_PER_REPORT)},
    )


def text_table(text: str) -> Table:
    """The table of a text: tabs between cells (as Word, Excel and browsers copy a table), or,
    in text copied from a PDF, two spaces or more or a vertical bar, as the header row shows.

    A cell of several lines is quoted ("…") by Word and Excel and not by browsers: either way the
    row continues on the next lines until it has all its cells.
    """
    if "<table" in text[:100_000].lower():
        return html_table(text)
    records = _records(text)
    table = Table([], [])
    columns = separator = None
    open_row: tuple[int, list[str]] | None = None  # a row still short of cells
    held: list[tuple[int, str]] = []  # lines with no cells after a row: headings or the end
    for line, record in records:
        if separator is None:
            for candidate in _SEPARATORS:
                cells = _split(candidate, record)
                if columns := header_columns(cells):
                    separator = candidate
                    header_line, rows_before = line, 0
                    break
            else:
                if len(record) > 1 and any(cell.strip() for cell in record[1:]):
                    raise ReportTextError(line, _("A table row before any header row."))
                if _all_names(record[0]):
                    raise ReportTextError(line, _no_cells_message())
                if record[0].strip():
                    table.preamble.append(record[0].strip())
            continue
        cells = _split(separator, record)
        if len(cells) > limits.IMPORT_COLUMNS:
            raise ReportTextError(line, _too_many_columns(len(cells)))
        if header_columns(cells):
            if open_row:
                raise _row_error(open_row[0], columns, len(open_row[1]))
            columns = header_columns(cells)
            held, open_row = _notes_for(table, held), None
            header_line, rows_before = line, len(table.rows)
            continue
        width = max(columns.values()) + 1
        if open_row is not None:
            start, so_far = open_row
            so_far[-1] += "\n" + cells[0]
            so_far.extend(cells[1:])
        elif len(cells) == 1:
            if not cells[0].strip():
                continue
            if table.rows and _ITEM_START.match(cells[0]) and not held:
                # The last cell's next line, as a browser copies a cell of several lines.
                last = table.rows[-1]
                key = max(columns, key=columns.get)
                last.cells[key] += "\n" + cells[0]
            else:
                held.append((line, cells[0].strip()))
            continue
        else:
            start, so_far = line, list(cells)
            held = _notes_for(table, held)
        if len(so_far) < width:
            open_row = (start, so_far)
            continue
        open_row = None
        if (text := _one_text(so_far)) is not None and not _ITEM_START.match(text):
            table.notes.append(_skipped(start, text))
            continue
        table.rows.append(_measure_row(start, so_far, columns))
        if len(table.rows) > limits.IMPORT_ROWS:
            raise _too_many_measures(start)
    if columns is None:
        if (line := _header_apart(records)) is not None:
            raise ReportTextError(line, _header_apart_message())
        raise ReportTextError(max(len(records), 1), _("The file has no table of measures."))
    if open_row is not None:
        raise _row_error(open_row[0], columns, len(open_row[1]))
    if len(table.rows) == rows_before:
        raise ReportTextError(
            header_line,
            _("The file ends after a header row with no measure row: is it truncated?"),
        )
    _notes_for(table, held, after_table=True)
    return table


def _split(separator: re.Pattern, record: list[str]) -> list[str]:
    """A record's cells: as the tabs give them, or split at the spaces or bars of a PDF's copy."""
    if separator is _SEPARATORS[0] or len(record) > 1:
        return record
    line = record[0].strip()
    if separator is _SEPARATORS[2]:
        line = line.strip("|")
    return separator.split(line) if line else [""]


def _notes_for(table: Table, held: list[tuple[int, str]], *, after_table: bool = False) -> list:
    """Note lines with no cells (headings between rows, text after the table) as left out."""
    for line, text in held:
        table.notes.append(
            _("Line %(line)s, “%(text)s”, is after the table: left out.")
            % {"line": thai.thai_digits(line), "text": text[:80]}
            if after_table
            else _skipped(line, text)
        )
    return []


def _all_names(line: str) -> bool:
    """A line that names every column with nothing between them: a header row whose cells lost
    their tabs (text copied from a PDF or a web page)."""
    text = _squash(line)
    return len(text) < 300 and all(
        any(name in text for name in names) for names in COLUMN_NAMES.values()
    )


def _no_cells_message() -> str:
    return _(
        "This is the header row, but nothing separates its cells: text copied from a PDF or a "
        "web page loses the table's tabs. Copy the table from the Word file, or upload the Word "
        "file (.docx) itself."
    )


def _header_apart(records) -> int | None:
    """The first line of a header whose column names stand on lines of their own, apart from
    each other, as a PDF's text copy (pdftotext's default mode, a viewer's copy) gives them;
    None when the column names are not so."""
    first, named = None, set()
    for line, record in records:
        text = _squash(record[0]) if len(record) == 1 else ""
        column = next(
            (
                key
                for key, names in COLUMN_NAMES.items()
                if len(text) <= 40 and any(text.startswith(name) for name in names)
            ),
            None,
        )
        if column:
            first = first or line
            named.add(column)
    return first if len(named) == len(COLUMN_NAMES) else None


def _header_apart_message() -> str:
    return _(
        "The table's column names stand on lines of their own: text copied out of a PDF does not "
        "keep the table's rows and cells. Upload the Word file (.docx), or save or copy the "
        "report's web page, or import its spreadsheet (data.xlsx)."
    )


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) of every tab-separated record; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=False)
    records = []
    line = 1
    try:
        for record in reader:
            records.append((line, record or [""]))
            line = reader.line_num + 1
    except csv.Error:
        raise ReportTextError(line, _("A cell holds more text than a report can.")) from None
    return records


MAX_DEPTH = 3  # tables inside tables inside a cell: none in a report


class _HTMLTable(HTMLParser):
    """Paragraphs before the first table, and the rows of the outer tables; lists in cells
    become numbered or bulleted lines."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.rows: list[tuple[int, list[str], int]] = []  # (row, cells, which table)
        self.depth = 0
        self.lists: list[list] = []  # for each open list: [ordered, count]
        self.items: list[tuple[int, str]] = []  # open list items: where they start, their mark
        self.tables = 0
        self.cells: list[str] | None = None
        self.text: list[str] = []
        self.bold = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
            self.tables += self.depth == 1
            if self.depth > 1:
                raise ReportTextError(len(self.rows) + 1, _("A table inside a table's cell."))
        elif self.depth == 1 and tag == "tr":
            self.cells = []
        elif self.depth == 1 and tag in ("td", "th"):
            self.text = []
            span = dict(attrs).get("colspan") or "1"
            self.span = int(span) if span.isdigit() and int(span) <= limits.IMPORT_COLUMNS else 1
        elif tag in ("ol", "ul"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self.text.append("\n")
            if self.lists:
                self.lists[-1][1] += 1
                ordered, count = self.lists[-1]
                marker = f"{count}. " if ordered else "- "
                if ordered and len(self.lists) > 1 and self.lists[-2][0]:
                    # A numbered list within a numbered item: its sub-items, ๑.๑, ๑.๒ …
                    marker = f"{self.lists[-2][1]}.{count} "
                self.items.append((len(self.text), marker))
        elif tag in self.BLOCKS:
            self.text.append("\n")
        elif tag in ("b", "strong"):
            self.bold += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth = max(self.depth - 1, 0)
        elif self.depth == 1 and tag in ("td", "th") and self.cells is not None:
            text = "\n".join(line.strip() for line in "".join(self.text).split("\n"))
            self.cells.extend([text.strip()] * self.span)
            self.text = []
        elif self.depth == 1 and tag == "tr" and self.cells is not None:
            self.rows.append((len(self.rows) + 1, self.cells, self.tables))
            if len(self.rows) > limits.IMPORT_SHEET_ROWS:
                raise _too_many_measures(len(self.rows))
            self.cells = None
        elif tag == "li" and self.items:
            # The list's number or bullet, unless the item is written with its own number.
            start, marker = self.items.pop()
            if not _ITEM_START.match("".join(self.text[start:])):
                self.text.insert(start, marker)
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        elif tag in ("b", "strong"):
            self.bold = max(self.bold - 1, 0)
        elif self.depth == 0 and tag in self.BLOCKS and not self.rows:
            self._paragraph()

    def handle_data(self, data):
        self.text.append(data)

    def _paragraph(self):
        text = thai.plain_text("".join(self.text))
        self.text = []
        if text:
            self.paragraphs.append(f"**{text}**" if self.bold else text)


def html_table(text: str) -> Table:
    """The table of an HTML page or of a table pasted from a browser as HTML: the tables with a
    header row (a page's other tables, such as the scores, are left out and noted)."""
    parser = _HTMLTable()
    parser.feed(text)
    parser.close()
    with_header = {table for _row, cells, table in parser.rows if header_columns(cells)}
    rows = [(row, cells) for row, cells, table in parser.rows if table in with_header]
    table = rows_table(parser.paragraphs, rows)
    if not table.rows:
        raise ReportTextError(1, _("The file has no table of measures."))
    left_out = {table for _row, _cells, table in parser.rows} - with_header
    table.notes += [
        _("Table %(table)s has no header row of a report: left out.")
        % {"table": thai.thai_digits(number)}
        for number in sorted(left_out)
    ]
    return table
