"""Reader for last year's report as a Word file (.docx): the paragraphs before the table, then
the rows of its tables (one table, or one per measure with the header repeated; title and
heading rows merged across the columns; cells merged down; Word's automatic numbering and
bullets), read into the same ``ParsedReport`` as the text format through tables.py.

The document's XML is read as a stream (lxml's iterparse), each paragraph and row let go once
read, and refused past MAX_PARAGRAPHS: a small file can hold empty paragraphs by the million, and
python-docx built an object for each (8 MB of them took 18 s and 400 MB).
"""

from django.utils.translation import gettext as _
from lxml import etree

from itaportal import limits
from measures import thai
from measures.imports.report_text import ParsedReport, ReportTextError, parse_table
from measures.imports.spreadsheet import SpreadsheetError, not_a_message, open_zip, too_many_rows
from measures.imports.tables import rows_table

KIND = "Word (.docx)"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What a run's text elements stand for, as python-docx reads them.
_TEXT = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}
_OFF = {"0", "false", "off"}
_PARSE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
# Every item of every cell a paragraph, and a few hundred around the table: more is not a report.
MAX_PARAGRAPHS = limits.IMPORT_ROWS * 6 * limits.ITEMS_PER_LIST


def parse_report_docx(
    data: bytes,
    divisions: list[str],
    *,
    fiscal_year: int | None = None,
    mapped: dict[str, list[str]] | None = None,
) -> ParsedReport:
    archive = open_zip(data, KIND)
    try:
        stream = archive.open("word/document.xml")
    except KeyError:
        raise SpreadsheetError(not_a_message(KIND)) from None
    try:
        bullets = _bullet_lists(archive)
        preamble, rows, notes = _read(stream, bullets)
    except etree.LxmlError:
        raise SpreadsheetError(not_a_message(KIND)) from None
    except ReportTextError as error:
        raise _row_error(error) from None
    if not rows:
        raise SpreadsheetError(_("The Word file has no table of measures."))
    try:
        table = rows_table(preamble, rows)
        table.notes += notes
        if not table.rows:
            raise SpreadsheetError(_("The Word file has no table of measures."))
        return parse_table(table, divisions, fiscal_year=fiscal_year, mapped=mapped)
    except ReportTextError as error:
        raise _row_error(error) from None


def _row_error(error: ReportTextError) -> SpreadsheetError:
    """The error named by the table's row, as a Word file has no lines; the units that are no
    division (UnknownDivisions.names) kept for the preview to offer mapping."""
    converted = SpreadsheetError(
        _("Table row %(row)s: %(message)s")
        % {"row": thai.thai_digits(error.line), "message": error.message}
    )
    converted.names = getattr(error, "names", [])
    return converted


def _bullet_lists(archive) -> set[tuple[str, str]]:
    """(numId, ilvl) of Word's automatic lists that are bullets rather than numbers."""
    try:
        stream = archive.open("word/numbering.xml")
    except KeyError:
        return set()
    abstract_bullets: set[tuple[str, str]] = set()
    lists: dict[str, str] = {}
    for _event, element in etree.iterparse(stream, tag=(f"{W}abstractNum", f"{W}num"), **_PARSE):
        if element.tag == f"{W}abstractNum":
            for level in element.iterchildren(f"{W}lvl"):
                fmt = level.find(f"{W}numFmt")
                if fmt is not None and fmt.get(f"{W}val") == "bullet":
                    abstract_bullets.add((element.get(f"{W}abstractNumId"), level.get(f"{W}ilvl")))
        else:
            abstract = element.find(f"{W}abstractNumId")
            if abstract is not None:
                lists[element.get(f"{W}numId")] = abstract.get(f"{W}val")
        element.clear()
    return {
        (num, level)
        for num, abstract in lists.items()
        for a, level in abstract_bullets
        if a == abstract
    }


def _read(stream, bullets) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """The paragraphs before the first table (bold ones in ``**``), the rows of the body's
    tables numbered as the tables' rows, and notes on cells taken from merged cells above."""
    preamble: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    notes: list[str] = []
    above: list[str] = []
    row_number = paragraphs = 0
    body = f"{W}body"
    events = etree.iterparse(stream, tag=(f"{W}tr", f"{W}p"), **_PARSE)
    for _event, element in events:
        paragraphs += element.tag == f"{W}p"
        if paragraphs > MAX_PARAGRAPHS:
            raise SpreadsheetError(_("The Word file has more paragraphs than a report can hold."))
        parent = element.getparent()
        if element.tag == f"{W}tr" and parent.getparent().tag == body:
            row_number += 1
            cells, merged = _cells(element, above, bullets, row_number)
            if merged:
                notes.append(
                    _("Table row %(row)s: %(count)s cells merged with the row above take its text.")
                    % {"row": thai.thai_digits(row_number), "count": thai.thai_digits(merged)}
                )
            rows.append((row_number, cells))
            above = cells
            if len(rows) > limits.IMPORT_SHEET_ROWS:
                raise too_many_rows()
            _let_go(element)
        elif parent.tag == body:  # a paragraph outside the tables
            text = _text(element).strip()
            if text and not rows:
                preamble.append(f"**{text}**" if _all_bold(element) else text)
            _let_go(element)
    return preamble, rows, notes


def _let_go(element) -> None:
    """Free what has been read: the element's content and the siblings read before it."""
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _cells(row, above: list[str], bullets, row_number: int) -> tuple[list[str], int]:
    """The row's cells' texts, one line a paragraph, Word's automatic numbering written out; a
    cell spanning columns is repeated for each, as Word (and python-docx) shows it, and a cell
    merged with the one above takes its text. Also how many cells were merged so."""
    cells: list[str] = []
    merged = 0
    for cell in row.iterchildren(f"{W}tc"):
        if cell.find(f".//{W}tbl") is not None:
            raise ReportTextError(row_number, _("A table inside a table's cell."))
        span = cell.find(f"{W}tcPr/{W}gridSpan")
        repeat = span.get(f"{W}val", "1") if span is not None else "1"
        repeat = int(repeat) if repeat.isdigit() and 0 < int(repeat) <= limits.IMPORT_COLUMNS else 1
        vmerge = cell.find(f"{W}tcPr/{W}vMerge")
        if vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue":
            column = len(cells)
            text = above[column] if column < len(above) else ""
            merged += 1
        else:
            text = "\n".join(_numbered_lines(cell.iterchildren(f"{W}p"), bullets))
        cells.extend([text] * repeat)
        if len(cells) > limits.IMPORT_COLUMNS:
            break
    return cells, merged


def _numbered_lines(paragraphs, bullets) -> list[str]:
    """The paragraphs' texts, with the numbers or bullets Word adds itself written in front:
    "1. " for the first level, "1.1 " under it, "- " for a bullet."""
    lines = []
    counts = [0, 0]
    for paragraph in paragraphs:
        text = _text(paragraph)
        level = _list_level(paragraph, bullets)
        if level is None or not text.strip():
            lines.append(text)
            continue
        depth, bullet = level
        if bullet:
            lines.append(f"- {text}")
        elif depth == 0:
            counts = [counts[0] + 1, 0]
            lines.append(f"{counts[0]}. {text}")
        else:
            counts[1] += 1
            lines.append(f"{max(counts[0], 1)}.{counts[1]} {text}")
    return lines


def _list_level(paragraph, bullets) -> tuple[int, bool] | None:
    """(level, is a bullet) of a paragraph in one of Word's automatic lists, else None."""
    properties = paragraph.find(f"{W}pPr")
    if properties is None:
        return None
    numbering = properties.find(f"{W}numPr")
    if numbering is not None:
        level = numbering.find(f"{W}ilvl")
        number = numbering.find(f"{W}numId")
        depth = level.get(f"{W}val", "0") if level is not None else "0"
        num = number.get(f"{W}val", "") if number is not None else ""
        if num == "0":  # numbering switched off
            return None
        return (1 if depth != "0" else 0), (num, depth) in bullets
    style = properties.find(f"{W}pStyle")
    name = style.get(f"{W}val", "") if style is not None else ""
    if name.startswith(("ListNumber", "ListBullet")):
        return (1 if name[-1].isdigit() else 0), name.startswith("ListBullet")
    return None


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
