"""The workflow's decisions on their confirmation pages: reasons, the review's findings before
approving, and who is told what."""

from decimal import Decimal

import pytest
from django.core import mail

from measures.models import Change, NotificationOptOut, OutboxMessage, Report
from tests.mail_helpers import deliver_queued, link_in


@pytest.fixture
def submitted(demo_report):
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.SUBMITTED)
    demo_report.refresh_from_db()
    return demo_report


def status(report):
    report.refresh_from_db()
    return report.status


def test_every_decision_asks_for_confirmation_first(client, coordinator, approver, submitted):
    client.force_login(approver)
    page = client.get("/staff/2568/approve/").content.decode()
    assert "อนุมัติรายงานหรือไม่" in page
    assert "การตรวจทานไม่พบสิ่งที่ทำให้เผยแพร่ไม่ได้" in page
    assert "สมชาย ใจดี" in page and "นายกองค์การบริหารส่วนตำบลเมืองพะไล" in page
    assert "ยืนยัน อนุมัติรายงาน" in page
    page = client.get("/staff/2568/return/").content.decode()
    assert "ส่งรายงานกลับไปแก้ไขหรือไม่" in page and "ยืนยัน ส่งกลับไปแก้ไข" in page
    assert status(submitted) == Report.Status.SUBMITTED

    client.post("/staff/2568/approve/")
    client.force_login(coordinator)
    page = client.get("/staff/2568/publish/").content.decode()
    assert "เผยแพร่รายงานหรือไม่" in page
    assert "จะเป็นฉบับที่ ๒" in page
    assert "http://testserver/mueang-phalai/2568/" in page
    assert status(submitted) == Report.Status.APPROVED
    dashboard = client.get("/staff/2568/").content.decode()
    assert 'href="/staff/2568/publish/"' in dashboard
    assert "<button>เผยแพร่</button>" not in dashboard


def test_approving_with_blocking_findings_is_refused_with_the_list(client, approver, submitted):
    submitted.agency.scores.filter(indicator__number=10).update(score=Decimal("91.00"))
    client.force_login(approver)
    page = client.get("/staff/2568/approve/").content.decode()
    assert "การตรวจทานพบปัญหา ๑ รายการที่ทำให้เผยแพร่ไม่ได้" in page
    assert "มาตรการที่ ๕" in page
    assert "ยืนยัน อนุมัติรายงาน" not in page
    assert 'href="/staff/2568/return/"' in page

    response = client.post("/staff/2568/approve/")
    assert response.status_code == 409
    content = response.content.decode()
    assert "ยังอนุมัติไม่ได้: การตรวจทานพบปัญหา ๑ รายการที่ทำให้เผยแพร่ไม่ได้" in content
    assert "มาตรการที่ ๕" in content
    assert status(submitted) == Report.Status.SUBMITTED
    assert submitted.approval() is None


def test_an_unacknowledged_warning_also_refuses_approval(client, approver, submitted):
    submitted.acknowledgements.filter(check_name="variants").delete()
    client.force_login(approver)
    assert client.post("/staff/2568/approve/").status_code == 409
    assert status(submitted) == Report.Status.SUBMITTED


def test_sending_back_needs_a_reason_and_tells_those_concerned(
    client, coordinator, approver, staff_palad, staff_finance, submitted
):
    finance = submitted.agency.divisions.get(name="กองคลัง")
    client.force_login(approver)
    response = client.post("/staff/2568/return/", {"reason": "   "})
    assert "ฟิลด์นี้จำเป็น" in response.content.decode()
    assert status(submitted) == Report.Status.SUBMITTED

    reason = "มาตรการที่ ๓ ผลการดำเนินการยังไม่ระบุจำนวนผู้เข้าร่วม"
    response = client.post(
        "/staff/2568/return/", {"reason": reason, "divisions": [finance.pk]}, follow=True
    )
    assert "ส่งรายงานกลับไปแก้ไขแล้ว" in response.content.decode()
    assert status(submitted) == Report.Status.DRAFT
    assert not submitted.hand_ins.filter(division=finance).exists()
    assert submitted.hand_ins.count() == 3  # the others stay handed in
    returned = submitted.changes.get(action=Change.Action.RETURNED)
    assert returned.changes == [
        {"field": "reason", "before": "", "after": reason},
        {"field": "divisions_concerned", "before": "", "after": "กองคลัง"},
    ]

    deliver_queued()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator@example.com",
        "staff_finance@example.com",
    ]
    for message in mail.outbox:
        assert message.subject == "[อบต.เมืองพะไล] รายงานปีงบประมาณ ๒๕๖๘ ถูกส่งกลับไปแก้ไข"
        assert reason in message.body
        assert "สมชาย ใจดี ส่งรายงานปีงบประมาณ พ.ศ. ๒๕๖๘ กลับไปแก้ไข" in message.body
        assert "ส่วนราชการที่ต้องแก้ไขงาน: กองคลัง งานของ" in message.body

    for user, sees in [(coordinator, True), (staff_finance, True), (staff_palad, False)]:
        client.force_login(user)
        page = client.get("/staff/2568/").content.decode()
        assert (reason in page) is sees, user
    client.force_login(approver)
    history = client.get("/staff/2568/history/").content.decode()
    assert reason in history and "ส่วนราชการที่ต้องแก้ไขงาน" in history


def test_a_person_who_switched_a_kind_off_gets_none_of_it(
    client, coordinator, approver, staff_palad, submitted
):
    client.force_login(staff_palad)
    page = client.get("/accounts/notifications/").content.decode()
    assert "รายงานได้รับการเผยแพร่" in page
    assert "มีการเสนอรายงานขออนุมัติ" not in page  # not a division's business
    client.post("/accounts/notifications/", {"wanted": ["year", "reminder", "sent_back"]})
    assert list(NotificationOptOut.objects.values_list("user__username", "kind")) == [
        ("staff_palad", "published")
    ]
    client.force_login(approver)
    client.post("/staff/2568/approve/")
    client.force_login(coordinator)
    client.post("/staff/2568/publish/")
    assert status(submitted) == Report.Status.PUBLISHED

    deliver_queued()
    published = [m for m in mail.outbox if "เผยแพร่รายงาน" in m.subject]
    assert [m.to for m in published] == [["approver@example.com"]]
    assert published[0].subject == "[อบต.เมืองพะไล] เผยแพร่รายงานปีงบประมาณ ๒๕๖๘ แล้ว"
    client.logout()
    assert client.get(link_in(published[0].body)).status_code == 200
    approved = [m for m in mail.outbox if "อนุมัติ" in m.subject]
    assert [m.to for m in approved] == [["coordinator@example.com"]]
    assert link_in(approved[0].body) == "/staff/2568/publish/"

    client.force_login(staff_palad)
    client.post("/accounts/notifications/", {"wanted": ["year", "published"]})
    assert sorted(NotificationOptOut.objects.values_list("kind", flat=True)) == [
        "reminder",
        "sent_back",
    ]


def test_the_approver_is_told_of_a_submission_with_a_working_link(
    client, coordinator, approver, demo_report
):
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.DRAFT)
    client.force_login(coordinator)
    client.post("/staff/2568/submit/")
    deliver_queued()
    [message] = mail.outbox
    assert message.to == ["approver@example.com"]
    assert message.subject == "[อบต.เมืองพะไล] รายงานปีงบประมาณ ๒๕๖๘ รอการอนุมัติจากท่าน"
    assert "สมศรี ประสานงาน เสนอรายงานปีงบประมาณ พ.ศ. ๒๕๖๘ ให้ท่านพิจารณาอนุมัติ" in message.body
    assert "เรียน สมชาย ใจดี" in message.body
    assert "http://127.0.0.1:8000/accounts/notifications/" in message.body
    client.force_login(approver)
    assert "อนุมัติรายงานหรือไม่" in client.get(link_in(message.body)).content.decode()
    assert OutboxMessage.objects.get().status == "sent"
