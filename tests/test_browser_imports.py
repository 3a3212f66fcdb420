"""The coordinator's data journey in chromium: start the next year, import last year's text."""

import pytest

from measures.models import Report
from tests.browser_helpers import log_in
from tests.test_browser_staff import serious_violations
from tests.test_imports_report_text import SEED
from tests.test_staff_imports import imports_dir  # noqa: F401

pytestmark = pytest.mark.browser


def test_start_the_next_year_then_import_a_report_file(page, coordinator, demo_report):
    log_in(page, "coordinator")
    page.goto("/staff/2568/")
    page.get_by_role("link", name="เริ่มปีงบประมาณ ๒๕๖๙ จากรายงานนี้").click()
    page.get_by_role("button", name="เริ่มปีงบประมาณ ๒๕๖๙").click()
    page.wait_for_url("**/staff/2569/")
    assert "เริ่มปีงบประมาณ ๒๕๖๙ จาก ๒๕๖๘ แล้ว" in page.content()

    page.get_by_role("link", name="นำเข้ารายงานปีที่แล้ว (ข้อความ, .docx)").click()
    page.get_by_label("ไฟล์ข้อความหรือไฟล์ Word (.txt หรือ .docx)").set_input_files(
        {"name": "2568.txt", "mimeType": "text/plain", "buffer": SEED.read_bytes()}
    )
    page.get_by_role("button", name="ดูตัวอย่าง").click()
    assert page.get_by_role("heading", name="ดูตัวอย่าง").is_visible()
    assert serious_violations(page) == []
    new = Report.objects.get(fiscal_year=2569)
    titles_before = list(new.measures.values_list("title", flat=True))

    page.get_by_role("button", name="ยืนยันการนำเข้า").click()
    page.wait_for_url("**/staff/2569/")
    assert "บันทึกการนำเข้าแล้ว" in page.content()
    titles_after = list(new.measures.values_list("title", flat=True))
    assert titles_after != titles_before
    assert titles_after == list(demo_report.measures.values_list("title", flat=True))
