"""The divisions' hand-ins: handing in and reopening, what the coordinator follows, and how
submission waits for them."""

from django.core import mail

from measures.models import Change, HandIn, Report, Result
from tests.mail_helpers import deliver_queued, link_in


def division(report, name):
    return report.agency.divisions.get(name=name)


def test_a_division_hands_in_and_the_coordinator_is_told(
    client, coordinator, staff_palad, approver, revision
):
    palad = division(revision, "สำนักปลัด")
    client.force_login(staff_palad)
    page = client.get("/staff/2568/").content.decode()
    assert "ส่งงานของสำนักปลัด" in page
    assert "ยังไม่เริ่ม" not in page and "กำลังดำเนินการ" in page
    response = client.post(f"/staff/2568/divisions/{palad.pk}/hand-in/", follow=True)
    content = response.content.decode()
    assert "สำนักปลัด ส่งงานแล้ว และแจ้งผู้ประสานงานแล้ว" in content
    assert "เปิดงานของสำนักปลัดกลับมาแก้ไข" in content
    hand_in = HandIn.objects.get(report=revision, division=palad)
    assert hand_in.by == staff_palad
    assert revision.changes.filter(action=Change.Action.HANDED_IN, subject="สำนักปลัด").exists()

    deliver_queued()
    [message] = mail.outbox
    assert message.to == ["coordinator@example.com"]
    assert message.subject == "[อบต.เมืองพะไล] สำนักปลัด ส่งงานปีงบประมาณ ๒๕๖๘ แล้ว"
    client.force_login(coordinator)
    progress = client.get(link_in(message.body)).content.decode()
    assert "ส่งงานแล้ว" in progress
    assert "กองคลัง" in progress


def test_handing_in_is_refused_while_a_measure_misses_results(client, staff_palad, revision):
    palad = division(revision, "สำนักปลัด")
    Result.objects.filter(measure__report=revision, measure__number__in=[2, 5]).delete()
    client.force_login(staff_palad)
    response = client.post(f"/staff/2568/divisions/{palad.pk}/hand-in/", follow=True)
    assert (
        "ยังส่งงานไม่ได้: กรุณากรอกผลการดำเนินการและผลลัพธ์ของทุกมาตรการก่อน มาตรการที่ ๒, ๕"
        in response.content.decode()
    )
    assert not revision.hand_ins.exists()
    assert not revision.changes.exists() or not revision.changes.filter(action="handed_in").exists()


def test_a_division_reopens_until_submission(client, coordinator, staff_palad, revision):
    palad = division(revision, "สำนักปลัด")
    client.force_login(staff_palad)
    client.post(f"/staff/2568/divisions/{palad.pk}/hand-in/")
    client.post(f"/staff/2568/divisions/{palad.pk}/reopen/")
    assert not revision.hand_ins.exists()
    assert revision.changes.filter(action=Change.Action.HANDIN_REOPENED).count() == 1
    client.post(f"/staff/2568/divisions/{palad.pk}/hand-in/")
    client.force_login(coordinator)
    client.post("/staff/2568/submit/", {"reason": "กองอื่นไม่มีเจ้าหน้าที่ในระบบ"})
    client.force_login(staff_palad)
    response = client.post(f"/staff/2568/divisions/{palad.pk}/reopen/", follow=True)
    assert "ทำรายการนี้ไม่ได้ขณะที่รายงานมีสถานะ “เสนอขออนุมัติแล้ว”" in response.content.decode()
    assert revision.hand_ins.filter(division=palad).exists()


def test_the_coordinator_follows_each_division(client, coordinator, staff_palad, revision):
    palad = division(revision, "สำนักปลัด")
    client.force_login(staff_palad)
    client.post(f"/staff/2568/divisions/{palad.pk}/hand-in/")
    measure = revision.measures.get(number=1)
    Change.objects.create(report=revision, measure=measure, user=staff_palad, action="edited")
    client.force_login(coordinator)
    page = client.get("/staff/2568/").content.decode()
    table = page.split('<table class="progress-table">', 1)[1].split("</table>", 1)[0]
    rows = {
        name: row
        for row in table.split("<tr")[2:]
        for name in ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ"]
        if f">{name}<" in row
    }
    assert len(rows) == 4
    assert "ส่งงานแล้ว" in rows["สำนักปลัด"]
    assert "staff_palad" in rows["สำนักปลัด"] and "(หลังส่งงาน)" in rows["สำนักปลัด"]
    assert "กำลังดำเนินการ" in rows["กองคลัง"]
    assert "๔ จาก ๔" in rows["กองคลัง"] and "๖ จาก ๖" in rows["สำนักปลัด"]


def test_submitting_before_every_division_has_handed_in_asks_why(
    client, coordinator, approver, staff_palad, revision
):
    client.force_login(coordinator)
    page = client.get("/staff/2568/submit/").content.decode()
    assert "ส่วนราชการที่ยังไม่ได้ส่งงาน ๔ แห่ง:" in page
    assert "เหตุใดจึงเสนอก่อนที่ทุกส่วนราชการจะส่งงาน" in page
    response = client.post("/staff/2568/submit/", {})
    assert response.status_code == 200
    assert "ฟิลด์นี้จำเป็น" in response.content.decode()
    revision.refresh_from_db()
    assert revision.status == Report.Status.DRAFT

    client.post("/staff/2568/submit/", {"reason": "กองช่างและกองการศึกษาฯ ไม่มีผู้ใช้ในระบบ"})
    revision.refresh_from_db()
    assert revision.status == Report.Status.SUBMITTED
    submitted = revision.changes.get(action=Change.Action.SUBMITTED)
    assert submitted.changes[0] == {
        "field": "not_handed_in",
        "before": "",
        "after": "สำนักปลัด, กองคลัง, กองช่าง, กองการศึกษาฯ",
    }
    client.force_login(approver)
    page = client.get("/staff/2568/approve/").content.decode()
    assert "กองช่างและกองการศึกษาฯ ไม่มีผู้ใช้ในระบบ" in page
    history = client.get("/staff/2568/history/").content.decode()
    assert "ส่วนราชการที่ยังไม่ได้ส่งงาน" in history


def test_submitting_when_every_division_has_handed_in_needs_no_reason(
    client, coordinator, demo_report
):
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.DRAFT)
    client.force_login(coordinator)
    page = client.get("/staff/2568/submit/").content.decode()
    assert "ทุกส่วนราชการส่งงานแล้ว" in page
    assert "<textarea" not in page
    client.post("/staff/2568/submit/")
    demo_report.refresh_from_db()
    assert demo_report.status == Report.Status.SUBMITTED
