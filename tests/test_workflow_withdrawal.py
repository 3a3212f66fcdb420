"""Withdrawing a published report: the public loses it at once, the agency keeps the record."""

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from measures.models import Agency, Change, Publication, Report
from measures.workflow import WorkflowError, report_publish, report_withdraw
from reports.archive import latest_publications
from reports.rendering import published_pdf, published_pdf_path

PUBLIC_URLS = [
    "/mueang-phalai/2568/",
    "/mueang-phalai/2568/report.pdf",
    "/mueang-phalai/2568/report-archival.pdf",
    "/mueang-phalai/2568/data.json",
    "/mueang-phalai/2568/data.csv",
    "/mueang-phalai/2568/data.xlsx",
    "/mueang-phalai/",
]
REASON = "ข้อมูลส่วนบุคคลในมาตรการที่ ๓"


def test_withdrawing_hides_every_version_and_records_who_when_and_why(demo_report, coordinator):
    report_publish(report=demo_report, by=coordinator, acknowledge_warnings=True)

    withdrawn = report_withdraw(report=demo_report, by=coordinator, reason=f"  {REASON}\n")

    assert [p.version for p in withdrawn] == [2, 1]
    for publication in demo_report.publications.all():
        assert publication.withdrawn_by == coordinator
        assert publication.withdrawal_reason == REASON
        assert timezone.now() - publication.withdrawn_at < timezone.timedelta(minutes=1)
    assert demo_report.latest_publication() is None
    assert not Report.objects.published().filter(pk=demo_report.pk).exists()
    change = demo_report.changes.first()
    assert (change.action, change.user) == (Change.Action.WITHDRAWN, coordinator)
    assert change.changes == [
        {"field": "version", "before": "๒, ๑", "after": ""},
        {"field": "reason", "before": "", "after": REASON},
    ]
    demo_report.refresh_from_db()
    assert demo_report.status == Report.Status.DRAFT
    assert demo_report.approval() is None


def test_a_withdrawal_needs_a_reason_and_something_published(demo_report, coordinator):
    with pytest.raises(ValueError, match="ระบุเหตุผล"):
        report_withdraw(report=demo_report, by=coordinator, reason="  ")
    assert demo_report.latest_publication() is not None
    assert not demo_report.changes.filter(action=Change.Action.WITHDRAWN).exists()

    report_withdraw(report=demo_report, by=coordinator, reason=REASON)
    with pytest.raises(WorkflowError):
        report_withdraw(report=demo_report, by=coordinator, reason=REASON)


def test_the_database_refuses_a_withdrawal_without_a_reason(demo_report):
    publication = demo_report.latest_publication()
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(withdrawal_reason=REASON)


def test_the_public_loses_page_pdfs_open_data_and_listing_at_once(client, demo_report, coordinator):
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 200, url  # and the page and PDFs are now kept
    assert "เมืองพะไล" in client.get("/").content.decode()
    assert Agency.objects.search("มาตรการ").filter(slug="mueang-phalai").exists()

    report_withdraw(report=demo_report, by=coordinator, reason=REASON)

    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 404, url
    assert "เมืองพะไล" not in client.get("/").content.decode()
    assert not Agency.objects.search("มาตรการ").filter(slug="mueang-phalai").exists()


def test_the_kept_pdfs_are_deleted(demo_report, coordinator, django_capture_on_commit_callbacks):
    publication = demo_report.latest_publication()
    published_pdf(publication)
    published_pdf(publication, archival=True)
    paths = [published_pdf_path(publication, archival=archival) for archival in (False, True)]
    assert all(default_storage.exists(path) for path in paths)

    with django_capture_on_commit_callbacks(execute=True):
        report_withdraw(report=demo_report, by=coordinator, reason=REASON)

    assert not any(default_storage.exists(path) for path in paths)
    assert latest_publications(Report.objects.all()) == []


def test_members_still_preview_the_draft_and_read_the_withdrawn_versions(
    client, demo_report, coordinator, staff_palad
):
    report_withdraw(report=demo_report, by=coordinator, reason=REASON)
    client.force_login(staff_palad)

    assert "ฉบับร่าง" in client.get("/mueang-phalai/2568/").content.decode()
    assert client.get("/mueang-phalai/2568/?published").status_code == 404
    assert client.get("/staff/2568/versions/1/").status_code == 200
    versions = client.get("/staff/2568/versions/").content.decode()
    assert "ถอนการเผยแพร่แล้ว" in versions
    assert REASON in versions
    assert "สมศรี ประสานงาน" in versions
    assert "/staff/2568/withdraw/" not in versions  # division staff may not withdraw


def test_publishing_again_makes_a_new_public_version(client, demo_report, coordinator):
    report_withdraw(report=demo_report, by=coordinator, reason=REASON)
    report_publish(report=demo_report, by=coordinator, acknowledge_warnings=True)

    assert demo_report.latest_publication().version == 2
    assert demo_report.publications.get(version=1).withdrawn_at is not None
    assert client.get("/mueang-phalai/2568/").status_code == 200
    assert client.get("/mueang-phalai/2568/report.pdf").status_code == 200


def test_the_coordinator_withdraws_through_a_form_that_asks_why(client, demo_report, coordinator):
    client.force_login(coordinator)
    versions = client.get("/staff/2568/versions/").content.decode()
    assert "ประชาชนอ่านฉบับนี้อยู่" in versions
    assert 'href="/staff/2568/withdraw/"' in versions

    page = client.get("/staff/2568/withdraw/").content.decode()
    assert "ถอนรายงานออกจากการเผยแพร่หรือไม่" in page
    assert "ฉบับที่ ๑" in page

    refused = client.post("/staff/2568/withdraw/", {"reason": "   "})
    assert refused.status_code == 200
    assert "This field is required" not in refused.content.decode()
    assert "ฟิลด์นี้จำเป็น" in refused.content.decode()
    assert demo_report.latest_publication() is not None

    done = client.post("/staff/2568/withdraw/", {"reason": REASON}, follow=True)
    assert done.redirect_chain == [("/staff/2568/versions/", 302)]
    assert "ประชาชนไม่สามารถอ่านรายงานนี้ได้อีก" in done.content.decode()
    assert demo_report.latest_publication() is None

    again = client.get("/staff/2568/withdraw/", follow=True)
    assert again.redirect_chain == [("/staff/2568/versions/", 302)]
    assert "ไม่มีสิ่งใดให้ถอน" in again.content.decode()


def test_the_history_shows_the_withdrawal_and_its_reason(client, demo_report, coordinator):
    report_withdraw(report=demo_report, by=coordinator, reason=REASON)
    client.force_login(coordinator)
    history = client.get("/staff/2568/history/").content.decode()
    assert "ถอนรายงานออกจากการเผยแพร่" in history
    assert "เหตุผล" in history
    assert REASON in history
