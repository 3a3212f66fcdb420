"""Responsible units that are no division, mapped in the import's preview and remembered."""

import pytest

from measures.models import DivisionMapping, Report
from tests.import_shapes import seed_parts, tab_text
from tests.test_staff_imports import PENDING, confirm, imports_dir  # noqa: F401 (a fixture)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def empty_report(demo_report) -> Report:
    return Report.objects.create(agency=demo_report.agency, fiscal_year=2567)


def units_text() -> str:
    """The seed with its first measure given to units the agency does not have."""
    rows = seed_parts()[1]
    rows[0] = [*rows[0][:3], "งานพัสดุ, ฝ่ายบริหารทั่วไป กองสวัสดิการสังคม", *rows[0][4:]]
    return tab_text(rows)


def test_unknown_units_are_offered_for_mapping_and_remembered(
    coordinator_client,
    empty_report,
    imports_dir,  # noqa: F811
):
    page = coordinator_client.post("/staff/2567/import/report/", {"text": units_text()})
    content = page.content.decode()
    assert "ไม่พบส่วนราชการ “งานพัสดุ”" in content
    assert "ผู้รับผิดชอบที่ไม่ใช่ส่วนราชการของหน่วยงาน" in content
    assert "ยืนยันการนำเข้า" not in content
    agency = empty_report.agency
    treasury = agency.divisions.get(name="กองคลัง")
    token = coordinator_client.session[PENDING]["token"]
    page = coordinator_client.post(
        "/staff/2567/import/report/",
        {
            "token": token,
            "map": "1",
            "unit-0": str(treasury.pk),
            "unit-1": "all",
            "unit-2": "new",
        },
    )
    content = page.content.decode()
    assert "อ่าน “งานพัสดุ” เป็น กองคลัง ตามที่ผู้ประสานงานของหน่วยงานเลือกไว้ก่อนหน้านี้" in content
    assert "ยืนยันการนำเข้า" in content
    assert not empty_report.measures.exists()
    confirm(coordinator_client, 2567, "report")
    first = empty_report.measures.get(number=1)
    assert [d.name for d in first.divisions.all()] == [
        "สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ", "กองสวัสดิการสังคม"
    ]  # fmt: skip
    assert set(DivisionMapping.objects.filter(agency=agency).values_list("name", flat=True)) == {
        "งานพัสดุ",
        "ฝ่ายบริหารทั่วไป",
    }
    again = coordinator_client.post("/staff/2567/import/report/", {"text": units_text()})
    assert "ยืนยันการนำเข้า" in again.content.decode()


def test_a_mapping_must_choose_for_every_unit(coordinator_client, empty_report, imports_dir):  # noqa: F811
    coordinator_client.post("/staff/2567/import/report/", {"text": units_text()})
    token = coordinator_client.session[PENDING]["token"]
    page = coordinator_client.post(
        "/staff/2567/import/report/", {"token": token, "map": "1", "unit-0": "all"}
    )
    assert "ยืนยันการนำเข้า" not in page.content.decode()
    assert not DivisionMapping.objects.exists()
    assert not empty_report.agency.divisions.filter(name="กองสวัสดิการสังคม").exists()
