"""The review page: findings quoted and highlighted, warnings acknowledged, publishing refused
until the review is clear, and the review shown on submitting."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from measures import workflow
from measures.models import Change, Publication, Report, ReviewAcknowledgement


@pytest.fixture
def approved(demo_report, approver):
    """The demo report approved again after a revision, waiting to be published."""
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.SUBMITTED)
    return workflow.report_approve(report=demo_report, by=approver, position="นายก อบต.")


def wrong_score(report):
    """Indicator 10's stored score no longer matches the ๙๒.๕๐ that measure 5's outcome cites."""
    report.agency.scores.filter(indicator__number=10).update(score=Decimal("91.00"))


def variant_key(report):
    [variant] = [f for f in workflow.report_review(report) if f.check == "variants"]
    return variant.key


def test_an_error_is_quoted_with_the_problem_highlighted(client, coordinator, demo_report):
    wrong_score(demo_report)
    client.force_login(coordinator)
    page = client.get("/staff/2568/review/").content.decode()
    assert "ข้อผิดพลาด ๑ รายการ" in page
    assert "มาตรการที่ ๕ ผลลัพธ์หรือความสำเร็จ ข้อ ๑" in page
    assert "ได้คะแนน <mark>๙๒.๕๐</mark> คะแนน" in page
    assert "คะแนนที่บันทึกไว้ของตัวชี้วัดที่ ๑๐ คือ ๙๑.๐๐ ไม่ใช่ ๙๒.๕๐" in page
    assert "แนะนำ: <strong>๙๑.๐๐</strong>" in page
    measure = demo_report.measures.get(number=5)
    assert f'href="/staff/measures/{measure.pk}/"' in page


def test_errors_and_warnings_look_different(client, coordinator, demo_report):
    wrong_score(demo_report)
    client.force_login(coordinator)
    page = client.get("/staff/2568/review/").content.decode()
    error = page[page.index('class="finding finding-error"') :]
    assert error.index("ข้อผิดพลาด") < error.index("๙๒.๕๐")
    assert page.count('class="finding finding-error"') == 1
    # The demo's four warnings were acknowledged when it was published.
    assert page.count('class="finding finding-warning finding-acknowledged"') == 4
    assert "แก้ไขข้อผิดพลาด ๑ รายการก่อนเผยแพร่" in page


def test_acknowledged_warnings_leave_the_way_clear(client, approver, demo_report):
    client.force_login(approver)
    page = client.get("/staff/2568/review/").content.decode()
    assert "ไม่มีสิ่งใดขัดขวางการเผยแพร่" in page
    assert "คำเตือน ๔ รายการ" in page
    # load_demo acknowledged them on nobody's behalf.
    assert page.count("รับทราบเมื่อ") == 4
    # The approver edits nothing, so no finding offers to open the editor.
    assert "/staff/measures/" not in page


def test_a_report_without_problems_says_so(client, other_coordinator, agency):
    report = Report.objects.create(agency=agency, fiscal_year=2568)
    measure = report.measures.create(
        number=1,
        title="มาตรการเผยแพร่ข้อมูลข่าวสาร",
        start_month=10,
        start_year=2567,
        end_month=9,
        end_year=2568,
    )
    measure.divisions.set(agency.divisions.filter(name="สำนักปลัด"))
    measure.methods.create(order=1, text="จัดทำสื่อ")
    measure.results.create(order=1, text="เผยแพร่ข่าวสารทางเว็บไซต์ ๑๒ ครั้ง")
    measure.outcomes.create(order=1, text="ประชาชนรับรู้ข้อมูลมากขึ้น")
    client.force_login(other_coordinator)
    page = client.get("/staff/2568/review/").content.decode()
    assert "การตรวจทานไม่พบสิ่งที่ต้องแก้ไข" in page
    assert "<mark>" not in page


def test_a_warning_is_acknowledged_and_says_who_and_when(client, coordinator, demo_report):
    demo_report.acknowledgements.filter(check_name="variants").delete()
    client.force_login(coordinator)
    page = client.get("/staff/2568/review/").content.decode()
    assert "แก้ไขหรือรับทราบคำเตือน ๑ รายการก่อนเผยแพร่" in page
    assert page.count("รับทราบคำเตือนนี้") == 1

    response = client.post(
        "/staff/2568/review/acknowledge/", {"key": variant_key(demo_report)}, follow=True
    )
    acknowledgement = demo_report.acknowledgements.get(check_name="variants")
    assert acknowledgement.acknowledged_by == coordinator
    page = response.content.decode()
    assert "รับทราบคำเตือนแล้ว" in page
    assert "รับทราบโดย สมศรี ประสานงาน เมื่อ" in page
    assert "ไม่มีสิ่งใดขัดขวางการเผยแพร่" in page
    assert "รับทราบคำเตือนนี้" not in page


def test_the_approver_may_acknowledge_too(client, approver, demo_report):
    demo_report.acknowledgements.filter(check_name="variants").delete()
    client.force_login(approver)
    client.post("/staff/2568/review/acknowledge/", {"key": variant_key(demo_report)})
    assert demo_report.acknowledgements.get(check_name="variants").acknowledged_by == approver


def test_an_error_cannot_be_acknowledged_from_the_page(client, coordinator, demo_report):
    wrong_score(demo_report)
    [error] = [f for f in workflow.report_review(demo_report) if f.is_error]
    client.force_login(coordinator)
    page = client.get("/staff/2568/review/").content.decode()
    assert f'value="{error.key}"' not in page
    response = client.post("/staff/2568/review/acknowledge/", {"key": error.key}, follow=True)
    assert "ข้อผิดพลาดรับทราบแทนการแก้ไขไม่ได้" in response.content.decode()
    assert not ReviewAcknowledgement.objects.filter(finding_key=error.key).exists()


def test_a_stale_finding_is_not_acknowledged(client, coordinator, demo_report):
    client.force_login(coordinator)
    response = client.post("/staff/2568/review/acknowledge/", {"key": "gone"}, follow=True)
    assert "ข้อความเปลี่ยนไป" in response.content.decode()
    assert demo_report.acknowledgements.count() == 4


def test_publishing_with_an_error_is_refused_at_the_service(approved, coordinator):
    wrong_score(approved)
    published = Change.objects.filter(action=Change.Action.PUBLISHED)
    published_before = published.count()
    with pytest.raises(workflow.PublishRefused) as refused, translation.override("th"):
        workflow.report_publish_approved(report=approved, by=coordinator)
    assert str(refused.value) == "ยังไม่เผยแพร่: การตรวจพบข้อผิดพลาด ๑ รายการ กรุณาแก้ไขก่อน"
    approved.refresh_from_db()
    assert approved.status == Report.Status.APPROVED
    assert Publication.objects.filter(report=approved).count() == 1
    assert published.count() == published_before


def test_publishing_with_an_error_shows_the_review(client, approved, coordinator):
    wrong_score(approved)
    client.force_login(coordinator)
    response = client.post("/staff/2568/publish/")
    assert response.url == "/staff/2568/review/"
    page = client.get(response.url).content.decode()
    assert "ยังไม่เผยแพร่: การตรวจพบข้อผิดพลาด ๑ รายการ กรุณาแก้ไขก่อน" in page
    assert "<mark>๙๒.๕๐</mark>" in page
    approved.refresh_from_db()
    assert approved.status == Report.Status.APPROVED
    assert approved.publications.count() == 1


def test_publishing_with_an_unacknowledged_warning_shows_the_review(client, approved, coordinator):
    approved.acknowledgements.filter(check_name="variants").delete()
    client.force_login(coordinator)
    response = client.post("/staff/2568/publish/", follow=True)
    page = response.content.decode()
    assert "ยังไม่เผยแพร่: มีคำเตือนจากการตรวจ ๑ รายการที่ยังไม่ได้รับทราบ" in page
    assert "รับทราบคำเตือนนี้" in page
    assert approved.publications.count() == 1

    client.post("/staff/2568/review/acknowledge/", {"key": variant_key(approved)})
    client.post("/staff/2568/publish/")
    assert approved.publications.count() == 2


def test_submitting_shows_what_the_review_found(client, coordinator, demo_report):
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.DRAFT)
    wrong_score(demo_report)
    client.force_login(coordinator)
    response = client.post("/staff/2568/submit/")
    assert response.url == "/staff/2568/review/"
    page = client.get(response.url).content.decode()
    assert "เสนอรายงานขออนุมัติแล้ว" in page
    assert "แก้ไขข้อผิดพลาด ๑ รายการก่อนเผยแพร่" in page
    demo_report.refresh_from_db()
    assert demo_report.status == Report.Status.SUBMITTED


def test_submitting_a_clear_report_stays_on_the_dashboard(client, coordinator, demo_report):
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.DRAFT)
    client.force_login(coordinator)
    assert client.post("/staff/2568/submit/").url == "/staff/2568/"


@pytest.mark.parametrize(("actor", "linked"), [("coordinator", True), ("approver", True)])
def test_the_dashboard_links_to_the_review(request, client, demo_report, actor, linked):
    client.force_login(request.getfixturevalue(actor))
    assert ('href="/staff/2568/review/"' in client.get("/staff/2568/").content.decode()) is linked


def test_division_staff_see_no_link_to_the_review(client, staff_palad, demo_report):
    client.force_login(staff_palad)
    assert "/staff/2568/review/" not in client.get("/staff/2568/").content.decode()


def test_the_command_and_the_page_name_the_place_alike(client, coordinator, demo_report, capsys):
    wrong_score(demo_report)
    with pytest.raises(CommandError), translation.override("th"):
        call_command("review_report", "mueang-phalai", "2568")
    error_line = capsys.readouterr().out.splitlines()[0]
    assert error_line.split("\t")[:4] == [
        "ข้อผิดพลาด",
        "มาตรการที่ ๕",
        "ผลลัพธ์หรือความสำเร็จ",
        "ข้อ ๑",
    ]
    client.force_login(coordinator)
    page = client.get("/staff/2568/review/").content.decode()
    assert '<span class="finding-location">มาตรการที่ ๕ ผลลัพธ์หรือความสำเร็จ ข้อ ๑</span>' in page


def test_the_review_speaks_english_when_asked(client, coordinator, demo_report):
    wrong_score(demo_report)
    client.force_login(coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    page = client.get("/staff/2568/review/").content.decode()
    assert "Review before publishing" in page
    assert "measure ๕ outcome item ๑" in page
    assert "The stored score of indicator ๑๐ is ๙๑.๐๐, not ๙๒.๕๐." in page
    assert "Correct ๑ error before publishing." in page
