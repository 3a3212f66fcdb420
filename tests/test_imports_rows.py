"""report_import_rows and the spreadsheet export: round trip, preview, all-or-nothing, bad input."""

import csv
import functools
import io
import zipfile

import openpyxl
import pytest
from django.utils import translation

from itaportal import limits
from measures.document import report_document
from measures.imports import spreadsheet
from measures.imports.resources import measures_file
from measures.imports.services import report_import_rows
from measures.models import Report

HEADER = [
    "ลำดับ",
    "มาตรการ โครงการ หรือกิจกรรม",
    "วิธีดำเนินการ",
    "เดือนที่เริ่ม",
    "เดือนที่สิ้นสุด",
    "ผู้รับผิดชอบ",
    "ผลการดำเนินการ",
    "ผลลัพธ์หรือความสำเร็จของการดำเนินการ",
]
ROW = ["1", "มาตรการทดสอบ", "วิธีหนึ่ง\nวิธีสอง", "ต.ค. 2567", "ก.ย. 2568", "สำนักปลัด", "", ""]


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


@pytest.fixture
def empty_report(demo_report) -> Report:
    return Report.objects.create(agency=demo_report.agency, fiscal_year=2569)


def csv_file(*rows, header=HEADER) -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return io.BytesIO(text.getvalue().encode("utf-8"))


def xlsx_bytes(*rows, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measures_of(report) -> list[dict]:
    return report_document(Report.objects.get(pk=report.pk))["measures"]


def test_export_import_export_round_trips_exactly(demo_report, empty_report):
    exported = measures_file(demo_report.measures.with_lists(), "xlsx")
    outcome = report_import_rows(
        report=empty_report, file=io.BytesIO(exported), format="xlsx", dry_run=False
    )
    assert outcome.ok and outcome.committed
    assert outcome.counts == {"new": 6}
    again = measures_file(empty_report.measures.with_lists(), "xlsx")

    def cells(data):
        return [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(data)).active]

    assert cells(again) == cells(exported)
    assert len(cells(exported)) == 7
    assert measures_of(empty_report) == measures_of(demo_report)
    original, copy = report_document(demo_report), report_document(empty_report)
    assert copy["introduction"].replace("๒๕๖๙", "๒๕๖๘") == original["introduction"]


def test_csv_round_trips_exactly(demo_report, empty_report):
    exported = measures_file(demo_report.measures.with_lists(), "csv")
    report_import_rows(report=empty_report, file=io.BytesIO(exported), format="csv", dry_run=False)
    assert measures_file(empty_report.measures.with_lists(), "csv") == exported


def test_the_dry_run_previews_new_changed_and_unchanged_rows_and_writes_nothing(demo_report):
    rows = list(csv.reader(io.StringIO(measures_file(demo_report.measures.all(), "csv").decode())))
    rows[0][0] = rows[0][0].lstrip("\ufeff")
    rows[2][1] = "ชื่อใหม่"
    rows.append(["7", "มาตรการใหม่", "วิธีเดียว", "", "", "กองคลัง", "", "", ""])
    before = measures_of(demo_report)
    outcome = report_import_rows(
        report=demo_report, file=csv_file(*rows[1:], header=rows[0]), format="csv"
    )
    assert outcome.ok and not outcome.committed
    assert [row.kind for row in outcome.rows] == ["unchanged", "changed"] + ["unchanged"] * 4 + [
        "new"
    ]
    assert measures_of(demo_report) == before

    outcome = report_import_rows(
        report=demo_report,
        file=csv_file(*rows[1:], header=rows[0]),
        format="csv",
        dry_run=False,
    )
    assert outcome.committed
    after = measures_of(demo_report)
    assert after[1]["title"] == "ชื่อใหม่"
    assert after[6] == {
        "number": 7,
        "title": "มาตรการใหม่",
        "period": None,
        "divisions": ["กองคลัง"],
        "budget": None,
        "indicators": [],
        "methods": ["วิธีเดียว"],
        "results": [],
        "outcomes": [],
        "evidence": [],
    }


def test_one_bad_row_means_nothing_is_written(demo_report):
    good = ["2", "เปลี่ยนชื่อ", "วิธี", "ต.ค. 2567", "ก.ย. 2568", "สำนักปลัด", "", ""]
    bad = ["8", "มาตรการ", "วิธี", "ต.ค. 2567", "ก.ย. 2568", "กองไม่มี", "", ""]
    before = measures_of(demo_report)
    outcome = report_import_rows(
        report=demo_report, file=csv_file(good, bad), format="csv", dry_run=False
    )
    assert not outcome.committed
    assert [(row.row, row.number, row.kind) for row in outcome.rows] == [
        (2, 2, "changed"),
        (3, 8, "error"),
    ]
    assert measures_of(demo_report) == before


def test_numbered_lines_lose_their_numbers_and_thai_digits_are_read(empty_report):
    row = ["๓", "มาตรการ", "๑. หนึ่ง\n๒. สอง", "ม.ค. ๒๕๖๙", "เมษายน 2569", "สำนักปลัด", "", ""]
    outcome = report_import_rows(
        report=empty_report, file=csv_file(row), format="csv", dry_run=False
    )
    assert outcome.committed
    [measure] = measures_of(empty_report)
    assert measure["number"] == 3
    assert measure["methods"] == ["หนึ่ง", "สอง"]
    assert measure["period"] == {
        "start_month": 1,
        "start_year": 2569,
        "end_month": 4,
        "end_year": 2569,
    }


def test_text_that_looks_like_a_formula_is_neutralised_on_export_and_restored(empty_report):
    titles = ['=HYPERLINK("http://evil")', "+66 81", "-ข้อ", "@cmd", "'=ไม่ใช่สูตร"]
    rows = [[str(n), "x", "วิธี", "", "", "สำนักปลัด", "", ""] for n in range(1, 6)]
    for row, title in zip(rows, titles, strict=True):
        row[2] = title
    escaped = [[str(n), "x", f"'{t}", "", "", "สำนักปลัด", "", ""] for n, t in enumerate(titles, 1)]
    outcome = report_import_rows(
        report=empty_report, file=csv_file(*escaped), format="csv", dry_run=False
    )
    assert outcome.committed, outcome.errors
    assert [m["methods"] for m in measures_of(empty_report)] == [[t] for t in titles]

    exported = measures_file(empty_report.measures.with_lists(), "csv").decode("utf-8-sig")
    cells = [row[2] for row in csv.reader(io.StringIO(exported))][1:]
    assert cells == [f"'{t}" for t in titles]
    sheet = openpyxl.load_workbook(
        io.BytesIO(measures_file(empty_report.measures.with_lists(), "xlsx"))
    ).active
    column = [cell for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3)]
    assert [cell.value for cell in column] == [f"'{t}" for t in titles]
    assert {cell.data_type for cell in column} == {"s"}


def test_a_cp874_csv_from_thai_excel_is_read_correctly(demo_report, empty_report):
    exported = measures_file(demo_report.measures.with_lists(), "csv").decode("utf-8-sig")
    outcome = report_import_rows(
        report=empty_report,
        file=io.BytesIO(exported.encode("cp874")),
        format="csv",
        dry_run=False,
    )
    assert outcome.committed
    assert measures_of(empty_report) == measures_of(demo_report)


def big_file(size):
    return io.BytesIO(b"x" * size)


@functools.cache
def zip_bomb() -> bytes:
    """120 MB of zeros in a 120 KB "XLSX"."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _megabyte in range(120):
                member.write(bytes(1024 * 1024))
    return out.getvalue()


def damaged_xlsx() -> bytes:
    """A real workbook whose sheet's XML is cut off halfway."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(ROW)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            archive.writestr(member, data)
    return out.getvalue()


def formula_xlsx() -> bytes:
    return xlsx_bytes(ROW, ["2", "มาตรการ", '=HYPERLINK("http://evil","คลิก")', *ROW[3:]])


BAD_INPUT = {
    "a PDF renamed .xlsx": (
        "xlsx",
        lambda: io.BytesIO(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"),
        "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) แม้ชื่อไฟล์จะระบุเช่นนั้น",
    ),
    "a damaged XLSX": (
        "xlsx",
        lambda: io.BytesIO(damaged_xlsx()),
        "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) แม้ชื่อไฟล์จะระบุเช่นนั้น",
    ),
    "an empty file": ("xlsx", lambda: io.BytesIO(b""), "ไฟล์ว่างเปล่า"),
    "an empty csv": ("csv", lambda: io.BytesIO(b"\n\n"), "ไฟล์ว่างเปล่า"),
    "a header without a column": (
        "csv",
        lambda: csv_file(ROW[:5] + ROW[6:], header=HEADER[:5] + HEADER[6:]),
        "แถวหัวตาราง (แถวที่ ๑) ขาดคอลัมน์ “ผู้รับผิดชอบ”",
    ),
    "a header and no rows": ("csv", lambda: csv_file(), "ไม่มีมาตรการใต้แถวหัวตาราง"),
    "an unknown division": (
        "csv",
        lambda: csv_file(ROW, ["2", *ROW[1:5], "สำนักปลัด\nกองสวัสดิการสังคม", *ROW[6:]]),
        "แถวที่ ๓ คอลัมน์ “ผู้รับผิดชอบ”: ไม่พบส่วนราชการ “กองสวัสดิการสังคม” ในหน่วยงานนี้",
    ),
    "an unknown month": (
        "csv",
        lambda: csv_file([*ROW[:3], "ต.ต. 2567", *ROW[4:]]),
        "แถวที่ ๒ คอลัมน์ “เดือนที่เริ่ม”: อ่านเดือน “ต.ต. 2567” ไม่ได้",
    ),
    "a Gregorian year": (
        "csv",
        lambda: csv_file([*ROW[:4], "ก.ย. 2025", *ROW[5:]]),
        "แถวที่ ๒ คอลัมน์ “เดือนที่สิ้นสุด”: 2025 ไม่ใช่ปี พ.ศ.",
    ),
    "an end before the start": (
        "csv",
        lambda: csv_file([*ROW[:3], "ต.ค. 2568", "ก.ย. 2568", *ROW[5:]]),
        "แถวที่ ๒ คอลัมน์ “เดือนที่สิ้นสุด”: เดือนที่สิ้นสุดอยู่ก่อนเดือนที่เริ่ม",
    ),
    "half a period": (
        "csv",
        lambda: csv_file([*ROW[:4], "", *ROW[5:]]),
        "แถวที่ ๒ คอลัมน์ “เดือนที่สิ้นสุด”: ให้ระบุทั้งเดือนที่เริ่มและเดือนที่สิ้นสุด",
    ),
    "a duplicate measure number": (
        "csv",
        lambda: csv_file(ROW, ["2", *ROW[1:]], ["๑", *ROW[1:]]),
        "แถวที่ ๔ คอลัมน์ “ลำดับ”: ลำดับที่มาตรการ ๑ ซ้ำกับแถวที่ ๒",
    ),
    "a number that is not one": (
        "csv",
        lambda: csv_file(["หนึ่ง", *ROW[1:]]),
        "แถวที่ ๒ คอลัมน์ “ลำดับ”: “หนึ่ง” ไม่ใช่ตัวเลข",
    ),
    "an empty title": (
        "csv",
        lambda: csv_file(["1", " ", *ROW[2:]]),
        "แถวที่ ๒ คอลัมน์ “มาตรการ โครงการ หรือกิจกรรม”: ช่องนี้ว่าง",
    ),
    "a 20 MB file": ("xlsx", lambda: big_file(20 * 1024 * 1024), "ไฟล์มีขนาดเกินกำหนด ๑๐ MB"),
    "a zip bomb disguised as XLSX": (
        "xlsx",
        lambda: io.BytesIO(zip_bomb()),
        "ไฟล์ Excel (.xlsx) นี้เมื่อขยายแล้วมีขนาดเกิน ๒๕ MB จึงไม่รับไฟล์",
    ),
    "a formula cell in XLSX": (
        "xlsx",
        lambda: io.BytesIO(formula_xlsx()),
        "แถวที่ ๓ คอลัมน์ “วิธีดำเนินการ”: ไม่รับสูตร (“=HYPERLINK(",
    ),
    "a formula in CSV": (
        "csv",
        lambda: csv_file([*ROW[:2], "=1+1", *ROW[3:]]),
        "แถวที่ ๒ คอลัมน์ “วิธีดำเนินการ”: ไม่รับสูตร (“=1+1”)",
    ),
    "a binary file renamed .csv": (
        "csv",
        lambda: io.BytesIO(bytes(range(256)) * 4),
        "ไฟล์นี้ไม่ใช่ไฟล์ข้อความ",
    ),
    "a CSV in neither UTF-8 nor Thai": (
        "csv",
        lambda: io.BytesIO(",".join(HEADER).encode("utf-8") + "\nÄÖÜ".encode("latin-1")),
        "อ่านข้อความในไฟล์ไม่ได้ ให้บันทึกเป็น UTF-8",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_a_clear_thai_error_and_changes_nothing(demo_report, case):
    format, make_file, message = BAD_INPUT[case]
    before = measures_of(demo_report)
    outcome = report_import_rows(report=demo_report, file=make_file(), format=format, dry_run=False)
    assert not outcome.committed
    assert any(message in error for error in outcome.errors), outcome.errors
    assert measures_of(demo_report) == before


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(demo_report, monkeypatch, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024

    def parse(*args):
        raise AssertionError("parsed")

    monkeypatch.setattr(spreadsheet.CSVFormat, "create_dataset", parse)
    outcome = report_import_rows(report=demo_report, file=big_file(1024 * 1024 + 1), format="csv")
    assert outcome.errors == ["ไฟล์มีขนาดเกินกำหนด ๑ MB"]


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(demo_report, monkeypatch):
    def load(*args, **kwargs):
        raise AssertionError("inflated")

    monkeypatch.setattr(spreadsheet.openpyxl, "load_workbook", load)
    outcome = report_import_rows(report=demo_report, file=io.BytesIO(zip_bomb()), format="xlsx")
    assert "เมื่อขยายแล้วมีขนาดเกิน" in outcome.errors[0]


def test_a_report_s_most_measures_import(empty_report):
    rows = [
        [str(n), f"มาตรการที่ {n}", "วิธีหนึ่ง\nวิธีสอง", "ต.ค. 2568", "ก.ย. 2569", "กองคลัง", "ผล", ""]
        for n in range(1, limits.MEASURES_PER_REPORT + 1)
    ]
    outcome = report_import_rows(
        report=empty_report, file=csv_file(*rows), format="csv", dry_run=False
    )
    assert outcome.committed and outcome.counts == {"new": limits.MEASURES_PER_REPORT}
    last = empty_report.measures.with_lists().get(number=limits.MEASURES_PER_REPORT)
    assert (last.title, [m.text for m in last.methods.all()]) == (
        f"มาตรการที่ {limits.MEASURES_PER_REPORT}",
        ["วิธีหนึ่ง", "วิธีสอง"],
    )
