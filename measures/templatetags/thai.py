"""Template filters for Thai documents: one-line wrappers around measures.thai and
measures.citations. The one place for Thai digits, Buddhist-Era dates and month ranges."""

import datetime
from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from measures import citations, thai

register = template.Library()


@register.filter
def thai_digits(value):
    return thai.thai_digits(value)


@register.filter
def period(value):
    """A measure's period as the document stores it ({start_month, …}), e.g. "ม.ค. - เม.ย. ๒๕๖๘"."""
    return thai.format_period(**value) if value else ""


@register.filter
def thai_date(value):
    """ "๒๐ มกราคม ๒๕๖๘" from a date, an ISO date string (as documents store it) or a moment."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        value = localtime(value).date()
    return thai.format_date(value)


@register.filter
def thai_datetime(value):
    """A moment as staff pages show it: "๒๐ ม.ค. ๒๕๖๘ ๑๔:๓๐" (local time)."""
    if not value:
        return ""
    moment = localtime(value)
    return f"{thai.format_date(moment, abbreviated=True)} {thai.thai_digits(f'{moment:%H:%M}')}"


@register.filter
def score(value):
    """A stored score ("92.5" or Decimal) as printed: "๙๒.๕๐"; blank stays blank."""
    if value in (None, ""):
        return ""
    return citations.score_text(Decimal(value))


@register.filter
def budget(value):
    """A planned budget from a document ("12500.00" or None): "๑๒,๕๐๐ บาท" or "ไม่ใช้งบประมาณ"."""
    return thai.budget_text(None if value in (None, "") else Decimal(value))


@register.filter
def signed_score(value):
    """A change of score from a document ("-1.25"): "+๐.๕๒", "-๑.๒๕", "๐.๐๐"; blank stays blank."""
    if value in (None, ""):
        return ""
    return citations.signed_score_text(Decimal(value))


@register.filter
def result_change(result, previous):
    """ "เพิ่มขึ้น ๓.๔๐ คะแนน" from two results of a document (this year's and the year before)."""
    return citations.change_text(Decimal(result["overall"]) - Decimal(previous["overall"]))


@register.filter
def keep_together(text):
    """``text`` escaped, with "ฯลฯ" wrapped so that no line breaks inside it."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html('<span class="nobr">{}</span>', p) if k else p,)
            for p, k in thai.keep_together_parts(text)
        ),
    )
