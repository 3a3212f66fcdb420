"""import_report_text: bad input is a clear error naming the line, and changes nothing."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from measures.imports.report_text import ReportTextError, parse_report_text, split_items
from measures.models import Measure, Method, Report
from measures.thai import thai_digits

SEED = Path(__file__).resolve().parent.parent / "measures" / "demo" / "report-2568.txt"
DIVISIONS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ"]
HEADER = (
    "มาตรการ โครงการ หรือกิจกรรม\tวิธีดำเนินการ\tระยะเวลา ดำเนินการ\tผู้รับผิดชอบ\t"
    "ผลการดำเนินการ\tผลลัพธ์หรือความสำเร็จของการ ดำเนินการ"
)
ROW = "๑. มาตรการทดสอบ\t๑. วิธีหนึ่ง ๒. วิธีสอง\tต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘\tสำนักปลัด\t๑. ผลหนึ่ง\t๑. ผลลัพธ์"


def report_text(*rows: str) -> str:
    return "หน่วยงานทดสอบ มีการดำเนินการดังนี้\n\n" + "\n\n".join(f"{HEADER}\n{r}" for r in rows)


def snapshot():
    return list(Measure.objects.values_list("id", "title")), Method.objects.count()


def run_import(tmp_path, text, agency="mueang-phalai"):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    with translation.override("th"):
        call_command("import_report_text", str(path), agency=agency, year=2568)


def test_the_seed_imports_through_the_command(demo_report, tmp_path):
    before = snapshot()
    run_import(tmp_path, SEED.read_text(encoding="utf-8"))
    assert len(snapshot()[0]) == len(before[0]) == 6
    assert snapshot()[1] == before[1] == 19


def test_rerunning_replaces_the_measures_without_duplicating(demo_report, tmp_path):
    run_import(tmp_path, report_text(ROW))
    run_import(tmp_path, report_text(ROW))
    report = Report.objects.get(pk=demo_report.pk)
    assert [m.title for m in report.measures.all()] == ["มาตรการทดสอบ"]
    assert [m.text for m in report.measures.get().methods.all()] == ["วิธีหนึ่ง", "วิธีสอง"]


BAD_INPUT = {
    "truncated after a header": (report_text(ROW) + "\n\n" + HEADER + "\n", 6, "ถูกตัด"),
    "truncated inside a row": (report_text(ROW.rsplit("\t", 1)[0]), 4, "มี 5 ช่อง"),
    "five cells": (report_text(ROW.replace("\tสำนักปลัด", "")), 4, "แต่แถวนี้มี 5 ช่อง"),
    "unknown month": (report_text(ROW.replace("ต.ค.", "ต.ต.")), 4, "ไม่รู้จักเดือน “ต.ต.”"),
    "end before start": (
        report_text(ROW.replace("ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘", "ต.ค. ๒๕๖๘ - ก.ย. ๒๕๖๗")),
        4,
        "เดือนที่สิ้นสุดอยู่ก่อนเดือนที่เริ่ม",
    ),
    "unknown division": (
        report_text(ROW.replace("สำนักปลัด", "สำนักปลัด กองสวัสดิการสังคม")),
        4,
        "ไม่พบส่วนราชการ “กองสวัสดิการสังคม”",
    ),
    "duplicate measure number": (report_text(ROW, ROW), 7, "ลำดับที่มาตรการ 1 ซ้ำ"),
    "no table": ("หน่วยงานทดสอบ\n", 1, "ไม่พบตารางมาตรการ"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_a_clear_error_and_changes_nothing(demo_report, tmp_path, case):
    text, line, message = BAD_INPUT[case]
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run_import(tmp_path, text)
    assert f"บรรทัดที่ {thai_digits(line)}:" in str(error.value)
    assert message in str(error.value)
    assert snapshot() == before


def test_a_file_in_thai_windows_encoding_is_read_as_the_staff_page_reads_it(demo_report, tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(report_text(ROW).encode("cp874"))
    call_command("import_report_text", str(path), agency="mueang-phalai", year=2568)
    assert [m.title for m in Report.objects.get(pk=demo_report.pk).measures.all()] == [
        "มาตรการทดสอบ"
    ]


@pytest.mark.parametrize(
    "data, message",
    [(b"", "ไฟล์ว่างเปล่า"), (bytes(range(256)) * 64, "ไม่ใช่ไฟล์ข้อความ")],
    ids=["empty", "binary"],
)
def test_an_empty_or_binary_file_is_refused(demo_report, tmp_path, data, message):
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    before = snapshot()
    with translation.override("th"), pytest.raises(CommandError, match=message):
        call_command("import_report_text", str(path), agency="mueang-phalai", year=2568)
    assert snapshot() == before


def test_an_unknown_agency_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="ไม่พบหน่วยงาน"):
        run_import(tmp_path, report_text(ROW), agency="nowhere")


def test_a_failure_after_writing_began_rolls_everything_back(demo_report, tmp_path, monkeypatch):
    from measures.imports import services

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    before = snapshot()
    monkeypatch.setattr(services.Outcome.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        run_import(tmp_path, report_text(ROW))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("๑. หนึ่ง ๒. สอง", ["หนึ่ง", "สอง"]),
        ("<p>๑. หนึ่ง</p> <p>๒.สอง</p>", ["หนึ่ง", "สอง"]),
        ("๑. มากกว่า ๑ ช่องทาง ๒. ได้ ๐.๕๒ คะแนน", ["มากกว่า ๑ ช่องทาง", "ได้ ๐.๕๒ คะแนน"]),
        ("๑. ปี พ.ศ. ๒๕๖๘. ต่อ ๓. ไม่ใช่ข้อ", ["ปี พ.ศ. ๒๕๖๘. ต่อ ๓. ไม่ใช่ข้อ"]),
        ("ข้อความเดียว ไม่มีเลขข้อ", ["ข้อความเดียว ไม่มีเลขข้อ"]),
        ("1. arabic 2. digits", ["arabic", "digits"]),
        ("๑. คํา ทํา", ["คำ ทำ"]),
        ("   ", []),
    ],
)
def test_split_items_reads_numbering_as_order(cell, items):
    assert split_items(cell) == items


def test_a_header_row_with_a_missing_column_is_not_a_header():
    text = report_text(ROW).replace("\tวิธีดำเนินการ", "")
    with pytest.raises(ReportTextError) as error:
        parse_report_text(text, DIVISIONS)
    assert error.value.line == 3


def test_division_names_with_spaces_are_matched_whole():
    row = ROW.replace("สำนักปลัด", "กองการศึกษา ศาสนาและวัฒนธรรม สำนักปลัด")
    parsed = parse_report_text(report_text(row), ["สำนักปลัด", "กองการศึกษา ศาสนาและวัฒนธรรม"])
    assert parsed.measures[0].divisions == ["กองการศึกษา ศาสนาและวัฒนธรรม", "สำนักปลัด"]


def test_the_cover_and_heading_are_kept_apart_from_the_introduction():
    parsed = parse_report_text(SEED.read_text(encoding="utf-8"), DIVISIONS)
    assert "อำเภอบวลาย จังหวัดนครราชสีมา" in parsed.cover_lines
    assert parsed.heading_lines[-1].endswith("อำเภอบัวลาย จังหวัดนครราชสีมา")
    assert parsed.introduction.startswith("องค์การบริหารส่วนตำบลเมืองพะไล มีการดำเนินการ")
