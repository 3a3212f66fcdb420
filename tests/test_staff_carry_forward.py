"""The coordinator starts the next fiscal year from a report: confirmation, then a POST."""

import pytest

from measures.models import Report


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_confirmation_page_says_what_will_be_copied(coordinator_client, demo_report):
    content = coordinator_client.get("/staff/2568/carry-forward/").content.decode()
    assert "เริ่ม พ.ศ. ๒๕๖๙ จาก ๒๕๖๘" in content
    assert "เริ่มปีงบประมาณ ๒๕๖๙" in content
    assert not Report.objects.filter(fiscal_year=2569).exists()


def test_posting_starts_the_next_year_from_this_one(coordinator_client, demo_report):
    response = coordinator_client.post("/staff/2568/carry-forward/")
    assert response.url == "/staff/2569/"
    new = Report.objects.get(agency=demo_report.agency, fiscal_year=2569)
    assert new.status == Report.Status.DRAFT
    assert list(new.measures.values_list("number", "start_year")) == [
        (m.number, m.start_year + 1) for m in demo_report.measures.all()
    ]
    assert not new.measures.filter(results__isnull=False).exists()
    page = coordinator_client.get(response.url).content.decode()
    assert "เริ่มปีงบประมาณ ๒๕๖๙ จาก ๒๕๖๘ แล้ว" in page


def test_it_refuses_when_that_year_exists(coordinator_client, demo_report):
    existing = Report.objects.create(agency=demo_report.agency, fiscal_year=2569)
    content = coordinator_client.get("/staff/2568/carry-forward/").content.decode()
    assert "รายงานปีงบประมาณ ๒๕๖๙ มีอยู่แล้ว" in content
    assert "<button" not in content.split("<main", 1)[1]
    response = coordinator_client.post("/staff/2568/carry-forward/")
    assert response.url == "/staff/2568/"
    page = coordinator_client.get(response.url).content.decode()
    assert "มีรายงานปีงบประมาณ พ.ศ. ๒๕๖๙ อยู่แล้ว" in page
    assert not existing.measures.exists()
    assert Report.objects.filter(fiscal_year=2569).count() == 1
