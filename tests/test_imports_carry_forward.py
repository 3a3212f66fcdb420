"""report_carry_forward: next year's draft from this year's report; never over an existing one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from measures.document import report_document
from measures.imports.services import report_carry_forward
from measures.models import Measure, Report


def test_it_copies_measures_methods_divisions_and_indicators_a_year_later(demo_report):
    new = report_carry_forward(report=demo_report)
    assert (new.agency, new.fiscal_year, new.status) == (demo_report.agency, 2569, "draft")
    old, copy = report_document(demo_report)["measures"], report_document(new)["measures"]
    assert len(copy) == len(old) == 6
    for before, after in zip(old, copy, strict=True):
        assert after["number"] == before["number"]
        assert after["divisions"] == before["divisions"]
        assert after["indicators"] == before["indicators"]
        assert after["results"] == after["outcomes"] == []
        assert after["period"] == {
            "start_month": before["period"]["start_month"],
            "start_year": before["period"]["start_year"] + 1,
            "end_month": before["period"]["end_month"],
            "end_year": before["period"]["end_year"] + 1,
        }
    assert copy[0]["methods"] == old[0]["methods"]
    assert copy[5]["title"].endswith("ประจำปีงบประมาณ พ.ศ. ๒๕๖๙")
    assert copy[5]["methods"][0].count("พ.ศ. ๒๕๖๙") == 1
    assert report_document(new)["introduction"].endswith("ปีงบประมาณ พ.ศ. ๒๕๖๙ ซึ่งมีผลการดำเนินการดังนี้")


def test_the_year_before_is_left_untouched(demo_report):
    before = report_document(demo_report)
    report_carry_forward(report=demo_report)
    assert report_document(Report.objects.get(pk=demo_report.pk)) == before


def test_it_refuses_when_next_year_exists(demo_report):
    existing = Report.objects.create(agency=demo_report.agency, fiscal_year=2569)
    with translation.override("th"), pytest.raises(ValidationError) as error:
        report_carry_forward(report=demo_report)
    assert error.value.messages == ["มีรายงานปีงบประมาณ พ.ศ. ๒๕๖๙ อยู่แล้ว จึงไม่ได้สร้างทับ"]
    assert not Measure.objects.filter(report=existing).exists()


def test_another_agencys_next_year_does_not_block_it(demo_report, agency):
    Report.objects.create(agency=agency, fiscal_year=2569)
    assert report_carry_forward(report=demo_report).measures.count() == 6


def test_the_admin_action_carries_forward_and_reports_refusals(admin_client, demo_report):
    url = reverse("admin:measures_report_changelist")
    data = {"action": "carry_forward", "_selected_action": [demo_report.pk]}
    response = admin_client.post(url, data, follow=True)
    assert "เริ่มรายงานผลการดำเนินการ ปีงบประมาณ พ.ศ. ๒๕๖๙" in response.content.decode()
    assert Report.objects.get(agency=demo_report.agency, fiscal_year=2569).measures.count() == 6

    response = admin_client.post(url, data, follow=True)
    assert "มีรายงานปีงบประมาณ พ.ศ. ๒๕๖๙ อยู่แล้ว" in response.content.decode()
    assert Report.objects.filter(agency=demo_report.agency).count() == 2
