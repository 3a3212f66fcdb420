"""The real seed report, loaded by load_demo, is in the database exactly and structured."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from measures.management.commands.load_demo import load_demo
from measures.models import Measure, Membership, Outcome, Report

SEED = Path(__file__).resolve().parent.parent / "measures" / "demo" / "report-2568.txt"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


def squash(text: str) -> str:
    return re.sub(r"\s+|</?p>", "", text)


def numbered(texts: list[str]) -> str:
    return "".join(
        "".join(THAI_DIGITS[int(d)] for d in str(i)) + "." + t for i, t in enumerate(texts, 1)
    )


def seed_rows() -> list[list[str]]:
    rows = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]
    return [cells for cells in rows if len(cells) == 6 and not cells[0].startswith("มาตรการ")]


def test_the_demo_report_has_six_measures_in_order(demo_report):
    measures = list(demo_report.measures.with_lists())
    assert [m.number for m in measures] == [1, 2, 3, 4, 5, 6]
    counts = [(m.methods.count(), m.results.count(), m.outcomes.count()) for m in measures]
    assert counts == [(2, 2, 3), (4, 4, 2), (6, 6, 2), (3, 3, 1), (3, 3, 2), (1, 1, 1)]


def test_periods_divisions_and_cited_indicators(demo_report):
    measures = list(demo_report.measures.with_lists())
    periods = [(m.start_month, m.start_year, m.end_month, m.end_year) for m in measures]
    assert periods == [(10, 2567, 9, 2568)] * 5 + [(1, 2568, 4, 2568)]
    all_four = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ"]
    divisions = [[d.name for d in m.divisions.all()] for m in measures]
    assert divisions == [all_four] * 4 + [["สำนักปลัด"]] * 2
    first_outcomes = [m.outcomes.all()[0] for m in measures[:5]]
    assert [o.indicator.number for o in first_outcomes] == [6, 7, 8, 9, 10]
    assert measures[5].outcomes.get().indicator is None


def test_the_introductory_sentence_is_stored(demo_report):
    assert demo_report.introduction == (
        "องค์การบริหารส่วนตำบลเมืองพะไล มีการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใส"
        "ภายในหน่วยงาน ปีงบประมาณ พ.ศ. ๒๕๖๘ ซึ่งมีผลการดำเนินการดังนี้"
    )


def test_every_sentence_of_every_cell_is_in_the_database(demo_report):
    rows = seed_rows()
    measures = list(demo_report.measures.with_lists())
    assert len(rows) == len(measures) == 6
    for cells, measure in zip(rows, measures, strict=True):
        assert squash(cells[0]) == THAI_DIGITS[measure.number] + "." + squash(measure.title)
        assert squash(cells[2]) == squash(measure.period_display)
        assert squash(cells[3]) == "".join(d.name for d in measure.divisions.all())
        for column, items in ((1, measure.methods), (4, measure.results), (5, measure.outcomes)):
            texts = [item.text for item in items.all()]
            assert squash(cells[column]) in (squash(numbered(texts)), squash("".join(texts)))


def test_load_demo_is_idempotent(demo_report):
    assert load_demo() is False
    assert load_demo(reset=True) is True
    assert Report.objects.count() == 1
    assert Measure.objects.count() == 6
    assert Outcome.objects.count() == 11


def test_the_demo_report_is_published_once(demo_report):
    publication = demo_report.latest_publication()
    assert publication.version == 1
    assert [m["number"] for m in publication.document["measures"]] == [1, 2, 3, 4, 5, 6]
    assert Report.objects.published().get() == demo_report


@pytest.mark.parametrize("number", [9, 10])
def test_the_demo_stores_the_scores_the_report_states(demo_report, number):
    score = demo_report.agency.scores.get(fiscal_year=2568, indicator__number=number)
    assert str(score.score) == {9: "90.00", 10: "92.50"}[number]


def test_the_local_demo_has_a_superuser_and_one_staff_account_per_role(demo_report, settings):
    settings.DEBUG = True
    call_command("load_demo", "--superuser", stdout=io.StringIO())
    call_command("load_demo", "--superuser", stdout=io.StringIO())
    roles = {m.user.username: m.role for m in Membership.objects.select_related("user")}
    assert roles == {
        "demo-coordinator": "coordinator",
        "demo-palad": "division_staff",
        "demo-approver": "approver",
    }
    palad = Membership.objects.get(user__username="demo-palad")
    assert [d.name for d in palad.divisions.all()] == ["สำนักปลัด"]
    assert get_user_model().objects.get(username="demo").check_password("demo-ita-2568")


def test_the_demo_accounts_are_refused_outside_a_local_demo(demo_report, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", "--superuser", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_the_demo_loads_the_published_plan_with_budgets_scores_and_analysis(db):
    load_demo()
    report = Report.objects.get()
    plan = report.latest_publication("plan")
    assert [m["budget"] for m in plan.document["measures"]][:2] == [None, "5000.00"]
    assert plan.document["analysis"]["result"] == {
        "overall": "85.85",
        "iit": "95.03",
        "eit": "79.18",
        "oit": "83.96",
        "level": "ผ่าน",
    }
    assert "ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน" in plan.document["analysis"]["urgent"]
    assert report.latest_publication().version == 1
