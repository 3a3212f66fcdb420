"""The template filters of measures/templatetags/thai.py, as templates use them."""

import datetime

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load thai %}" + source).render(Context(context))


def test_thai_digits_filter():
    assert render("{{ n|thai_digits }}", n=2568) == "๒๕๖๘"
    assert render("{{ n|thai_digits }}", n="92.50") == "๙๒.๕๐"


def test_period_filter_formats_a_documents_period():
    whole_year = {"start_month": 10, "start_year": 2567, "end_month": 9, "end_year": 2568}
    one_year = {"start_month": 1, "start_year": 2568, "end_month": 4, "end_year": 2568}
    assert render("{{ p|period }}", p=whole_year) == "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘"
    assert render("{{ p|period }}", p=one_year) == "ม.ค. - เม.ย. ๒๕๖๘"
    assert render("{{ p|period }}", p=None) == ""


def test_thai_date_filter_gives_the_buddhist_era_date_in_bangkok():
    # 20:00 UTC on 19 January is already 20 January in Bangkok.
    moment = datetime.datetime(2025, 1, 19, 20, 0, tzinfo=datetime.UTC)
    assert render("{{ d|thai_date }}", d=moment) == "๒๐ มกราคม ๒๕๖๘"


def test_keep_together_filter_wraps_etcetera_and_escapes_the_rest():
    html = render("{{ t|keep_together }}", t="<b>เว็บไซต์</b> ฯลฯ")
    assert html == '&lt;b&gt;เว็บไซต์&lt;/b&gt; <span class="nobr">ฯลฯ</span>'
