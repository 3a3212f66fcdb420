"""Reader for last year's report as a Word file (.docx): the paragraphs before the table, then
the six-column table (one table, or one per measure with the header repeated), read into the
same ``ParsedReport`` as the text format, so both imports give the same database content.
"""

import io

import docx
from django.utils.translation import gettext as _
from docx.table import Table

from measures import thai
from measures.imports.report_text import ParsedReport, ReportTextError, is_header, parse_rows
from measures.imports.spreadsheet import SpreadsheetError, not_a_message, open_zip

KIND = "Word (.docx)"


def parse_report_docx(data: bytes, divisions: list[str]) -> ParsedReport:
    open_zip(data, KIND)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many types for a damaged or foreign archive
        raise SpreadsheetError(not_a_message(KIND)) from None
    preamble: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    row_number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                row_number += 1
                cells = [" ".join(p.text for p in cell.paragraphs) for cell in row.cells]
                if not is_header(cells):
                    rows.append((row_number, cells))
        elif not rows and block.text.strip():
            preamble.append(_marked(block))
    if not rows:
        raise SpreadsheetError(_("The Word file has no table of measures."))
    try:
        return parse_rows(rows, preamble, divisions)
    except ReportTextError as error:
        raise SpreadsheetError(
            _("Table row %(row)s: %(message)s")
            % {"row": thai.thai_digits(error.line), "message": error.message}
        ) from None


def _marked(paragraph) -> str:
    """The paragraph's text, in ``**`` when it is all bold: the heading, as in the text format."""
    runs = [run for run in paragraph.runs if run.text.strip()]
    text = paragraph.text.strip()
    return f"**{text}**" if runs and all(run.bold for run in runs) else text
