import csv
import io

import pytest
from django.urls import reverse

from measures.models import OitItem
from measures.oit.services import evidence_add
from measures.oit.uploads import check_upload
from measures.workflow import report_withdraw
from tests.evidence_samples import pdf_bytes, upload


@pytest.fixture
def o21(demo_report):
    return OitItem.objects.get(oit_list__year=2568, code="O21")


@pytest.fixture
def evidence(demo_report, o21, coordinator):
    agency = demo_report.agency
    link = evidence_add(
        agency=agency,
        by=coordinator,
        oit_item=o21,
        url="https://example.org/no-gift",
        title="ประกาศ",
    )
    file = evidence_add(
        agency=agency,
        by=coordinator,
        oit_item=o21,
        upload=check_upload(upload("ประกาศเจตนารมณ์.pdf", pdf_bytes())),
    )
    return link, file


def test_the_2568_page_lists_the_items_with_the_report_linked(client, demo_report):
    response = client.get("/mueang-phalai/ita/2568/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "ข้อมูลการเปิดเผยสำหรับการประเมิน ITA ๒๕๖๘" in page
    assert "O1</span> โครงสร้างและอำนาจหน้าที่" in page
    assert '<a href="/mueang-phalai/2568/">รายงานผลการดำเนินการตามมาตรการ ปีงบประมาณ ๒๕๖๘</a>' in page
    assert "มาตรการที่เผยแพร่ในพอร์ทัลนี้: <strong>ยังไม่เผยแพร่</strong>" in page
    assert page.index("O1</span>") < page.index("O24</span>") < page.index("O25</span>")
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_each_item_has_a_stable_url_with_a_copy_button(client, demo_report, o21, evidence):
    page = client.get("/mueang-phalai/ita/2568/").content.decode()
    item_url = f"http://testserver/mueang-phalai/ita/2568/{o21.pk}/"
    assert f'data-url="{item_url}"' in page
    item = client.get(item_url).content.decode()
    assert "O21</span> ประกาศเจตนารมณ์และการสร้างวัฒนธรรม" in item
    assert '<a href="https://example.org/no-gift" rel="noopener">ประกาศ</a>' in item
    assert f"/mueang-phalai/ita/2568/files/{evidence[1].pk}/" in item
    assert "O22" not in item


def test_the_list_downloads_as_csv_with_every_url(client, demo_report, o21, evidence):
    response = client.get("/mueang-phalai/ita/2568/items.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["รหัสข้อ", "ตัวชี้วัดย่อย", "ข้อ", "ลิงก์ของข้อ", "เอกสารและหลักฐาน"]
    row = next(row for row in rows if row[0] == "O21")
    assert row[3] == f"http://testserver/mueang-phalai/ita/2568/{o21.pk}/"
    assert row[4].splitlines() == [
        "https://example.org/no-gift",
        f"http://testserver/mueang-phalai/ita/2568/files/{evidence[1].pk}/",
    ]
    title = "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    report_row = next(row for row in rows if row[2] == title)
    assert report_row[4] == "http://testserver/mueang-phalai/2568/"


def test_an_items_file_is_served_with_its_type_thai_name_and_cache_headers(client, evidence):
    file = evidence[1]
    response = client.get(f"/mueang-phalai/ita/2568/files/{file.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%81%E0%B8%B2%E0%B8%A8"
        "%E0%B9%80%E0%B8%88%E0%B8%95%E0%B8%99%E0%B8%B2%E0%B8%A3%E0%B8%A1%E0%B8%93%E0%B9%8C.pdf"
    )
    assert response["Cache-Control"] == "public, max-age=60"
    assert b"".join(response.streaming_content) == pdf_bytes()
    etag = response["ETag"]
    assert (
        client.get(response.wsgi_request.path, headers={"if-none-match": etag}).status_code == 304
    )


def test_nothing_of_a_withdrawn_report_year_is_public(client, demo_report, evidence, coordinator):
    report_withdraw(report=demo_report, by=coordinator, reason="ไฟล์ผิด")
    for url in [
        "/mueang-phalai/ita/2568/",
        "/mueang-phalai/ita/2568/items.csv",
        f"/mueang-phalai/ita/2568/{evidence[0].oit_item_id}/",
        f"/mueang-phalai/ita/2568/files/{evidence[1].pk}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_member_sees_the_unpublished_page_marked_and_never_cached(
    client, demo_report, evidence, coordinator
):
    report_withdraw(report=demo_report, by=coordinator, reason="ไฟล์ผิด")
    client.force_login(coordinator)
    response = client.get(reverse("reports:ita", args=["mueang-phalai", 2568]))
    assert "ยังไม่เผยแพร่</strong> หน่วยงานของท่านเท่านั้นที่เห็นหน้านี้" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_agency_page_links_the_years_whose_ita_page_is_public(client, demo_report):
    page = client.get("/mueang-phalai/").content.decode()
    assert '<a href="/mueang-phalai/ita/2569/">ข้อมูลการเปิดเผยสำหรับการประเมิน ITA ๒๕๖๙</a>' in page
    assert '<a href="/mueang-phalai/ita/2568/">ข้อมูลการเปิดเผยสำหรับการประเมิน ITA ๒๕๖๘</a>' in page
    assert "/mueang-phalai/ita/2567/" not in page
    assert client.get("/mueang-phalai/ita/2567/").status_code == 404


def test_2569s_report_item_links_the_report_of_the_year_before(client, demo_report):
    page = client.get("/mueang-phalai/ita/2569/").content.decode()
    assert '<a href="/mueang-phalai/2568/">รายงานผลการดำเนินการตามมาตรการ ปีงบประมาณ ๒๕๖๘</a>' in page
    assert "การวิเคราะห์ผลการประเมินปีที่ผ่านมาที่เผยแพร่ในพอร์ทัลนี้: <strong>ยังไม่เผยแพร่</strong>" in page


@pytest.mark.parametrize("files", [1, 8])
def test_the_page_takes_a_fixed_number_of_queries(
    client, demo_report, coordinator, django_assert_num_queries, files
):
    for item in OitItem.objects.filter(oit_list__year=2568)[:files]:
        evidence_add(
            agency=demo_report.agency,
            by=coordinator,
            oit_item=item,
            upload=check_upload(upload(f"{item.code or 'x'}.pdf", pdf_bytes())),
        )
    # agency, list, who may see it (published report years, the lists' items), then the rows:
    # items, evidence, their files, published report years
    with django_assert_num_queries(8):
        response = client.get("/mueang-phalai/ita/2568/")
    assert response.content.decode().count("/mueang-phalai/ita/2568/files/") == files
