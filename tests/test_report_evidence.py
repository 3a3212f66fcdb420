import subprocess
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from measures.models import Change, Report
from measures.oit.services import evidence_add, evidence_delete, evidence_replace_file
from measures.oit.uploads import check_upload
from measures.workflow import report_publish
from tests.evidence_samples import jpeg_bytes, pdf_bytes, upload


@pytest.fixture
def photo(demo_report, staff_palad):
    measure = demo_report.measures.get(number=2)
    return evidence_add(
        agency=demo_report.agency,
        by=staff_palad,
        measure=measure,
        result_number=2,
        title="ภาพการประชุมประชาคม",
        upload=check_upload(upload("ภาพประชุม.jpg", jpeg_bytes())),
    )


@pytest.fixture
def order_link(demo_report, staff_palad):
    return evidence_add(
        agency=demo_report.agency,
        by=staff_palad,
        measure=demo_report.measures.get(number=5),
        result_number=1,
        title="คำสั่งแต่งตั้งคณะทำงาน",
        url="https://example.org/order-5",
    )


@pytest.fixture
def published(demo_report, photo, order_link):
    return report_publish(report=demo_report, acknowledge_warnings=True)


def test_the_report_page_shows_the_evidence_under_its_result(client, demo_report, published, photo):
    page = client.get("/mueang-phalai/2568/").content.decode()
    assert (
        f'<a class="evidence-ref" href="/mueang-phalai/2568/evidence/{photo.pk}/">[๑] '
        "ภาพการประชุมประชาคม</a>"
    ) in page
    assert (
        '<a class="evidence-ref" href="https://example.org/order-5">[๒] คำสั่งแต่งตั้งคณะทำงาน</a>'
        in page
    )
    measure = demo_report.measures.get(number=2)
    second_result = measure.results.get(order=2).text
    photo_ref = page.index("[๑] ภาพการประชุมประชาคม</a>")
    assert page.index(second_result) < photo_ref < page.index(measure.outcomes.first().text)


def test_the_pdf_lists_the_evidence_numbered_after_the_table_with_urls(client, published, photo):
    response = client.get("/mueang-phalai/2568/report.pdf")
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    notes = text[text.index("หลักฐานของผลการดำเนินการ") :]
    assert "[๑] มาตรการที่ ๒ ผลการดำเนินการข้อที่ ๒: ภาพการประชุมประชาคม (ภาพประชุม.jpg)" in notes
    assert f"\nhttp://127.0.0.1:8000/mueang-phalai/2568/evidence/{photo.pk}/\n" in notes
    assert "[๒] มาตรการที่ ๕ ผลการดำเนินการข้อที่ ๑: คำสั่งแต่งตั้งคณะทำงาน" in notes
    assert "\nhttps://example.org/order-5\n" in notes


def test_a_published_results_file_keeps_its_published_version(
    client, demo_report, published, photo, staff_palad
):
    url = f"/mueang-phalai/2568/evidence/{photo.pk}/"
    evidence_replace_file(
        evidence=photo, upload=check_upload(upload("ภาพใหม่.jpg", jpeg_bytes((0, 0, 200)))), by=None
    )
    response = client.get(url)
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == jpeg_bytes()
    # The member's draft page links the newest.
    client.force_login(staff_palad)
    assert b"".join(client.get(url).streaming_content) == jpeg_bytes((0, 0, 200))


def test_evidence_added_after_publishing_is_not_public_until_the_next(
    client, demo_report, published, staff_palad
):
    later = evidence_add(
        agency=demo_report.agency,
        by=staff_palad,
        measure=demo_report.measures.get(number=1),
        result_number=1,
        upload=check_upload(upload("ร่าง.pdf", pdf_bytes())),
    )
    assert client.get(f"/mueang-phalai/2568/evidence/{later.pk}/").status_code == 404
    assert "ร่าง.pdf" not in client.get("/mueang-phalai/2568/").content.decode()


def test_adding_replacing_and_deleting_a_results_evidence_is_on_the_measures_history(
    client, demo_report, staff_palad
):
    measure = demo_report.measures.get(number=2)
    client.force_login(staff_palad)
    client.post(
        f"/staff/measures/{measure.pk}/evidence/",
        {"result": 2, "title": "ภาพประชุม", "file": upload("ภาพ.jpg", jpeg_bytes())},
    )
    evidence = measure.evidence.get()
    client.post(f"/staff/evidence/{evidence.pk}/", {"file": upload("ภาพ-ใหม่.jpg", jpeg_bytes())})
    client.post(f"/staff/evidence/{evidence.pk}/delete/")
    assert not measure.evidence.exists()
    history = client.get(f"/staff/measures/{measure.pk}/history/").content.decode()
    assert history.count("แก้ไขหลักฐานของผลการดำเนินการ") == 3
    assert "หลักฐานของผลการดำเนินการ</dt>" in history
    assert "ผลการดำเนินการที่ ๒: ภาพประชุม (ภาพ.jpg)" in history
    assert "ผลการดำเนินการที่ ๒: ภาพประชุม (ภาพ-ใหม่.jpg)" in history


def test_an_approved_report_comes_back_to_draft_with_the_evidence_change_saying_why(
    demo_report, staff_palad, photo
):
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.APPROVED)
    demo_report.refresh_from_db()
    evidence_replace_file(
        evidence=photo, upload=check_upload(upload("ภาพ-๒.jpg", jpeg_bytes())), by=staff_palad
    )
    demo_report.refresh_from_db()
    assert demo_report.status == Report.Status.DRAFT
    change = demo_report.changes.first()
    assert change.action == Change.Action.EVIDENCE
    assert change.changes == [
        {
            "field": "evidence",
            "before": "ผลการดำเนินการที่ ๒: ภาพการประชุมประชาคม (ภาพประชุม.jpg)",
            "after": "ผลการดำเนินการที่ ๒: ภาพการประชุมประชาคม (ภาพ-๒.jpg)",
        }
    ]


def test_clean_artefacts_deletes_evidence_files_nothing_names_once_they_are_an_hour_old(
    published, photo, staff_palad
):
    first = photo.current_file().file.name  # the publication names it
    evidence_replace_file(
        evidence=photo,
        upload=check_upload(upload("ภาพ-๒.jpg", jpeg_bytes((10, 90, 200)))),
        by=staff_palad,
    )
    second = photo.current_file().file.name
    evidence_delete(evidence=photo, by=staff_palad)  # nothing names the second version now
    call_command("clean_artefacts", stdout=StringIO())
    assert default_storage.exists(second)  # younger than an hour: its row may not be committed
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("measures.oit.services.timezone.now", return_value=later):
        out = StringIO()
        call_command("clean_artefacts", "--dry-run", stdout=out)
        assert second in out.getvalue() and first not in out.getvalue()
        assert default_storage.exists(second)
        call_command("clean_artefacts", stdout=StringIO())
    assert not default_storage.exists(second)
    assert default_storage.exists(first)


def test_the_history_names_a_sub_items_result_by_its_printed_number(demo_report, staff_palad):
    measure = demo_report.measures.get(number=2)
    second = measure.results.order_by("order")[1]
    second.level = 1
    second.save()
    evidence_add(
        agency=demo_report.agency,
        by=staff_palad,
        measure=measure,
        result_number=2,
        url="https://example.org/photos",
    )
    change = demo_report.changes.first()
    assert change.changes[0]["after"] == "ผลการดำเนินการที่ ๑.๑: https://example.org/photos"
