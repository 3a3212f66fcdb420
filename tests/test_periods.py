"""measures/periods.py: periods as people write them, read into months and พ.ศ. years."""

import pytest
from django.utils import translation

from measures.periods import Period, PeriodError, parse_period

WHOLE_2568 = (10, 2567, 9, 2568)


@pytest.mark.parametrize(
    "text, months",
    [
        ("ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘", WHOLE_2568),
        ("ม.ค. - เม.ย. ๒๕๖๘", (1, 2568, 4, 2568)),
        ("ต.ค. 67 - ก.ย. 68", WHOLE_2568),
        ("ต.ค.67-ก.ย.68", WHOLE_2568),
        ("1 ต.ค. 2567 - 30 ก.ย. 2568", WHOLE_2568),
        ("๑ ตุลาคม ๒๕๖๗ – ๓๐ กันยายน ๒๕๖๘", WHOLE_2568),
        ("ตุลาคม 2567 - กันยายน 2568", WHOLE_2568),
        ("ธันวาคม 2567 ถึง มีนาคม 2568", (12, 2567, 3, 2568)),
        ("ตลอดปีงบประมาณ", WHOLE_2568),
        ("ตลอดปีงบประมาณ พ.ศ. 2568", WHOLE_2568),
        ("ปีงบประมาณ พ.ศ. ๒๕๖๘", WHOLE_2568),
        ("ปีงบประมาณ 68", WHOLE_2568),
        ("ทั้งปีงบประมาณ", WHOLE_2568),
        ("ต.ค. - ก.ย.", WHOLE_2568),
        ("พ.ย. - ธ.ค.", (11, 2567, 12, 2567)),
        ("มี.ค. ๒๕๖๘", (3, 2568, 3, 2568)),
        ("มิถุนายน พ.ศ. 2568", (6, 2568, 6, 2568)),
    ],
)
def test_it_reads_the_ways_people_write_a_period(text, months):
    assert parse_period(text, fiscal_year=2568).months == months


def test_a_bare_whole_fiscal_year_is_the_year_given():
    assert parse_period("ตลอดปีงบประมาณ", fiscal_year=2569).months == (10, 2568, 9, 2569)


def test_the_whole_fiscal_year_is_a_value_of_its_own_shown_in_thai():
    with translation.override("th"):
        assert str(Period(*WHOLE_2568)) == "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๘ (ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘)"
        assert str(Period(1, 2568, 4, 2568)) == "ม.ค. - เม.ย. ๒๕๖๘"
    assert Period(*WHOLE_2568).whole_fiscal_year == 2568
    assert Period(10, 2567, 8, 2568).whole_fiscal_year is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("ไตรมาสที่ ๒", "อ่านระยะเวลาดำเนินการ “ไตรมาสที่ ๒” ไม่ได้"),
        ("ต.ต. 67 - ก.ย. 68", "ไม่รู้จักเดือน “ต.ต.”"),
        ("ต.ค. 68 - ก.ย. 67", "เดือนที่สิ้นสุดอยู่ก่อนเดือนที่เริ่ม"),
    ],
)
def test_what_it_cannot_read_is_refused_in_thai(text, message):
    with translation.override("th"), pytest.raises(PeriodError, match=message):
        parse_period(text, fiscal_year=2568)


def test_a_period_with_no_year_in_a_file_with_none_is_refused():
    with translation.override("th"), pytest.raises(PeriodError, match="ไม่ได้ระบุปี"):
        parse_period("ตลอดปีงบประมาณ", fiscal_year=None)
