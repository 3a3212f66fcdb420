from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from measures import citations, items
from measures.accounts import two_factor

register = template.Library()

CHANGE_FIELDS = {
    "title": _("measure, project or activity"),
    "period": _("period"),
    "divisions": _("responsible divisions"),
    "indicators": _("target indicators"),
    "methods": _("methods"),
    "results": _("results"),
    "outcomes": _("outcomes"),
    "number": _("number"),
    "score": _("score"),
    "version": _("published version"),
    "reason": _("reason"),
    "not_handed_in": _("divisions not handed in"),
    "divisions_concerned": _("divisions asked to correct their part"),
    "deadline": _("hand-in deadline"),
    "source": _("started from fiscal year"),
    "budget": _("budget (baht)"),
    "ita_result": _("ITA result"),
    "analysis": _("analysis of last year's result"),
    "evidence": _("evidence of a result"),
}

# A full score's bar, in % of the bars' column: the rest is room for its figure.
FULL_BAR_PERCENT = 80


@register.filter
def score_change(entry):
    """This year's score minus last year's, signed: "+๐.๕๒", "-๑.๒๕", "๐.๐๐"."""
    return citations.signed_score_text(Decimal(entry["score"]) - Decimal(entry["previous"]))


@register.filter
def change_field(key):
    return CHANGE_FIELDS.get(key, key)


@register.simple_tag
def score_chart_rows(scores):
    """Bars for the chart partial: one row per indicator, last year's bar above this year's."""
    rows = []
    for entry in scores:
        bars = []
        for key in ("previous", "score"):
            value = entry.get(key)
            percent = round(float(value) * FULL_BAR_PERCENT / 100, 1) if value is not None else 0
            bars.append({"key": key, "value": value, "percent": percent})
        rows.append({"entry": entry, "bars": bars})
    return {"rows": rows}


@register.filter
def two_factor_available(user) -> bool:
    return two_factor.available_to(user)


@register.filter
def person(user) -> str:
    """Who did something: their full name, their username, or "someone" for a deleted account."""
    if user is None:
        return _("someone")
    return user.get_full_name() or user.get_username()


@register.simple_tag
def evidence_href(document: dict, entry: dict, absolute: bool = False) -> str:
    """Where a result's evidence opens: its link, or the portal's URL of its file (absolute in
    print, where the reader types it)."""
    if entry["kind"] == "link":
        return entry["url"]
    path = reverse(
        "reports:result_file",
        args=[document["agency"]["slug"], document["fiscal_year"], entry["id"]],
    )
    return settings.PORTAL_URL + path if absolute else path


@register.simple_tag
def report_evidence(document: dict) -> list[tuple[dict, dict]]:
    """Every result's evidence of the report in its numbered order, with its measure."""
    return [
        (measure, entry)
        for measure in document["measures"]
        for entry in measure.get("evidence", ())
    ]


def _printed(entries: list, levels: list[int]) -> list[dict]:
    """Each entry with its printed number ("๑.", "๑.๑"), whether it is a sub-item, and its
    place in the list (1, 2, …), by which a result's evidence names it."""
    levels = items.levels_of(levels)
    return [
        {
            "entry": entry,
            "number": items.prefix(label),
            "sub": level == items.SUB_ITEM,
            "position": position,
        }
        for position, (entry, level, label) in enumerate(
            zip(entries, levels, items.labels(levels), strict=True), 1
        )
    ]


@register.filter
def list_items(measure: dict, column: str) -> list[dict]:
    """A document measure's list as printed (``_printed``): each entry is a text, or an
    outcome's dict."""
    return _printed(measure[column], items.measure_levels(measure, column))


@register.filter
def numbered_items(rows) -> list[dict]:
    """Stored items (a measure's ``methods.all``) as ``list_items`` gives a document's."""
    rows = list(rows)
    return _printed([row.text for row in rows], [row.level for row in rows])


@register.filter
def result_number(measure: dict, position: int) -> str:
    """The printed number of a measure's result at ``position`` (1, 2, …): "๒" or "๑.๒"."""
    labels = items.labels(items.measure_levels(measure, "results"))
    return labels[position - 1] if 0 < position <= len(labels) else str(position)


@register.filter
def evidence_label(entry: dict) -> str:
    """What a result's evidence is called: its description, else its file's name or its link."""
    return entry["title"] or entry.get("file", {}).get("name") or entry["url"]


@register.filter
def evidence_file_name(entry: dict) -> str:
    return entry.get("file", {}).get("name", "")
