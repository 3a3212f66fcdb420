"""The corpus of report shapes (tests/import_shapes.py): each imports to the seed's measures,
items, divisions and periods, with what the reader changed listed, or is refused naming where."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from measures.imports.report_text import COLUMNS, HEADERS, parse_report_text
from measures.imports.services import report_import_legacy
from measures.models import Report
from tests.import_shapes import (
    REFUSED,
    SHAPES,
    SUB_ITEM_SHAPES,
    SUB_METHODS,
    SUB_RESULTS,
    combined,
    word_numbering,
)
from tests.test_imports_legacy import document_of


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


@pytest.fixture
def empty_report(demo_report) -> Report:
    return Report.objects.create(agency=demo_report.agency, fiscal_year=2567)


def test_the_corpus_holds_at_least_twenty_shapes():
    assert len(SHAPES) >= 20


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_every_shape_imports_as_the_seed(demo_report, empty_report, shape):
    format, data = SHAPES[shape]()
    outcome = report_import_legacy(
        report=empty_report, file=io.BytesIO(data), format=format, dry_run=False
    )
    assert outcome.errors == []
    assert outcome.committed
    assert document_of(empty_report) == document_of(demo_report)


def seed_with_sub_items(document: dict) -> dict:
    """The seed's document with the corpus's sub-items (tests/import_shapes.py) put in by hand:
    two under measure ๑'s first method, two under measure ๒'s first result."""
    first, second = document["measures"][0], document["measures"][1]
    first["methods"][1:1] = SUB_METHODS
    second["results"][1:1] = SUB_RESULTS
    for measure in (first, second):
        measure["levels"] = {
            "methods": [0] * len(measure["methods"]),
            "results": [0] * len(measure["results"]),
            "outcomes": [0] * len(measure["outcomes"]),
        }
    first["levels"]["methods"][1:3] = [1, 1]
    second["levels"]["results"][1:3] = [1, 1]
    return document


def test_the_sub_item_corpus_holds_each_source():
    assert len(SUB_ITEM_SHAPES) >= 5


@pytest.mark.parametrize("shape", SUB_ITEM_SHAPES, ids=list(SUB_ITEM_SHAPES))
def test_every_shape_with_sub_items_imports_them_as_sub_items(demo_report, empty_report, shape):
    format, data = SUB_ITEM_SHAPES[shape]()
    outcome = report_import_legacy(
        report=empty_report, file=io.BytesIO(data), format=format, dry_run=False
    )
    assert outcome.errors == []
    assert outcome.committed
    assert document_of(empty_report) == seed_with_sub_items(document_of(demo_report))
    notes = {row.number: row.notes for row in outcome.rows}
    found = "พบรายการย่อย (๑.๑ หรือหัวข้อย่อยใต้ข้อ) ๒ รายการ: เก็บไว้เป็นข้อย่อยของข้อนั้น"
    assert f"คอลัมน์ “วิธีดำเนินการ”: {found}" in notes[1]
    assert f"คอลัมน์ “ผลการดำเนินการ”: {found}" in notes[2]


def test_a_report_with_sub_items_copied_from_its_preview_imports_back_identical(
    client, coordinator, demo_report, empty_report
):
    format, data = SUB_ITEM_SHAPES["sub-items: lines in <p>, as the seed"]()
    report_import_legacy(report=demo_report, file=io.BytesIO(data), format=format, dry_run=False)
    client.force_login(coordinator)
    page = client.get("/staff/2568/preview/").content
    assert '<li class="sub-item">๑.๑ ฉบับสำหรับประชาชน</li>' in page.decode()
    outcome = report_import_legacy(
        report=empty_report, file=io.BytesIO(page), format="text", dry_run=False
    )
    assert outcome.committed
    assert document_of(empty_report) == document_of(demo_report)
    assert "levels" in document_of(empty_report)["measures"][0]


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_shape_it_cannot_read_is_refused_naming_where(demo_report, case):
    shape, message = REFUSED[case]
    format, data = shape()
    before = document_of(demo_report)
    outcome = report_import_legacy(
        report=demo_report, file=io.BytesIO(data), format=format, dry_run=False
    )
    assert not outcome.committed
    assert any(message in error for error in outcome.errors), outcome.errors
    assert document_of(demo_report) == before


def test_the_public_page_saved_or_pasted_as_html_imports_back_identical(
    client, demo_report, empty_report
):
    page = client.get("/mueang-phalai/2568/").content
    outcome = report_import_legacy(
        report=empty_report, file=io.BytesIO(page), format="text", dry_run=False
    )
    assert outcome.committed
    assert document_of(empty_report) == document_of(demo_report)
    assert outcome.notes == ["ตารางที่ ๒ ไม่มีแถวหัวตารางของรายงาน: ไม่ได้นำเข้า"]


def test_the_preview_lists_what_the_reader_changed_per_row_and_writes_nothing(
    client, coordinator, empty_report
):
    client.force_login(coordinator)
    _format, data = combined()
    response = client.post("/staff/2567/import/report/", {"text": data.decode()})
    content = response.content.decode()
    assert (
        "อ่านระยะเวลา “ต.ค. 67 - ก.ย. 68” เป็น ตลอดปีงบประมาณ พ.ศ. ๒๕๖๘ (ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘)"
        in content
    )
    assert "อ่านระยะเวลา “ม.ค. - เม.ย. 68” เป็น ม.ค. - เม.ย. ๒๕๖๘" in content
    assert "คอลัมน์ “วิธีดำเนินการ”: แก้ ํ + า (นิคหิตกับสระอา) เป็น ำ" in content
    assert "อ่าน “ทุกกอง” เป็นทุกส่วนราชการของหน่วยงาน" in content
    assert "ยืนยันการนำเข้า" in content
    assert not empty_report.measures.exists()


ROW = ["๑. มาตรการทดสอบ", "", "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘", "สำนักปลัด", "๑. ผล", "๑. ผลลัพธ์"]


def parse(methods: str, **change):
    cells = dict(zip(COLUMNS, ROW, strict=True))
    cells.update(methods=methods, **change)
    quoted = {key: f'"{value}"' if "\n" in value else value for key, value in cells.items()}
    return parse_report_text(
        "หน่วยงานทดสอบ มีการดำเนินการดังนี้\n" + "\t".join(HEADERS) + "\n" + "\t".join(quoted.values()),
        ["สำนักปลัด", "กองคลัง"],
        fiscal_year=2568,
    ).measures[0]


def test_sub_items_are_kept_as_sub_items_and_noted():
    measure = parse("๑. ประชุม\n๑.๑ ครั้งแรก\n๑.๒ ครั้งที่สอง\n๒. รายงานผล")
    assert measure.methods == ["ประชุม", "ครั้งแรก", "ครั้งที่สอง", "รายงานผล"]
    assert measure.levels["methods"] == [0, 1, 1, 0]
    assert (
        "คอลัมน์ “วิธีดำเนินการ”: พบรายการย่อย (๑.๑ หรือหัวข้อย่อยใต้ข้อ) ๒ รายการ: "
        "เก็บไว้เป็นข้อย่อยของข้อนั้น" in measure.notes
    )


@pytest.mark.parametrize(
    ("cell", "methods", "levels"),
    [
        (
            "1. ประชุม\n1.1. ครั้งแรก\n2. รายงาน\n2.1 สรุป",
            ["ประชุม", "ครั้งแรก", "รายงาน", "สรุป"],
            [0, 1, 0, 1],
        ),
        (
            "๑. ประชุม\n- ครั้งแรก\n• ครั้งที่สอง\n๒. รายงาน",
            ["ประชุม", "ครั้งแรก", "ครั้งที่สอง", "รายงาน"],
            [0, 1, 1, 0],
        ),
        # A figure at the start of a wrapped line is not the next sub-item (๑.๑ would be).
        ("๑. งบประมาณ\n๑.๕ ล้านบาท\n๒. รายงาน", ["งบประมาณ ๑.๕ ล้านบาท", "รายงาน"], [0, 0]),
        # ๒.๑ under item ๑ is text, not a sub-item of a later item.
        ("๑. ประชุม\n๒.๑ ครั้งแรก", ["ประชุม ๒.๑ ครั้งแรก"], [0]),
        (
            "<ol><li>ประชุม<ol><li>ครั้งแรก</li></ol></li><li>รายงาน</li></ol>",
            ["ประชุม", "ครั้งแรก", "รายงาน"],
            [0, 1, 0],
        ),
    ],
)
def test_sub_items_are_read_by_their_number_or_bullet(cell, methods, levels):
    if cell.startswith("<ol>"):
        cells = dict(zip(COLUMNS, ROW, strict=True)) | {"methods": cell}
        text = "<table><tr>" + "".join(f"<th>{h}</th>" for h in HEADERS) + "</tr><tr>"
        text += "".join(f"<td>{value}</td>" for value in cells.values()) + "</tr></table>"
        measure = parse_report_text(text, ["สำนักปลัด"], fiscal_year=2568).measures[0]
    else:
        measure = parse(cell)
    assert measure.methods == methods
    assert measure.list_levels("methods") == levels


def test_a_dash_list_is_one_item_a_line():
    measure = parse("ดำเนินการดังนี้\n- ประชุม\n• รายงานผล\nต่อบรรทัด")
    assert measure.methods == ["ดำเนินการดังนี้", "ประชุม", "รายงานผล ต่อบรรทัด"]
    assert "คอลัมน์ “วิธีดำเนินการ”: อ่านบรรทัดที่ขึ้นต้นด้วยสัญลักษณ์หัวข้อย่อยเป็นรายการละข้อ" in (measure.notes)


def test_a_title_typed_with_its_own_number_loses_it_and_says_so():
    measure = parse("๑. ประชุม", title="๑. 1. มาตรการทดสอบ")
    assert (measure.number, measure.title) == (1, "มาตรการทดสอบ")
    assert "ชื่อมาตรการ: ตัดเลข “1” ที่พิมพ์ไว้หน้าชื่อออก" in measure.notes


def test_a_title_without_a_number_is_numbered_by_its_place():
    measure = parse("๑. ประชุม", title="มาตรการทดสอบ")
    assert (measure.number, measure.title) == (1, "มาตรการทดสอบ")
    assert "ชื่อมาตรการไม่มีเลขลำดับ: ใช้ลำดับที่ ๑ ตามตำแหน่งในตาราง" in measure.notes


def test_a_file_with_no_bold_heading_does_not_take_its_title_for_the_introduction():
    text = (
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๘\n"
        + "\t".join(HEADERS)
        + "\n"
        + "\t".join([*ROW[:1], "๑. วิธี", *ROW[2:]])
    )
    parsed = parse_report_text(text, ["สำนักปลัด"])
    assert parsed.introduction == ""
    assert parsed.notes == ["ไม่พบข้อความนำก่อนตาราง: คงข้อความนำเดิมของรายงานไว้"]
    assert parsed.measures[0].start_year == 2567


def test_import_report_text_reads_a_word_file(demo_report, empty_report, tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(word_numbering()[1])
    call_command("import_report_text", str(path), agency="mueang-phalai", year=2567)
    assert document_of(empty_report) == document_of(demo_report)


def test_the_staff_page_takes_a_saved_web_page(client, coordinator, demo_report, empty_report):
    page = client.get("/mueang-phalai/2568/").content
    client.force_login(coordinator)
    upload = SimpleUploadedFile("report.html", page)
    content = client.post("/staff/2567/import/report/", {"file": upload}).content.decode()
    assert "ใหม่ ๖" in content
    assert "ตารางที่ ๒ ไม่มีแถวหัวตารางของรายงาน: ไม่ได้นำเข้า" in content
    assert "ยืนยันการนำเข้า" in content
