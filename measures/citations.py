"""The sentence an outcome cites about an indicator's score, built from the stored scores.

Plain Python, no Django: the wording is part of the report's Thai text, whatever the UI language.
"""

from decimal import Decimal

from measures.thai import thai_digits


def score_text(value: Decimal) -> str:
    """A score as printed: two decimals in Thai digits ("๙๒.๕๐")."""
    return thai_digits(f"{value:.2f}")


def score_citation(
    number: int, name: str, score: Decimal | None, previous: Decimal | None
) -> str | None:
    """ "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนนเพิ่มขึ้นจากปีที่ผ่านมา ๐.๕๒ คะแนน".

    With no score for last year only the level is cited; with no score this year there is
    nothing to cite (None).
    """
    if score is None:
        return None
    subject = f"ตัวชี้วัดที่ {thai_digits(number)} {name}"
    if previous is None:
        return f"{subject} ได้คะแนน {score_text(score)} คะแนน"
    change = score - previous
    if change > 0:
        return f"{subject} ได้คะแนนเพิ่มขึ้นจากปีที่ผ่านมา {score_text(change)} คะแนน"
    if change < 0:
        return f"{subject} ได้คะแนนลดลงจากปีที่ผ่านมา {score_text(-change)} คะแนน"
    return f"{subject} ได้คะแนน {score_text(score)} คะแนน เท่ากับปีที่ผ่านมา"


def signed_score_text(change: Decimal) -> str:
    """A change of score, signed: "+๐.๕๒", "-๑.๒๕", "๐.๐๐"."""
    sign = "+" if change > 0 else "-" if change < 0 else ""
    return sign + score_text(abs(change))


def change_text(change: Decimal) -> str:
    """ "เพิ่มขึ้น ๓.๔๐ คะแนน", "ลดลง ๑.๒๕ คะแนน" or "เท่ากับปีที่ผ่านมา"."""
    if change > 0:
        return f"เพิ่มขึ้น {score_text(change)} คะแนน"
    if change < 0:
        return f"ลดลง {score_text(-change)} คะแนน"
    return "เท่ากับปีที่ผ่านมา"
