"""The review in the browser: publishing refused on an error, corrected, acknowledged, published."""

import pytest

from measures import workflow
from measures.models import Report
from tests.browser_helpers import PUBLISH, SUBMIT, act, approve, log_in, log_out

pytestmark = pytest.mark.browser


@pytest.fixture
def approved_with_an_error(demo_report, approver):
    """A revision approved, then found with measure 4 citing ๘๐ points where the stored score is
    ๙๐, and the gift/headman variant not acknowledged (changed behind the workflow's back: the
    approval refuses a report with findings)."""
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.SUBMITTED)
    report = workflow.report_approve(report=demo_report, by=approver, position="นายก อบต.")
    outcome = demo_report.measures.get(number=4).outcomes.get()
    outcome.text = outcome.text.replace("ได้ ๙๐ คะแนน", "ได้ ๘๐ คะแนน")
    outcome.save()
    demo_report.acknowledgements.filter(check_name="variants").delete()
    return report


def test_an_error_stops_publishing_until_corrected(
    page, coordinator, approver, approved_with_an_error
):
    report = approved_with_an_error
    log_in(page, "coordinator")
    page.get_by_role("link", name="เผยแพร่", exact=True).click()
    page.get_by_role("button", name="ยืนยัน เผยแพร่รายงาน").click()
    page.wait_for_url("**/staff/2568/review/")
    page.get_by_text("ยังไม่เผยแพร่: การตรวจพบข้อผิดพลาด ๑ รายการ กรุณาแก้ไขก่อน").wait_for()
    error = page.locator(".finding-error")
    assert error.locator(".finding-location").inner_text() == "มาตรการที่ ๔ ผลลัพธ์หรือความสำเร็จ ข้อ ๑"
    assert error.locator("mark").inner_text() == "๘๐"
    assert "แนะนำ: ๙๐.๐๐" in error.inner_text()
    assert page.get_by_role("button", name="รับทราบคำเตือนนี้").count() == 1

    error.get_by_role("link", name="แก้ไขมาตรการที่ ๔").click()
    outcome = page.get_by_role("group", name="ผลลัพธ์หรือความสำเร็จของการดำเนินการ")
    text = outcome.get_by_label("ข้อความ").first
    text.fill(text.input_value().replace("ได้ ๘๐ คะแนน", "ได้ ๙๐ คะแนน"))
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_text("บันทึกแล้ว").wait_for()

    page.get_by_role("link", name="หน้าหลักเจ้าหน้าที่").first.click()
    page.get_by_role("link", name="ตรวจทานก่อนเผยแพร่").click()
    assert page.locator(".finding-error").count() == 0
    page.get_by_role("button", name="รับทราบคำเตือนนี้").click()
    page.get_by_text("รับทราบคำเตือนแล้ว").wait_for()
    page.get_by_text("ไม่มีสิ่งใดขัดขวางการเผยแพร่").wait_for()
    assert "รับทราบโดย สมศรี ประสานงาน เมื่อ" in page.locator(".finding-warning").last.inner_text()

    # The correction made a new draft: it goes to the approver again.
    page.get_by_role("link", name="หน้าหลักเจ้าหน้าที่").first.click()
    act(page, *SUBMIT)
    log_out(page)
    approve(page)
    log_in(page, "coordinator")
    act(page, *PUBLISH)

    report.refresh_from_db()
    assert report.status == Report.Status.PUBLISHED
    outcome = report.latest_publication().document["measures"][3]["outcomes"][0]
    assert outcome["text"].endswith("ได้ ๙๐ คะแนน")
