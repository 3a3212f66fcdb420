"""The shapes agencies' reports come in, made from the seed report (and a few invented ones):
each shape is a function giving (format, bytes) for report_import_legacy."""

import io
import re

import docx
from docx.enum.text import WD_BREAK

from measures.imports.report_text import COLUMNS, HEADERS
from measures.thai import thai_digits
from tests.test_imports_report_text import SEED

NUMBER = re.compile(r"^[๐-๙]+\.\s*")


def seed_parts() -> tuple[list[str], list[list[str]]]:
    """The seed's paragraphs before its table and its measure rows (six cells each)."""
    preamble, rows = [], []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == len(HEADERS):
            if not cells[0].startswith("มาตรการ"):
                rows.append(cells)
        elif line.strip() and not rows:
            preamble.append(line.strip())
    return preamble, rows


def paragraphs(cell: str) -> list[str]:
    return re.findall(r"<p>(.*?)</p>", cell) or [cell]


def items(cell: str) -> list[str]:
    """A seed cell's numbered items, each on its own (the seed numbers them ๑. ๒. …)."""
    text = " ".join(paragraphs(cell))
    parts = re.split(r"(?:^|\s)(?=[๐-๙]{1,2}\.(?![๐-๙]))", text)
    return [part.strip() for part in parts if part.strip()]


def preamble_text(preamble: list[str]) -> str:
    return "\n".join(preamble) + "\n\n"


def tab_text(rows, *, header=True, repeat=False, preamble=None, cell=lambda c: c) -> str:
    lines = []
    for index, row in enumerate(rows):
        if header and (repeat or index == 0):
            lines.append("\t".join(HEADERS))
        lines.append("\t".join(cell(c) for c in row))
    start = seed_parts()[0] if preamble is None else preamble
    return preamble_text(start) + "\n".join(lines) + "\n"


def text(value: str) -> tuple[str, bytes]:
    return "text", value.encode("utf-8")


def with_periods(rows, whole: str, part: str = "ม.ค. - เม.ย. ๒๕๖๘"):
    out = []
    for row in rows:
        period = " ".join(paragraphs(row[2]))
        out.append([*row[:2], whole if "ต.ค." in period else part, *row[3:]])
    return out


def seed_as_is():
    return "text", SEED.read_bytes()


def one_header():
    return text(tab_text(seed_parts()[1]))


def quoted_lines():
    """Copied from Word: a cell of several paragraphs is quoted, one paragraph a line."""

    def cell(value):
        lines = items(value) if len(items(value)) > 1 else paragraphs(value)
        return '"' + "\n".join(lines) + '"' if len(lines) > 1 else lines[0]

    return text(tab_text(seed_parts()[1], cell=cell))


def browser_lines():
    """Copied from a browser: a cell of several paragraphs is spread over lines, unquoted."""
    return text(tab_text(seed_parts()[1], cell=lambda c: "\n".join(items(c))))


def two_digit_years():
    rows = with_periods(seed_parts()[1], "ต.ค. 67 - ก.ย. 68", "ม.ค. 68 - เม.ย. 68")
    return text(tab_text(rows, repeat=True))


def full_dates():
    rows = with_periods(
        seed_parts()[1], "1 ต.ค. 2567 - 30 ก.ย. 2568", "1 ม.ค. 2568 - 30 เม.ย. 2568"
    )
    return text(tab_text(rows))


def whole_fiscal_year():
    return text(tab_text(with_periods(seed_parts()[1], "ตลอดปีงบประมาณ")))


def fiscal_year_named():
    return text(tab_text(with_periods(seed_parts()[1], "ปีงบประมาณ พ.ศ. ๒๕๖๘")))


def full_month_names():
    rows = with_periods(seed_parts()[1], "ตุลาคม 2567 - กันยายน 2568", "มกราคม - เมษายน 2568")
    return text(tab_text(rows))


def old_am_and_spaces():
    def cell(value):
        return value.replace("ำ", "\u0e4d\u0e32").replace(" ", "  ", 3)

    return text(tab_text(seed_parts()[1], cell=cell))


def pdf_layout():
    """Copied from a PDF laid out: cells apart by three spaces, one row a line."""
    rows = [[" ".join(paragraphs(c)) for c in row] for row in seed_parts()[1]]
    body = "\n".join("   ".join(row) for row in [list(HEADERS), *rows])
    return text(preamble_text(seed_parts()[0]) + body + "\n")


def pipes():
    rows = [[" ".join(paragraphs(c)) for c in row] for row in seed_parts()[1]]
    body = "\n".join("| " + " | ".join(row) + " |" for row in [list(HEADERS), *rows])
    return text(preamble_text(seed_parts()[0]) + body + "\n")


def html_page():
    """An HTML table as a browser or Word saves it: lists in cells, a heading row merged."""
    preamble, rows = seed_parts()

    def cell(value):
        listed = items(value)
        if len(listed) > 1 and all(NUMBER.match(i) for i in listed):
            return "<ol>" + "".join(f"<li>{NUMBER.sub('', i)}</li>" for i in listed) + "</ol>"
        return "".join(f"<p>{p}</p>" for p in paragraphs(value))

    head = "".join(
        f"<p><b>{p.strip('*')}</b></p>" if p.startswith("**") or p.endswith("**") else f"<p>{p}</p>"
        for p in preamble
    )
    body = "<tr>" + "".join(f"<th>{h}</th>" for h in HEADERS) + "</tr>"
    body += '<tr><td colspan="6">มาตรการด้านการเปิดเผยข้อมูล</td></tr>'
    body += "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    return text(f"<html><body>{head}<table>{body}</table></body></html>")


def heading_rows():
    """A title line above the header, and a heading between measures (with and without tabs)."""
    preamble, rows = seed_parts()
    lines = ["\t".join(HEADERS)]
    for index, row in enumerate(rows):
        if index == 2:
            lines.append("ด้านการป้องกันการทุจริต\t\t\t\t\t")
        if index == 4:
            lines.append("ด้านการปฏิบัติหน้าที่")
        lines.append("\t".join(row))
    return text(preamble_text(preamble) + "ตารางผลการดำเนินการ\n" + "\n".join(lines) + "\n")


def number_column_reordered():
    """A column of numbers of its own, and the columns in another order."""
    order = [0, 3, 1, 2, 4, 5]
    rows = []
    for row in seed_parts()[1]:
        written = " ".join(paragraphs(row[0]))
        number, title = NUMBER.match(written).group(0).strip(" ."), NUMBER.sub("", written)
        cells = [title, *row[1:]]
        rows.append([number, *(cells[i] for i in order)])
    header = ["ที่", *(HEADERS[i] for i in order)]
    body = "\n".join("\t".join(r) for r in [header, *rows])
    return text(preamble_text(seed_parts()[0]) + body + "\n")


def divisions_as_written():
    """ "ทุกกอง" for every division, a section before its division, commas between names."""

    def row(cells):
        divisions = " ".join(paragraphs(cells[3]))
        if divisions == "สำนักปลัด กองคลัง กองช่าง กองการศึกษาฯ":
            divisions = "ทุกกอง/ทุกสำนัก"
        elif divisions == "สำนักปลัด":
            divisions = "งานการเจ้าหน้าที่ สำนักปลัด"
        return [*cells[:3], divisions, *cells[4:]]

    return text(tab_text([row(r) for r in seed_parts()[1]]))


def combined():
    """One header, quoted lines, two-digit years, ทุกกอง and the old ำ, together."""
    rows = with_periods(seed_parts()[1], "ต.ค. 67 - ก.ย. 68", "ม.ค. - เม.ย. 68")

    def cell(value):
        value = value.replace("สำนักปลัด กองคลัง กองช่าง กองการศึกษาฯ", "ทุกกอง")
        lines = items(value) if len(items(value)) > 1 else paragraphs(value)
        joined = "\n".join(lines).replace("ำ", "\u0e4d\u0e32")
        return f'"{joined}"' if len(lines) > 1 else joined

    return text(tab_text(rows, cell=cell))


def utf16_tabs():
    """Excel's "Unicode text": UTF-16 with a byte-order mark."""
    return "text", tab_text(seed_parts()[1]).encode("utf-16")


# Word files


def _document(preamble) -> docx.Document:
    document = docx.Document()
    for line in preamble:
        paragraph = document.add_paragraph()
        heading = line.startswith("**") or line.endswith("**")
        paragraph.add_run(line.strip("*")).bold = heading or None
    return document


def _save(document) -> tuple[str, bytes]:
    out = io.BytesIO()
    document.save(out)
    return "docx", out.getvalue()


def _fill(cell, lines, style=None):
    cell.text = lines[0]
    if style:
        cell.paragraphs[0].style = style
    for line in lines[1:]:
        cell.add_paragraph(line, style=style)


def _merge_across(row):
    return row.cells[0].merge(row.cells[-1])


def word_table(*, numbering=None, title_row=False, heading_row=False, merge_down=False):
    preamble, rows = seed_parts()
    document = _document(preamble)
    table = document.add_table(rows=0, cols=len(HEADERS))
    if title_row:
        _merge_across(table.add_row()).text = "ตารางผลการดำเนินการ"
    _fill_row(table.add_row(), list(HEADERS))
    for index, cells in enumerate(rows):
        if heading_row and index == 3:
            _merge_across(table.add_row()).text = "ด้านการป้องกันการทุจริต"
        row = table.add_row()
        for column, (cell, value) in enumerate(zip(row.cells, cells, strict=True)):
            listed = items(value)
            if numbering and column in (1, 4, 5) and all(NUMBER.match(i) for i in listed):
                _fill(cell, [NUMBER.sub("", i) for i in listed], numbering)
            else:
                _fill(cell, paragraphs(value))
    if merge_down:
        # Measures ๕ and ๖ share one responsible cell, merged down.
        table.rows[-2].cells[3].merge(table.rows[-1].cells[3])
        table.rows[-2].cells[3].text = "สำนักปลัด"
    return _save(document)


def _fill_row(row, values):
    for cell, value in zip(row.cells, values, strict=True):
        cell.text = value


def word_one_table():
    return word_table()


def word_table_per_measure():
    preamble, rows = seed_parts()
    document = _document(preamble)
    for cells in rows:
        table = document.add_table(rows=0, cols=len(HEADERS))
        _fill_row(table.add_row(), list(HEADERS))
        row = table.add_row()
        for cell, value in zip(row.cells, cells, strict=True):
            _fill(cell, paragraphs(value))
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return _save(document)


def word_title_and_heading_rows():
    return word_table(title_row=True, heading_row=True)


def word_numbering():
    return word_table(numbering="List Number")


def word_bullets():
    return word_table(numbering="List Bullet")


def word_merged_down():
    return word_table(merge_down=True)


SHAPES = {
    "the seed as exported": seed_as_is,
    "one header row": one_header,
    "cells on several lines, quoted (Word's copy)": quoted_lines,
    "cells on several lines, unquoted (a browser's copy)": browser_lines,
    "two-digit years": two_digit_years,
    "full dates": full_dates,
    "ตลอดปีงบประมาณ": whole_fiscal_year,
    "ปีงบประมาณ พ.ศ. ๒๕๖๘": fiscal_year_named,
    "full month names, Arabic digits": full_month_names,
    "ํ + า and double spaces": old_am_and_spaces,
    "a PDF's layout copy (wide spaces)": pdf_layout,
    "a table with vertical bars": pipes,
    "an HTML table with lists and a merged heading": html_page,
    "a title line and heading rows": heading_rows,
    "a number column, columns reordered": number_column_reordered,
    "divisions as ทุกกอง and sections": divisions_as_written,
    "several shapes combined": combined,
    "UTF-16 text": utf16_tabs,
    "Word: one table": word_one_table,
    "Word: a table per measure": word_table_per_measure,
    "Word: title and heading rows merged across": word_title_and_heading_rows,
    "Word: automatic numbering": word_numbering,
    "Word: bullets": word_bullets,
    "Word: a cell merged down": word_merged_down,
}


def pdf_copy_without_tabs():
    """Copied from a PDF or a web page with nothing between the cells: refused."""
    rows = [[" ".join(paragraphs(c)) for c in row] for row in seed_parts()[1]]
    body = "\n".join(" ".join(row) for row in [list(HEADERS), *rows])
    return text(preamble_text(seed_parts()[0]) + body + "\n")


def word_nested_table():
    document = _document(["รายงาน"])
    table = document.add_table(rows=2, cols=len(HEADERS))
    _fill_row(table.rows[0], list(HEADERS))
    _fill_row(table.rows[1], ["๑. ก", "๑. ข", "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘", "สำนักปลัด", "๑. ค", "๑. ง"])
    table.rows[1].cells[1].add_table(rows=1, cols=1)
    return _save(document)


def _bad_row(**change):
    cells = dict(zip(COLUMNS, seed_parts()[1][0], strict=True))
    cells.update(change)
    return text(tab_text([list(cells.values())]))


def unknown_division():
    return _bad_row(divisions="สำนักปลัด กองสวัสดิการสังคม")


def unreadable_period():
    return _bad_row(period="ไตรมาสที่ ๒")


def unknown_section():
    return _bad_row(divisions="งานพัสดุ")


# Refused, with the line (or table row) and column the message must name.
REFUSED = {
    "a PDF's copy with no tabs": (pdf_copy_without_tabs, "บรรทัดที่ ๑๑: บรรทัดนี้คือแถวหัวตาราง"),
    "a nested table": (word_nested_table, "ตารางแถวที่ ๒: มีตารางซ้อนอยู่ในช่องของตาราง"),
    "an unknown division": (
        unknown_division,
        "บรรทัดที่ ๑๒: คอลัมน์ “ผู้รับผิดชอบ”: ไม่พบส่วนราชการ “กองสวัสดิการสังคม”",
    ),
    "a section of no division": (
        unknown_section,
        "บรรทัดที่ ๑๒: คอลัมน์ “ผู้รับผิดชอบ”: ไม่พบส่วนราชการ “งานพัสดุ”",
    ),
    "an unreadable period": (
        unreadable_period,
        "บรรทัดที่ ๑๒: คอลัมน์ “ระยะเวลาดำเนินการ”: อ่านระยะเวลาดำเนินการ “ไตรมาสที่ ๒” ไม่ได้",
    ),
}


# Sub-items: the seed with two numbered sub-items under measure ๑'s first method, and two bulleted
# ones under measure ๒'s first result; each shape imports to the seed with these as sub-items.
SUB_METHODS = ["ฉบับสำหรับประชาชน", "ฉบับสำหรับเจ้าหน้าที่"]
SUB_RESULTS = ["ทางเว็บไซต์หน่วยงาน", "ทางไลน์หน่วยงาน"]


def sub_item_lines() -> list[list[list[tuple[str, int]]]]:
    """The seed's rows, each cell as its (text without number, level) lines; measure ๑'s methods
    and measure ๒'s results with their sub-items. Columns 0, 2, 3 hold one line, level 0."""
    rows = []
    for index, cells in enumerate(seed_parts()[1]):
        row = []
        for column, value in enumerate(cells):
            if column in (1, 4, 5):
                listed = [(NUMBER.sub("", item), 0) for item in items(value)]
            else:
                listed = [(" ".join(paragraphs(value)), 0)]
            if (index, column) == (0, 1):
                listed[1:1] = [(text, 1) for text in SUB_METHODS]
            if (index, column) == (1, 4):
                listed[1:1] = [(text, 1) for text in SUB_RESULTS]
            row.append(listed)
        rows.append(row)
    return rows


def _numbers(listed, bullet_subs=False) -> list[str]:
    """Lines as people number them: "๑. …", "๑.๑ …" (or "- …" under an item)."""
    lines, item, sub = [], 0, 0
    for text, level in listed:
        if level:
            sub += 1
            mark = "-" if bullet_subs else f"{thai_digits(item)}.{thai_digits(sub)}"
        else:
            item, sub = item + 1, 0
            mark = f"{thai_digits(item)}."
        lines.append(f"{mark} {text}")
    return lines


def _cell_lines(listed, column, bullet_subs=False) -> list[str]:
    return _numbers(listed, bullet_subs) if column in (1, 4, 5) else [listed[0][0]]


def sub_items_paragraphs():
    """The seed's text format: each line of a cell in <p>…</p>."""
    rows = [
        [
            "".join(f"<p>{line}</p>" for line in _cell_lines(cell, column))
            for column, cell in enumerate(row)
        ]
        for row in sub_item_lines()
    ]
    return text(tab_text(rows, cell=str))


def sub_items_quoted_lines():
    """Word's copy: a cell of several lines quoted; sub-items under bullets in results."""
    rows = []
    for row in sub_item_lines():
        cells = []
        for column, cell in enumerate(row):
            lines = _cell_lines(cell, column, bullet_subs=column == 4)
            cells.append('"' + "\n".join(lines) + '"' if len(lines) > 1 else lines[0])
        rows.append(cells)
    return text(tab_text(rows))


def sub_items_html_lists():
    """A web page's table: sub-items in a list within their item's <li>."""
    preamble = seed_parts()[0]

    def cell(listed, column):
        if column not in (1, 4, 5):
            return listed[0][0]
        html, open_sub = "<ol>", False
        for text_, level in listed:
            if level and not open_sub:
                html, open_sub = html[: -len("</li>")] + "<ol>", True
            elif not level and open_sub:
                html, open_sub = html + "</ol></li>", False
            html += f"<li>{text_}</li>"
        return html + ("</ol></li>" if open_sub else "") + "</ol>"

    head = "".join(f"<p>{line.strip('*')}</p>" for line in preamble)
    body = "<tr>" + "".join(f"<th>{h}</th>" for h in HEADERS) + "</tr>"
    body += "".join(
        "<tr>" + "".join(f"<td>{cell(c, n)}</td>" for n, c in enumerate(row)) + "</tr>"
        for row in sub_item_lines()
    )
    return text(f"<html><body>{head}<table>{body}</table></body></html>")


def sub_items_word(numbering: bool):
    """Word: numbers typed in the cells, or Word's own numbering (List Number, and List Number 2
    for the sub-items)."""
    document = _document(seed_parts()[0])
    table = document.add_table(rows=0, cols=len(HEADERS))
    _fill_row(table.add_row(), list(HEADERS))
    for row in sub_item_lines():
        cells = table.add_row().cells
        for column, (cell, listed) in enumerate(zip(cells, row, strict=True)):
            if not numbering or column not in (1, 4, 5):
                lines = _cell_lines(listed, column)
                _fill(cell, lines)
                continue
            cell.text = ""
            for index, (text_, level) in enumerate(listed):
                style = "List Number 2" if level else "List Number"
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                paragraph.text, paragraph.style = text_, style
    return _save(document)


SUB_ITEM_SHAPES = {
    "sub-items: lines in <p>, as the seed": sub_items_paragraphs,
    "sub-items: quoted lines, bullets under an item": sub_items_quoted_lines,
    "sub-items: a web page's nested lists": sub_items_html_lists,
    "sub-items: Word, numbers typed": lambda: sub_items_word(numbering=False),
    "sub-items: Word's automatic numbering, level 2": lambda: sub_items_word(numbering=True),
}
