"""Text copied out of the portal's own report PDF, pasted into the import: what holds.

Poppler's default mode (what ``pdftotext`` and most viewers' copy give) reads the table as blocks
in its own order: the header's cells each on their own lines, a row's cells one after the other
or side by side on one line, a cell that runs onto the next page after that page's header. The
rows and cells cannot be told apart again, so the import refuses the copy, naming the line and
what to import instead, and writes nothing; the sub-items are printed with their numbers
(README, "Importing last year's report")."""

import io
import subprocess

import pytest
from django.utils import translation

from measures.document import report_document
from measures.imports.services import report_import_legacy
from measures.models import Report
from reports.pdf import render_report_pdf
from tests.import_shapes import SUB_ITEM_SHAPES, SUB_METHODS, SUB_RESULTS
from tests.test_imports_legacy import document_of


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def pdf_copy(report: Report, *options: str) -> bytes:
    pdf = render_report_pdf(report_document(report))[2]
    command = ["pdftotext", *options, "-enc", "UTF-8", "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout


@pytest.fixture
def report_with_sub_items(demo_report) -> Report:
    format, data = SUB_ITEM_SHAPES["sub-items: lines in <p>, as the seed"]()
    outcome = report_import_legacy(
        report=demo_report, file=io.BytesIO(data), format=format, dry_run=False
    )
    assert outcome.committed
    return demo_report


def test_the_pdf_prints_sub_items_numbered_under_their_item(report_with_sub_items):
    # In reading order; lines wrap within the narrow column (these texts have no space to keep).
    copy = pdf_copy(report_with_sub_items, "-raw").decode().replace("\n", "")
    for number, text in zip(("๑.๑", "๑.๒"), SUB_METHODS, strict=True):
        assert f"{number} {text}" in copy
    for number, text in zip(("๑.๑", "๑.๒"), SUB_RESULTS, strict=True):
        assert f"{number} {text}" in copy
    # Measure ๑'s second method is numbered ๒ after its first's sub-items, not ๔.
    assert copy.index("๑.๒ ฉบับสำหรับเจ้าหน้าที่๒. ติดตามตรวจสอบการ") > 0


def test_a_pdf_copy_in_poppler_default_mode_is_refused_naming_what_to_import_instead(
    report_with_sub_items,
):
    copy = pdf_copy(report_with_sub_items)
    empty = Report.objects.create(agency=report_with_sub_items.agency, fiscal_year=2567)
    # The header's cells stand apart: the first of them is on this line of the copy.
    header_line = copy.decode().splitlines().index("มาตรการ โครงการ หรือ") + 1

    outcome = report_import_legacy(
        report=empty, file=io.BytesIO(copy), format="text", dry_run=False
    )

    assert not outcome.committed
    assert outcome.errors == [
        f"บรรทัดที่ {header_line:d}: ".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        + "ชื่อคอลัมน์ของตารางอยู่แยกกันคนละบรรทัด: ข้อความที่คัดลอกจากไฟล์ PDF "
        "ไม่เก็บแถวและช่องของตารางไว้ กรุณาอัปโหลดไฟล์ Word (.docx) หรือบันทึกหรือคัดลอกหน้าเว็บของรายงาน "
        "หรือนำเข้าไฟล์ตาราง (data.xlsx) ของรายงาน"
    ]
    assert document_of(empty)["measures"] == []


def test_the_reports_page_is_what_imports_back_with_its_sub_items(
    client, coordinator, report_with_sub_items
):
    """What the refusal offers instead: the page (here the staff preview of the draft) gives the
    same measures, items with their levels, and periods."""
    client.force_login(coordinator)
    page = client.get("/staff/2568/preview/").content
    empty = Report.objects.create(agency=report_with_sub_items.agency, fiscal_year=2567)
    outcome = report_import_legacy(
        report=empty, file=io.BytesIO(page), format="text", dry_run=False
    )
    assert outcome.committed
    assert document_of(empty) == document_of(report_with_sub_items)
