"""The public index in Debian's chromium: its filters laid out with their labels, and the
favicon, at desktop and phone width."""

import pytest

from tests.test_browser_staff import serious_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 390])
def test_each_filter_label_sits_on_its_field(page, demo_report, width):
    page.set_viewport_size({"width": width, "height": 900})
    missing = []
    page.on("response", lambda r: r.status == 404 and missing.append(r.url))
    page.goto("/")
    for name, label in (("q", "ค้นหา"), ("province", "จังหวัด"), ("kind", "ประเภทหน่วยงาน")):
        text = page.locator(f"label[for=id_{name}]")
        assert label in text.inner_text()
        field, text = page.locator(f"#id_{name}").bounding_box(), text.bounding_box()
        assert abs(text["x"] - field["x"]) < 2, label
        assert 0 <= field["y"] - (text["y"] + text["height"]) < 12, label
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).status == 200
    assert missing == []
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
