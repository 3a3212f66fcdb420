"""The evidence journey in Debian's chromium: the coordinator gives an OIT item a link and a
PDF and a result a photo, publishes, and an anonymous visitor opens all three."""

import pytest

from measures.models import OitItem
from tests.browser_helpers import PUBLISH, SUBMIT, act, approve, log_in, log_out
from tests.evidence_samples import jpeg_bytes, pdf_bytes
from tests.test_browser_staff import serious_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 390])
def test_evidence_from_the_coordinator_to_the_public(
    page, live_server, tmp_path, coordinator, approver, demo_report, width
):
    page.set_viewport_size({"width": width, "height": 900})
    (tmp_path / "ประกาศเจตนารมณ์.pdf").write_bytes(pdf_bytes())
    (tmp_path / "ภาพกิจกรรม.jpg").write_bytes(jpeg_bytes())
    o21 = OitItem.objects.get(oit_list__year=2568, code="O21")
    linked = f"{live_server.url}/mueang-phalai/"

    log_in(page, "coordinator")
    page.goto("/staff/2568/")
    page.get_by_role("link", name="ข้อ OIT และหลักฐาน").click()
    page.get_by_role("link", name=o21.title, exact=True).click()
    page.get_by_label("เป็นหลักฐานของอะไร").fill("ประกาศเจตนารมณ์ No Gift Policy")
    page.get_by_label("ลิงก์ (URL)").fill(linked)
    page.get_by_role("button", name="เพิ่ม", exact=True).click()
    page.get_by_text("เพิ่มลิงก์แล้ว").wait_for()
    page.get_by_label("หรือไฟล์ (PDF, JPEG, PNG, XLSX, DOCX)").set_input_files(
        tmp_path / "ประกาศเจตนารมณ์.pdf"
    )
    page.get_by_role("button", name="เพิ่ม", exact=True).click()
    page.get_by_text("เพิ่มไฟล์แล้ว").wait_for()

    measure = demo_report.measures.get(number=2)
    page.goto(f"/staff/measures/{measure.pk}/")
    page.get_by_role("link", name="หลักฐานของผลการดำเนินการ (ภาพ ไฟล์ ลิงก์)").click()
    page.get_by_label("ผลการดำเนินการข้อ").select_option(index=1)
    page.get_by_label("เป็นหลักฐานของอะไร").fill("ภาพกิจกรรมประชาคม")
    page.get_by_label("หรือไฟล์ (PDF, JPEG, PNG, XLSX, DOCX)").set_input_files(
        tmp_path / "ภาพกิจกรรม.jpg"
    )
    page.get_by_role("button", name="เพิ่ม", exact=True).click()
    page.get_by_text("เพิ่มไฟล์แล้ว").wait_for()
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width

    page.goto("/staff/2568/")
    act(page, *SUBMIT)
    log_out(page)
    approve(page)
    log_in(page, "coordinator")
    act(page, *PUBLISH)
    log_out(page)

    visitor = page.context.browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport={"width": width, "height": 900}
    ).new_page()
    visitor.goto("/mueang-phalai/ita/2568/")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= width
    item = visitor.locator(f"#item-{o21.pk}")
    item.get_by_role("link", name="ประกาศเจตนารมณ์ No Gift Policy").click()
    visitor.wait_for_url(linked)
    visitor.go_back()
    pdf_href = item.get_by_role("link", name="ประกาศเจตนารมณ์.pdf").get_attribute("href")
    pdf = visitor.request.get(pdf_href)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body() == pdf_bytes()
    visitor.get_by_role("link", name="รายงานผลการดำเนินการตามมาตรการ ปีงบประมาณ ๒๕๖๘").first.click()
    visitor.wait_for_url("**/mueang-phalai/2568/")
    photo = visitor.get_by_role("link", name="[๑] ภาพกิจกรรมประชาคม")
    response = visitor.request.get(photo.get_attribute("href"))
    assert response.headers["content-type"] == "image/jpeg"
    assert response.body() == jpeg_bytes()
    photo.click()
    visitor.wait_for_url("**/evidence/*/")
    assert visitor.evaluate("document.images[0].naturalWidth") == 40


@pytest.mark.parametrize("width", [1366, 390])
def test_the_evidence_pages_pass_axe_and_fit_a_phone(page, coordinator, demo_report, width):
    o21 = OitItem.objects.get(oit_list__year=2568, code="O21")
    measure = demo_report.measures.get(number=2)
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for name, url in [
        ("public", "/mueang-phalai/ita/2568/"),
        ("item", f"/mueang-phalai/ita/2568/{o21.pk}/"),
    ]:
        page.goto(url)
        found[name] = serious_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    log_in(page, "coordinator")
    for name, url in [
        ("items", "/staff/2568/ita/"),
        ("staff item", f"/staff/2568/ita/{o21.pk}/"),
        ("results", f"/staff/measures/{measure.pk}/evidence/"),
    ]:
        page.goto(url)
        found[name] = serious_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert all(violations == [] for violations in found.values()), found


def test_the_copy_button_puts_the_items_url_on_the_clipboard(page, live_server, demo_report):
    o21 = OitItem.objects.get(oit_list__year=2568, code="O21")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/mueang-phalai/ita/2568/")
    button = page.locator(f"#item-{o21.pk}").get_by_role("button", name="คัดลอกลิงก์")
    button.click()
    page.locator(f"#item-{o21.pk}").get_by_role("button", name="คัดลอกแล้ว").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/mueang-phalai/ita/2568/{o21.pk}/"
