"""Thai document conventions with no Django in them: digits, months, Buddhist Era, periods.

The data stays numeric; these helpers turn it into what a Thai reader expects on paper
("ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘") and read it back from imported text.
"""

import datetime
import re

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit

BE_OFFSET = 543

# A zero-width space is how Thai text marks a word break that shows no gap: it splits words too.
SPACES = re.compile(r"[\s\u200b]")

# What text pasted from Word or a PDF carries unseen: zero-width spaces and joiners, the word
# joiner, byte-order marks, soft hyphens, direction marks and control characters. A reader never
# sees them, but they split or join words for a program (str.isspace() is False for U+200B) and
# PostgreSQL refuses NUL.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# Line and page breaks, with the spaces around them: one paragraph of the report shows them as one
# space (the page and the PDF print an item as one paragraph).
_BREAKS = re.compile("[ \t]*(?:\r\n|[\n\r\v\f\x85\u2028\u2029])[ \t]*")


def plain_text(text: str) -> str:
    """``text`` as one paragraph a reader sees: invisible characters gone, breaks and tabs as
    spaces, no space at either end. Every free text is stored this way, so that what the review,
    the PDF and a spreadsheet read is what the page shows."""
    text = _BREAKS.sub(" ", _INVISIBLE.sub("", text))
    return text.replace("\t", " ").strip()


MONTH_ABBRS = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTH_NAMES = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip


def thai_digits(value: object) -> str:
    """Every Arabic digit of ``value`` written as a Thai digit (๐–๙)."""
    return arabic_digit_to_thai_digit(str(value)) if value not in (None, "") else ""


def arabic_digits(text: str) -> str:
    return thai_digit_to_arabic_digit(text) if text else text


def parse_number(text: str) -> int:
    """An integer written in Thai or Arabic digits; ValueError if it is not one."""
    return int(arabic_digits(text.strip()))


def parse_month(text: str) -> int:
    """Month number 1–12 from a Thai abbreviation or full name ("ต.ค.", "ตค", "ตุลาคม")."""
    key = text.strip().replace(" ", "")
    for number, (abbr, name) in enumerate(zip(MONTH_ABBRS, MONTH_NAMES, strict=True), start=1):
        if key in (abbr, abbr.replace(".", ""), name):
            return number
    raise ValueError(f"unknown month “{text.strip()}”")


def month_index(month: int, year: int) -> int:
    """A month as one comparable number, so that periods can be compared and shifted."""
    return year * 12 + month - 1


def format_period(start_month: int, start_year: int, end_month: int, end_year: int) -> str:
    """ "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘", or "ม.ค. - เม.ย. ๒๕๖๘" when both ends share the year."""
    start, end = MONTH_ABBRS[start_month - 1], MONTH_ABBRS[end_month - 1]
    if start_year == end_year:
        if start_month == end_month:
            return f"{start} {thai_digits(end_year)}"
        return f"{start} - {end} {thai_digits(end_year)}"
    return f"{start} {thai_digits(start_year)} - {end} {thai_digits(end_year)}"


def buddhist_year(date: datetime.date) -> int:
    return date.year + BE_OFFSET


def fiscal_year(date: datetime.date) -> int:
    """Thai fiscal year (พ.ศ.) containing ``date``: it starts on 1 October of the year before."""
    return buddhist_year(date) + (1 if date.month >= 10 else 0)


def fiscal_year_bounds(year: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """First and last (month, พ.ศ. year) of fiscal year ``year``: (10, year-1) and (9, year)."""
    return (10, year - 1), (9, year)


def format_date(date: datetime.date, *, abbreviated: bool = False) -> str:
    """ "๒๐ มกราคม ๒๕๖๘" (or "๒๐ ม.ค. ๒๕๖๘")."""
    months = MONTH_ABBRS if abbreviated else MONTH_NAMES
    return thai_digits(f"{date.day} {months[date.month - 1]} {buddhist_year(date)}")


def format_month_year(month: int, year: int) -> str:
    """ "ต.ค. 2567": a period's end as a spreadsheet cell, in Arabic digits so it sorts and edits
    easily (``parse_month_year`` reads either kind of digits back)."""
    return f"{MONTH_ABBRS[month - 1]} {year}"


def parse_month_year(text: str) -> tuple[int, int]:
    """(month, พ.ศ. year) from "ต.ค. 2567", "ต.ค. ๒๕๖๗" or "ตุลาคม 2567"; ValueError otherwise."""
    parts = text.strip().rsplit(None, 1)
    if len(parts) != 2:
        raise ValueError(f"not a month and year: “{text.strip()}”")
    month, year = parts
    return parse_month(month), parse_number(year)


def shift_year_mentions(text: str, year: int, by: int) -> str:
    """Every "พ.ศ. <year>" in ``text`` moved ``by`` years, in the digits it was written in."""
    for digits in (str(year), thai_digits(year)):
        moved = str(year + by) if digits.isascii() else thai_digits(year + by)
        text = re.sub(rf"(พ\.ศ\.\s*){digits}(?![0-9๐-๙])", rf"\g<1>{moved}", text)
    return text


# What a line must never split: "ฯลฯ" (Pango breaks it ฯ|ลฯ), an era year ("พ.ศ. ๒๕๖๘") and a
# hyphenated Latin word ("E-Service").
_KEEP_TOGETHER = re.compile(r"(ฯลฯ|พ\.ศ\.\s*[๐-๙0-9]+|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+)")


def keep_together_parts(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (part, unbreakable) pairs; the unbreakable parts as listed above."""
    return [(part, index % 2 == 1) for index, part in enumerate(_KEEP_TOGETHER.split(text)) if part]


NO_BUDGET = "ไม่ใช้งบประมาณ"


def budget_text(amount) -> str:
    """A planned budget as the plan prints it: "๑๒,๕๐๐ บาท", "๑,๒๐๐.๕๐ บาท", or "ไม่ใช้งบประมาณ"
    when there is none (None; the forms say so for a measure with no cost)."""
    if amount is None:
        return NO_BUDGET
    text = f"{amount:,.2f}".removesuffix(".00")
    return f"{thai_digits(text)} บาท"
