import pytest
from django.utils import timezone

from measures.models import Change, Report
from tests.staff_helpers import editor_data


@pytest.fixture
def draft(demo_report):
    """The demo report with a revision in progress after its first publication."""
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.DRAFT)
    demo_report.refresh_from_db()
    return demo_report


def status(report):
    report.refresh_from_db()
    return report.status


def submit_and_approve(client, coordinator, approver):
    client.force_login(coordinator)
    client.post("/staff/2568/submit/")
    client.force_login(approver)
    client.post("/staff/2568/approve/")


def test_submit_approve_publish(client, coordinator, approver, draft):
    client.force_login(coordinator)
    client.post("/staff/2568/submit/")
    assert status(draft) == Report.Status.SUBMITTED

    client.force_login(approver)
    client.post("/staff/2568/approve/")
    assert status(draft) == Report.Status.APPROVED
    assert draft.approval() == {
        "name": "สมชาย ใจดี",
        "position": "นายกองค์การบริหารส่วนตำบลเมืองพะไล",
        "date": timezone.localdate().isoformat(),
    }
    dashboard = client.get("/staff/2568/").content.decode()
    assert "อนุมัติโดย สมชาย ใจดี นายกองค์การบริหารส่วนตำบลเมืองพะไล" in dashboard

    client.force_login(coordinator)
    response = client.post("/staff/2568/publish/", follow=True)
    assert "เผยแพร่รายงานแล้ว" in response.content.decode()
    assert status(draft) == Report.Status.PUBLISHED
    publication = draft.latest_publication()
    assert publication.version == 2
    assert publication.published_by == coordinator
    assert publication.document["approval"]["name"] == "สมชาย ใจดี"
    assert [c.action for c in Change.objects.order_by("pk")] == [
        Change.Action.PUBLISHED,  # the demo's first version
        Change.Action.SUBMITTED,
        Change.Action.APPROVED,
        Change.Action.PUBLISHED,
    ]


def test_publishing_needs_an_approval(client, coordinator, draft):
    client.force_login(coordinator)
    client.post("/staff/2568/submit/")
    response = client.post("/staff/2568/publish/", follow=True)
    assert "ทำรายการนี้ไม่ได้ขณะที่รายงานมีสถานะ “เสนอขออนุมัติแล้ว”" in response.content.decode()
    assert draft.publications.count() == 1


def test_approving_needs_a_submission(client, approver, draft):
    client.force_login(approver)
    client.post("/staff/2568/approve/")
    assert status(draft) == Report.Status.DRAFT
    assert draft.approval() is None


def test_the_approver_can_send_the_report_back(client, coordinator, approver, draft):
    submit_and_approve(client, coordinator, approver)
    client.post("/staff/2568/return/", {"reason": "ผลลัพธ์มาตรการที่ ๒ ไม่ตรงกับคะแนน"})
    assert status(draft) == Report.Status.DRAFT
    assert draft.approval() is None


def test_an_edit_after_approval_withdraws_it(client, coordinator, approver, draft):
    submit_and_approve(client, coordinator, approver)
    client.force_login(coordinator)
    measure = draft.measures.get(number=1)
    client.post(f"/staff/measures/{measure.pk}/", editor_data(measure, title="แก้หลังอนุมัติ"))
    assert status(draft) == Report.Status.DRAFT
    assert draft.approval() is None


def test_earlier_versions_stay_readable(client, coordinator, approver, draft):
    first = draft.latest_publication()
    measure = draft.measures.get(number=1)
    old_title = measure.title
    client.force_login(coordinator)
    client.post(f"/staff/measures/{measure.pk}/", editor_data(measure, title="ชื่อฉบับที่สอง"))
    submit_and_approve(client, coordinator, approver)
    client.force_login(coordinator)
    client.post("/staff/2568/publish/")

    versions = client.get("/staff/2568/versions/").content.decode()
    assert "ฉบับที่ ๑" in versions and "ฉบับที่ ๒" in versions
    assert old_title in client.get("/staff/2568/versions/1/").content.decode()
    assert "ชื่อฉบับที่สอง" in client.get("/staff/2568/versions/2/").content.decode()
    first.refresh_from_db()
    assert first.document["measures"][0]["title"] == old_title


def test_the_preview_stays_thai_when_the_pages_are_in_english(client, approver, demo_report):
    client.force_login(approver)
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    content = client.get("/staff/2568/preview/").content.decode()
    assert "Preview of the current revision" in content
    assert "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in content
    assert '<th scope="col">ผลการดำเนินการ</th>' in content
