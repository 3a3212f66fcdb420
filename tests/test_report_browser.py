"""The public report page in a real browser, on a desktop screen, on a phone and on paper."""

import re
from itertools import pairwise

import pytest

from measures.imports.report_text import HEADERS
from measures.workflow import report_publish
from tests import test_report_evidence as evidence
from tests.pdf_checks import poppler_text

# The published demo report with a photo and a link as evidence.
photo, order_link, published = evidence.photo, evidence.order_link, evidence.published

pytestmark = pytest.mark.browser


def overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_table_shows_its_six_headers_on_a_desktop_screen(page, demo_report, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/mueang-phalai/2568/")
    headers = page.locator("table.measures thead th")
    assert headers.all_inner_texts() == list(HEADERS)
    assert all(header.is_visible() for header in headers.all())
    assert page.locator("table.measures tbody tr").count() == 6
    assert overflow(page) <= 0
    page.screenshot(path=tmp_path / "report-1280.png", full_page=True)


def test_a_phone_reads_the_report_without_scrolling_sideways(page, demo_report, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/mueang-phalai/2568/")
    assert page.locator("table.measures thead th").all_text_contents() == list(HEADERS)
    first_row = page.locator("table.measures tbody tr").first
    assert (
        first_row.locator("td").nth(2).evaluate("td => getComputedStyle(td, '::before').content")
        == '"ระยะเวลาดำเนินการ"'
    )
    assert "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘" in first_row.inner_text()
    assert overflow(page) <= 0
    page.screenshot(path=tmp_path / "report-390.png", full_page=True)


def test_the_score_chart_is_legible_and_clean_on_a_phone(page, demo_plan, tmp_path):
    report_publish(report=demo_plan, acknowledge_warnings=True)  # with the plan's past scores
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/mueang-phalai/2568/")
    chart = page.locator(".score-chart")
    chart.scroll_into_view_if_needed()
    assert chart.locator(".chart-label").count() == 10
    assert chart.locator(".chart-bar").count() >= 11  # both years' bars for one indicator at least
    texts = chart.locator(".chart-label, .chart-bar, .chart-legend, figcaption")
    sizes = texts.evaluate_all("els => els.map(el => parseFloat(getComputedStyle(el).fontSize))")
    assert min(sizes) >= 12, sizes
    # Nothing is drawn in the bars' column but the bars and their figures: no line, no dash,
    # no drawing whose text would shrink with it.
    assert chart.locator("svg, hr, line, path").count() == 0
    drawn = chart.locator(".chart-bars *").evaluate_all(
        "els => els.map(el => [el.className, el.getBoundingClientRect().height])"
    )
    assert {name for name, _ in drawn} == {"chart-bar", "bar bar-previous", "bar bar-score"}
    assert min(height for name, height in drawn if name.startswith("bar ")) >= 10
    figures = chart.locator(".chart-bar").all_inner_texts()
    assert all(re.fullmatch(r"[๐-๙]+\.[๐-๙]{2}", figure.strip()) for figure in figures), figures
    # Each row's bars start right of its label, and last year's sits above this year's.
    for row in chart.locator(".chart-row").all():
        label = row.locator(".chart-label").bounding_box()
        bars = [bar.bounding_box() for bar in row.locator(".bar").all()]
        assert all(bar["x"] >= label["x"] + label["width"] for bar in bars)
        assert all(upper["y"] + upper["height"] <= lower["y"] for upper, lower in pairwise(bars))
    assert overflow(page) <= 0
    chart.screenshot(path=tmp_path / "chart-390.png")


def test_the_report_prints_alone_black_on_white_across_the_page(
    page,
    demo_report,
    published,
    photo,
    tmp_path,
):
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 px to the inch
    page.emulate_media(media="print")
    page.goto("/mueang-phalai/2568/")
    for hidden in (".site-header", ".site-footer", ".report-actions", ".open-data", "nav"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.get_by_role("link", name="ดาวน์โหลด PDF").is_hidden()
    table = page.locator("table.measures")
    page_width = page.evaluate("document.documentElement.clientWidth")
    assert table.bounding_box()["width"] >= 0.98 * page_width
    style = table.evaluate(
        """table => {
          const css = (el, name) => getComputedStyle(el).getPropertyValue(name);
          const row = table.querySelector("tbody tr"), cell = row.querySelector("td");
          return {thead: css(table.tHead, "display"), row: css(row, "break-inside"),
                  color: css(cell, "color"), page: css(document.body, "background-color"),
                  label: getComputedStyle(cell, "::before").content};
        }"""
    )
    assert style["thead"] == "table-header-group"  # the header row on every page
    assert style["row"] == "avoid"
    assert style["color"] == "rgb(0, 0, 0)"
    assert style["page"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert style["label"] in ("none", "normal")  # the columns, not the phone's cards
    # The evidence's addresses are written out under the table.
    notes = page.locator(".evidence-notes")
    assert notes.is_visible()
    assert "https://example.org/order-5" in notes.inner_text()
    assert f"/mueang-phalai/2568/evidence/{photo.pk}/" in notes.inner_text()
    # On paper: the header row heads every page the table runs over.
    pages = poppler_text(page.pdf(prefer_css_page_size=True), "-layout").split("\f")
    table_pages = [text for text in pages if "ต.ค. ๒๕๖๗" in text or "เม.ย. ๒๕๖๘" in text]
    assert len(table_pages) >= 2
    assert all("ระยะเวลาดำเนินการ" in text for text in table_pages), [t[:300] for t in table_pages]
