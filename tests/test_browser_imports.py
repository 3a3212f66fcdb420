"""The coordinator's data journey in chromium: open the year, import last year's text."""

import pytest
from django.utils import timezone

from measures import thai
from measures.models import Report
from tests.browser_helpers import log_in
from tests.import_shapes import seed_parts, tab_text
from tests.test_browser_staff import serious_violations
from tests.test_imports_report_text import SEED
from tests.test_staff_imports import imports_dir  # noqa: F401

pytestmark = pytest.mark.browser
YEAR = thai.fiscal_year(timezone.localdate())
Y = thai.thai_digits(YEAR)


def test_open_the_year_from_the_last_report_then_import_a_report_file(
    page, coordinator, demo_report
):
    log_in(page, "coordinator")
    page.get_by_role("link", name=f"เปิดปีงบประมาณ พ.ศ. {Y}").click()
    assert page.get_by_label("มาตรการของปีงบประมาณ ๒๕๖๘", exact=False).is_checked()
    assert serious_violations(page) == []
    page.get_by_role("button", name=f"เปิดปีงบประมาณ พ.ศ. {Y}").click()
    page.wait_for_url(f"**/staff/{YEAR}/")
    assert f"เปิดปีงบประมาณ {Y} แล้ว" in page.content()

    page.get_by_role("link", name="นำเข้ารายงานปีที่แล้ว (ข้อความ, .docx)").click()
    page.get_by_label("ไฟล์ข้อความ ไฟล์ Word หรือไฟล์หน้าเว็บ (.txt, .docx หรือ .html)").set_input_files(
        {"name": "2568.txt", "mimeType": "text/plain", "buffer": SEED.read_bytes()}
    )
    page.get_by_role("button", name="ดูตัวอย่าง").click()
    assert page.get_by_role("heading", name="ดูตัวอย่าง").is_visible()
    assert serious_violations(page) == []
    new = Report.objects.get(fiscal_year=YEAR)
    titles_before = list(new.measures.values_list("title", flat=True))

    page.get_by_role("button", name="ยืนยันการนำเข้า").click()
    page.wait_for_url(f"**/staff/{YEAR}/")
    assert "บันทึกการนำเข้าแล้ว" in page.content()
    titles_after = list(new.measures.values_list("title", flat=True))
    assert titles_after != titles_before
    assert titles_after == list(demo_report.measures.values_list("title", flat=True))


def mapped_units_text() -> str:
    """The seed with its first measure given to a section written without its division, and its
    second to "ทุกส่วนงาน": units the agency has no division of, nor the reader a rule for."""
    rows = seed_parts()[1]
    rows[0] = [*rows[0][:3], "งานการเจ้าหน้าที่", *rows[0][4:]]
    rows[1] = [*rows[1][:3], "ทุกส่วนงาน", *rows[1][4:]]
    return tab_text(rows)


def preview_pasted(page, year: int, text: str):
    page.goto(f"/staff/{year}/import/report/")
    page.get_by_label("หรือวางข้อความของรายงาน").fill(text)
    page.get_by_role("button", name="ดูตัวอย่าง").click()
    page.get_by_role("heading", name="ดูตัวอย่าง").wait_for()


def test_units_that_are_no_division_are_mapped_in_the_preview_and_remembered_next_time(
    page,
    coordinator,
    demo_report,
    imports_dir,  # noqa: F811
):
    report = Report.objects.create(agency=demo_report.agency, fiscal_year=2567)
    divisions = list(report.agency.divisions.values_list("name", flat=True))
    log_in(page, "coordinator")

    preview_pasted(page, 2567, mapped_units_text())
    mapping = page.get_by_role("group", name="ผู้รับผิดชอบที่ไม่ใช่ส่วนราชการของหน่วยงาน")
    assert mapping.is_visible()
    assert "ไม่พบส่วนราชการ “งานการเจ้าหน้าที่”" in page.content()
    assert page.get_by_role("button", name="ยืนยันการนำเข้า").count() == 0
    assert serious_violations(page) == []
    mapping.get_by_label("งานการเจ้าหน้าที่").select_option(label="สำนักปลัด")
    mapping.get_by_label("ทุกส่วนงาน").select_option(label="ทุกส่วนราชการ")
    page.get_by_role("button", name="จำการเลือกและแสดงตัวอย่างอีกครั้ง").click()

    page.get_by_role("button", name="ยืนยันการนำเข้า").wait_for()
    content = page.content()
    assert "อ่าน “งานการเจ้าหน้าที่” เป็น สำนักปลัด ตามที่ผู้ประสานงานของหน่วยงานเลือกไว้ก่อนหน้านี้" in content
    assert "อ่าน “ทุกส่วนงาน” เป็น " + ", ".join(divisions) in content
    assert not report.measures.exists()
    page.get_by_role("button", name="ยืนยันการนำเข้า").click()
    page.wait_for_url("**/staff/2567/")
    assert "บันทึกการนำเข้าแล้ว" in page.content()
    assert [d.name for d in report.measures.get(number=1).divisions.all()] == ["สำนักปลัด"]
    assert [d.name for d in report.measures.get(number=2).divisions.all()] == divisions

    # The next import of a file naming the same units is read as chosen, with nothing to map.
    preview_pasted(page, 2567, mapped_units_text())
    assert page.get_by_role("group", name="ผู้รับผิดชอบที่ไม่ใช่ส่วนราชการของหน่วยงาน").count() == 0
    assert "ไม่พบส่วนราชการ" not in page.content()
    assert page.get_by_role("button", name="ยืนยันการนำเข้า").is_visible()
