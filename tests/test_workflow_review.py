"""The review of stored reports: the demo's acceptance facts, and publishing refused until the
errors are corrected and the warnings acknowledged."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from measures.models import (
    AcceptedWord,
    Indicator,
    IndicatorScore,
    Publication,
    ReviewAcknowledgement,
)
from measures.workflow import (
    PublishRefused,
    report_publish,
    report_review,
    report_review_blocking,
    report_review_status,
    review_acknowledge,
)


@pytest.fixture
def coordinator(django_user_model):
    return django_user_model.objects.create_user("coordinator", password="x-password-1")


def problem(finding):
    return finding.text[finding.start : finding.end]


def store_scores(report, scores: dict[int, tuple[str, str]]):
    for number, (previous, current) in scores.items():
        for year, score in ((report.fiscal_year - 1, previous), (report.fiscal_year, current)):
            IndicatorScore.objects.update_or_create(
                agency=report.agency,
                fiscal_year=year,
                indicator=Indicator.objects.get(number=number),
                defaults={"score": Decimal(score)},
            )


def test_the_demo_has_no_error_and_finds_the_gift_variant(demo_report):
    findings = report_review(demo_report)
    assert [f for f in findings if f.is_error] == []
    [variant] = [f for f in findings if f.check == "variants"]
    assert (variant.measure, variant.column, variant.item) == (5, "methods", 1)
    assert problem(variant) == "ของ กำนัน"
    assert variant.suggestion == "ของกำนัล"


def test_a_publication_is_reviewed_as_its_report(demo_report):
    document = demo_report.latest_publication().document
    assert report_review(demo_report, document=document) == report_review(demo_report)


def test_the_demo_citations_of_indicators_6_to_8_are_unverifiable(demo_report):
    citations = [f for f in report_review(demo_report) if f.check == "citations"]
    assert [(f.severity, f.measure, problem(f)) for f in citations] == [
        ("warning", 1, "๐.๐๒"),
        ("warning", 2, "๐.๕๒"),
        ("warning", 3, "๓๔.๓๓"),
    ]


def test_the_demo_citations_check_once_both_years_are_stored(demo_report):
    store_scores(demo_report, {6: ("80.00", "80.02"), 7: ("90.00", "90.52"), 8: ("50.00", "84.33")})
    assert [f for f in report_review(demo_report) if f.check == "citations"] == []


def test_a_wrong_stored_score_makes_the_demo_citation_an_error(demo_report):
    demo_report.agency.scores.filter(indicator__number=10).update(score=Decimal("91.00"))
    [error] = [f for f in report_review(demo_report) if f.is_error]
    assert (error.measure, problem(error), error.suggestion) == (5, "๙๒.๕๐", "๙๑.๐๐")


def test_it_refuses_publish_with_errors(demo_report, coordinator):
    demo_report.measures.get(number=2).methods.all().delete()
    with pytest.raises(PublishRefused) as refused, translation.override("th"):
        report_publish(report=demo_report, by=coordinator, acknowledge_warnings=True)
    assert "ข้อผิดพลาด" in str(refused.value)
    assert [f.column for f in refused.value.findings] == ["methods"]
    assert Publication.objects.filter(report=demo_report).count() == 1


def test_it_refuses_publish_with_unacknowledged_warnings(demo_report, coordinator):
    demo_report.acknowledgements.all().delete()
    with pytest.raises(PublishRefused) as refused:
        report_publish(report=demo_report, by=coordinator)
    assert {f.check for f in refused.value.findings} == {"citations", "variants"}
    assert Publication.objects.filter(report=demo_report).count() == 1


def test_load_demo_recorded_its_acknowledgements(demo_report):
    assert report_review_blocking(demo_report) == []
    assert demo_report.acknowledgements.count() == 4


def test_acknowledged_warnings_no_longer_block(demo_report, coordinator):
    demo_report.acknowledgements.all().delete()
    for finding in report_review_blocking(demo_report):
        review_acknowledge(report=demo_report, finding_key=finding.key, by=coordinator)
    publication = report_publish(report=demo_report, by=coordinator)
    assert publication.version == 2
    acknowledgement = ReviewAcknowledgement.objects.filter(check_name="variants").get()
    assert acknowledgement.acknowledged_by == coordinator
    assert acknowledgement.message.startswith("มาตรการที่ ๕ วิธีดำเนินการ ข้อ ๑:")
    assert acknowledgement.acknowledged_at is not None


def test_the_review_status_says_who_acknowledged_what(demo_report, coordinator):
    demo_report.acknowledgements.filter(check_name="citations").update(acknowledged_by=coordinator)
    status = report_review_status(demo_report)
    assert [(r.finding.check, r.acknowledgement.acknowledged_by) for r in status] == [
        ("citations", coordinator),
        ("citations", coordinator),
        ("citations", coordinator),
        ("variants", None),
    ]
    assert not any(r.blocks_publishing for r in status)


def test_an_edit_brings_an_acknowledged_warning_back(demo_report):
    method = demo_report.measures.get(number=5).methods.get(order=1)
    method.text = method.text.replace("ของ กำนัน", "ของ กำนั้น")
    method.save()
    findings = report_review_blocking(demo_report)
    assert findings
    assert {(f.measure, f.column, f.item) for f in findings} == {(5, "methods", 1)}
    assert all("กำนั้น" in problem(f) for f in findings)


def test_an_error_cannot_be_acknowledged(demo_report, coordinator):
    demo_report.agency.scores.filter(indicator__number=9).update(score=Decimal("89.00"))
    [error] = [f for f in report_review(demo_report) if f.is_error]
    with pytest.raises(ValueError):
        review_acknowledge(report=demo_report, finding_key=error.key, by=coordinator)
    assert not demo_report.acknowledgements.filter(finding_key=error.key).exists()


def test_an_accepted_word_silences_the_spelling_check(demo_report):
    outcome = demo_report.measures.get(number=6).outcomes.get()
    outcome.text += " ณ ตำบลกุดบว"
    outcome.save()
    assert [problem(f) for f in report_review(demo_report) if f.check == "spelling"]
    AcceptedWord.objects.create(agency=demo_report.agency, word="กุดบว")
    assert [f for f in report_review(demo_report) if f.check == "spelling"] == []


def test_the_command_prints_one_line_per_finding(demo_report, capsys):
    with translation.override("th"):
        call_command("review_report", "mueang-phalai", "2568")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[3].split("\t")[:4] == ["คำเตือน", "มาตรการที่ ๕", "วิธีดำเนินการ", "ข้อ ๑"]
    assert "ของกำนัล" in lines[3]


def test_the_command_exits_non_zero_on_an_error(demo_report, capsys):
    demo_report.agency.scores.filter(indicator__number=9).update(score=Decimal("89.00"))
    with pytest.raises(CommandError) as error, translation.override("th"):
        call_command("review_report", "mueang-phalai", "2568")
    assert error.value.returncode == 1
    assert "ข้อผิดพลาด" in capsys.readouterr().out.splitlines()[0]


def test_importing_the_seed_warns_about_the_cover_district(demo_report, tmp_path, capsys):
    with translation.override("th"):
        call_command(
            "import_report_text",
            "measures/demo/report-2568.txt",
            agency="mueang-phalai",
            year=2568,
        )
    [warning] = capsys.readouterr().err.splitlines()
    assert "“อำเภอบวลาย”" in warning
    assert "“อำเภอบัวลาย”" in warning
