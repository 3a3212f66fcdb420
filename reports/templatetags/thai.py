"""Template filters for Thai documents: one-line wrappers around measures.thai."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from measures import thai

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
    return thai.format_date(localtime(value).date())


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
