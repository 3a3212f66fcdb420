"""Who may open and do what under /staff/ and /admin/: the authorisation matrix."""

import pytest
from django.utils import timezone

from measures import thai
from measures.models import (
    AcceptedWord,
    Change,
    Division,
    Measure,
    Membership,
    Report,
    ReviewAcknowledgement,
)
from measures.workflow import report_review

ACTORS = [
    "anonymous",
    "staff_palad",
    "staff_finance",
    "coordinator",
    "approver",
    "other_coordinator",
]

# url (m = measure 6, for which only สำนักปลัด is responsible; p = the membership of staff of
# กองคลัง; w = an accepted word of the demo agency; d = สำนักปลัด; y = the current fiscal year,
# not opened) → expected status per actor, in the order of ACTORS.
GET_MATRIX = {
    "/staff/": (302, 200, 200, 200, 200, 200),
    "/staff/2568/": (302, 200, 200, 200, 200, 404),
    "/staff/2568/preview/": (302, 200, 200, 200, 200, 404),
    "/staff/2568/history/": (302, 200, 200, 200, 200, 404),
    "/staff/2568/scores/": (302, 403, 403, 200, 403, 404),
    "/staff/2568/review/": (302, 403, 403, 200, 200, 404),
    "/staff/2568/measures/new/": (302, 403, 403, 200, 403, 404),
    "/staff/2568/versions/": (302, 200, 200, 200, 200, 404),
    "/staff/2568/versions/1/": (302, 200, 200, 200, 200, 404),
    "/staff/2568/withdraw/": (302, 403, 403, 200, 403, 404),
    "/staff/2568/import/measures/": (302, 403, 403, 200, 403, 404),
    "/staff/2568/import/report/": (302, 403, 403, 200, 403, 404),
    "/staff/2568/export.xlsx": (302, 403, 403, 200, 403, 404),
    "/staff/2568/export.csv": (302, 403, 403, 200, 403, 404),
    # The decisions' confirmation pages: the published demo report sends those allowed back
    # to the dashboard, with why.
    "/staff/2568/submit/": (302, 403, 403, 302, 403, 404),
    "/staff/2568/approve/": (302, 403, 403, 403, 302, 404),
    "/staff/2568/return/": (302, 403, 403, 302, 302, 404),
    "/staff/2568/publish/": (302, 403, 403, 302, 403, 404),
    # A year not opened explains itself (and offers it to the coordinator) with a 404.
    "/staff/{y}/": (302, 404, 404, 404, 404, 404),
    "/staff/{y}/scores/": (302, 404, 404, 404, 404, 404),
    "/staff/{y}/open/": (302, 405, 405, 405, 405, 405),
    "/staff/2568/deadline/": (302, 405, 405, 405, 405, 405),
    "/staff/2568/divisions/{d}/hand-in/": (302, 405, 405, 405, 405, 405),
    "/staff/2568/divisions/{d}/reopen/": (302, 405, 405, 405, 405, 405),
    "/accounts/notifications/": (302, 200, 200, 200, 200, 200),
    "/staff/measures/{m}/": (302, 200, 403, 200, 403, 404),
    "/staff/measures/{m}/history/": (302, 200, 200, 200, 200, 404),
    "/staff/measures/{m}/delete/": (302, 403, 403, 200, 403, 404),
    "/staff/people/": (302, 403, 403, 200, 403, 200),
    "/staff/people/{p}/": (302, 403, 403, 200, 403, 404),
    "/staff/divisions/": (302, 403, 403, 200, 403, 200),
    "/staff/words/": (302, 403, 403, 200, 403, 200),
    "/accounts/password_change/": (302, 200, 200, 200, 200, 200),
    "/admin/": (302, 302, 302, 302, 302, 302),
    "/admin/measures/report/": (302, 302, 302, 302, 302, 302),
}

# Refused state changes; what the allowed ones do is tested in test_staff_views.
POST_MATRIX = {
    "/staff/2568/submit/": (302, 403, 403, 302, 403, 404),
    "/staff/2568/approve/": (302, 403, 403, 403, 302, 404),
    "/staff/2568/return/": (302, 403, 403, 302, 302, 404),
    "/staff/2568/publish/": (302, 403, 403, 302, 403, 404),
    "/staff/2568/withdraw/": (302, 403, 403, 200, 403, 404),
    "/staff/2568/scores/": (302, 403, 403, 302, 403, 404),
    "/staff/2568/review/acknowledge/": (302, 403, 403, 302, 302, 404),
    "/staff/2568/measures/new/": (302, 403, 403, 302, 403, 404),
    "/staff/2568/import/measures/": (302, 403, 403, 200, 403, 404),
    "/staff/2568/import/report/": (302, 403, 403, 302, 403, 404),
    "/staff/{y}/open/": (302, 403, 403, 302, 403, 302),
    "/staff/2568/deadline/": (302, 403, 403, 302, 403, 404),
    # Staff of สำนักปลัด only (d); the published report refuses it with a message.
    "/staff/2568/divisions/{d}/hand-in/": (302, 302, 403, 403, 403, 404),
    "/staff/2568/divisions/{d}/reopen/": (302, 302, 403, 403, 403, 404),
    "/accounts/notifications/": (302, 302, 302, 302, 302, 302),
    "/staff/measures/{m}/": (302, 200, 403, 200, 403, 404),
    "/staff/measures/{m}/move/": (302, 403, 403, 302, 403, 404),
    "/staff/people/": (302, 403, 403, 200, 403, 200),
    "/staff/people/{p}/": (302, 403, 403, 200, 403, 404),
    "/staff/divisions/": (302, 403, 403, 200, 403, 200),
    "/staff/words/": (302, 403, 403, 302, 403, 302),
    "/staff/words/{w}/delete/": (302, 403, 403, 302, 403, 404),
    "/staff/measures/{m}/delete/": (302, 403, 403, 302, 403, 404),
}


def _client_for(request, client, actor):
    if actor != "anonymous":
        client.force_login(request.getfixturevalue(actor))
    return client


def _cases(matrix):
    return [
        pytest.param(url, actor, statuses[i], id=f"{url}-{actor}")
        for url, statuses in matrix.items()
        for i, actor in enumerate(ACTORS)
    ]


@pytest.fixture
def measure(demo_report):
    return demo_report.measures.get(number=6)


@pytest.fixture
def urls(measure, staff_finance):
    report = measure.report
    word = AcceptedWord.objects.create(agency=report.agency, word="พะไล")
    # A warning waiting to be acknowledged (k = its key).
    report.acknowledgements.filter(check_name="variants").delete()
    [variant] = [f for f in report_review(report) if f.check == "variants"]
    return {
        "m": measure.pk,
        "p": staff_finance.memberships.get().pk,
        "w": word.pk,
        "k": variant.key,
        "d": report.agency.divisions.get(name="สำนักปลัด").pk,
        "y": thai.fiscal_year(timezone.localdate()),
    }


@pytest.mark.parametrize(("url", "actor", "expected"), _cases(GET_MATRIX))
def test_who_may_open_each_page(request, client, demo_report, urls, url, actor, expected):
    client = _client_for(request, client, actor)
    response = client.get(url.format(**urls))
    assert response.status_code == expected
    if expected == 302 and url.startswith("/staff/") and actor == "anonymous":
        assert response.url.startswith("/accounts/login/")
    if expected == 200 and actor == "other_coordinator":
        assert demo_report.agency.name not in response.content.decode()


def state(report):
    report.refresh_from_db()
    return (
        Change.objects.count(),
        Measure.objects.count(),
        Report.objects.count(),
        report.status,
        list(Membership.objects.values_list("pk", "role", "position")),
        list(Division.objects.values_list("pk", "name")),
        list(AcceptedWord.objects.values_list("pk", "word")),
        list(ReviewAcknowledgement.objects.values_list("pk", "finding_key")),
    )


POST_DATA = {
    "/staff/2568/scores/": {"score_7_2568": "85.52"},
    "/staff/2568/measures/new/": {"title": "มาตรการใหม่"},
    "/staff/measures/{m}/move/": {"direction": "up"},
    "/staff/2568/import/measures/": {"text": "ignored: a spreadsheet must be a file"},
    # A confirmation naming no previewed file: refused, and for a coordinator too.
    "/staff/2568/import/report/": {"token": "../../itaportal/settings.py"},
    "/staff/words/": {"word": "บัวลาย"},
    "/staff/2568/review/acknowledge/": {"key": "{k}"},
    "/staff/2568/return/": {"reason": "ตรวจแล้วพบข้อผิดพลาด"},
    "/staff/2568/deadline/": {"deadline": "2099-09-01"},
    "/staff/{y}/open/": {"start": "empty"},
}


@pytest.mark.parametrize(("url", "actor", "expected"), _cases(POST_MATRIX))
def test_who_may_change_what(request, client, demo_report, urls, url, actor, expected):
    client = _client_for(request, client, actor)
    before = state(demo_report)
    data = {name: str(value).format(**urls) for name, value in POST_DATA.get(url, {}).items()}
    response = client.post(url.format(**urls), data)
    assert response.status_code == expected
    if expected in (403, 404) or actor == "anonymous":
        assert state(demo_report) == before


def test_the_other_agencys_coordinator_sees_only_their_own_agency(client, other_coordinator):
    client.force_login(other_coordinator)
    client.post(f"/staff/{thai.fiscal_year(timezone.localdate())}/open/", {"start": "empty"})
    response = client.get("/staff/")
    content = response.content.decode()
    assert "เทศบาลตำบลทดสอบ" in content
    assert "อบต.เมืองพะไล" not in content
    assert Report.objects.filter(agency__slug="thotsop").count() == 1


def test_a_user_without_membership_is_refused(client, django_user_model, demo_report):
    client.force_login(django_user_model.objects.create_user("nobody", password="x-pass-123"))
    assert client.get("/staff/").status_code == 403
    response = client.get("/staff/2568/")
    assert response.status_code == 403
    assert "ขอให้ผู้ประสานงาน ITA ของหน่วยงานเพิ่มท่าน" in response.content.decode()


def test_only_coordinators_open_a_year(client, approver):
    client.force_login(approver)
    year = thai.fiscal_year(timezone.localdate())
    assert client.post(f"/staff/{year}/open/", {"start": "empty"}).status_code == 403
    assert Report.objects.count() == 1


def test_a_superuser_without_an_agency_is_told_what_to_do_in_thai(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/staff/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "บัญชีของท่านเป็นผู้ดูแลระบบของพอร์ทัลทั้งหมดและไม่ได้สังกัดหน่วยงานใด" in content
    assert 'href="/admin/"' in content
    assert '<a class="skip-link"' in content  # the site's layout
    assert "Forbidden" not in content
