"""The batch export: a ZIP of every published PDF of a fiscal year, by command and in the admin."""

import io
import subprocess
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from measures.models import Report
from measures.workflow import report_publish


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True
    )
    return "".join(result.stdout.decode().split())


@pytest.fixture
def two_published(demo_report, agency, coordinator):
    other = Report.objects.create(agency=agency, fiscal_year=2568, introduction="ทดสอบ")
    measure = other.measures.create(
        number=1, title="มาตรการทดสอบ", start_month=10, start_year=2567, end_month=9, end_year=2568
    )
    measure.divisions.set(agency.divisions.all())
    for items in (measure.methods, measure.results, measure.outcomes):
        items.create(order=1, text="ประชุมชี้แจงเจ้าหน้าที่")
    report_publish(report=other, by=coordinator, acknowledge_warnings=True)
    Report.objects.create(agency=agency, fiscal_year=2567)  # another year, never exported
    return demo_report, other


def test_the_command_zips_the_latest_published_pdf_of_every_agency(two_published, tmp_path):
    demo_report, _other = two_published
    demo_report.measures.filter(number=1).update(title="ร่างที่ยังไม่เผยแพร่")
    output = tmp_path / "2568.zip"
    errors = io.StringIO()
    call_command("export_all_pdfs", "2568", "-o", str(output), stderr=errors)
    with zipfile.ZipFile(output) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "mueang-phalai/รายงานผลการดำเนินการ-ITA-2568-อบต.เมืองพะไล.pdf",
            "thotsop/รายงานผลการดำเนินการ-ITA-2568-ทต.ทดสอบ.pdf",
        ]
        demo_text = pdf_text(archive.read(names[0]))
    assert "การส่งเสริมการรับรู้" in demo_text
    assert "ร่างที่ยังไม่เผยแพร่" not in demo_text
    assert "[2/2]" in errors.getvalue()


def test_a_year_with_nothing_published_is_a_clear_error(demo_report, tmp_path):
    with pytest.raises(CommandError, match="ไม่มีรายงานปีงบประมาณ 2569 ที่เผยแพร่แล้ว"):
        call_command("export_all_pdfs", "2569", "-o", str(tmp_path / "x.zip"))


def test_the_admin_action_downloads_the_zip(client, django_user_model, two_published):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x-pass-123")
    client.force_login(admin)
    response = client.post(
        reverse("admin:measures_report_changelist"),
        {
            "action": "download_pdfs",
            "_selected_action": [report.pk for report in Report.objects.all()],
        },
    )
    assert response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 2
