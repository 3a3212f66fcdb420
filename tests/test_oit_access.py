"""Who may open and change what of the OIT items and the evidence: the authorisation matrix of
every URL they add, public and staff."""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from measures.models import Evidence, EvidenceFile, OitItem
from measures.oit.services import evidence_add
from measures.oit.uploads import check_upload
from measures.workflow import report_publish, report_withdraw
from tests.evidence_samples import jpeg_bytes, pdf_bytes, upload

ACTORS = [
    "anonymous",
    "staff_palad",
    "staff_finance",
    "coordinator",
    "approver",
    "other_coordinator",
]

# i = the O21 item of 2568, ie/iv = its file evidence and version; m = measure 6 (only สำนักปลัด
# is responsible), re/rv = the file evidence of its first result and its version.
PUBLIC = [
    "/mueang-phalai/ita/2568/",
    "/mueang-phalai/ita/2568/items.csv",
    "/mueang-phalai/ita/2568/{i}/",
    "/mueang-phalai/ita/2568/files/{ie}/",
    "/mueang-phalai/2568/evidence/{re}/",
]
GET_MATRIX = {
    **{url: (200,) * 6 for url in PUBLIC},
    "/staff/2568/ita/": (302, 403, 403, 200, 403, 404),
    "/staff/2568/ita/{i}/": (302, 403, 403, 200, 403, 404),
    "/staff/measures/{m}/evidence/": (302, 200, 403, 200, 403, 404),
    "/staff/evidence/{ie}/": (302, 403, 403, 200, 403, 404),
    "/staff/evidence/{re}/": (302, 200, 403, 200, 403, 404),
    "/staff/evidence/{ie}/versions/{iv}/": (302, 200, 200, 200, 200, 404),
    "/staff/evidence/{re}/versions/{rv}/": (302, 200, 200, 200, 200, 404),
    "/staff/evidence/{ie}/delete/": (302, 405, 405, 405, 405, 405),
}
POST_MATRIX = {
    "/staff/2568/ita/{i}/": (302, 403, 403, 302, 403, 404),
    "/staff/measures/{m}/evidence/": (302, 302, 403, 302, 403, 404),
    "/staff/evidence/{ie}/": (302, 403, 403, 302, 403, 404),
    "/staff/evidence/{re}/": (302, 302, 403, 302, 403, 404),
    "/staff/evidence/{ie}/delete/": (302, 403, 403, 302, 403, 404),
    "/staff/evidence/{re}/delete/": (302, 302, 403, 302, 403, 404),
}


def _cases(matrix):
    return [
        pytest.param(url, actor, statuses[i], id=f"{url}-{actor}")
        for url, statuses in matrix.items()
        for i, actor in enumerate(ACTORS)
    ]


@pytest.fixture
def ids(demo_report, coordinator, staff_palad):
    agency = demo_report.agency
    o21 = OitItem.objects.get(oit_list__year=2568, code="O21")
    item_file = evidence_add(
        agency=agency,
        by=coordinator,
        oit_item=o21,
        upload=check_upload(upload("ประกาศ.pdf", pdf_bytes())),
    )
    measure = demo_report.measures.get(number=6)
    result_file = evidence_add(
        agency=agency,
        by=staff_palad,
        measure=measure,
        result_number=1,
        upload=check_upload(upload("ภาพ.jpg", jpeg_bytes())),
    )
    report_publish(report=demo_report, acknowledge_warnings=True)
    return {
        "i": o21.pk,
        "ie": item_file.pk,
        "iv": item_file.current_file().pk,
        "m": measure.pk,
        "re": result_file.pk,
        "rv": result_file.current_file().pk,
    }


def _close_file(response):
    """A file's response holds the stored file open until closed; closing it also signals the
    request's end, which must not close the test's database connection (as the test client
    does during a request)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _client_for(request, client, actor):
    if actor != "anonymous":
        client.force_login(request.getfixturevalue(actor))
    return client


@pytest.mark.parametrize(("url", "actor", "expected"), _cases(GET_MATRIX))
def test_who_may_open_each_page_and_file(request, client, ids, url, actor, expected):
    response = _client_for(request, client, actor).get(url.format(**ids))
    _close_file(response)
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith("/accounts/login/")


def state():
    return (
        list(Evidence.objects.values_list("pk", "url", "title")),
        list(EvidenceFile.objects.values_list("pk", "sha256")),
    )


@pytest.mark.parametrize(("url", "actor", "expected"), _cases(POST_MATRIX))
def test_who_may_change_what(request, client, ids, url, actor, expected):
    client = _client_for(request, client, actor)
    before = state()
    data = {"result": "1", "url": "https://example.org/new"}
    if "/staff/evidence/" in url and "delete" not in url:
        data = {"file": upload("ใหม่.pdf", pdf_bytes("ใหม่"))}
    response = client.post(url.format(**ids), data)
    assert response.status_code == expected
    if expected in (403, 404) or actor == "anonymous":
        assert state() == before
    else:
        assert state() != before


@pytest.mark.parametrize("url", PUBLIC)
def test_nothing_of_a_withdrawn_report_is_public(request, client, demo_report, ids, url):
    report_withdraw(report=demo_report, by=None, reason="ข้อมูลส่วนบุคคล")
    for actor, expected in [("anonymous", 404), ("other_coordinator", 404), ("coordinator", 200)]:
        response = _client_for(request, client, actor).get(url.format(**ids))
        _close_file(response)
        assert response.status_code == expected, actor


def test_changing_evidence_needs_the_csrf_token(coordinator, ids):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    before = state()
    response = client.post(f"/staff/evidence/{ids['ie']}/delete/")
    assert response.status_code == 403
    assert state() == before
