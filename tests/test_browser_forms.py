"""The measure editor in Debian's chromium: a refused save, several items at once, warnings at
save and the preview of the cited score, at desktop and phone width."""

import pytest

from tests.browser_helpers import log_in
from tests.test_browser_staff import serious_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 390])
def test_the_editor_guides_a_clerk_through_a_save(page, coordinator, demo_report, width):
    page.set_viewport_size({"width": width, "height": 900})
    measure = demo_report.measures.get(number=6)
    log_in(page, "coordinator")
    page.goto(f"/staff/measures/{measure.pk}/")

    page.get_by_label("ปีที่เริ่ม (พ.ศ.)").select_option(label="---------")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="ยังไม่ได้บันทึก")
    summary.wait_for()
    assert page.evaluate("window.scrollY") == 0
    first = summary.get_by_role("link").first
    assert "ปีที่เริ่ม (พ.ศ.): กรอกเดือนและปีที่เริ่มและที่สิ้นสุดให้ครบ" in first.inner_text()
    assert page.evaluate("document.activeElement.textContent") == first.inner_text()
    assert serious_violations(page) == []
    first.click()
    assert page.evaluate("document.activeElement.id") == "id_start_year"

    page.get_by_label("ปีที่เริ่ม (พ.ศ.)").select_option(label="๒๕๖๙")
    page.get_by_label("ปีที่สิ้นสุด (พ.ศ.)").select_option(label="๒๕๖๙")
    results = page.get_by_role("group", name="ผลการดำเนินการ", exact=True)
    before = results.get_by_label("ข้อความ").count()
    results.get_by_role("button", name="เพิ่มแถว: ผลการดำเนินการ").click()
    assert results.get_by_label("ข้อความ").count() == before + 1
    new_rows = results.get_by_label("ข้อความ")
    for offset, text in enumerate(["ผลเพิ่มหนึ่ง", "ผลเพิ่มสอง", "ผลเพิ่มสาม", "ผลเพิ่มสี่"]):
        new_rows.nth(before - 3 + offset).fill(text)

    outcome = page.get_by_role("group", name="ผลลัพธ์หรือความสำเร็จของการดำเนินการ")
    outcome.get_by_label("ตัวชี้วัดที่อ้างถึง").first.select_option(label="ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต")
    outcome.get_by_label("ต่อท้ายข้อความด้วยประโยคบอกคะแนนของตัวชี้วัดนี้").first.check()
    preview = outcome.locator("[data-citation-preview]").first
    assert preview.inner_text() == ("ประโยคที่จะต่อท้าย: ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้คะแนน ๙๒.๕๐ คะแนน")
    outcome.get_by_label("ต่อท้ายข้อความด้วยประโยคบอกคะแนนของตัวชี้วัดนี้").first.uncheck()
    assert preview.inner_text() == ""

    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_text("บันทึกแล้ว").wait_for()
    assert page.get_by_text("ระยะเวลาอยู่นอกปีงบประมาณ พ.ศ. ๒๕๖๘").is_visible()
    texts = list(measure.results.values_list("text", flat=True))
    assert texts[-4:] == ["ผลเพิ่มหนึ่ง", "ผลเพิ่มสอง", "ผลเพิ่มสาม", "ผลเพิ่มสี่"]
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
