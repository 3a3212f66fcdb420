"""The coordinator's data journey in chromium: open the year, import last year's text."""

import pytest
from django.utils import timezone

from measures import thai
from measures.models import Report
from tests.browser_helpers import log_in
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
