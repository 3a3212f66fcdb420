"""People working together, in chromium: a division hands in, the coordinator follows and
submits, the approver reads the findings, sends back with a reason, the division corrects,
approval and publication; each decision confirmed. Every new page passes axe on a desktop and a
phone."""

import pytest
from django.utils import timezone

from measures import thai
from measures.models import Change, Report
from tests.browser_helpers import APPROVE, PUBLISH, SUBMIT, act, log_in, log_out
from tests.test_browser_staff import serious_violations

pytestmark = pytest.mark.browser

REASON = "ผลลัพธ์มาตรการที่ ๕ อ้างคะแนนตัวชี้วัดที่ ๑๐ ไม่ตรงกับคะแนนที่บันทึกไว้"


def cite_score(page, report, score):
    """Staff of สำนักปลัด type measure 5's cited score of indicator 10."""
    page.goto(f"/staff/measures/{report.measures.get(number=5).pk}/")
    outcome = page.get_by_role("group", name="ผลลัพธ์หรือความสำเร็จของการดำเนินการ")
    text = outcome.get_by_label("ข้อความ").first
    text.fill(text.input_value().replace("๙๒.๕๐", score).replace("๙๕.๐๐", score))
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_text("บันทึกแล้ว").wait_for()
    page.get_by_role("link", name="หน้าหลักเจ้าหน้าที่").first.click()


def hand_in(page):
    page.get_by_role("button", name="ส่งงานของสำนักปลัด").click()
    page.get_by_text("สำนักปลัด ส่งงานแล้ว และแจ้งผู้ประสานงานแล้ว").wait_for()


@pytest.mark.parametrize("width", [1366, 390])
def test_hand_in_review_send_back_correct_approve_publish(
    page, coordinator, staff_palad, approver, revision, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "staff_palad")
    cite_score(page, revision, "๙๕.๐๐")  # a score the stored one contradicts
    hand_in(page)
    assert page.get_by_role("button", name="เปิดงานของสำนักปลัดกลับมาแก้ไข").is_visible()
    log_out(page)

    log_in(page, "coordinator")
    progress = page.locator("table.progress-table")
    assert "ส่งงานแล้ว" in progress.get_by_role("row", name="สำนักปลัด").inner_text()
    assert "กำลังดำเนินการ" in progress.get_by_role("row", name="กองคลัง").inner_text()
    act(page, *SUBMIT, **{"เหตุใดจึงเสนอก่อนที่ทุกส่วนราชการจะส่งงาน": "กองอื่นไม่มีผู้ใช้ในระบบ"})
    assert "แก้ไขข้อผิดพลาด ๑ รายการก่อนเผยแพร่" in page.content()  # the review opens
    log_out(page)

    log_in(page, "approver")
    page.get_by_role("link", name="อนุมัติรายงาน", exact=True).click()
    findings = page.locator(".blocking-findings")
    assert "การตรวจทานพบปัญหา ๑ รายการที่ทำให้เผยแพร่ไม่ได้" in findings.inner_text()
    assert "มาตรการที่ ๕" in findings.inner_text()
    assert "กองอื่นไม่มีผู้ใช้ในระบบ" in page.content()  # why it came early
    assert page.get_by_role("button", name="ยืนยัน อนุมัติรายงาน").count() == 0
    page.get_by_role("link", name="ส่งกลับไปแก้ไข").click()
    page.get_by_role("button", name="ยืนยัน ส่งกลับไปแก้ไข").click()
    page.get_by_text("ฟิลด์นี้จำเป็น").wait_for()  # no reason, nothing sent back
    page.get_by_label("ต้องแก้ไขอะไรบ้าง").fill(REASON)
    page.get_by_label("สำนักปลัด").check()
    page.get_by_role("button", name="ยืนยัน ส่งกลับไปแก้ไข").click()
    page.get_by_text("ส่งรายงานกลับไปแก้ไขแล้ว").wait_for()
    log_out(page)

    log_in(page, "staff_palad")
    assert REASON in page.locator(".sent-back").inner_text()
    cite_score(page, revision, "๙๒.๕๐")
    hand_in(page)
    log_out(page)

    log_in(page, "coordinator")
    assert REASON in page.locator(".sent-back").inner_text()
    act(page, *SUBMIT, **{"เหตุใดจึงเสนอก่อนที่ทุกส่วนราชการจะส่งงาน": "แก้ไขมาตรการที่ ๕ แล้ว"})
    log_out(page)
    log_in(page, "approver")
    act(page, *APPROVE)
    log_out(page)
    log_in(page, "coordinator")
    act(page, *PUBLISH)

    revision.refresh_from_db()
    assert revision.status == Report.Status.PUBLISHED
    assert revision.latest_publication().version == 2
    returned = revision.changes.get(action=Change.Action.RETURNED)
    assert {"field": "reason", "before": "", "after": REASON} in returned.changes


@pytest.mark.parametrize("width", [1366, 390])
def test_the_new_pages_pass_axe_and_fit(page, coordinator, staff_palad, approver, revision, width):
    page.set_viewport_size({"width": width, "height": 900})
    year = thai.fiscal_year(timezone.localdate())
    membership = staff_palad.memberships.get()
    visits = {
        "staff_palad": [
            ("division", "/staff/2568/"),
            ("notifications", "/accounts/notifications/"),
        ],
        "coordinator": [
            ("progress", "/staff/2568/"),
            ("submit", "/staff/2568/submit/"),
            ("open year", f"/staff/{year}/"),
            ("people", "/staff/people/"),
            ("person", f"/staff/people/{membership.pk}/"),
            ("not found", "/staff/measures/999999/"),
            ("forbidden", "/staff/2568/approve/"),
        ],
        "approver": [("approve", "/staff/2568/approve/"), ("send back", "/staff/2568/return/")],
    }
    found = {}
    for user, pages in visits.items():
        log_in(page, user)
        if user == "approver":
            Report.objects.filter(pk=revision.pk).update(status=Report.Status.SUBMITTED)
            revision.agency.scores.filter(indicator_id=10).update(score="91.00")  # a finding
        for name, url in pages:
            page.goto(url)
            found[name] = serious_violations(page)
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, (name, overflow)
        log_out(page)
    Report.objects.filter(pk=revision.pk).update(status=Report.Status.APPROVED)
    log_in(page, "coordinator")
    page.goto("/staff/2568/publish/")
    found["publish"] = serious_violations(page)
    assert all(violations == [] for violations in found.values()), found
    assert len(found) == 12
