"""The public report URLs: what the public sees, what members preview, caching and queries."""

import datetime
import json
import re
from io import BytesIO
from urllib.parse import quote

import pikepdf
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from itaportal import limits
from measures.document import report_document
from measures.models import Agency, Measure, Membership, Report
from measures.thai import thai_digits
from measures.workflow import report_publish
from reports import pdf as report_pdf
from reports import pdf_parts, rendering

PAGE = "/mueang-phalai/2568/"
PDF = "/mueang-phalai/2568/report.pdf"
ARCHIVAL_PDF = "/mueang-phalai/2568/report-archival.pdf"


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    cache.clear()
    yield
    # A request in English leaves English active in this thread for the tests that follow.
    translation.activate(settings.LANGUAGE_CODE)


def member_of(agency: Agency, username: str, role=Membership.Role.COORDINATOR):
    user = get_user_model().objects.create_user(username, password="x")
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def coordinator(demo_report):
    return member_of(demo_report.agency, "coordinator")


@pytest.fixture
def other_coordinator(agency):
    return member_of(agency, "thotsop-coordinator")


def add_measures(report: Report, count: int):
    """Synthetic rows like the seed's first, after the existing ones."""
    first = report.measures.with_lists().first()
    start = report.measures.count()
    for number in range(start + 1, start + count + 1):
        measure = Measure.objects.create(
            report=report, number=number, title=f"{first.title} {number}",
            start_month=10, start_year=2567, end_month=9, end_year=2568,
        )  # fmt: skip
        measure.divisions.set(first.divisions.all())
        measure.indicators.set(first.indicators.all())
        for order, item in enumerate(first.methods.all(), 1):
            measure.methods.create(order=order, text=item.text)
        for order, item in enumerate(first.results.all(), 1):
            measure.results.create(order=order, text=item.text)
        for order, item in enumerate(first.outcomes.all(), 1):
            measure.outcomes.create(order=order, text=item.text, indicator=item.indicator)


def measure_rows(response) -> int:
    """Rows of the six-column table (its header row included)."""
    html = response.content.decode()
    return html[html.index('<table class="measures">') : html.index("</table>")].count("<tr>")


def test_anonymous_visitor_reads_the_published_report(client, demo_report):
    response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in html
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" in html
    assert "อำเภอบัวลาย จังหวัดนครราชสีมา" in html
    assert "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘" in html
    assert "ม.ค. - เม.ย. ๒๕๖๘" in html
    table = html[html.index('<table class="measures">') : html.index("</table>")]
    assert table.count('<th scope="col"') == 6
    assert "ผลลัพธ์หรือความสำเร็จของการดำเนินการ" in html
    assert "ฉบับร่าง" not in html


def test_the_page_shows_the_scores_chart_with_the_figures_as_a_table(client, demo_report):
    html = client.get(PAGE).content.decode()
    chart = html[html.index('<figure class="score-chart">') : html.index("</figure>")]
    assert '<span class="bar bar-score" style="width: 74.0%"></span> ๙๒.๕๐' in chart  # of 80%
    assert '<th scope="row">๑๐ การป้องกันการทุจริต</th><td>–</td><td>๙๒.๕๐</td>' in chart


def test_the_page_shows_the_approval_sign_off(client, demo_report, coordinator):
    demo_report.approver_name = "นายสมหมาย ใจดี"
    demo_report.approver_position = "นายกองค์การบริหารส่วนตำบลเมืองพะไล"
    demo_report.approved_on = datetime.date(2025, 9, 30)
    demo_report.save()
    report_publish(report=demo_report, by=coordinator, acknowledge_warnings=True)
    html = client.get(PAGE).content.decode()
    sign_off = html[html.index('<section class="sign-off">') :]
    assert "(นายสมหมาย ใจดี)" in sign_off
    assert "นายกองค์การบริหารส่วนตำบลเมืองพะไล" in sign_off
    assert "วันที่ ๓๐ กันยายน ๒๕๖๘" in sign_off


def test_the_page_links_to_the_open_data(client, demo_report):
    html = client.get(PAGE).content.decode()
    for name in ("data.csv", "data.xlsx", "data.json"):
        assert f'href="/mueang-phalai/2568/{name}"' in html


def test_the_page_shows_the_publication_not_later_edits(client, demo_report):
    demo_report.measures.filter(number=1).update(title="แก้ไขหลังเผยแพร่")
    html = client.get(PAGE).content.decode()
    assert "แก้ไขหลังเผยแพร่" not in html
    assert "การส่งเสริมการรับรู้" in html


def test_index_and_agency_pages_list_published_reports(client, demo_report, agency):
    Report.objects.create(agency=agency, fiscal_year=2568)
    index = client.get("/").content.decode()
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in index
    assert reverse("reports:report", args=["mueang-phalai", 2568]) in index
    assert "เทศบาลตำบลทดสอบ" not in index
    agency_page = client.get("/mueang-phalai/").content.decode()
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๘" in agency_page
    assert PDF in agency_page


@pytest.mark.parametrize(
    "url",
    [
        "/thotsop/",
        "/thotsop/2568/",
        "/thotsop/2568/report.pdf",
        "/nowhere/",
        "/nowhere/2568/",
        "/mueang-phalai/2567/",
        "/mueang-phalai/2567/report.pdf",
        "/thotsop/2568/report-archival.pdf",
        "/mueang-phalai/2567/report-archival.pdf",
    ],
)
def test_drafts_and_unknown_urls_are_404_to_anonymous_visitors(client, demo_report, agency, url):
    Report.objects.create(agency=agency, fiscal_year=2568)
    assert client.get(url).status_code == 404


def test_a_member_previews_the_live_draft_marked_as_such(client, demo_report, coordinator):
    demo_report.measures.filter(number=1).update(title="ชื่อมาตรการที่แก้ไขแล้ว")
    client.force_login(coordinator)
    response = client.get(PAGE)
    html = response.content.decode()
    assert 'class="draft-banner"' in html
    assert "ฉบับร่าง" in html
    assert "ชื่อมาตรการที่แก้ไขแล้ว" in html
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response
    published = client.get(PAGE + "?published").content.decode()
    assert "ชื่อมาตรการที่แก้ไขแล้ว" not in published
    assert 'class="draft-banner"' not in published


def test_a_member_previews_a_never_published_report(client, agency, other_coordinator):
    Report.objects.create(agency=agency, fiscal_year=2568)
    client.force_login(other_coordinator)
    html = client.get("/thotsop/2568/").content.decode()
    assert "ฉบับร่าง" in html
    assert "ประชาชนยังไม่เห็นรายงานนี้" in html
    assert "ฉบับร่าง" in client.get("/thotsop/").content.decode()


def test_another_agencys_member_sees_only_what_the_public_sees(
    client, demo_report, agency, other_coordinator
):
    demo_report.measures.filter(number=1).update(title="ชื่อมาตรการที่แก้ไขแล้ว")
    client.force_login(other_coordinator)
    html = client.get(PAGE).content.decode()
    assert "ชื่อมาตรการที่แก้ไขแล้ว" not in html
    assert 'class="draft-banner"' not in html
    Report.objects.create(agency=demo_report.agency, fiscal_year=2569)
    assert client.get("/mueang-phalai/2569/").status_code == 404


def test_a_superuser_previews_any_agencys_draft(client, agency):
    Report.objects.create(agency=agency, fiscal_year=2568)
    admin = get_user_model().objects.create_superuser("admin", password="x")
    client.force_login(admin)
    assert "ฉบับร่าง" in client.get("/thotsop/2568/").content.decode()


def test_html_in_a_measure_title_is_shown_as_text(client, demo_report):
    demo_report.measures.filter(number=1).update(title="<script>alert('x')</script> มาตรการ")
    report_publish(report=demo_report, acknowledge_warnings=True)
    html = client.get(PAGE).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; มาตรการ" in html


def test_outcome_citations_follow_their_text(client, demo_report):
    publication = demo_report.latest_publication()
    publication.document["measures"][0]["outcomes"][0]["citation"] = "ได้คะแนน ๙๒.๕๐ คะแนน"
    publication.save()
    html = client.get(PAGE).content.decode()
    assert "ให้บริการของหน่วยงานมากยิ่งขึ้น ได้คะแนน ๙๒.๕๐ คะแนน" in html


def test_a_repeat_visit_is_answered_not_modified(client, demo_report):
    first = client.get(PAGE)
    assert first["ETag"]
    assert first["Last-Modified"]
    again = client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(PAGE, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_new_publication_changes_the_etag(client, demo_report):
    first = client.get(PAGE)
    demo_report.measures.filter(number=1).update(title="ฉบับใหม่")
    report_publish(report=demo_report, acknowledge_warnings=True)
    second = client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "ฉบับใหม่" in second.content.decode()


@pytest.mark.parametrize("extra", [0, 20])
def test_the_published_page_takes_two_queries_whatever_its_size(
    client, demo_report, django_assert_num_queries, extra
):
    add_measures(demo_report, extra)
    report_publish(report=demo_report, acknowledge_warnings=True)
    with django_assert_num_queries(2):
        response = client.get(PAGE)
    assert measure_rows(response) == 6 + extra + 1


@pytest.mark.parametrize("extra", [0, 20])
def test_the_draft_preview_takes_a_fixed_number_of_queries(
    client, demo_report, coordinator, django_assert_num_queries, extra
):
    add_measures(demo_report, extra)
    client.force_login(coordinator)
    # session, user, the check for a two-factor device, report, membership, scores, measures and
    # their six prefetched lists (the results' evidence: none here, so not its files), plus the
    # banner's check for a publication
    with django_assert_num_queries(15):
        response = client.get(PAGE)
    assert measure_rows(response) == 6 + extra + 1


def test_the_pdf_is_served_inline_with_its_thai_file_name(client, demo_report):
    response = client.get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    name = quote("รายงานผลการดำเนินการ-ITA-2568-อบต.เมืองพะไล.pdf")
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{name}"
    assert client.get(PDF, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_published_pdf_is_rendered_once_and_kept(client, demo_report, monkeypatch):
    first = client.get(PDF).content
    publication = demo_report.latest_publication()
    assert rendering.default_storage.exists(rendering.published_pdf_path(publication))

    def fail(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(rendering, "render_report_pdf", fail)
    assert client.get(PDF).content == first


@pytest.mark.parametrize("url", [PDF, ARCHIVAL_PDF])
def test_a_new_publication_gets_its_own_pdf(client, demo_report, url):
    first = client.get(url).content
    demo_report.measures.filter(number=1).update(title="ฉบับแก้ไข")
    report_publish(report=demo_report, acknowledge_warnings=True)
    assert client.get(url).content != first


def test_the_archival_pdf_carries_the_open_data_json_beside_the_public_pdf(client, demo_report):
    response = client.get(ARCHIVAL_PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = quote("รายงานผลการดำเนินการ-ITA-2568-อบต.เมืองพะไล-ฉบับจัดเก็บถาวร.pdf")
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{name}"
    assert client.get(ARCHIVAL_PDF, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert response["ETag"] != client.get(PDF)["ETag"]
    with pikepdf.open(BytesIO(response.content)) as archival:
        with archival.open_metadata() as xmp:
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "A")
        [attached] = archival.attachments.values()
        embedded = json.loads(attached.get_file().read_bytes())
    open_data = client.get("/mueang-phalai/2568/data.json").json()
    assert embedded == open_data
    assert embedded["publication"]["version"] == 1
    assert embedded["measures"][0]["title"].startswith("การส่งเสริมการรับรู้")


def test_the_archival_pdf_is_rendered_once_and_kept(client, demo_report, monkeypatch):
    first = client.get(ARCHIVAL_PDF).content
    publication = demo_report.latest_publication()
    path = rendering.published_pdf_path(publication, archival=True)
    assert path != rendering.published_pdf_path(publication)
    assert rendering.default_storage.exists(path)

    def fail(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(rendering, "render_archival_pdf", fail)
    assert client.get(ARCHIVAL_PDF).content == first


def test_a_member_gets_the_published_archival_pdf_never_a_draft(client, demo_report, coordinator):
    demo_report.measures.filter(number=1).update(title="ชื่อมาตรการที่แก้ไขแล้ว")
    client.force_login(coordinator)
    response = client.get(ARCHIVAL_PDF)
    assert quote("ฉบับร่าง") not in response["Content-Disposition"]
    with pikepdf.open(BytesIO(response.content)) as archival:
        [attached] = archival.attachments.values()
        embedded = json.loads(attached.get_file().read_bytes())
    assert embedded["measures"][0]["title"] != "ชื่อมาตรการที่แก้ไขแล้ว"
    assert embedded == demo_report.latest_publication().document | {
        "publication": embedded["publication"]
    }


def test_the_published_page_links_the_archival_copy_beside_the_pdf(
    client, demo_report, coordinator
):
    html = client.get(PAGE).content.decode()
    links = re.search(r'<p class="report-actions">(.*?)</p>', html, re.S).group(1)
    assert f'href="{PDF}"' in links
    assert f'href="{ARCHIVAL_PDF}"' in links
    assert "ฉบับจัดเก็บถาวร (PDF/A-3)" in links
    client.force_login(coordinator)
    assert ARCHIVAL_PDF not in client.get(PAGE).content.decode()
    assert ARCHIVAL_PDF in client.get(PAGE + "?published").content.decode()


def test_a_member_downloads_the_draft_pdf_rendered_fresh(client, demo_report, coordinator):
    client.force_login(coordinator)
    response = client.get(PDF)
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    assert quote("ฉบับร่าง") in response["Content-Disposition"]
    publication = demo_report.latest_publication()
    assert not rendering.default_storage.exists(rendering.published_pdf_path(publication))


def test_later_visitors_get_the_kept_page_and_pdf_without_a_query(
    client, demo_report, django_assert_num_queries
):
    first_page, first_pdf = client.get(PAGE), client.get(PDF)
    visitor = Client()
    with django_assert_num_queries(0):
        page, pdf = visitor.get(PAGE), visitor.get(PDF)
    assert measure_rows(page) == 7
    assert page["ETag"] == first_page["ETag"]
    assert pdf.content == first_pdf.content
    assert pdf["Content-Disposition"] == first_pdf["Content-Disposition"]


def test_a_deleted_publication_takes_the_kept_copies_with_it(client, demo_report):
    assert client.get(PAGE).status_code == 200
    demo_report.publications.all().delete()
    assert Client().get(PAGE).status_code == 404
    assert Client().get(PDF).status_code == 404


def test_the_published_page_is_the_same_for_every_visitor_and_cacheable(demo_report):
    first, second = Client().get(PAGE), Client().get(PAGE)
    assert first.content == second.content
    assert "Set-Cookie" not in second.headers
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert second["Cache-Control"] == "public, max-age=60"


def test_a_logged_in_member_gets_a_private_response(client, demo_report, coordinator):
    client.force_login(coordinator)
    response = client.get(PAGE + "?published")
    assert response["Cache-Control"] == "private, max-age=0, must-revalidate"


def test_a_visitor_switches_language_through_the_language_page(demo_report):
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(PAGE).content.decode()
    assert f'href="/language/?next={PAGE}"' in html
    choice = visitor.get(f"/language/?next={PAGE}").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', choice).group(1)
    assert f'name="next" type="hidden" value="{PAGE}"' in choice
    response = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": PAGE, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert visitor.cookies["django_language"].value == "en"
    assert "Method" in visitor.get(PAGE).content.decode()


def test_the_language_page_refuses_to_send_visitors_elsewhere(client):
    choice = client.get("/language/?next=https://evil.example/").content.decode()
    assert 'name="next" type="hidden" value="/"' in choice


# The worker closes its database connection after a task: no test transaction may wrap it.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("url", "archival"), [(PDF, False), (ARCHIVAL_PDF, True)])
def test_a_large_pdf_is_rendered_by_a_background_task_while_the_visitor_waits(
    client, demo_report, monkeypatch, url, archival
):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(limits, "INLINE_PDF_MEASURES", 5)
    waiting = client.get(url)
    assert waiting.status_code == 202
    html = waiting.content.decode()
    assert "กำลังจัดทำไฟล์ PDF ของรายงานนี้ (๖ มาตรการ)" in html
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "no-store" in waiting["Cache-Control"]
    assert client.get(url).status_code == 202
    task = DBTaskResult.objects.get()
    publication = demo_report.latest_publication()
    assert task.args_kwargs == {"args": [publication.pk, archival], "kwargs": {}}
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert rendering.default_storage.exists(
        rendering.published_pdf_path(publication, archival=archival)
    )
    ready = client.get(url)
    assert ready.status_code == 200
    assert ready.content.startswith(b"%PDF-")
    assert DBTaskResult.objects.count() == 1


# The worker closes its database connection after a task: no test transaction may wrap it.
@pytest.mark.django_db(transaction=True)
def test_the_waiting_page_shows_how_far_the_background_render_has_got(
    client, demo_report, monkeypatch
):
    """Looked at from inside the worker's render, once its parts are written and before the
    join."""
    monkeypatch.setattr(limits, "INLINE_PDF_MEASURES", 5)
    monkeypatch.setattr(report_pdf, "PART_MEASURES", 2)
    real_join, seen = pdf_parts.join, []

    def join(parts, footers):
        seen.append(client.get(PDF).content.decode())
        return real_join(parts, footers)

    monkeypatch.setattr(pdf_parts, "join", join)
    before = client.get(PDF).content.decode()
    assert "<progress" not in before  # not started
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    [during] = seen
    written = re.search(r'<progress id="pdf-progress" value="(\d+)" max="6">', during)
    assert written and 0 < int(written.group(1)) <= 6
    assert f"จัดหน้าแล้ว {thai_digits(int(written.group(1)))} จาก ๖ มาตรการ" in during
    assert "กำลังจัดหน้า" in during
    assert client.get(PDF).status_code == 200
    path = rendering.published_pdf_path(demo_report.latest_publication())
    assert rendering.pdf_progress(path) is None


# The worker closes its database connection after a task: no test transaction may wrap it.
@pytest.mark.django_db(transaction=True)
def test_a_failed_background_render_is_told_and_tried_again_on_the_next_visit(
    client, demo_report, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    def broken(document, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(limits, "INLINE_PDF_MEASURES", 5)
    monkeypatch.setattr(rendering, "render_report_pdf", broken)
    client.get(PDF)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    failed = client.get(PDF).content.decode()
    assert "ไม่สามารถจัดทำไฟล์ PDF ได้" in failed
    assert 'http-equiv="refresh"' not in failed
    client.get(PDF)
    assert DBTaskResult.objects.filter(status="READY").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_large_draft_pdf_is_rendered_in_the_background_and_replaced_after_an_edit(
    client, demo_report, coordinator, monkeypatch
):
    monkeypatch.setattr(limits, "INLINE_PDF_MEASURES", 5)
    client.force_login(coordinator)
    assert client.get(PDF).status_code == 202
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    ready = client.get(PDF)
    assert ready.status_code == 200
    assert quote("ฉบับร่าง") in ready["Content-Disposition"]
    first_path = rendering.draft_pdf_path(demo_report, report_document(demo_report))
    demo_report.measures.filter(number=1).update(title="แก้ไขร่าง")
    assert client.get(PDF).status_code == 202
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert client.get(PDF).status_code == 200
    assert not rendering.default_storage.exists(first_path)
    assert rendering.default_storage.exists(
        rendering.draft_pdf_path(demo_report, report_document(demo_report))
    )
