"""Opening a fiscal year (empty or from the latest report), its pages before it is opened, and
the divisions' deadline."""

import datetime

from django.core import mail
from django.utils import timezone

from measures import thai
from measures.models import Change, OutboxMessage, Report
from measures.notifications.models import Kind
from tests.mail_helpers import deliver_queued

YEAR = thai.fiscal_year(timezone.localdate())
Y = thai.thai_digits(YEAR)


def test_an_unopened_year_explains_itself_and_offers_to_open_it(client, coordinator, demo_report):
    client.force_login(coordinator)
    for url in [f"/staff/{YEAR}/", f"/staff/{YEAR}/scores/", f"/staff/{YEAR}/review/"]:
        response = client.get(url)
        assert response.status_code == 404
        content = response.content.decode()
        assert f"ปีงบประมาณ พ.ศ. {Y} ยังไม่ได้เปิด" in content
        assert f'<form method="post" action="/staff/{YEAR}/open/"' in content
        assert "มาตรการของปีงบประมาณ ๒๕๖๘" in content  # the latest report to start from


def test_others_learn_who_opens_the_year(client, staff_palad, coordinator, demo_report):
    client.force_login(staff_palad)
    content = client.get(f"/staff/{YEAR}/").content.decode()
    assert "ผู้ประสานงาน: สมศรี ประสานงาน" in content
    assert "coordinator@example.com" in content
    assert '<form method="post" action' not in content


def test_a_year_that_cannot_be_opened_yet_says_so(client, coordinator, demo_report):
    client.force_login(coordinator)
    content = client.get(f"/staff/{YEAR + 5}/").content.decode()
    assert f"เปิดได้เฉพาะปีงบประมาณปัจจุบัน (พ.ศ. {Y})" in content
    assert client.post(f"/staff/{YEAR + 5}/open/", {"start": "empty"}).status_code == 404
    assert not Report.objects.filter(fiscal_year=YEAR + 5).exists()


def test_opening_from_the_latest_report_tells_the_divisions(
    client, coordinator, staff_palad, staff_finance, approver, demo_report
):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    client.force_login(coordinator)
    response = client.post(
        f"/staff/{YEAR}/open/", {"start": "previous", "deadline": deadline.isoformat()}, follow=True
    )
    assert f"เปิดปีงบประมาณ {Y} แล้ว และแจ้งส่วนราชการทางอีเมลแล้ว" in response.content.decode()
    report = Report.objects.get(agency=demo_report.agency, fiscal_year=YEAR)
    assert report.deadline == deadline
    shift = YEAR - 2568
    assert list(report.measures.values_list("number", "start_year")) == [
        (m.number, m.start_year + shift) for m in demo_report.measures.all()
    ]
    assert not report.measures.filter(results__isnull=False).exists()
    opened = report.changes.get(action=Change.Action.OPENED)
    assert opened.user == coordinator
    assert opened.changes == [{"field": "source", "before": "", "after": "๒๕๖๘"}]

    assert mail.outbox == []  # nothing is sent within the request
    deliver_queued()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "staff_finance@example.com",
        "staff_palad@example.com",
    ]
    message = mail.outbox[0]
    assert message.subject == (
        f"[อบต.เมืองพะไล] เปิดปีงบประมาณ {Y} แล้ว: กรุณากรอกผลการดำเนินการของส่วนราชการ"
    )
    assert f"ส่งงานภายในวันที่ {thai.format_date(deadline)}" in message.body
    assert f"http://127.0.0.1:8000/staff/{YEAR}/" in message.body
    # The reminder waits for its day in the worker's queue.
    from django_tasks_db.models import DBTaskResult

    reminder = DBTaskResult.objects.get(task_path__endswith="remind_deadline")
    assert timezone.localtime(reminder.run_after).date() == deadline - datetime.timedelta(days=7)


def test_opening_empty(client, coordinator, demo_report):
    client.force_login(coordinator)
    response = client.post(f"/staff/{YEAR}/open/", {"start": "empty"})
    assert response.url == f"/staff/{YEAR}/"
    report = Report.objects.get(agency=demo_report.agency, fiscal_year=YEAR)
    assert report.deadline is None
    assert not report.measures.exists()
    page = client.get(f"/staff/{YEAR}/").content.decode()
    assert "ยังไม่ได้กำหนดวันส่งงาน" not in page  # no measures: no divisions to follow
    assert "ยังไม่มีมาตรการ" in page
    assert client.post(f"/staff/{YEAR}/open/", {"start": "empty"}).url == f"/staff/{YEAR}/"
    assert Report.objects.filter(fiscal_year=YEAR).count() == 1


def test_a_deadline_in_the_past_is_refused(client, coordinator, demo_report):
    client.force_login(coordinator)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        f"/staff/{YEAR}/open/", {"start": "empty", "deadline": yesterday.isoformat()}
    )
    assert response.status_code == 404  # still the page of a year not opened
    assert "กำหนดส่งงานต้องไม่เป็นวันที่ผ่านมาแล้ว" in response.content.decode()
    assert not Report.objects.filter(fiscal_year=YEAR).exists()


def test_setting_the_deadline_tells_the_divisions_and_is_on_record(
    client, coordinator, staff_palad, revision
):
    client.force_login(coordinator)
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post("/staff/2568/deadline/", {"deadline": deadline.isoformat()}, follow=True)
    content = response.content.decode()
    assert f"กำหนดส่งงานวันที่ {thai.format_date(deadline)}" in content
    assert f"กำหนดส่งงานภายในวันที่ {thai.format_date(deadline)}" in content
    change = revision.changes.get(action=Change.Action.DEADLINE)
    assert change.changes == [
        {"field": "deadline", "before": "", "after": thai.format_date(deadline)}
    ]
    # Three days ahead: the week's reminder is due at once.
    deliver_queued()
    from django_tasks_db.models import DBTaskResult

    reminder = DBTaskResult.objects.get(task_path__endswith="remind_deadline")
    assert reminder.run_after <= timezone.now()
    assert [m.kind for m in OutboxMessage.objects.order_by("pk")] == [Kind.YEAR]
    client.post("/staff/2568/deadline/", {"deadline": deadline.isoformat()})
    assert revision.changes.filter(action=Change.Action.DEADLINE).count() == 1
    client.post("/staff/2568/deadline/", {"deadline": ""})
    revision.refresh_from_db()
    assert revision.deadline is None
