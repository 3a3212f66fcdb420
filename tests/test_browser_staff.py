"""Staff journeys in Debian's chromium: the whole year, and two people editing one measure."""

import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from measures import thai
from measures.models import Measure, Report
from tests.browser_helpers import APPROVE, PUBLISH, SUBMIT, act, log_in, log_out

pytestmark = pytest.mark.browser


def test_the_whole_year(page, live_server, coordinator, staff_palad, approver, demo_report):
    year = thai.fiscal_year(timezone.localdate())
    log_in(page, "coordinator")
    page.get_by_role("link", name=f"เปิดปีงบประมาณ พ.ศ. {thai.thai_digits(year)}").click()
    page.get_by_label("รายงานว่าง: เพิ่มมาตรการเอง หรือนำเข้าจากไฟล์").check()
    page.get_by_role("button", name=f"เปิดปีงบประมาณ พ.ศ. {thai.thai_digits(year)}").click()
    page.get_by_role("link", name="เพิ่มมาตรการ").click()
    page.get_by_label("มาตรการ โครงการ หรือกิจกรรม").fill("มาตรการเผยแพร่ข้อมูลข่าวสาร")
    page.get_by_role("button", name="เพิ่ม").click()
    page.get_by_label("เดือนที่เริ่ม").select_option(label="ตุลาคม")
    page.get_by_label("ปีที่เริ่ม (พ.ศ.)").select_option(label=thai.thai_digits(year - 1))
    page.get_by_label("เดือนที่สิ้นสุด").select_option(label="กันยายน")
    page.get_by_label("ปีที่สิ้นสุด (พ.ศ.)").select_option(label=thai.thai_digits(year))
    page.get_by_label("สำนักปลัด").check()
    page.get_by_label("ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร").check()
    page.get_by_role("group", name="วิธีดำเนินการ").get_by_label("ข้อความ").first.fill("จัดทำสื่อ")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_text("บันทึกแล้ว").wait_for()

    page.get_by_role("link", name="หน้าหลักเจ้าหน้าที่").first.click()
    page.get_by_role("link", name="คะแนน ITA").click()
    page.get_by_label(f"ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ปี พ.ศ. {thai.thai_digits(year - 1)}").fill(
        "85.00"
    )
    page.get_by_label(f"ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ปี พ.ศ. {thai.thai_digits(year)}").fill("85.52")
    page.get_by_role("button", name="บันทึกคะแนน").click()
    page.get_by_text("บันทึกคะแนนแล้ว").wait_for()
    log_out(page)

    log_in(page, "staff_palad")
    missing = page.locator("section.missing")
    missing.get_by_role("link", name="๑. มาตรการเผยแพร่ข้อมูลข่าวสาร").click()
    results = page.get_by_role("group", name="ผลการดำเนินการ", exact=True)
    results.get_by_label("ข้อความ").first.fill("เผยแพร่ข่าวสารทางเว็บไซต์ ๑๒ ครั้ง")
    outcomes = page.get_by_role("group", name="ผลลัพธ์หรือความสำเร็จของการดำเนินการ")
    outcomes.get_by_label("ข้อความ").first.fill("ประชาชนรับรู้ข้อมูลมากขึ้น")
    outcomes.get_by_label("ตัวชี้วัดที่อ้างถึง").first.select_option(label="ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร")
    outcomes.get_by_label("ต่อท้ายข้อความด้วยประโยคบอกคะแนนของตัวชี้วัดนี้").first.check()
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_text("บันทึกแล้ว").wait_for()
    page.get_by_role("link", name="หน้าหลักเจ้าหน้าที่").first.click()
    page.get_by_role("button", name="ส่งงานของสำนักปลัด").click()
    page.get_by_text("สำนักปลัด ส่งงานแล้ว").wait_for()
    log_out(page)

    log_in(page, "coordinator")
    act(page, *SUBMIT)
    log_out(page)

    log_in(page, "approver")
    page.get_by_role("link", name="ดูตัวอย่างรายงาน").click()
    page.get_by_text("ได้คะแนนเพิ่มขึ้นจากปีที่ผ่านมา ๐.๕๒ คะแนน").wait_for()
    page.go_back()
    act(page, *APPROVE)
    log_out(page)

    log_in(page, "coordinator")
    act(page, *PUBLISH)

    report = Report.objects.get(agency=demo_report.agency, fiscal_year=year)
    assert report.status == Report.Status.PUBLISHED
    document = report.latest_publication().document
    measure = document["measures"][0]
    assert measure["results"] == ["เผยแพร่ข่าวสารทางเว็บไซต์ ๑๒ ครั้ง"]
    assert measure["outcomes"][0]["citation"] == (
        "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนนเพิ่มขึ้นจากปีที่ผ่านมา ๐.๕๒ คะแนน"
    )
    assert document["approval"]["name"] == "สมชาย ใจดี"

    visitor = page.context.browser.new_context(base_url=live_server.url).new_page()
    slug = demo_report.agency.slug
    visitor.goto(f"/{slug}/{year}/")
    visitor.get_by_text("เผยแพร่ข่าวสารทางเว็บไซต์ ๑๒ ครั้ง").wait_for()
    visitor.get_by_text("ได้คะแนนเพิ่มขึ้นจากปีที่ผ่านมา ๐.๕๒ คะแนน").wait_for()
    assert "ฉบับร่าง" not in visitor.content()
    pdf = visitor.request.get(f"/{slug}/{year}/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    squashed = "".join(text.split())
    assert "เผยแพร่ข่าวสารทางเว็บไซต์๑๒ครั้ง" in squashed
    assert "(สมชายใจดี)" in squashed


def test_a_concurrent_edit_is_refused_and_keeps_the_typed_text(
    page, live_server, coordinator, staff_palad, demo_report
):
    measure = demo_report.measures.get(number=6)
    other = page.context.browser.new_context(base_url=live_server.url, locale="th-TH").new_page()
    log_in(page, "staff_palad")
    log_in(other, "coordinator")
    page.goto(f"/staff/measures/{measure.pk}/")
    other.goto(f"/staff/measures/{measure.pk}/")

    results = page.get_by_role("group", name="ผลการดำเนินการ", exact=True)
    typed = "ข้อความยาวที่เจ้าหน้าที่พิมพ์ไว้ครึ่งวัน"
    results.get_by_label("ข้อความ").last.fill(typed)
    other.get_by_label("มาตรการ โครงการ หรือกิจกรรม").fill("ชื่อมาตรการที่ผู้ประสานงานแก้")
    other.get_by_role("button", name="บันทึก", exact=True).click()
    other.get_by_text("บันทึกแล้ว").wait_for()

    page.get_by_role("button", name="บันทึก", exact=True).click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "ไม่ได้บันทึก" in alert.inner_text()
    assert "ชื่อมาตรการที่ผู้ประสานงานแก้" in alert.inner_text()
    assert results.get_by_label("ข้อความ").last.input_value() == typed
    assert typed not in Measure.objects.get(pk=measure.pk).results.values_list("text", flat=True)

    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_text("บันทึกแล้ว").wait_for()
    assert typed in Measure.objects.get(pk=measure.pk).results.values_list("text", flat=True)
    other.context.close()


def serious_violations(page):
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_staff_pages_pass_axe_and_fit_a_phone(page, coordinator, demo_report, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    pages = {"login": serious_violations(page)}
    log_in(page, "coordinator")
    measure = demo_report.measures.get(number=2)
    demo_report.acknowledgements.filter(check_name="variants").delete()  # a warning to act on
    for name, url in [
        ("dashboard", "/staff/2568/"),
        ("editor", f"/staff/measures/{measure.pk}/"),
        ("review", "/staff/2568/review/"),
        ("words", "/staff/words/"),
        ("versions", "/staff/2568/versions/"),
        ("withdraw", "/staff/2568/withdraw/"),
    ]:
        page.goto(url)
        pages[name] = serious_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, (name, overflow)
    assert all(found == [] for found in pages.values()), pages
    assert len(pages) == 7


def test_the_bundled_axe_runs_offline_and_finds_a_missing_label(page):
    page.route("**/*", lambda route: route.abort())
    page.set_content('<html lang="th"><body><main><input type="text"></main></body></html>')
    assert ("label", "critical") in [(rule, impact) for rule, impact, _ in serious_violations(page)]


def test_leaving_the_editor_with_unsaved_typing_asks_first(page, staff_palad, demo_report):
    measure = demo_report.measures.get(number=6)
    log_in(page, "staff_palad")
    page.goto(f"/staff/measures/{measure.pk}/")
    page.get_by_role("group", name="ผลการดำเนินการ", exact=True).get_by_label("ข้อความ").last.click()
    page.keyboard.type("ยังไม่ได้บันทึก")
    dialogs = []
    page.once("dialog", lambda dialog: dialogs.append(dialog.type) or dialog.accept())
    page.get_by_role("link", name="หน้าหลักเจ้าหน้าที่").last.click()
    page.wait_for_url("**/staff/2568/")
    assert dialogs == ["beforeunload"]


def test_withdrawing_the_report_asks_why_and_takes_it_off_the_portal(
    page, live_server, coordinator, demo_report
):
    log_in(page, "coordinator")
    page.get_by_role("link", name="ฉบับที่เผยแพร่แล้ว").click()
    page.get_by_role("link", name="ถอนออกจากการเผยแพร่…").click()
    page.get_by_role("button", name="ถอนการเผยแพร่").click()
    page.get_by_text("ฟิลด์นี้จำเป็น").wait_for()
    assert demo_report.latest_publication() is not None

    page.get_by_label("เหตุผลที่ถอนรายงาน").fill("แนบไฟล์ผิดฉบับ")
    page.get_by_role("button", name="ถอนการเผยแพร่").click()
    page.get_by_text("ประชาชนไม่สามารถอ่านรายงานนี้ได้อีก").wait_for()
    page.get_by_text("แนบไฟล์ผิดฉบับ").wait_for()

    visitor = page.context.browser.new_page(base_url=live_server.url)
    assert visitor.goto("/mueang-phalai/2568/").status == 404
    assert visitor.goto("/mueang-phalai/2568/report.pdf").status == 404
    visitor.close()
