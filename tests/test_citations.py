from decimal import Decimal

import pytest

from measures.citations import score_citation


@pytest.mark.parametrize(
    ("score", "previous", "expected"),
    [
        (
            "85.52",
            "85.00",
            "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนนเพิ่มขึ้นจากปีที่ผ่านมา ๐.๕๒ คะแนน",
        ),
        (
            "80.00",
            "81.25",
            "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนนลดลงจากปีที่ผ่านมา ๑.๒๕ คะแนน",
        ),
        (
            "92.50",
            "92.50",
            "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนน ๙๒.๕๐ คะแนน เท่ากับปีที่ผ่านมา",
        ),
        ("100", None, "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนน ๑๐๐.๐๐ คะแนน"),
    ],
)
def test_the_citation_words_the_change_or_the_level(score, previous, expected):
    previous = Decimal(previous) if previous else None
    assert score_citation(7, "ประสิทธิภาพการสื่อสาร", Decimal(score), previous) == expected


def test_the_indicator_number_is_written_in_thai_digits():
    assert score_citation(10, "การป้องกันการทุจริต", Decimal("92.50"), None) == (
        "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้คะแนน ๙๒.๕๐ คะแนน"
    )


def test_nothing_is_cited_without_this_years_score():
    assert score_citation(7, "ประสิทธิภาพการสื่อสาร", None, Decimal("80.00")) is None
