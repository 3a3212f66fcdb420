from decimal import Decimal

from measures.document import report_document
from measures.models import Change, IndicatorScore, ItaResult, LevelRule, Outcome


def test_the_coordinator_enters_both_years_and_sees_the_change(client, coordinator, demo_report):
    client.force_login(coordinator)
    response = client.post(
        "/staff/2568/scores/",
        {"score_7_2567": "85.00", "score_7_2568": "85.52", "score_10_2568": "92.50"},
    )
    assert response.status_code == 302
    stored = {
        (s.indicator.number, s.fiscal_year): s.score
        for s in IndicatorScore.objects.filter(agency=demo_report.agency)
    }
    assert stored == {(7, 2567): Decimal("85.00"), (7, 2568): Decimal("85.52"), (10, 2568): 92.5}
    content = client.get("/staff/2568/scores/").content.decode()
    assert "+๐.๕๒" in content
    change = Change.objects.get(action=Change.Action.SCORES)
    assert [item["after"] for item in change.changes] == [
        "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร (พ.ศ. ๒๕๖๗): ๘๕.๐๐",
        "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร (พ.ศ. ๒๕๖๘): ๘๕.๕๒",
        "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล (พ.ศ. ๒๕๖๘): -",
    ]


def test_scores_out_of_range_or_with_three_decimals_are_refused_and_kept(
    client, coordinator, demo_report
):
    client.force_login(coordinator)
    response = client.post(
        "/staff/2568/scores/",
        {"score_1_2568": "100.01", "score_2_2568": "80.123", "score_3_2568": "77.70"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "น้อยกว่าหรือเท่ากับ 100" in content
    assert "ทศนิยม" in content
    assert 'value="100.01"' in content and 'value="80.123"' in content
    assert 'value="77.70"' in content
    assert not IndicatorScore.objects.filter(indicator__number__in=[1, 2, 3]).exists()


def test_the_scores_page_draws_the_chart_with_a_table_for_screen_readers(
    client, coordinator, demo_report
):
    client.force_login(coordinator)
    content = client.get("/staff/2568/scores/").content.decode()
    assert 'style="width: 72.0%"></span> ๙๐.๐๐' in content  # 90.00 of 100 on an 80% bar
    assert "<caption>คะแนน ITA รายตัวชี้วัด</caption>" in content
    assert "<td>๙๒.๕๐</td>" in content


def test_a_cited_outcome_follows_the_stored_scores(client, coordinator, demo_report):
    outcome = Outcome.objects.get(measure__report=demo_report, indicator__number=10)
    outcome.cite_score = True
    outcome.save()
    client.force_login(coordinator)

    def citation():
        document = report_document(demo_report)
        outcomes = [o for m in document["measures"] for o in m["outcomes"]]
        return [o["citation"] for o in outcomes if "citation" in o]

    assert citation() == ["ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้คะแนน ๙๒.๕๐ คะแนน"]
    client.post("/staff/2568/scores/", {"score_10_2567": "93.00", "score_10_2568": "92.50"})
    assert citation() == ["ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้คะแนนลดลงจากปีที่ผ่านมา ๐.๕๐ คะแนน"]
    preview = client.get("/staff/2568/preview/").content.decode()
    assert "ได้คะแนนลดลงจากปีที่ผ่านมา ๐.๕๐ คะแนน" in preview


def test_score_changes_are_listed_with_the_reports_changes(client, coordinator, demo_report):
    client.force_login(coordinator)
    client.post("/staff/2568/scores/", {"score_10_2568": "93.10", "score_9_2568": "90.00"})
    content = client.get("/staff/2568/history/").content.decode()
    assert "แก้ไขคะแนน ITA" in content
    assert "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต (พ.ศ. ๒๕๖๘): ๙๒.๕๐" in content
    assert "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต (พ.ศ. ๒๕๖๘): ๙๓.๑๐" in content


def test_the_coordinator_enters_last_years_result_and_sees_its_level(
    client, coordinator, demo_report
):
    client.force_login(coordinator)
    response = client.post(
        "/staff/2568/scores/",
        {
            "result_overall_2567": "91.25",
            "result_iit_2567": "95.00",
            "result_eit_2567": "92.50",
            "result_oit_2567": "87.50",
        },
    )
    assert response.status_code == 302
    result = ItaResult.objects.get(agency=demo_report.agency, fiscal_year=2567)
    assert (result.overall, result.oit) == (Decimal("91.25"), Decimal("87.50"))
    content = client.get("/staff/2568/scores/").content.decode()
    assert "ผ่านดี" in content
    LevelRule.objects.filter(fiscal_year=2567, label="ผ่านดี").update(min_part="90.00")
    content = client.get("/staff/2568/scores/").content.decode()
    assert "ผ่านดี<" not in content.replace(" ", "").replace("\n", "")
    assert ">ผ่าน</td>" in content.replace(" ", "").replace("\n", "")


def test_a_result_whose_parts_do_not_give_the_overall_is_refused_and_kept(
    client, coordinator, demo_report
):
    client.force_login(coordinator)
    data = {
        "result_overall_2567": "95.00",
        "result_iit_2567": "95.00",
        "result_eit_2567": "92.50",
        "result_oit_2567": "87.50",
    }
    response = client.post("/staff/2568/scores/", data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "ได้ ๙๑.๒๕ ไม่ใช่คะแนนรวม" in content
    assert 'value="95.00"' in content
    assert not ItaResult.objects.exists()
