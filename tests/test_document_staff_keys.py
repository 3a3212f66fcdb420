"""The keys the staff workflow adds to a report's document: "approval" and "citation"."""

import datetime

from measures.document import report_document
from measures.models import Outcome


def test_a_report_not_approved_has_no_sign_off(demo_report):
    assert report_document(demo_report)["approval"] is None


def test_the_sign_off_gives_name_position_and_date(demo_report):
    demo_report.approver_name = "สมชาย ใจดี"
    demo_report.approver_position = "นายก อบต.เมืองพะไล"
    demo_report.approved_on = datetime.date(2025, 10, 15)
    demo_report.save()
    assert report_document(demo_report)["approval"] == {
        "name": "สมชาย ใจดี",
        "position": "นายก อบต.เมืองพะไล",
        "date": "2025-10-15",
    }


def test_only_outcomes_marked_to_cite_get_a_citation(demo_report):
    Outcome.objects.filter(indicator__number__in=[9, 10]).update(cite_score=True)
    Outcome.objects.filter(indicator__number=7).update(cite_score=True)  # no score for 7
    outcomes = [o for m in report_document(demo_report)["measures"] for o in m["outcomes"]]
    cited = {o["indicator"]: o["citation"] for o in outcomes if "citation" in o}
    assert cited == {
        9: "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล ได้คะแนน ๙๐.๐๐ คะแนน",
        10: "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้คะแนน ๙๒.๕๐ คะแนน",
    }
