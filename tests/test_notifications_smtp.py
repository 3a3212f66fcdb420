"""E-mail through a real SMTP server on loopback (aiosmtpd), delivered by the real worker
(`db_worker`): the year's messages, retries and failures."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from measures import thai
from measures.models import NotificationOptOut, OutboxMessage, Report, Result
from measures.notifications.models import Kind
from tests.mail_helpers import SMTPServer, deliver_queued, link_in

YEAR = thai.fiscal_year(timezone.localdate())
Y = thai.thai_digits(YEAR)


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.controller.start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.controller.stop()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def received(smtp) -> list[tuple[str, str]]:
    """(recipient, subject) of what the server received since the last look, sorted."""
    messages = sorted((m["to"][0], m["subject"]) for m in smtp.mailbox.messages)
    smtp.mailbox.messages.clear()
    return messages


def body_to(smtp, address: str) -> str:
    return next(m["body"] for m in smtp.mailbox.messages if m["to"] == [address])


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The worker closes its database connection after a task: no test transaction may wrap it.
@pytest.mark.django_db(transaction=True)
def test_the_years_messages_reach_the_right_people(
    smtp, coordinator, approver, staff_palad, staff_finance, demo_report
):
    NotificationOptOut.objects.create(user=staff_finance, kind=Kind.YEAR)
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    as_user(coordinator).post(
        f"/staff/{YEAR}/open/", {"start": "previous", "deadline": deadline.isoformat()}
    )
    assert smtp.mailbox.messages == []  # nothing within the request
    run_worker()
    date = thai.format_date(deadline)
    opened = f"[อบต.เมืองพะไล] เปิดปีงบประมาณ {Y} แล้ว: กรุณากรอกผลการดำเนินการของส่วนราชการ"
    messages = [(m["to"][0], m["subject"]) for m in smtp.mailbox.messages]
    # The deadline is five days away: the week's reminder goes at once, to both divisions;
    # staff of กองคลัง switched the year's news off.
    assert sorted(messages) == [
        ("staff_finance@example.com", f"[อบต.เมืองพะไล] แจ้งเตือน: กองคลัง กำหนดส่งงานภายในวันที่ {date}"),
        ("staff_palad@example.com", opened),
        ("staff_palad@example.com", f"[อบต.เมืองพะไล] แจ้งเตือน: สำนักปลัด กำหนดส่งงานภายในวันที่ {date}"),
    ]
    assert "มาตรการของส่วนราชการ ๖ มาตรการยังขาดผลการดำเนินการหรือผลลัพธ์" in next(
        m["body"] for m in smtp.mailbox.messages if "สำนักปลัด กำหนด" in m["subject"]
    )
    palad = as_user(staff_palad)
    assert palad.get(link_in(body_to(smtp, "staff_palad@example.com"))).status_code == 200
    smtp.mailbox.messages.clear()

    report = Report.objects.get(agency=demo_report.agency, fiscal_year=YEAR)
    for measure in report.measures.all():
        Result.objects.create(measure=measure, order=1, text="จัดกิจกรรมครบตามแผน")
        measure.outcomes.create(order=1, text="บุคลากรเข้าร่วมร้อยละ ๙๕")
    divisions = {d.name: d.pk for d in report.agency.divisions.all()}
    palad.post(f"/staff/{YEAR}/divisions/{divisions['สำนักปลัด']}/hand-in/")
    run_worker()
    assert received(smtp) == [
        ("coordinator@example.com", f"[อบต.เมืองพะไล] สำนักปลัด ส่งงานปีงบประมาณ {Y} แล้ว")
    ]

    as_user(coordinator).post(f"/staff/{YEAR}/submit/", {"reason": "กองอื่นไม่มีผู้ใช้ในระบบ"})
    run_worker()
    body = body_to(smtp, "approver@example.com")
    assert received(smtp) == [
        ("approver@example.com", f"[อบต.เมืองพะไล] รายงานปีงบประมาณ {Y} รอการอนุมัติจากท่าน")
    ]
    assert (
        "ส่วนราชการที่ยังไม่ได้ส่งงาน: กองคลัง, กองช่าง, กองการศึกษาฯ เหตุผลที่ระบุ: กองอื่นไม่มีผู้ใช้ในระบบ"
    ) in body
    head = as_user(approver)
    assert "อนุมัติรายงานหรือไม่" in head.get(link_in(body)).content.decode()

    head.post(
        f"/staff/{YEAR}/return/",
        {"reason": "ระบุจำนวนผู้เข้าร่วมให้ชัดเจน", "divisions": [divisions["กองคลัง"]]},
    )
    run_worker()
    assert [to for to, _subject in received(smtp)] == [
        "coordinator@example.com",
        "staff_finance@example.com",
    ]

    as_user(coordinator).post(f"/staff/{YEAR}/submit/", {"reason": "แก้ไขแล้ว"})
    head.post(f"/staff/{YEAR}/approve/")
    as_user(coordinator).post(f"/staff/{YEAR}/publish/")
    run_worker()
    assert received(smtp) == [
        ("approver@example.com", f"[อบต.เมืองพะไล] รายงานปีงบประมาณ {Y} รอการอนุมัติจากท่าน"),
        ("approver@example.com", f"[อบต.เมืองพะไล] เผยแพร่รายงานปีงบประมาณ {Y} แล้ว"),
        ("coordinator@example.com", f"[อบต.เมืองพะไล] รายงานปีงบประมาณ {Y} ได้รับการอนุมัติแล้ว"),
        ("staff_finance@example.com", f"[อบต.เมืองพะไล] เผยแพร่รายงานปีงบประมาณ {Y} แล้ว"),
        ("staff_palad@example.com", f"[อบต.เมืองพะไล] เผยแพร่รายงานปีงบประมาณ {Y} แล้ว"),
    ]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db(transaction=True)
def test_a_refusing_or_absent_server_is_retried_then_failed_and_the_workflow_goes_on(
    smtp, settings, coordinator, approver, admin_user, demo_report
):
    settings.EMAIL_RETRY_DELAYS = [0, 0]
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.DRAFT)
    smtp.mailbox.refuse = True
    response = as_user(coordinator).post("/staff/2568/submit/")
    assert response.status_code == 302
    demo_report.refresh_from_db()
    assert demo_report.status == Report.Status.SUBMITTED
    run_worker()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", 3)
    assert "550" in message.last_error and "mailbox unavailable" in message.last_error
    assert smtp.mailbox.messages == []

    admin = as_user(admin_user)
    outbox = admin.get("/admin/measures/outboxmessage/").content.decode()
    assert "กล่องอีเมลขาออก" in outbox
    assert "ส่งไม่สำเร็จ" in outbox
    assert "รายงานปีงบประมาณ ๒๕๖๘ รอการอนุมัติจากท่าน" in outbox
    smtp.mailbox.refuse = False
    admin.post(
        "/admin/measures/outboxmessage/",
        {"action": "send_again", "_selected_action": [message.pk]},
    )
    run_worker()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert received(smtp) == [
        ("approver@example.com", "[อบต.เมืองพะไล] รายงานปีงบประมาณ ๒๕๖๘ รอการอนุมัติจากท่าน")
    ]

    smtp.controller.stop()  # the server is down
    smtp.controller = type(smtp.controller)(smtp.mailbox, hostname="127.0.0.1", port=smtp.port)
    as_user(approver).post("/staff/2568/approve/")
    demo_report.refresh_from_db()
    assert demo_report.status == Report.Status.APPROVED
    run_worker()
    failed = OutboxMessage.objects.get(kind=Kind.APPROVED)
    assert (failed.status, failed.attempts) == ("failed", 3)
    assert "ConnectionRefusedError" in failed.last_error
    smtp.controller.start()  # for the fixture to stop


def test_password_reset_and_invitation_through_smtp(smtp, client, coordinator, demo_report):
    as_user(coordinator).post(
        "/staff/people/",
        {
            "user-username": "somying",
            "user-first_name": "สมหญิง",
            "user-email": "somying@example.com",
            "member-role": "approver",
        },
    )
    # After signing in: a sign-in makes earlier reset links void.
    client.post("/accounts/password_reset/", {"email": "coordinator@example.com"})
    deliver_queued()
    reset = body_to(smtp, "coordinator@example.com")
    invitation = body_to(smtp, "somying@example.com")
    assert received(smtp) == [
        ("coordinator@example.com", "[พอร์ทัล ITA] ตั้งรหัสผ่านใหม่"),
        ("somying@example.com", "[อบต.เมืองพะไล] คำเชิญเข้าใช้พอร์ทัล ITA"),
    ]
    for body in (reset, invitation):
        page = Client().get(link_in(body), follow=True).content.decode()
        assert 'name="new_password1"' in page
