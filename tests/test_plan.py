"""The measures plan: its staff page, review, approval, publication, withdrawal and public pages."""

import html
import json
import re
import subprocess
from decimal import Decimal
from io import BytesIO

import jsonschema
import pikepdf
import pytest

from measures.models import Publication
from measures.plan import plan_document, plan_is_approved, plan_review
from measures.thai import thai_digits
from reports.pdf import column_widths
from tests.test_pdf_text import cells_in_reading_order, marked_texts

WORD = re.compile(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>')


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftotext(pdf: bytes) -> str:
    command = ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def plan_draft(demo_plan):
    """The demo year with its plan withdrawn and its approval gone: a plan to take public."""
    demo_plan.publications.filter(kind=Publication.Kind.PLAN).delete()
    demo_plan.plan_approved_digest = ""
    demo_plan.plan_approved_on = None
    demo_plan.save()
    return demo_plan


def title_column(pdf: bytes, document: dict) -> str:
    """The words left of the methods column, pages in order, without the repeated header: the
    titles as a reader reads down the first column, a title cut by a page break joined again."""
    left = 12 * 72 / 25.4 + column_widths(document)["title"]
    bbox = subprocess.run(
        ["pdftotext", "-raw", "-bbox", "-enc", "UTF-8", "-", "-"],
        input=pdf, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    words = [html.unescape(w) for x, w in WORD.findall(bbox) if float(x) < left]
    return squeeze("".join(words)).replace("มาตรการโครงการหรือกิจกรรม", "")


def table_cells(pdf: bytes) -> dict[str, set[str]]:
    """The texts of the tagged table cells (TH, TD) of every page, as a screen reader gets them."""
    found = {"TH": set(), "TD": set()}
    with pikepdf.open(BytesIO(pdf)) as opened:
        for index in range(len(opened.pages)):
            cells = cells_in_reading_order(opened.Root.StructTreeRoot, marked_texts(pdf, index))
            for tag, text, element in cells:
                if element.get("/Pg") is None or element.Pg.objgen == opened.pages[index].objgen:
                    found[tag].add(text)
    return found


def test_the_demo_plan_is_public_with_its_analysis_and_no_results(client, demo_plan):
    content = client.get("/mueang-phalai/2568/plan/").content.decode()
    for measure in demo_plan.measures.all():
        assert measure.title in re.sub("<[^>]+>", "", content)
    assert "การวิเคราะห์ผลการประเมิน ITA ปี พ.ศ. ๒๕๖๗" in content
    assert "ได้คะแนน ๘๕.๘๕ ระดับ ผ่าน" in content
    assert "ไม่ใช้งบประมาณ" in content and "๕,๐๐๐ บาท" in content
    result = demo_plan.measures.get(number=1).results.first().text
    assert result not in content
    assert "ผลการดำเนินการ</th>" not in content
    assert "/mueang-phalai/2568/plan.pdf" in content
    assert "/mueang-phalai/2568/plan.json" in content


def test_the_report_and_the_plan_link_to_each_other(client, demo_plan):
    assert 'href="/mueang-phalai/2568/plan/"' in client.get("/mueang-phalai/2568/").content.decode()
    plan = client.get("/mueang-phalai/2568/plan/").content.decode()
    assert 'href="/mueang-phalai/2568/"' in plan


def test_the_plan_pdf_carries_the_titles_and_the_analysis_in_thai_digits(client, demo_plan):
    response = client.get("/mueang-phalai/2568/plan.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdftotext(response.content)
    titles = title_column(response.content, demo_plan.latest_publication("plan").document)
    for measure in demo_plan.measures.all():
        assert squeeze(f"{thai_digits(measure.number)}. {measure.title}") in titles
    cells = table_cells(response.content)
    assert cells["TH"] >= {"มาตรการโครงการหรือกิจกรรม", "งบประมาณ", "ตัวชี้วัดเป้าหมาย"}
    assert "ผลการดำเนินการ" not in cells["TH"]
    assert squeeze("๘. การปรับปรุงการทำงาน ๕๕.๔๐ ๖๒.๑๗ +๖.๗๗") in squeeze(text)
    assert "ผลลัพธ์หรือความสำเร็จ" not in text
    assert "ผลการดำเนินการ" not in text.replace("ผลการดำเนินการดังนี้", "")
    assert not re.search(
        "[0-9]", text.replace("ITA", "").replace("IIT", "").replace("EIT", "").replace("OIT", "")
    )
    with pikepdf.open(BytesIO(response.content)) as opened:
        assert str(opened.Root.Lang) == "th"
        assert bool(opened.Root.MarkInfo.Marked) is True
        with opened.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
        assert str(opened.docinfo.Title).startswith("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")


def test_the_plan_json_is_the_frozen_plan(client, demo_plan):
    data = client.get("/mueang-phalai/2568/plan.json").json()
    assert data["kind"] == "plan"
    assert [m["budget"] for m in data["measures"]] == [
        None,
        "5000.00",
        None,
        "12000.00",
        None,
        "3500.00",
    ]
    assert all(m["results"] == [] for m in data["measures"])
    assert data["analysis"]["result"]["level"] == "ผ่าน"
    assert data["publication"]["version"] == 1


def test_missing_results_are_no_error_for_a_plan(plan_draft):
    plan_draft.measures.get(number=1).results.all().delete()
    findings = plan_review(plan_draft)
    assert not [f for f in findings if f.is_error]


def test_anonymous_sees_no_plan_before_it_is_published(client, plan_draft):
    assert client.get("/mueang-phalai/2568/plan/").status_code == 404
    assert client.get("/mueang-phalai/2568/plan.pdf").status_code == 404
    assert client.get("/mueang-phalai/2568/plan.json").status_code == 404


def test_the_approver_approves_and_the_coordinator_publishes(
    client, plan_draft, coordinator, approver
):
    client.force_login(coordinator)
    response = client.post("/staff/2568/plan/publish/", follow=True)
    assert "ยังไม่ได้รับอนุมัติ" in response.content.decode()
    client.force_login(approver)
    client.post("/staff/2568/plan/approve/")
    plan_draft.refresh_from_db()
    assert plan_draft.plan_approver_name == "สมชาย ใจดี"
    client.force_login(coordinator)
    client.post("/staff/2568/plan/publish/")
    publication = plan_draft.latest_publication(Publication.Kind.PLAN)
    assert publication.document["approval"]["position"] == "นายกองค์การบริหารส่วนตำบลเมืองพะไล"
    client.logout()
    content = client.get("/mueang-phalai/2568/plan/").content.decode()
    assert "(สมชาย ใจดี)" in content


def test_an_edit_after_approval_asks_for_a_new_approval(client, plan_draft, coordinator, approver):
    client.force_login(approver)
    client.post("/staff/2568/plan/approve/")
    plan_draft.refresh_from_db()
    assert plan_is_approved(plan_draft)
    plan_draft.measures.filter(number=2).update(budget=Decimal("7000"))
    assert not plan_is_approved(plan_draft)
    client.force_login(coordinator)
    content = client.post("/staff/2568/plan/publish/", follow=True).content.decode()
    assert "แก้ไขหลังอนุมัติ" in content
    assert not plan_draft.publications.filter(kind=Publication.Kind.PLAN).exists()


def test_the_coordinator_writes_the_analysis_from_the_drafts(client, plan_draft, coordinator):
    client.force_login(coordinator)
    content = client.post("/staff/2568/plan/", {"drafts": "1"}).content.decode()
    assert "ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน ได้ ๖๒.๑๗ คะแนน ต่ำกว่าเกณฑ์ผ่าน" in content
    client.post(
        "/staff/2568/plan/",
        {"analysis_urgent": "เร่งปรับปรุงการทำงาน", "analysis_improve": "พัฒนาการสื่อสาร"},
    )
    plan_draft.refresh_from_db()
    assert plan_draft.analysis_urgent == "เร่งปรับปรุงการทำงาน"
    assert plan_document(plan_draft)["analysis"]["improve"] == "พัฒนาการสื่อสาร"


def test_withdrawing_the_plan_leaves_the_report_public(client, demo_plan, coordinator):
    client.force_login(coordinator)
    client.post("/staff/2568/plan/withdraw/", {"reason": "ข้อมูลส่วนบุคคล"})
    client.logout()
    assert client.get("/mueang-phalai/2568/plan/").status_code == 404
    assert client.get("/mueang-phalai/2568/").status_code == 200


def test_division_staff_cannot_approve_and_other_agencies_get_404(
    client, demo_plan, staff_palad, other_coordinator
):
    client.force_login(staff_palad)
    assert client.get("/staff/2568/plan/").status_code == 403
    assert client.post("/staff/2568/plan/approve/").status_code == 403
    client.force_login(other_coordinator)
    assert client.post("/staff/2568/plan/withdraw/", {"reason": "x"}).status_code in (404,)
    assert demo_plan.latest_publication(Publication.Kind.PLAN) is not None


def test_the_plan_json_validates_against_the_documented_schema(client, demo_plan):
    data = client.get("/mueang-phalai/2568/plan.json").json()
    schema = json.loads(client.get("/open-data/report-v1.schema.json").getvalue())
    jsonschema.Draft202012Validator(schema).validate(data)
