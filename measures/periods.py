"""Reading a measure's period as people write it ("ต.ค. 68 - ก.ย. 69", "ตลอดปีงบประมาณ",
"1 ต.ค. 2567 - 30 ก.ย. 2568") into months and Buddhist-Era years, with no Django in it.

A report states periods in months only, so days are read and dropped; "the whole fiscal year" is a
value of its own, shown as such, and stored as its months (ต.ค. of the year before – ก.ย.).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from measures import thai

# "ปีงบประมาณ", optionally with "ตลอด"/"ทั้ง" before and "พ.ศ." and a year after.
_FISCAL_YEAR = re.compile(
    r"^(?:ตลอด|ทั้ง)?\s*ปี\s*งบ\s*ประมาณ\s*(?:พ\.\s*ศ\.\s*)?(?P<year>[0-9๐-๙]{4}|[0-9๐-๙]{2})?$"
)
# One end: an optional day, a month (abbreviation or name), an optional year of 2 or 4 digits.
_END = (
    r"(?:[0-9๐-๙]{1,2}\s+)?(?P<%s_month>[^\s0-9๐-๙\-–—]+)\s*"
    r"(?:พ\.\s*ศ\.\s*)?(?P<%s_year>[0-9๐-๙]{4}|[0-9๐-๙]{2})?"
)
_RANGE = re.compile(rf"^{_END % ('start', 'start')}(?:\s*(?:[-–—]|ถึง)\s*{_END % ('end', 'end')})?$")


class PeriodError(ValueError):
    """A period that cannot be read; the message says why, in the user's language."""


@dataclass(frozen=True)
class Period:
    start_month: int
    start_year: int
    end_month: int
    end_year: int

    @property
    def months(self) -> tuple[int, int, int, int]:
        return self.start_month, self.start_year, self.end_month, self.end_year

    @property
    def whole_fiscal_year(self) -> int | None:
        """The fiscal year (พ.ศ.) this period covers from its first month to its last, if any."""
        if (self.start_month, self.end_month) == (10, 9) and self.end_year == self.start_year + 1:
            return self.end_year
        return None

    def __str__(self) -> str:
        shown = thai.format_period(*self.months)
        if self.whole_fiscal_year:
            return _("the whole fiscal year %(year)s (%(months)s)") % {
                "year": thai.thai_digits(self.whole_fiscal_year),
                "months": shown,
            }
        return shown


def _year(text: str | None) -> int | None:
    """A พ.ศ. year from four digits, or from two ("68" is 2568)."""
    if not text:
        return None
    year = thai.parse_number(text)
    return 2500 + year if year < 100 else year


def _given(fiscal_year: int | None, text: str) -> int:
    if fiscal_year is None:
        raise PeriodError(
            _("The period “%(text)s” gives no year, and neither does the file.") % {"text": text}
        )
    return fiscal_year


def parse_period(text: str, *, fiscal_year: int | None) -> Period:
    """The period ``text`` states; ``fiscal_year`` resolves what it leaves out ("ตลอดปีงบประมาณ",
    months without a year). PeriodError, in Thai, for what cannot be read."""
    text = re.sub(r"\s+", " ", text).strip()
    if match := _FISCAL_YEAR.match(text):
        year = _year(match["year"]) or _given(fiscal_year, text)
        return Period(10, year - 1, 9, year)
    match = _RANGE.match(text)
    if not match:
        raise PeriodError(
            _("Cannot read the period “%(text)s” (for example “ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘”).")
            % {"text": text[:100]}
        )
    months = []
    for end in ("start", "end"):
        name = match[f"{end}_month"]
        if name is None:
            months.append(None)
            continue
        try:
            months.append(thai.parse_month(name))
        except ValueError:
            raise PeriodError(
                _("Unknown month “%(month)s” in the period “%(text)s”.")
                % {"month": name, "text": text}
            ) from None
    start_month, end_month = months
    if end_month is None:  # one month: "มี.ค. ๒๕๖๘"
        end_month = start_month
    end_year = _year(match["end_year"]) or _year(match["start_year"])
    start_year = _year(match["start_year"])
    if end_year is None:  # months alone fall in the fiscal year: ต.ค.–ธ.ค. in the year before
        end_year = _given(fiscal_year, text) - (1 if end_month >= 10 else 0)
    if start_year is None:
        start_year = end_year if start_month <= end_month else end_year - 1
    if thai.month_index(end_month, end_year) < thai.month_index(start_month, start_year):
        raise PeriodError(_("Period “%(text)s”: the end is before the start.") % {"text": text})
    return Period(start_month, start_year, end_month, end_year)
