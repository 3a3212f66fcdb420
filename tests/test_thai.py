import datetime
import re

import pytest

from measures import thai


def test_thai_digits_converts_every_digit_and_keeps_the_rest():
    assert thai.thai_digits("92.50 คะแนน 2568") == "๙๒.๕๐ คะแนน ๒๕๖๘"
    assert thai.thai_digits(7) == "๗"
    assert thai.thai_digits(None) == ""


@pytest.mark.parametrize(
    ("text", "month"),
    [("ต.ค.", 10), ("ตค", 10), ("ตุลาคม", 10), (" ม.ค. ", 1), ("มี.ค.", 3), ("ธ.ค.", 12)],
)
def test_parse_month_reads_abbreviations_and_names(text, month):
    assert thai.parse_month(text) == month


def test_parse_month_refuses_an_unknown_month():
    with pytest.raises(ValueError, match=re.escape("ต.ต.")):
        thai.parse_month("ต.ต.")


def test_parse_number_reads_thai_and_arabic_digits():
    assert thai.parse_number("๒๕๖๘") == 2568
    assert thai.parse_number("2568") == 2568


def test_period_spanning_two_years_names_both():
    assert thai.format_period(10, 2567, 9, 2568) == "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘"


def test_period_within_one_year_prints_the_year_once():
    assert thai.format_period(1, 2568, 4, 2568) == "ม.ค. - เม.ย. ๒๕๖๘"
    assert thai.format_period(5, 2568, 5, 2568) == "พ.ค. ๒๕๖๘"


@pytest.mark.parametrize(
    ("date", "year"),
    [
        (datetime.date(2024, 9, 30), 2567),
        (datetime.date(2024, 10, 1), 2568),
        (datetime.date(2025, 9, 30), 2568),
    ],
)
def test_fiscal_year_starts_on_the_first_of_october(date, year):
    assert thai.fiscal_year(date) == year


def test_fiscal_year_bounds():
    assert thai.fiscal_year_bounds(2568) == ((10, 2567), (9, 2568))


def test_format_date_in_buddhist_era():
    assert thai.format_date(datetime.date(2025, 1, 20)) == "๒๐ มกราคม ๒๕๖๘"
    assert thai.format_date(datetime.date(2025, 1, 20), abbreviated=True) == "๒๐ ม.ค. ๒๕๖๘"


def test_keep_together_parts_marks_etcetera_era_years_and_hyphenated_words():
    assert thai.keep_together_parts("บนเว็บไซต์ ฯลฯ และป้าย ฯลฯ") == [
        ("บนเว็บไซต์ ", False),
        ("ฯลฯ", True),
        (" และป้าย ", False),
        ("ฯลฯ", True),
    ]
    assert thai.keep_together_parts("ปีงบประมาณ พ.ศ. ๒๕๖๘ ซึ่ง") == [
        ("ปีงบประมาณ ", False),
        ("พ.ศ. ๒๕๖๘", True),
        (" ซึ่ง", False),
    ]
    assert thai.keep_together_parts("ผ่านระบบ E-Service ให้") == [
        ("ผ่านระบบ ", False),
        ("E-Service", True),
        (" ให้", False),
    ]
    assert thai.keep_together_parts("ไม่มี") == [("ไม่มี", False)]
    assert thai.keep_together_parts("") == []


def test_a_budget_prints_in_thai_digits_or_says_none_is_used():
    from decimal import Decimal

    assert thai.budget_text(Decimal("12500.00")) == "๑๒,๕๐๐ บาท"
    assert thai.budget_text(Decimal("1200.50")) == "๑,๒๐๐.๕๐ บาท"
    assert thai.budget_text(None) == "ไม่ใช้งบประมาณ"
