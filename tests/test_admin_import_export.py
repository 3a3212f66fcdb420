"""The admin's spreadsheet import (preview, then confirm) and export of a report's measures."""

import io
import re

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.document import report_document
from measures.imports.resources import measures_file
from measures.models import Report

XLSX = 0  # position of the format in the admin's choice


def upload(admin_client, report, data, name="measures.xlsx"):
    return admin_client.post(
        reverse("admin:measures_measure_import"),
        {
            "report": report.pk,
            "format": XLSX,
            "import_file": SimpleUploadedFile(name, data),
        },
    )


def test_the_import_previews_then_writes_only_on_confirmation(admin_client, demo_report):
    target = Report.objects.create(agency=demo_report.agency, fiscal_year=2569)
    response = upload(admin_client, target, measures_file(demo_report.measures.all(), "xlsx"))
    content = response.content.decode()
    assert content.count('<tr class="new">') == 6
    assert "ยืนยันการนำเข้า" in content
    assert "กองการศึกษาฯ" in content
    assert target.measures.count() == 0

    confirm = {
        name: value
        for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', content)
        if name in {"import_file_name", "original_file_name", "format", "resource", "report"}
    }
    assert confirm["report"] == str(target.pk)
    response = admin_client.post(reverse("admin:measures_measure_process_import"), confirm)
    assert response.status_code == 302
    assert report_document(target)["measures"] == report_document(demo_report)["measures"]


def test_the_import_shows_row_errors_and_offers_no_confirmation(admin_client, demo_report):
    book = openpyxl.load_workbook(io.BytesIO(measures_file(demo_report.measures.all(), "xlsx")))
    book.active["F3"] = "กองสวัสดิการสังคม"
    data = io.BytesIO()
    book.save(data)
    before = report_document(demo_report)
    content = upload(admin_client, demo_report, data.getvalue()).content.decode()
    assert "ไม่พบส่วนราชการ “กองสวัสดิการสังคม”" in content
    assert "process_import" not in content
    assert report_document(demo_report) == before


def test_a_pdf_named_xlsx_is_refused_with_a_thai_message(admin_client, demo_report):
    content = upload(admin_client, demo_report, b"%PDF-1.7\n%%EOF").content.decode()
    assert "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) แม้ชื่อไฟล์จะระบุเช่นนั้น" in content


def test_an_upload_over_the_limit_is_refused(admin_client, demo_report, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    content = upload(admin_client, demo_report, bytes(1024 * 1024 + 1)).content.decode()
    assert "ไฟล์มีขนาดเกินกำหนด ๑ MB" in content


def test_the_export_downloads_the_selected_measures(admin_client, demo_report):
    response = admin_client.post(
        reverse("admin:measures_measure_export"),
        {
            "format": XLSX,
            **{
                f"measureresource_{name}": "on"
                for name in (
                    "number",
                    "title",
                    "methods",
                    "start",
                    "end",
                    "divisions",
                    "results",
                    "outcomes",
                    "indicators",
                )
            },
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [1, 2, 3, 4, 5, 6]
