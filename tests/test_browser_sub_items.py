"""Making an item a sub-item in the editor, and seeing it numbered ๑.๑ under its item."""

import pytest

from tests.browser_helpers import log_in
from tests.test_browser_staff import serious_violations

pytestmark = pytest.mark.browser


def test_the_coordinator_ticks_sub_item_and_the_preview_numbers_it_under_its_item(
    page, coordinator, demo_report
):
    measure = demo_report.measures.get(number=2)
    second = measure.methods.get(order=2).text
    log_in(page, "coordinator")
    page.goto(f"/staff/measures/{measure.pk}/")
    methods = page.get_by_role("group", name="วิธีดำเนินการ", exact=True)
    ticks = methods.get_by_label("เป็นข้อย่อยของข้อด้านบน")
    assert ticks.count() >= 4
    ticks.nth(1).check()
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_text("บันทึกแล้ว").wait_for()
    assert list(measure.methods.values_list("level", flat=True)) == [0, 1, 0, 0]

    page.goto("/staff/2568/preview/")
    item = page.locator("li.sub-item", has_text=second)
    assert item.inner_text().startswith("๑.๑ ")
    indent = item.evaluate("li => getComputedStyle(li).paddingLeft")
    assert float(indent.removesuffix("px")) > 0
    assert page.locator("li", has_text="๒. เจ้าหน้าที่ทุกภารกิจงาน").count() == 1
    assert serious_violations(page) == []
