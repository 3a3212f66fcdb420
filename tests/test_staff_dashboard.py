import pytest
from django.utils import timezone

from measures import thai
from tests.staff_helpers import editor_data, formset_data


def test_division_staff_see_what_their_division_still_misses_first(
    client, coordinator, staff_palad, staff_finance, demo_report
):
    fifth = demo_report.measures.get(number=5)
    fifth.results.all().delete()
    client.force_login(staff_palad)
    content = client.get("/staff/").content.decode()
    missing = content.index("สิ่งที่ส่วนราชการของท่านยังไม่ได้กรอก")
    assert missing < content.index("<table")
    assert str(fifth) in content[missing : content.index("<table")]
    client.force_login(staff_finance)
    assert "สิ่งที่ส่วนราชการของท่านยังไม่ได้กรอก" not in client.get("/staff/").content.decode()


def test_the_dashboard_says_who_edited_each_measure_last(client, coordinator, demo_report):
    measure = demo_report.measures.get(number=3)
    client.force_login(coordinator)
    client.post(
        f"/staff/measures/{measure.pk}/",
        editor_data(measure, **formset_data("results", [{"text": "ใหม่", "ORDER": 1}])),
    )
    content = client.get("/staff/2568/").content.decode()
    today = thai.format_date(timezone.localdate(), abbreviated=True)
    assert f"สมศรี ประสานงาน, {today}" in content
    assert "๑ รายการ" in content


def test_the_dashboard_always_offers_the_current_fiscal_year(
    client, coordinator, staff_palad, demo_report
):
    year = thai.thai_digits(thai.fiscal_year(timezone.localdate()))
    client.force_login(coordinator)
    dashboard = client.get("/staff/").content.decode()
    assert f"ปีงบประมาณ พ.ศ. {year} ยังไม่ได้เปิด" in dashboard
    # One action, one name, wherever it is offered.
    assert dashboard.count(f"เปิดปีงบประมาณ พ.ศ. {year}") == 1
    assert "เริ่มรายงาน" not in dashboard and "เริ่มปีงบประมาณ" not in dashboard
    client.force_login(staff_palad)
    dashboard = client.get("/staff/").content.decode()
    assert f"ปีงบประมาณ พ.ศ. {year} ยังไม่ได้เปิด" in dashboard
    assert "ผู้ประสานงาน ITA ของหน่วยงานเป็นผู้เปิดปีงบประมาณ" in dashboard
    assert f"เปิดปีงบประมาณ พ.ศ. {year}</a>" not in dashboard


def test_english_works_when_selected(client, coordinator, demo_report):
    client.force_login(coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    content = client.get("/staff/2568/").content.decode()
    assert "Report for fiscal year B.E. ๒๕๖๘" in content
    assert "Submit for approval" not in content  # the demo report is published
    assert "Preview the report" in content


def test_the_dashboard_queries_do_not_grow_with_the_measures(
    client, coordinator, demo_report, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get("/staff/2568/")
    # 22 with the check for a two-factor device (measures.accounts.two_factor), the
    # divisions' progress (measures.fiscal_year.handins) and the year's OIT items (three)
    with django_assert_max_num_queries(22):
        client.get("/staff/2568/")
    for number in range(7, 17):
        demo_report.measures.create(number=number, title=f"มาตรการ {number}")
    with django_assert_max_num_queries(22):
        content = client.get("/staff/2568/").content.decode()
    assert "มาตรการ 16" in content


@pytest.mark.parametrize(
    "url",
    [
        "/staff/",
        "/staff/measures/{m}/",
        "/staff/2568/scores/",
        "/staff/people/",
        "/staff/2568/",
        "/staff/2568/review/",
        "/staff/words/",
    ],
)
def test_every_staff_page_speaks_english_when_asked(client, coordinator, demo_report, url):
    client.force_login(coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    measure = demo_report.measures.get(number=1)
    content = client.get(url.format(m=measure.pk)).content.decode()
    assert '<html lang="en">' in content
    assert "Log out" in content and "ออกจากระบบ" not in content
