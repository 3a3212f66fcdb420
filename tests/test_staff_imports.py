"""The coordinator's import pages: upload, preview (nothing written), confirm (all written)."""

import csv
import io
import os
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measures.document import report_document
from measures.models import Measure, Report
from measures.staff.imports import PENDING
from tests.test_imports_legacy import seed_docx
from tests.test_imports_report_text import SEED
from tests.test_imports_rows import HEADER, ROW, csv_file


@pytest.fixture(autouse=True)
def imports_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def empty_report(demo_report) -> Report:
    return Report.objects.create(agency=demo_report.agency, fiscal_year=2567)


def measures_of(report) -> list[dict]:
    return report_document(Report.objects.get(pk=report.pk))["measures"]


def exported_xlsx(client, year=2568) -> openpyxl.Workbook:
    response = client.get(f"/staff/{year}/export.xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def upload(name, data) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def xlsx_with_new_title(client, title) -> bytes:
    book = exported_xlsx(client)
    book.active["B2"] = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def preview(client, year, kind, **data):
    response = client.post(f"/staff/{year}/import/{kind}/", data)
    assert response.status_code == 200
    return response


def confirm(client, year, kind, token=None):
    token = token or client.session[PENDING]["token"]
    return client.post(f"/staff/{year}/import/{kind}/", {"token": token})


def test_the_spreadsheet_preview_shows_each_row_and_writes_nothing(
    coordinator_client, demo_report, imports_dir
):
    before = measures_of(demo_report)
    data = xlsx_with_new_title(coordinator_client, "มาตรการที่แก้ไขแล้ว")
    response = preview(coordinator_client, 2568, "measures", file=upload("measures.xlsx", data))
    content = response.content.decode()
    assert "มาตรการที่แก้ไขแล้ว" in content
    assert "ไฟล์: measures.xlsx" in content
    assert "แก้ไข ๑, เหมือนเดิม ๕" in content
    assert "ยืนยันการนำเข้า" in content
    assert measures_of(demo_report) == before
    assert len(list(imports_dir.iterdir())) == 1


def test_confirming_writes_the_previewed_file_and_forgets_it(
    coordinator_client, demo_report, imports_dir
):
    data = xlsx_with_new_title(coordinator_client, "มาตรการที่แก้ไขแล้ว")
    preview(coordinator_client, 2568, "measures", file=upload("measures.xlsx", data))
    response = confirm(coordinator_client, 2568, "measures")
    assert response.status_code == 302
    assert response.url == "/staff/2568/"
    assert demo_report.measures.get(number=1).title == "มาตรการที่แก้ไขแล้ว"
    assert list(imports_dir.iterdir()) == []
    assert PENDING not in coordinator_client.session
    page = coordinator_client.get(response.url).content.decode()
    assert "บันทึกการนำเข้าแล้ว" in page


def test_row_errors_are_shown_in_thai_with_row_and_column_and_nothing_is_kept(
    coordinator_client, demo_report, imports_dir
):
    before = measures_of(demo_report)
    bad = csv_file(ROW, ["2", *ROW[1:5], "กองสวัสดิการสังคม", *ROW[6:]]).getvalue()
    response = preview(coordinator_client, 2568, "measures", file=upload("m.csv", bad))
    content = response.content.decode()
    assert "แถวที่ ๓ คอลัมน์ “ผู้รับผิดชอบ”: ไม่พบส่วนราชการ “กองสวัสดิการสังคม”" in content
    assert "นำเข้าไฟล์นี้ไม่ได้ ไม่มีการบันทึกข้อมูลใด" in content
    assert "ยืนยันการนำเข้า" not in content
    assert measures_of(demo_report) == before
    assert list(imports_dir.iterdir()) == []
    assert PENDING not in coordinator_client.session


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"%PDF-1.7", "นำเข้าได้เฉพาะไฟล์ที่ลงท้ายด้วย .xlsx, .csv"),
        ("fake.xlsx", b"%PDF-1.7\n%%EOF", "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) แม้ชื่อไฟล์จะระบุเช่นนั้น"),
        ("empty.csv", b"", "ไฟล์ว่างเปล่า"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_clear_error(
    coordinator_client, demo_report, name, data, message
):
    before = measures_of(demo_report)
    response = preview(coordinator_client, 2568, "measures", file=upload(name, data))
    assert message in response.content.decode()
    assert measures_of(demo_report) == before


def test_no_file_is_an_error(coordinator_client, demo_report):
    response = preview(coordinator_client, 2568, "measures")
    assert "เลือกไฟล์" in response.content.decode()


def test_a_file_over_the_limit_is_refused(coordinator_client, demo_report, settings):
    settings.IMPORT_MAX_BYTES = 1024
    response = preview(coordinator_client, 2568, "measures", file=upload("big.csv", b"a," * 2000))
    assert "ไฟล์มีขนาดเกินกำหนด" in response.content.decode()


def test_pasted_text_of_last_years_report_is_previewed_then_imported(
    coordinator_client, empty_report
):
    response = preview(coordinator_client, 2567, "report", text=SEED.read_text(encoding="utf-8"))
    assert "ใหม่ ๖" in response.content.decode()
    assert not empty_report.measures.exists()
    response = confirm(coordinator_client, 2567, "report")
    assert response.url == "/staff/2567/"
    imported = measures_of(empty_report)
    assert [m["title"] for m in imported] == [
        m["title"] for m in measures_of(Report.objects.get(fiscal_year=2568))
    ]


def test_a_word_file_imports_like_the_text(coordinator_client, empty_report):
    preview(coordinator_client, 2567, "report", file=upload("2567.docx", seed_docx()))
    confirm(coordinator_client, 2567, "report")
    from_word = measures_of(empty_report)
    assert len(from_word) == 6
    preview(coordinator_client, 2567, "report", file=upload("2567.txt", SEED.read_bytes()))
    page = coordinator_client.get("/staff/2567/import/report/")
    assert page.status_code == 200
    confirm(coordinator_client, 2567, "report")
    assert measures_of(empty_report) == from_word


def test_the_cover_warnings_are_shown_in_the_preview(coordinator_client, demo_report):
    response = preview(coordinator_client, 2568, "report", text=SEED.read_text(encoding="utf-8"))
    content = response.content.decode()
    assert "หน้าปกเขียนว่า “อำเภอบวลาย”" in content
    assert "ยืนยันการนำเข้า" in content


def test_an_error_in_pasted_text_names_its_line_in_thai_digits(coordinator_client, empty_report):
    text = SEED.read_text(encoding="utf-8").replace("ม.ค. - เม.ย.", "ม.ค. - เมย.ย.")
    response = preview(coordinator_client, 2567, "report", text=text)
    content = response.content.decode()
    assert "บรรทัดที่ ๓๖: คอลัมน์ “ระยะเวลาดำเนินการ”: ไม่รู้จักเดือน “เมย.ย.”" in content
    assert "ยืนยันการนำเข้า" not in content
    assert not empty_report.measures.exists()


def test_a_file_and_pasted_text_together_are_refused(coordinator_client, empty_report):
    response = preview(
        coordinator_client,
        2567,
        "report",
        text=SEED.read_text(encoding="utf-8"),
        file=upload("2567.docx", seed_docx()),
    )
    assert "เลือกไฟล์หรือวางข้อความ อย่างใดอย่างหนึ่ง" in response.content.decode()
    assert not empty_report.measures.exists()


def test_a_confirm_whose_file_is_gone_is_refused(coordinator_client, empty_report, imports_dir):
    preview(coordinator_client, 2567, "report", text=SEED.read_text(encoding="utf-8"))
    for path in imports_dir.iterdir():
        path.unlink()
    response = confirm(coordinator_client, 2567, "report")
    assert response.url == "/staff/2567/import/report/"
    assert not empty_report.measures.exists()
    page = coordinator_client.get(response.url).content.decode()
    assert "ไฟล์ที่ดูตัวอย่างไว้ไม่อยู่แล้วหรือถูกเปลี่ยน" in page


def test_a_confirm_whose_file_changed_is_refused(coordinator_client, empty_report, imports_dir):
    preview(coordinator_client, 2567, "report", text=SEED.read_text(encoding="utf-8"))
    [stored] = imports_dir.iterdir()
    stored.write_bytes(SEED.read_bytes().replace("จัดทำ".encode(), "ทำลาย".encode()))
    response = confirm(coordinator_client, 2567, "report")
    assert response.url == "/staff/2567/import/report/"
    assert not empty_report.measures.exists()


@pytest.mark.parametrize(
    "where", ["a forged token", "a token in Thai", "another report", "the other import"]
)
def test_a_confirm_for_something_else_is_refused(
    coordinator_client, demo_report, empty_report, where
):
    preview(coordinator_client, 2567, "report", text=SEED.read_text(encoding="utf-8"))
    token = coordinator_client.session[PENDING]["token"]
    before = Measure.objects.count()
    url = {
        "a forged token": ("/staff/2567/import/report/", "../../settings.py"),
        "a token in Thai": ("/staff/2567/import/report/", "โทเค็น"),
        "another report": ("/staff/2568/import/report/", token),
        "the other import": ("/staff/2567/import/measures/", token),
    }[where]
    response = coordinator_client.post(url[0], {"token": url[1]})
    assert response.status_code == 302
    assert response.url == url[0]
    assert Measure.objects.count() == before


def test_a_report_changed_since_the_preview_is_previewed_again(coordinator_client, demo_report):
    data = xlsx_with_new_title(coordinator_client, "มาตรการที่แก้ไขแล้ว")
    preview(coordinator_client, 2568, "measures", file=upload("measures.xlsx", data))
    Measure.objects.filter(report=demo_report, number=2).update(title="แก้ไขระหว่างนั้น")
    response = confirm(coordinator_client, 2568, "measures")
    assert response.status_code == 200
    content = response.content.decode()
    assert "รายงานเปลี่ยนไปหลังจากดูตัวอย่าง" in content
    assert "แก้ไข ๒, เหมือนเดิม ๔" in content
    assert demo_report.measures.get(number=1).title != "มาตรการที่แก้ไขแล้ว"
    confirm(coordinator_client, 2568, "measures")
    assert demo_report.measures.get(number=1).title == "มาตรการที่แก้ไขแล้ว"


def test_an_import_into_a_submitted_report_returns_it_to_draft(coordinator_client, demo_report):
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.SUBMITTED)
    data = xlsx_with_new_title(coordinator_client, "มาตรการที่แก้ไขแล้ว")
    preview(coordinator_client, 2568, "measures", file=upload("measures.xlsx", data))
    demo_report.refresh_from_db()
    assert demo_report.status == Report.Status.SUBMITTED
    confirm(coordinator_client, 2568, "measures")
    demo_report.refresh_from_db()
    assert demo_report.status == Report.Status.DRAFT


def test_the_export_holds_the_reports_measures(coordinator_client, demo_report):
    sheet = exported_xlsx(coordinator_client).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(HEADER)]) == HEADER
    assert [row[1] for row in rows[1:]] == [m.title for m in demo_report.measures.all()]
    response = coordinator_client.get("/staff/2568/export.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "attachment" in response["Content-Disposition"]
    assert len(list(csv.reader(io.StringIO(text[1:])))) == 1 + demo_report.measures.count()


def test_previews_never_confirmed_are_deleted_once_their_session_has_expired(
    coordinator_client, empty_report, imports_dir, settings
):
    abandoned, recent = imports_dir / "abandoned.upload", imports_dir / "recent.upload"
    abandoned.write_bytes(b"old")
    recent.write_bytes(b"new")
    old = time.time() - settings.SESSION_COOKIE_AGE - 60
    os.utime(abandoned, (old, old))
    preview(coordinator_client, 2567, "report", text=SEED.read_text(encoding="utf-8"))
    assert not abandoned.exists()
    assert recent.exists()
    assert len(list(imports_dir.iterdir())) == 2


def test_only_the_coordinators_dashboard_links_to_the_data_pages(
    client, coordinator, staff_palad, demo_report
):
    client.force_login(coordinator)
    content = client.get("/staff/2568/").content.decode()
    for url in ["/staff/2568/import/measures/", "/staff/2568/export.xlsx"]:
        assert f'href="{url}"' in content
    client.force_login(staff_palad)
    content = client.get("/staff/2568/").content.decode()
    assert "/import/" not in content


def test_the_exported_xlsx_reads_in_excel_without_resizing(coordinator_client, demo_report):
    sheet = exported_xlsx(coordinator_client).active
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHI"}
    assert all(8 <= width <= 80 for width in widths.values()), widths
    assert widths["B"] == 80  # the long titles wrap instead of widening the column
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]][:3] == [
        "ลำดับ",
        "มาตรการ โครงการ หรือกิจกรรม",
        "วิธีดำเนินการ",
    ]
    assert sheet["C2"].alignment.wrap_text and sheet["A1"].font.bold


def test_the_blank_template_explains_its_columns_and_imports_as_it_is(
    coordinator_client, empty_report
):
    response = coordinator_client.get("/staff/2567/import/template.xlsx")
    assert response["Content-Disposition"] == (
        'attachment; filename="mueang-phalai-2567-import-template.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    measures, notes = book.worksheets
    assert [cell.value for cell in measures[1]] == [cell.value for cell in notes["A"][1:]]
    assert measures["D2"].value == "ต.ค. 2566" and measures["E2"].value == "ก.ย. 2567"
    explained = "\n".join(str(cell.value) for cell in notes["B"])
    assert "“ต.ค. ๒๕๖๗” หรือ “ตุลาคม 2567”" in explained
    assert max(notes.column_dimensions[letter].width for letter in "ABC") <= 80

    preview(coordinator_client, 2567, "measures", file=upload("template.xlsx", response.content))
    confirm(coordinator_client, 2567, "measures")
    (imported,) = measures_of(empty_report)
    assert imported["title"] == "การเผยแพร่ข้อมูลข่าวสารของหน่วยงานผ่านเว็บไซต์"
    assert imported["methods"] == ["จัดทำข้อมูลที่ต้องเผยแพร่", "เผยแพร่ทางเว็บไซต์ของหน่วยงาน"]
    assert imported["period"] == {
        "start_month": 10,
        "start_year": 2566,
        "end_month": 9,
        "end_year": 2567,
    }
    assert imported["divisions"] == ["สำนักปลัด"] and imported["indicators"] == [9]


def test_the_import_page_links_to_the_template(coordinator_client, demo_report):
    content = coordinator_client.get("/staff/2568/import/measures/").content.decode()
    assert 'href="/staff/2568/import/template.xlsx">แบบฟอร์มเปล่า (.xlsx)</a>' in content


def test_the_preview_warns_of_another_years_file_and_counts_the_measures_it_replaces(
    coordinator_client, empty_report
):
    Measure.objects.create(report=empty_report, number=1, title="มาตรการที่มีอยู่แล้ว")
    response = preview(coordinator_client, 2567, "report", text=SEED.read_text(encoding="utf-8"))
    content = response.content.decode()
    assert "ไฟล์นี้เป็นรายงานปีงบประมาณ พ.ศ. ๒๕๖๘ แต่กำลังนำเข้าในรายงานปีงบประมาณ พ.ศ. ๒๕๖๗" in content
    assert "ไฟล์นี้จะแทนที่มาตรการทั้ง ๑ มาตรการที่มีอยู่ในรายงานปีงบประมาณ พ.ศ. ๒๕๖๗" in content
    assert "ไม่ใช่องค์การบริหารส่วนตำบล" not in content
    assert "ยืนยันการนำเข้า" in content


def test_the_preview_warns_of_another_agencys_file(coordinator_client, demo_report):
    text = SEED.read_text(encoding="utf-8").replace("เมืองพะไล", "หนองบัวแดง")
    content = preview(coordinator_client, 2568, "report", text=text).content.decode()
    assert "ไฟล์นี้ระบุชื่อ “องค์การบริหารส่วนตำบลหนองบัวแดง” ไม่ใช่องค์การบริหารส่วนตำบลเมืองพะไล" in content
    assert "ไฟล์นี้เป็นรายงานปีงบประมาณ" not in content
