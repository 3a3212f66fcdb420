"""The public report page in a real browser, on a desktop screen and on a phone."""

import pytest

from measures.imports.report_text import HEADERS

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
