import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from measures.models import AcceptedWord, Change, Measure


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "x-password-1")
    client.force_login(user)
    return client


def test_the_admin_lists_and_edits_measures_with_their_lists_inline(admin_client, demo_report):
    measure = demo_report.measures.get(number=2)
    response = admin_client.get(reverse("admin:measures_measure_change", args=[measure.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for heading in ("วิธีดำเนินการ", "ผลการดำเนินการ", "ผลลัพธ์หรือความสำเร็จ"):
        assert heading in content
    assert measure.methods.first().text in content


def test_the_admin_refuses_a_division_of_another_agency(admin_client, demo_report, agency):
    measure = demo_report.measures.get(number=6)
    foreign = agency.divisions.first()
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = {
        "report": demo_report.pk,
        "number": 6,
        "title": measure.title,
        "divisions": [foreign.pk],
        **{f"{prefix}-TOTAL_FORMS": 0 for prefix in ("methods", "results", "outcomes")},
        **{f"{prefix}-INITIAL_FORMS": 0 for prefix in ("methods", "results", "outcomes")},
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "ไม่ได้สังกัดหน่วยงานของรายงาน" in response.content.decode()
    assert list(Measure.objects.get(pk=measure.pk).divisions.values_list("name", flat=True)) == [
        "สำนักปลัด"
    ]


@pytest.mark.browser
def test_the_admin_login_page_opens_in_a_browser(page):
    page.goto("/admin/")
    assert page.locator("input[name=username]").is_visible()
    assert "เข้าสู่ระบบ" in page.content()


def test_the_admin_records_who_added_an_accepted_word(admin_client, demo_report):
    url = reverse("admin:measures_acceptedword_add")
    response = admin_client.post(url, {"agency": demo_report.agency.pk, "word": "บวลาย"})
    assert response.status_code == 302
    word = AcceptedWord.objects.get()
    assert (word.agency, word.word, word.added_by.username) == (demo_report.agency, "บวลาย", "root")


def test_an_accepted_word_is_one_word(demo_report):
    with pytest.raises(IntegrityError), transaction.atomic():
        AcceptedWord.objects.create(agency=demo_report.agency, word="บ้าน บวลาย")
    assert not AcceptedWord.objects.exists()


def test_the_admin_refuses_an_accepted_word_with_a_space(admin_client, demo_report):
    url = reverse("admin:measures_acceptedword_add")
    response = admin_client.post(url, {"agency": demo_report.agency.pk, "word": "บ้าน บวลาย"})
    assert response.status_code == 200
    assert "คำที่ยอมรับต้องเป็นคำเดียว" in response.content.decode()
    assert not AcceptedWord.objects.exists()


def test_the_admin_shows_the_change_history_read_only(admin_client, demo_report):
    change = Change.objects.create(
        report=demo_report, action=Change.Action.SUBMITTED, subject="รายงาน ๒๕๖๘"
    )
    listing = admin_client.get(reverse("admin:measures_change_changelist"))
    assert "รายงาน ๒๕๖๘" in listing.content.decode()
    url = reverse("admin:measures_change_change", args=[change.pk])
    admin_client.post(url, {"subject": "แก้ไข"})
    change.refresh_from_db()
    assert change.subject == "รายงาน ๒๕๖๘"
    assert admin_client.get(reverse("admin:measures_change_add")).status_code == 403


def test_the_admin_shows_the_evidence_and_its_file_versions_read_only(
    admin_client, demo_report, staff_palad
):
    from measures.oit.services import evidence_add
    from measures.oit.uploads import check_upload
    from tests.evidence_samples import pdf_bytes, upload

    evidence = evidence_add(
        agency=demo_report.agency,
        by=staff_palad,
        measure=demo_report.measures.get(number=2),
        result_number=1,
        title="คำสั่งแต่งตั้ง",
        upload=check_upload(upload("คำสั่ง.pdf", pdf_bytes())),
    )
    listing = admin_client.get(reverse("admin:measures_evidence_changelist"), {"q": "คำสั่ง.pdf"})
    assert "คำสั่งแต่งตั้ง" in listing.content.decode()
    detail = admin_client.get(reverse("admin:measures_evidence_change", args=[evidence.pk]))
    content = detail.content.decode()
    assert "คำสั่ง.pdf" in content and "application/pdf" in content
    assert 'name="_save"' not in content
    assert admin_client.get(reverse("admin:measures_evidence_add")).status_code == 403
    delete = reverse("admin:measures_evidence_delete", args=[evidence.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert evidence.files.count() == 1


@pytest.mark.browser
def test_the_admin_scripts_speak_thai(page, demo_report, django_user_model):
    """What the admin's scripts write (the selection counter, the two-list chooser) is in Thai:
    Django's own catalogue leaves "selected" in English."""
    from tests.test_thai_pages import data_words, english_words

    django_user_model.objects.create_superuser("root", "root@example.com", "root-pass-1")
    page.goto("/admin/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("root")
    page.get_by_label("รหัสผ่าน").fill("root-pass-1")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(reverse("admin:measures_agency_changelist"))
    counter = page.locator(".action-counter")
    assert counter.inner_text() == "เลือกแล้ว 0 จาก 1 รายการ"
    page.locator("input.action-select").first.check()
    assert counter.inner_text() == "เลือกแล้ว 1 จาก 1 รายการ"
    known = data_words("root", demo_report.agency.slug)
    assert english_words(page.locator("body").inner_html(), known) == set()
    page.goto(reverse("admin:auth_group_add"))
    chooser = page.locator(".selector")
    chooser.first.wait_for()
    assert english_words(chooser.first.inner_html(), set()) == set()
