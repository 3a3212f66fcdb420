from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from measures.models import ItaResult, LevelRule


@pytest.mark.parametrize(
    ("year", "overall", "parts", "level"),
    [
        (2566, "96.04", (), "AA"),
        (2564, "88.37", (), "A"),
        (2566, "77.70", (), "B"),
        (2566, "49.99", (), "F"),
        (2567, "98.82", ("97.00", "99.10", "99.80"), "ผ่านดีเยี่ยม"),
        (2568, "96.00", ("90.00", "99.00", "98.00"), "ผ่านดี"),
        (2568, "91.25", ("80.00", "99.00", "93.69"), "ผ่าน"),
        (2568, "84.99", ("90.00", "90.00", "77.48"), "ต้องปรับปรุง"),
        (2567, "69.99", (), "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_the_seeded_rules_give_the_framework_levels(db, year, overall, parts, level):
    parts = tuple(Decimal(p) for p in parts)
    assert LevelRule.objects.level(year, Decimal(overall), parts) == level


def test_a_year_without_rules_has_no_level(db):
    assert LevelRule.objects.level(2570, Decimal("99.00")) == ""


def test_changing_a_rule_changes_the_level(db, agency):
    result = ItaResult.objects.create(agency=agency, fiscal_year=2566, overall=Decimal("94.50"))
    assert result.level == "A"
    LevelRule.objects.filter(fiscal_year=2566, label="AA").update(min_score="94.00")
    assert result.level == "AA"


def test_the_weighting_must_give_the_overall_score(db, agency):
    result = ItaResult(
        agency=agency, fiscal_year=2567, overall="91.25", iit="95.00", eit="90.00", oit="80.00"
    )
    with pytest.raises(ValidationError) as refused:
        result.full_clean()
    assert "๘๗.๕๐" in str(refused.value)
    result.overall = Decimal("87.51")
    result.full_clean()
