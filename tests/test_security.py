"""Attacks tried against the portal: forged POSTs, guessed ids, script in text, open redirects,
chosen file paths."""

import re
import subprocess

import pytest
from django.http import HttpResponseForbidden
from django.urls import URLResolver, get_resolver, resolve
from django.utils import timezone
from django.views.generic import RedirectView
from import_export.tmp_storages import TempFolderStorage

from measures.accounts.views import PasswordChangeView
from measures.document import report_document
from measures.models import (
    AcceptedWord,
    Change,
    Division,
    Evidence,
    Measure,
    Membership,
    OitItem,
    Publication,
    Report,
)
from measures.oit.services import evidence_add
from measures.oit.uploads import check_upload
from reports.pdf import render_report_pdf
from tests.evidence_samples import jpeg_bytes, upload
from tests.test_staff_access import POST_DATA, state

CSRF_REFUSED = b"csrf-refused"


def csrf_refused(request, reason=""):
    return HttpResponseForbidden(CSRF_REFUSED)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


SAMPLE = {"int": "1", "path": "1", "slug": "x", "str": "x"}


def _concrete(route: str) -> str:
    """A URL that the route matches: converters and regex groups filled with sample values."""
    route = re.sub(r"\(\?P<\w+>([^)]*)\)", lambda m: m.group(1).split("|")[0], route)
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)
    return "/" + route.replace("^", "").replace("$", "").replace(".*", "x")


ALL_URLS = [(_concrete(route), pattern) for route, pattern in _walk(get_resolver().url_patterns)]


# Django's password changes, replaced on purpose by the portal's throttled one.
REPLACED = {
    "/admin/password_change/": RedirectView,
    "/accounts/password_change/": PasswordChangeView,
}


def test_every_url_of_the_urlconf_is_enumerated():
    assert len(ALL_URLS) > 100
    for url, pattern in ALL_URLS:
        if resolve(url).func != pattern.callback:
            assert resolve(url).func.view_class is REPLACED[url], url


@pytest.mark.parametrize("url", sorted({url for url, _pattern in ALL_URLS}))
def test_every_post_without_a_csrf_token_is_refused(settings, client, coordinator, url):
    settings.CSRF_FAILURE_VIEW = "tests.test_security.csrf_refused"
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    client.handler.enforce_csrf_checks = True
    before = (Change.objects.count(), Measure.objects.count(), Division.objects.count())
    response = client.post(url, {"title": "forged", "direction": "up", "name": "forged"})
    assert response.status_code == 403
    assert response.content == CSRF_REFUSED
    assert (Change.objects.count(), Measure.objects.count(), Division.objects.count()) == before


def test_a_post_with_the_token_goes_through(settings, client, coordinator):
    """The refusals above are the missing token's doing, not the URL's."""
    settings.CSRF_FAILURE_VIEW = "tests.test_security.csrf_refused"
    client.force_login(coordinator)
    client.handler.enforce_csrf_checks = True
    client.get("/staff/2568/measures/new/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/staff/2568/measures/new/", {"title": "มาตรการใหม่"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 302
    assert Measure.objects.filter(title="มาตรการใหม่").exists()


# Staff URLs that name an object by id: which of the demo agency's objects each one is tried on.
STAFF_TARGETS = {
    "person": lambda report: {"pk": Membership.objects.get(agency=report.agency).pk},
    "publication": lambda report: {"year": 2568, "version": report.publications.get().version},
    "measure": lambda report: {"pk": report.measures.get(number=6).pk},
    "measure_delete": lambda report: {"pk": report.measures.get(number=6).pk},
    "measure_move": lambda report: {"pk": report.measures.get(number=6).pk},
    "measure_history": lambda report: {"pk": report.measures.get(number=6).pk},
    "hand_in": lambda report: {"year": 2568, "division": report.agency.divisions.first().pk},
    "reopen": lambda report: {"year": 2568, "division": report.agency.divisions.first().pk},
    "word_delete": lambda report: {
        "pk": AcceptedWord.objects.create(agency=report.agency, word="บัวลาย").pk
    },
    "measure_evidence": lambda report: {"pk": report.measures.get(number=6).pk},
    "evidence": lambda report: {"pk": _result_file(report).pk},
    "evidence_delete": lambda report: {"pk": _result_file(report).pk},
    "evidence_version": lambda report: {
        "pk": _result_file(report).pk,
        "version": _result_file(report).current_file().pk,
    },
}
# Staff URLs whose id names something national, not any agency's: an OIT item of the year.
NATIONAL_IDS = {"ita_item"}
STAFF_IDS = [
    (route, pattern.name)
    for route, pattern in _walk(get_resolver().url_patterns)
    if route.startswith("staff/")
    and set(pattern.pattern.converters) - {"year"}
    and pattern.name not in NATIONAL_IDS
]


def _result_file(report) -> Evidence:
    """The demo agency's photo of measure 6's first result (made once)."""
    measure = report.measures.get(number=6)
    return measure.evidence.first() or evidence_add(
        agency=report.agency,
        by=None,
        measure=measure,
        result_number=1,
        upload=check_upload(upload("ภาพ.jpg", jpeg_bytes())),
    )


def test_every_staff_url_with_an_id_is_tried_across_agencies():
    assert {name for _route, name in STAFF_IDS} == set(STAFF_TARGETS)


def test_another_agency_sees_and_adds_only_its_own_evidence_of_a_national_item(
    client, demo_report, coordinator, intruder
):
    item = OitItem.objects.get(oit_list__year=2568, code="O21")
    evidence_add(
        agency=demo_report.agency, by=coordinator, oit_item=item, url="https://example.org/a"
    )
    client.force_login(intruder)
    page = client.get(f"/staff/2568/ita/{item.pk}/").content.decode()
    assert "https://example.org/a" not in page
    assert demo_report.agency.name not in page
    client.post(f"/staff/2568/ita/{item.pk}/", {"url": "https://example.org/b"})
    assert (
        Evidence.objects.get(url="https://example.org/b").agency
        == intruder.memberships.get().agency
    )
    assert Evidence.objects.filter(agency=demo_report.agency).count() == 1


@pytest.fixture
def intruder(other_coordinator, agency):
    """Agency B's coordinator, with a 2568 report of their own, so that the year is no barrier."""
    Report.objects.create(agency=agency, fiscal_year=2568)
    return other_coordinator


@pytest.mark.parametrize(("route", "name"), STAFF_IDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_agencys_ids_are_not_found(
    client, demo_report, coordinator, intruder, route, name, method
):
    client.force_login(intruder)
    url = "/" + re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: str(STAFF_TARGETS[name](demo_report)[m.group(1)]), route
    )
    before = state(demo_report), list(Evidence.objects.values_list("pk", "url"))
    response = getattr(client, method)(
        url, POST_DATA.get(f"/{route}".replace("<int:pk>", "{m}"), {})
    )
    # 405: a POST-only URL refuses the GET before looking anything up.
    assert response.status_code in (403, 404, 405)
    assert (state(demo_report), list(Evidence.objects.values_list("pk", "url"))) == before
    assert demo_report.agency.name not in response.content.decode()


def test_another_agencys_divisions_cannot_be_taken_into_ones_own(
    client, demo_report, intruder, agency
):
    client.force_login(intruder)
    theirs = demo_report.agency.divisions.first()
    ours = list(agency.divisions.all())
    data = {
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 1,
        "form-0-id": theirs.pk,
        "form-0-name": "ยึด",
        "form-0-order": 1,
    }
    client.post("/staff/divisions/", data)
    theirs.refresh_from_db()
    assert theirs.agency == demo_report.agency
    assert theirs.name != "ยึด"
    assert list(agency.divisions.all()) == ours


XSS = '<script>alert("{n}")</script><img src=x onerror=alert({n})>'


def _payload(n: int) -> str:
    return XSS.format(n=n)


@pytest.fixture
def hostile_publication(demo_report):
    """The demo report with script in every text a member or the portal's admin types."""
    agency = demo_report.agency
    agency.name = "อบต." + _payload(1)
    agency.short_name = "อบต." + _payload(2)
    agency.save()
    division = agency.divisions.get(name="สำนักปลัด")
    division.name = "สำนักปลัด" + _payload(3)
    division.save()
    demo_report.introduction = "บทนำ" + _payload(4)
    demo_report.save()
    measure = demo_report.measures.get(number=6)
    measure.title = "มาตรการ" + _payload(5)
    measure.save()
    for n, items in enumerate([measure.methods, measure.results, measure.outcomes], start=6):
        item = items.first()
        item.text = "ข้อ" + _payload(n)
        item.save()
    version = demo_report.publications.count() + 1
    return Publication.objects.create(
        report=demo_report,
        version=version,
        published_at=timezone.now(),
        document=report_document(demo_report),
    )


TYPED_FIELDS = range(1, 9)


def test_script_in_every_text_is_escaped_in_the_public_page(client, hostile_publication):
    content = client.get("/mueang-phalai/2568/").content.decode()
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    for n in TYPED_FIELDS:
        assert f"&lt;script&gt;alert(&quot;{n}&quot;)&lt;/script&gt;" in content, n


def test_script_in_every_text_is_escaped_in_the_agency_and_index_pages(client, hostile_publication):
    for url in ["/", "/mueang-phalai/"]:
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;alert(" in content


def test_script_in_every_text_is_literal_text_in_the_pdf(hostile_publication):
    _filename, _mimetype, pdf = render_report_pdf(hostile_publication.document)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    compact = re.sub(r"\s+", "", text)
    # Markup would vanish from the page (script) or become a picture (img); as text it is there,
    # wrapped inside narrow table cells. The agency's short name is only in the file name.
    for n in [1, *range(3, 9)]:
        assert f'<script>alert("{n}"' in compact, n
        assert f"onerror=alert({n})>" in compact, n


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"]
)
def test_login_refuses_to_send_the_user_to_another_site(client, coordinator, target):
    response = client.post(
        "/accounts/login/?next=" + target,
        {"username": "coordinator", "password": "coordinator-pass-1", "next": target},
    )
    assert response.status_code == 302
    assert response.url == "/staff/"


def test_login_follows_a_next_on_the_site(client, coordinator):
    response = client.post(
        "/accounts/login/",
        {"username": "coordinator", "password": "coordinator-pass-1", "next": "/staff/2568/"},
    )
    assert response.url == "/staff/2568/"


def test_the_language_switch_refuses_to_send_the_visitor_to_another_site(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_stored_files_are_not_served_from_the_media_path(client, demo_report, settings):
    (settings.MEDIA_ROOT / "x").mkdir(parents=True)
    (settings.MEDIA_ROOT / "x" / "secret.txt").write_text("the-stored-secret")
    for url in ["/media/x/secret.txt", "/" + settings.MEDIA_URL + "x/secret.txt"]:
        response = client.get(url)
        assert response.status_code == 404
        assert b"the-stored-secret" not in response.content


def test_an_admin_import_reads_only_a_file_the_upload_created(admin_client, demo_report, tmp_path):
    """The confirm step names its uploaded file in a hidden field: another name reads nothing."""
    planted = TempFolderStorage(name="planted.csv")
    planted.save(b"title\nplanted\n".decode())
    try:
        for name in ["planted.csv", "../../etc/passwd", str(tmp_path / "x.csv")]:
            response = admin_client.post(
                "/admin/measures/measure/process_import/",
                {
                    "import_file_name": name,
                    "original_file_name": "x.csv",
                    "format": "0",
                    "resource": "0",
                    "report": demo_report.pk,
                },
            )
            assert response.status_code == 400
            assert not Measure.objects.filter(title="planted").exists()
    finally:
        planted.remove()
