"""Reader for last year's report as a Word file (.docx): the paragraphs before the table, then
the six-column table (one table, or one per measure with the header repeated), read into the
same ``ParsedReport`` as the text format, so both imports give the same database content.

The document's XML is read as a stream (lxml's iterparse), each paragraph and row let go once
read, and refused past MAX_PARAGRAPHS: a small file can hold empty paragraphs by the million, and
python-docx built an object for each (8 MB of them took 18 s and 400 MB).
"""

from django.utils.translation import gettext as _
from lxml import etree

from itaportal import limits
from measures import thai
from measures.imports.report_text import ParsedReport, ReportTextError, is_header, parse_rows
from measures.imports.spreadsheet import SpreadsheetError, not_a_message, open_zip, too_many_rows

KIND = "Word (.docx)"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What a run's text elements stand for, as python-docx reads them.
_TEXT = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}
_OFF = {"0", "false", "off"}
# Every item of every cell a paragraph, and a few hundred around the table: more is not a report.
MAX_PARAGRAPHS = limits.IMPORT_ROWS * 6 * limits.ITEMS_PER_LIST


def parse_report_docx(data: bytes, divisions: list[str]) -> ParsedReport:
    archive = open_zip(data, KIND)
    try:
        stream = archive.open("word/document.xml")
    except KeyError:
        raise SpreadsheetError(not_a_message(KIND)) from None
    try:
        preamble, rows = _read(stream)
    except etree.LxmlError:
        raise SpreadsheetError(not_a_message(KIND)) from None
    if not rows:
        raise SpreadsheetError(_("The Word file has no table of measures."))
    try:
        return parse_rows(rows, preamble, divisions)
    except ReportTextError as error:
        raise SpreadsheetError(
            _("Table row %(row)s: %(message)s")
            % {"row": thai.thai_digits(error.line), "message": error.message}
        ) from None


def _read(stream) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The paragraphs before the first table (bold ones in ``**``), and the rows of the body's
    tables that are not header rows, numbered as the tables' rows."""
    preamble: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    row_number = paragraphs = 0
    body = f"{W}body"
    events = etree.iterparse(
        stream, tag=(f"{W}tr", f"{W}p"), resolve_entities=False, no_network=True, load_dtd=False
    )
    for _event, element in events:
        paragraphs += element.tag == f"{W}p"
        if paragraphs > MAX_PARAGRAPHS:
            raise SpreadsheetError(_("The Word file has more paragraphs than a report can hold."))
        parent = element.getparent()
        if element.tag == f"{W}tr" and parent.getparent().tag == body:
            row_number += 1
            cells = _cells(element)
            if not is_header(cells):
                rows.append((row_number, cells))
                if len(rows) > limits.IMPORT_ROWS:
                    raise too_many_rows()
            _let_go(element)
        elif parent.tag == body:  # a paragraph outside the tables
            text = _text(element).strip()
            if text and not rows:
                preamble.append(f"**{text}**" if _all_bold(element) else text)
            _let_go(element)
    return preamble, rows


def _let_go(element) -> None:
    """Free what has been read: the element's content and the siblings read before it."""
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _cells(row) -> list[str]:
    """The row's cells' texts, paragraphs joined by spaces; a cell spanning columns is repeated
    for each, as Word (and python-docx) shows it."""
    cells = []
    for cell in row.iterchildren(f"{W}tc"):
        text = " ".join(_text(p) for p in cell.iterchildren(f"{W}p"))
        span = cell.find(f"{W}tcPr/{W}gridSpan")
        repeat = span.get(f"{W}val", "1") if span is not None else "1"
        cells.extend([text] * (int(repeat) if repeat.isdigit() and int(repeat) < 10 else 1))
    return cells


def _text(paragraph) -> str:
    parts = []
    for element in paragraph.iter(*_TEXT):
        meaning = _TEXT[element.tag]
        parts.append(element.text or "" if meaning is None else meaning)
    return "".join(parts)


def _all_bold(paragraph) -> bool:
    """Every run with text is bold (the heading): marked in ``**`` as in the text format."""
    runs = [
        run
        for run in paragraph.iter(f"{W}r")
        if "".join(t.text or "" for t in run.iter(f"{W}t")).strip()
    ]
    return bool(runs) and all(_bold(run) for run in runs)


def _bold(run) -> bool:
    bold = run.find(f"{W}rPr/{W}b")
    return bold is not None and bold.get(f"{W}val", "true").lower() not in _OFF
