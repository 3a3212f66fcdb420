"""report_import_legacy: last year's report as text or Word, previewed, then written whole."""

import io
import re

import docx
import pytest
from django.utils import translation

from measures.document import report_document
from measures.imports.report_text import HEADERS
from measures.imports.services import report_import_legacy
from measures.models import Report
from tests.test_imports_report_text import SEED


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def seed_docx(*, table_rows=None) -> bytes:
    """The seed report as a Word file: its paragraphs (the ** heading in bold), then one table
    with the header row once and one row per measure, cell paragraphs as <p> gave them."""
    document = docx.Document()
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == len(HEADERS):
            rows.append(cells)
        elif line.strip() and not rows:
            paragraph = document.add_paragraph()
            heading = line.startswith("**") or line.rstrip().endswith("**")
            paragraph.add_run(line.strip().strip("*")).bold = heading or None
    table_rows = [r for r in rows if r[0] != HEADERS[0]] if table_rows is None else table_rows
    table = document.add_table(rows=0, cols=len(HEADERS))
    for cells in [list(HEADERS), *table_rows]:
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            paragraphs = re.findall(r"<p>(.*?)</p>", text) or [text]
            cell.text = paragraphs[0]
            for more in paragraphs[1:]:
                cell.add_paragraph(more)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def document_of(report) -> dict:
    document = report_document(Report.objects.get(pk=report.pk))
    # The content read from the file; the year and its scores are the report's own.
    del document["fiscal_year"], document["scores"]
    return document


@pytest.fixture
def empty_report(demo_report) -> Report:
    return Report.objects.create(agency=demo_report.agency, fiscal_year=2567)


def test_a_word_file_of_the_seed_imports_the_same_content_as_the_text(demo_report, empty_report):
    outcome = report_import_legacy(
        report=empty_report, file=io.BytesIO(seed_docx()), format="docx", dry_run=False
    )
    assert outcome.ok and outcome.committed
    assert outcome.counts == {"new": 6}
    assert document_of(empty_report) == document_of(demo_report)


def test_the_text_preview_shows_unchanged_changed_and_deleted_and_writes_nothing(demo_report):
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("๒. การเพิ่มประสิทธิภาพ การสื่อสาร", "๒. การเพิ่มประสิทธิภาพการสื่อสาร")
    text = text[: text.rindex("มาตรการ โครงการ")]
    before = document_of(demo_report)
    outcome = report_import_legacy(
        report=demo_report, file=io.BytesIO(text.encode("utf-8")), format="text"
    )
    assert outcome.ok and not outcome.committed
    assert [(row.number, row.kind) for row in outcome.rows] == [
        (1, "unchanged"),
        (2, "changed"),
        (3, "unchanged"),
        (4, "unchanged"),
        (5, "unchanged"),
        (6, "deleted"),
    ]
    assert document_of(demo_report) == before

    report_import_legacy(
        report=demo_report, file=io.BytesIO(text.encode("utf-8")), format="text", dry_run=False
    )
    measures = document_of(demo_report)["measures"]
    assert [m["number"] for m in measures] == [1, 2, 3, 4, 5]
    assert measures[1]["title"] == "การเพิ่มประสิทธิภาพการสื่อสาร"


def test_a_text_file_saved_by_thai_windows_is_read(demo_report, empty_report):
    data = SEED.read_text(encoding="utf-8").encode("cp874")
    outcome = report_import_legacy(
        report=empty_report, file=io.BytesIO(data), format="text", dry_run=False
    )
    assert outcome.committed
    assert document_of(empty_report) == document_of(demo_report)


def bad_row() -> list[str]:
    return ["๑. มาตรการ", "๑. วิธี", "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘", "กองไม่มี", "๑. ผล", "๑. ผลลัพธ์"]


BAD_INPUT = {
    "a PDF renamed .docx": (
        "docx",
        b"%PDF-1.7\n%%EOF",
        "ไฟล์นี้ไม่ใช่ไฟล์ Word (.docx) แม้ชื่อไฟล์จะระบุเช่นนั้น",
    ),
    "an empty file": ("docx", b"", "ไฟล์ว่างเปล่า"),
    "an unknown division in the table": (
        "docx",
        seed_docx(table_rows=[bad_row()]),
        "ตารางแถวที่ ๒: คอลัมน์ “ผู้รับผิดชอบ”: ไม่พบส่วนราชการ “กองไม่มี” ในหน่วยงานนี้",
    ),
    "a text file with an unknown month": (
        "text",
        SEED.read_text(encoding="utf-8").replace("ม.ค. - เม.ย.", "ม.ค. - เมย.ย.").encode(),
        "บรรทัดที่ ๓๖: คอลัมน์ “ระยะเวลาดำเนินการ”: ไม่รู้จักเดือน “เมย.ย.”",
    ),
}


def no_table_docx() -> bytes:
    """A Word file with a paragraph and no table."""
    document = docx.Document()
    document.add_paragraph("รายงานที่ไม่มีตาราง")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


BAD_INPUT["a Word file with no table"] = ("docx", no_table_docx(), "ไม่พบตารางมาตรการในไฟล์ Word")


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_a_clear_thai_error_and_changes_nothing(demo_report, case):
    format, data, message = BAD_INPUT[case]
    before = document_of(demo_report)
    outcome = report_import_legacy(
        report=demo_report, file=io.BytesIO(data), format=format, dry_run=False
    )
    assert not outcome.committed
    assert any(message in error for error in outcome.errors), outcome.errors
    assert document_of(demo_report) == before


@pytest.mark.parametrize("format", ["text", "docx"])
def test_the_preview_warns_that_the_cover_misspells_the_district(demo_report, format):
    data = seed_docx() if format == "docx" else SEED.read_bytes()
    outcome = report_import_legacy(report=demo_report, file=io.BytesIO(data), format=format)
    assert outcome.ok
    replaced, warning = outcome.warnings
    assert replaced.message == "ไฟล์นี้จะแทนที่มาตรการทั้ง ๖ มาตรการที่มีอยู่ในรายงานปีงบประมาณ พ.ศ. ๒๕๖๘"
    assert (warning.column, warning.text[warning.start : warning.end]) == ("cover", "อำเภอบวลาย")
    assert warning.suggestion == "อำเภอบัวลาย"
