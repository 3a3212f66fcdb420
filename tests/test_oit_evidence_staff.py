import pytest
from django.core.files.storage import default_storage

from measures.models import Evidence, EvidenceFile, OitItem, Report
from reports.artefacts import listdir
from tests.evidence_samples import jpeg_bytes, pdf_bytes, upload


@pytest.fixture
def o21(demo_report):
    return OitItem.objects.get(oit_list__year=2568, code="O21")


def test_the_coordinator_adds_a_link_and_a_file_to_an_item(client, coordinator, o21):
    client.force_login(coordinator)
    url = f"/staff/2568/ita/{o21.pk}/"
    added = client.post(url, {"title": "ประกาศเจตนารมณ์", "url": "nacc.go.th/no-gift"}, follow=True)
    assert "เพิ่มลิงก์แล้ว" in added.content.decode()
    client.post(url, {"file": upload("ประกาศ.pdf", pdf_bytes())})
    link, file = Evidence.objects.filter(oit_item=o21).order_by("pk")
    assert link.url == "https://nacc.go.th/no-gift"
    version = file.current_file()
    assert (version.name, version.content_type) == ("ประกาศ.pdf", "application/pdf")
    assert version.file.name == f"evidence/{version.sha256[:2]}/{version.sha256}.pdf"
    with default_storage.open(version.file.name) as stored:
        assert stored.read() == pdf_bytes()
    page = client.get(url).content.decode()
    assert "ประกาศเจตนารมณ์" in page
    assert "ประกาศ.pdf" in page


def test_a_refused_file_says_why_in_thai_and_stores_nothing(client, coordinator, o21):
    client.force_login(coordinator)
    response = client.post(
        f"/staff/2568/ita/{o21.pk}/", {"file": upload("รายงาน.pdf", b"MZ\x90\x00" + b"\0" * 64)}
    )
    assert "รับเฉพาะไฟล์ PDF, JPEG, PNG, XLSX และ DOCX" in response.content.decode()
    assert not Evidence.objects.exists()
    assert listdir("evidence") == ([], [])


def post_as_sent(client, url, name: str, content: bytes):
    """A multipart POST carrying the file name byte for byte: the test client and
    SimpleUploadedFile would cut it to its last part first, as a browser always does."""
    boundary = "----ita-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={boundary}"
    )


@pytest.mark.parametrize(
    "name", ["../../etc/ประกาศ.pdf", "..\\ประกาศ.pdf", "ประ\x01กาศ.pdf", "ก\u202eฟดp.pdf"]
)
def test_a_posted_name_with_a_folder_or_control_characters_is_refused_in_thai(
    client, coordinator, o21, name
):
    # Django's parser would keep "ประกาศ.pdf" silently; the name as sent is what is checked.
    client.force_login(coordinator)
    response = post_as_sent(client, f"/staff/2568/ita/{o21.pk}/", name, pdf_bytes())
    assert response.status_code == 200
    assert "ชื่อไฟล์ต้องไม่อ้างถึงโฟลเดอร์" in response.content.decode()
    assert not Evidence.objects.exists()
    assert listdir("evidence") == ([], [])


def test_a_name_sent_plainly_passes_the_same_way(client, coordinator, o21):
    client.force_login(coordinator)
    response = post_as_sent(
        client, f"/staff/2568/ita/{o21.pk}/", "ประกาศ (ฉบับที่ 2).pdf", pdf_bytes()
    )
    assert response.status_code == 302
    assert EvidenceFile.objects.get().name == "ประกาศ (ฉบับที่ 2).pdf"


def test_a_replaced_file_keeps_its_url_and_earlier_versions_stay_for_the_agency(
    client, coordinator, staff_finance, o21
):
    client.force_login(coordinator)
    client.post(f"/staff/2568/ita/{o21.pk}/", {"file": upload("ประกาศ.pdf", pdf_bytes("เดิม"))})
    evidence = Evidence.objects.get()
    replaced = client.post(
        f"/staff/evidence/{evidence.pk}/", {"file": upload("ประกาศ-แก้.pdf", pdf_bytes("ใหม่"))}
    )
    assert replaced.status_code == 302
    first, _second = evidence.files.order_by("pk")
    public = client.get(f"/mueang-phalai/ita/2568/files/{evidence.pk}/")
    assert b"".join(public.streaming_content) == pdf_bytes("ใหม่")
    client.force_login(staff_finance)
    earlier = client.get(f"/staff/evidence/{evidence.pk}/versions/{first.pk}/")
    assert b"".join(earlier.streaming_content) == pdf_bytes("เดิม")
    assert earlier["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    client.logout()
    assert client.get(f"/staff/evidence/{evidence.pk}/versions/{first.pk}/").status_code == 302


def test_division_staff_add_a_photo_to_a_result_which_reopens_the_report(
    client, staff_palad, demo_report
):
    measure = demo_report.measures.get(number=6)
    client.force_login(staff_palad)
    response = client.post(
        f"/staff/measures/{measure.pk}/evidence/",
        {"result": "1", "title": "ภาพกิจกรรม", "file": upload("ภาพ.jpg", jpeg_bytes())},
        follow=True,
    )
    assert "เพิ่มไฟล์แล้ว" in response.content.decode()
    evidence = Evidence.objects.get(measure=measure)
    assert evidence.result_number == 1
    demo_report.refresh_from_db()
    assert demo_report.status == Report.Status.DRAFT


def test_the_dashboard_and_the_review_list_the_items_without_evidence(client, coordinator, o21):
    client.force_login(coordinator)
    dashboard = client.get("/staff/2568/").content.decode()
    assert "ข้อ OIT ที่ยังไม่มีหลักฐาน ๒๓ ข้อ" in dashboard
    assert str(o21) in dashboard
    client.post(f"/staff/2568/ita/{o21.pk}/", {"url": "https://example.org/o21"})
    dashboard = client.get("/staff/2568/").content.decode()
    assert "ข้อ OIT ที่ยังไม่มีหลักฐาน ๒๒ ข้อ" in dashboard
    assert str(o21) not in dashboard
    review = client.get("/staff/2568/review/").content.decode()
    assert "ข้อ OIT ที่ยังไม่มีหลักฐาน ๒๒ ข้อ" in review
    # The plan is not published by the portal yet: its item has no evidence.
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน</a>" in review


def test_a_60_mb_file_is_refused_in_thai_and_nothing_is_stored(client, coordinator, o21):
    client.force_login(coordinator)
    big = pdf_bytes() + b"\0" * (60 * 1024 * 1024)
    response = client.post(f"/staff/2568/ita/{o21.pk}/", {"file": upload("ใหญ่.pdf", big)})
    assert "ไฟล์นี้มีขนาด ๖๐.๐ เมกะไบต์ รับได้ไม่เกิน ๕๐ เมกะไบต์" in response.content.decode()
    assert not Evidence.objects.exists()
    assert listdir("evidence") == ([], [])
