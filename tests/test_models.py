"""Database constraints hold on SQLite and PostgreSQL alike (CI runs this module on both)."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from measures.models import (
    RESERVED_SLUGS,
    Agency,
    Change,
    Indicator,
    IndicatorScore,
    Measure,
    Method,
    Outcome,
    Publication,
    Report,
)


@pytest.fixture
def report(agency):
    return Report.objects.create(agency=agency, fiscal_year=2568)


def test_the_ten_indicators_are_loaded_by_migration(db):
    indicators = list(Indicator.objects.values_list("number", "name_th", "group"))
    assert len(indicators) == 10
    assert indicators[6] == (7, "ประสิทธิภาพการสื่อสาร", "EIT")
    assert [group for _, _, group in indicators] == ["IIT"] * 5 + ["EIT"] * 3 + ["OIT"] * 2


@pytest.mark.django_db(transaction=True)
def test_the_ten_indicators_come_back_after_a_flush():
    Indicator.objects.filter(number=1).update(name_th="ชื่อที่ผู้ดูแลแก้")
    call_command("flush", interactive=False, verbosity=0)
    assert Indicator.objects.count() == 10
    assert Indicator.objects.get(number=1).name_th == "การปฏิบัติหน้าที่"

    Indicator.objects.filter(number=1).update(name_th="ชื่อที่ผู้ดูแลแก้")
    call_command("migrate", verbosity=0)
    assert Indicator.objects.get(number=1).name_th == "ชื่อที่ผู้ดูแลแก้"


def test_one_report_per_agency_and_year(report):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(agency=report.agency, fiscal_year=2568)


def test_a_gregorian_year_is_refused(agency):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(agency=agency, fiscal_year=2025)


def test_publication_versions_are_unique_per_report(demo_report):
    publication = demo_report.latest_publication()
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(
            report=demo_report,
            version=publication.version,
            published_at=publication.published_at,
            document={},
        )


@pytest.mark.parametrize("score", [Decimal("-0.01"), Decimal("100.01")])
def test_scores_stay_between_0_and_100(agency, score):
    indicator = Indicator.objects.get(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorScore.objects.create(
            agency=agency, fiscal_year=2568, indicator=indicator, score=score
        )


def test_one_score_per_agency_year_and_indicator(agency):
    indicator = Indicator.objects.get(number=1)
    IndicatorScore.objects.create(agency=agency, fiscal_year=2568, indicator=indicator, score=90)
    IndicatorScore.objects.create(agency=agency, fiscal_year=2567, indicator=indicator, score=80)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorScore.objects.create(agency=agency, fiscal_year=2568, indicator=indicator, score=1)


def test_scores_keep_two_decimals(agency):
    indicator = Indicator.objects.get(number=10)
    IndicatorScore.objects.create(
        agency=agency, fiscal_year=2568, indicator=indicator, score="92.50"
    )
    assert IndicatorScore.objects.get().score == Decimal("92.50")


def test_measure_numbers_are_unique_within_a_report(report):
    Measure.objects.create(report=report, number=1, title="ก")
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(report=report, number=1, title="ข")


@pytest.mark.parametrize(
    "period",
    [
        (10, 2568, 9, 2568),  # end before start within the fiscal year
        (1, 2569, 12, 2568),  # end year before start year
        (13, 2568, 12, 2568),  # no thirteenth month
        (1, 2568, None, None),  # half a period
    ],
)
def test_impossible_periods_are_refused(report, period):
    start_month, start_year, end_month, end_year = period
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(
            report=report,
            number=1,
            title="ก",
            start_month=start_month,
            start_year=start_year,
            end_month=end_month,
            end_year=end_year,
        )


def test_a_period_may_be_unknown_or_one_month(report):
    Measure.objects.create(report=report, number=1, title="ก")
    Measure.objects.create(
        report=report,
        number=2,
        title="ข",
        start_month=5,
        start_year=2568,
        end_month=5,
        end_year=2568,
    )
    assert Measure.objects.count() == 2


def test_model_validation_explains_a_reversed_period_in_thai(report):
    measure = Measure(
        report=report,
        number=1,
        title="ก",
        start_month=9,
        start_year=2568,
        end_month=1,
        end_year=2568,
    )
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "เดือนที่สิ้นสุดต้องไม่อยู่ก่อนเดือนที่เริ่มดำเนินการ" in str(error.value)


@pytest.mark.parametrize("model", [Method, Outcome])
def test_item_order_is_unique_and_positive_per_measure(report, model):
    measure = Measure.objects.create(report=report, number=1, title="ก")
    model.objects.create(measure=measure, order=1, text="หนึ่ง")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(measure=measure, order=1, text="ซ้ำ")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(measure=measure, order=0, text="ศูนย์")


def test_every_model_reads_in_thai(demo_report):
    measure = demo_report.measures.first()
    assert str(demo_report) == "รายงานผลการดำเนินการ ปีงบประมาณ พ.ศ. ๒๕๖๘ อบต.เมืองพะไล"
    assert str(measure).startswith("๑. การส่งเสริมการรับรู้")
    assert str(measure.outcomes.first()).startswith("๑. ผลการประเมิน ITA")
    assert str(Indicator.objects.get(number=7)) == "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร"
    assert str(demo_report.agency.divisions.first()) == "สำนักปลัด"


def first_segments(patterns) -> set[str]:
    """The first path segment of every URL, looking into includes mounted at the root."""
    segments = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        if not route and hasattr(pattern, "url_patterns"):
            segments |= first_segments(pattern.url_patterns)
        elif route and not route.startswith("<"):
            segments.add(route.split("/")[0])
    return segments


def test_every_top_level_page_of_the_portal_is_a_reserved_agency_slug():
    from django.urls import get_resolver

    segments = first_segments(get_resolver().url_patterns)
    assert {"admin", "staff", "open-data"} <= segments
    segments |= {settings.STATIC_URL.strip("/"), settings.MEDIA_URL.strip("/")}
    assert segments <= RESERVED_SLUGS


@pytest.mark.parametrize("slug", ["staff", "admin", "healthz"])
def test_an_agency_cannot_take_a_slug_of_the_portals_own_pages(db, slug):
    agency = Agency(
        name="เทศบาลทดสอบ", short_name="ทต.ทดสอบ", kind="tambon", province="ขอนแก่น", slug=slug
    )
    with pytest.raises(ValidationError) as error, translation.override("th"):
        agency.full_clean()
    assert "slug" in error.value.message_dict
    assert "เป็นหน้าของระบบเอง" in error.value.message_dict["slug"][0]


def test_a_change_without_a_user_names_someone_and_its_time_in_thai(demo_report, coordinator):
    at = datetime.datetime(2025, 1, 20, 7, 30, tzinfo=datetime.UTC)  # 14:30 in Bangkok
    change = Change.objects.create(
        report=demo_report, action=Change.Action.SUBMITTED, subject="รายงาน ๒๕๖๘"
    )
    Change.objects.filter(pk=change.pk).update(at=at)
    change.refresh_from_db()
    assert str(change) == "๒๐ ม.ค. ๒๕๖๘ ๑๔:๓๐ ผู้ใช้ที่ไม่ระบุ เสนอรายงานขออนุมัติ รายงาน ๒๕๖๘"
    change.user = coordinator
    assert str(change) == "๒๐ ม.ค. ๒๕๖๘ ๑๔:๓๐ coordinator เสนอรายงานขออนุมัติ รายงาน ๒๕๖๘"
