"""The year's whole ITA cycle in Debian's chromium: last year's result, its analysis, the plan
approved and published, then the report of the same measures at the year's end."""

import pytest
from django.utils import timezone

from measures import thai
from measures.models import LevelRule, Publication, Report
from tests.browser_helpers import APPROVE, PUBLISH, SUBMIT, act, log_in, log_out

pytestmark = pytest.mark.browser


def open_plan(page):
    page.get_by_role("link", name="มาตรการและการวิเคราะห์ผล ITA").click()


def test_the_cycle_from_last_years_result_to_the_report(
    page, live_server, coordinator, staff_palad, approver, demo_report
):
    year = thai.fiscal_year(timezone.localdate())
    # The assessment's levels of last year, as an administrator enters them in the admin.
    for rule in LevelRule.objects.filter(fiscal_year=2568):
        LevelRule.objects.create(
            fiscal_year=year - 1,
            label=rule.label,
            min_score=rule.min_score,
            min_part=rule.min_part,
            passed=rule.passed,
        )
    log_in(page, "coordinator")
    page.get_by_role("link", name=f"เปิดปีงบประมาณ พ.ศ. {thai.thai_digits(year)}").click()
    page.get_by_label("รายงานว่าง: เพิ่มมาตรการเอง หรือนำเข้าจากไฟล์").check()
    page.get_by_role("button", name=f"เปิดปีงบประมาณ พ.ศ. {thai.thai_digits(year)}").click()

    page.get_by_role("link", name="คะแนน ITA").click()
    last = thai.thai_digits(year - 1)
    page.get_by_label(f"ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน ปี พ.ศ. {last}").fill("62.17")
    for part, score in (
        ("คะแนนรวม", "85.85"),
        ("IIT", "95.03"),
        ("EIT", "79.18"),
        ("OIT", "83.96"),
    ):
        label = f"คะแนน {part} พ.ศ. {last}" if part != "คะแนนรวม" else f"{part} พ.ศ. {last}"
        page.get_by_label(label, exact=True).fill(score)
    page.get_by_role("button", name="บันทึกคะแนน").click()
    page.get_by_text("บันทึกคะแนนแล้ว").wait_for()
    assert page.locator("td.level").first.inner_text() == "ผ่าน"

    page.get_by_role("link", name="หน้าหลักเจ้าหน้าที่").first.click()
    page.get_by_role("link", name="เพิ่มมาตรการ").click()
    page.get_by_label("มาตรการ โครงการ หรือกิจกรรม").fill("มาตรการปรับปรุงการทำงาน")
    page.get_by_role("button", name="เพิ่ม").click()
    page.get_by_label("เดือนที่เริ่ม").select_option(label="ตุลาคม")
    page.get_by_label("ปีที่เริ่ม (พ.ศ.)").select_option(label=thai.thai_digits(year - 1))
    page.get_by_label("เดือนที่สิ้นสุด").select_option(label="กันยายน")
    page.get_by_label("ปีที่สิ้นสุด (พ.ศ.)").select_option(label=thai.thai_digits(year))
    page.get_by_label("สำนักปลัด").check()
    page.get_by_label("งบประมาณ (บาท)").fill("15000")
    page.get_by_label("ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน").check()
    page.get_by_role("group", name="วิธีดำเนินการ").get_by_label("ข้อความ").first.fill(
        "ลดขั้นตอนงานบริการ"
    )
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_text("บันทึกแล้ว").wait_for()

    page.get_by_role("link", name="หน้าหลักเจ้าหน้าที่").first.click()
    open_plan(page)
    page.get_by_role("button", name="ใส่ร่างข้อความ").click()
    urgent = page.get_by_label("ประเด็นที่ต้องแก้ไขโดยเร่งด่วน")
    assert "ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน ได้ ๖๒.๑๗ คะแนน" in urgent.input_value()
    urgent.fill(urgent.input_value() + " ต้องลดขั้นตอนการให้บริการ")
    page.get_by_role("button", name="บันทึกการวิเคราะห์").click()
    page.get_by_text("บันทึกการวิเคราะห์แล้ว").wait_for()
    log_out(page)

    log_in(page, "approver")
    open_plan(page)
    page.get_by_text("ต้องลดขั้นตอนการให้บริการ").first.wait_for()
    page.get_by_role("button", name="อนุมัติมาตรการ").click()
    page.get_by_text("อนุมัติมาตรการแล้ว").wait_for()
    log_out(page)

    log_in(page, "coordinator")
    open_plan(page)
    page.get_by_role("button", name="เผยแพร่มาตรการ").click()
    page.get_by_text("เผยแพร่มาตรการแล้ว").wait_for()
    log_out(page)

    slug = demo_report.agency.slug
    for width in (1366, 390):
        visitor = page.context.browser.new_context(
            base_url=live_server.url, locale="th-TH", viewport={"width": width, "height": 900}
        ).new_page()
        visitor.goto(f"/{slug}/{year}/plan/")
        visitor.get_by_text("มาตรการปรับปรุงการทำงาน").first.wait_for()
        visitor.get_by_text(f"ผลการประเมินปี พ.ศ. {last} ได้คะแนน ๘๕.๘๕ ระดับ ผ่าน").wait_for()
        visitor.get_by_text("๑๕,๐๐๐ บาท").wait_for()
        visitor.get_by_text("ต้องลดขั้นตอนการให้บริการ").wait_for()
        assert visitor.evaluate("document.documentElement.scrollWidth") <= width
        pdf = visitor.request.get(f"/{slug}/{year}/plan.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        visitor.context.close()

    log_in(page, "staff_palad")
    page.locator("section.missing").get_by_role("link", name="๑. มาตรการปรับปรุงการทำงาน").click()
    results = page.get_by_role("group", name="ผลการดำเนินการ", exact=True)
    results.get_by_label("ข้อความ").first.fill("ลดขั้นตอนงานบริการจาก ๕ เหลือ ๓ ขั้นตอน")
    outcomes = page.get_by_role("group", name="ผลลัพธ์หรือความสำเร็จของการดำเนินการ")
    outcomes.get_by_label("ข้อความ").first.fill("ประชาชนได้รับบริการรวดเร็วขึ้น")
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
    act(page, *APPROVE)
    log_out(page)
    log_in(page, "coordinator")
    act(page, *PUBLISH)

    report = Report.objects.get(agency=demo_report.agency, fiscal_year=year)
    plan = report.latest_publication(Publication.Kind.PLAN).document
    done = report.latest_publication().document
    assert [m["title"] for m in plan["measures"]] == [m["title"] for m in done["measures"]]
    assert plan["measures"][0]["results"] == []
    assert done["measures"][0]["results"] == ["ลดขั้นตอนงานบริการจาก ๕ เหลือ ๓ ขั้นตอน"]

    visitor = page.context.browser.new_context(base_url=live_server.url, locale="th-TH").new_page()
    visitor.goto(f"/{slug}/{year}/")
    visitor.get_by_text("ลดขั้นตอนงานบริการจาก ๕ เหลือ ๓ ขั้นตอน").wait_for()
    visitor.get_by_role("link", name="มาตรการ (แผน) ที่รายงานฉบับนี้รายงานผล").click()
    visitor.wait_for_url(f"**/{slug}/{year}/plan/")
    visitor.get_by_text("๑๕,๐๐๐ บาท").wait_for()
    assert "ลดขั้นตอนงานบริการจาก ๕ เหลือ ๓ ขั้นตอน" not in visitor.content()
