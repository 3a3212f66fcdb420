import pytest
from django.core.exceptions import ValidationError

from itaportal import limits
from measures.oit.uploads import check_upload, safe_name
from tests.evidence_samples import jpeg_bytes, pdf_bytes, upload, zip_bomb_xlsx

ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 100
WINDOWS_EXE = b"MZ\x90\x00" + b"\0" * 100


def refusal(name, content) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content))
    return caught.value.messages[0]


def test_a_valid_pdf_and_jpeg_pass_with_their_type_read_from_the_content():
    pdf = check_upload(upload("คำสั่งแต่งตั้ง.pdf", pdf_bytes()))
    assert (pdf.name, pdf.file_type.content_type) == ("คำสั่งแต่งตั้ง.pdf", "application/pdf")
    photo = check_upload(upload("ภาพกิจกรรม.JPG", jpeg_bytes(), "application/pdf"))
    assert photo.file_type.content_type == "image/jpeg"
    assert len(photo.sha256) == 64


@pytest.mark.parametrize("content", [ELF, WINDOWS_EXE])
def test_an_executable_renamed_pdf_is_refused(content):
    assert "รับเฉพาะไฟล์ PDF, JPEG, PNG, XLSX และ DOCX" in refusal("รายงาน.pdf", content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ภาพ.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("หน้า.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("ภาพ.pdf", b'<?xml version="1.0"?><svg><script>alert(1)</script></svg>'),
    ],
)
def test_svg_and_html_with_script_are_refused(name, content):
    assert "SVG/HTML" in refusal(name, content)


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    big = pdf_bytes() + b"\0" * (limits.EVIDENCE_BYTES + 1)
    assert "รับได้ไม่เกิน ๕๐ เมกะไบต์" in refusal("ใหญ่.pdf", big)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\x.pdf", "..", "a\x00b.pdf", "ก\nข.pdf", "ก\u202eฟดp.pdf"]
)
def test_a_name_with_a_folder_or_control_characters_is_refused(name):
    # Applied to the name as posted (tests/test_oit_evidence_staff.py), before Django's parser
    # cuts it to its last part.
    with pytest.raises(ValidationError) as caught:
        safe_name(name)
    assert "ต้องไม่อ้างถึงโฟลเดอร์" in caught.value.messages[0]


def test_an_empty_file_is_refused():
    assert "ว่างเปล่า" in refusal("ว่าง.pdf", b"")


def test_a_zip_bomb_disguised_as_xlsx_is_refused_unopened():
    assert "ZIP bomb" in refusal("ตาราง.xlsx", zip_bomb_xlsx())


def test_a_pdf_named_jpg_is_refused_with_what_it_is():
    assert "เนื้อในเป็นไฟล์ PDF" in refusal("ภาพ.jpg", pdf_bytes())


def test_a_300_character_thai_name_is_kept_shortened_without_splitting_a_letter():
    name = "ผู้นำชุมชนร่วมกิจกรรมเสริมสร้างคุณธรรม" * 8 + ".pdf"
    assert len(name) > 300
    short = check_upload(upload(name, pdf_bytes())).name
    assert len(short) <= limits.EVIDENCE_NAME_CHARS
    assert short.endswith(".pdf")
    assert name.startswith(short[:-4])
    stem = short[:-4]
    # The next letter of the original is a base letter, not a mark cut off from its letter.
    assert name[len(stem)] not in "ัิีึืุู่้๊๋็์ำ"
    assert stem[-1] not in "เแโใไ"


def test_safe_name_keeps_a_short_name_as_it_is():
    assert safe_name("  ภาพ กิจกรรม.jpg ") == "ภาพ กิจกรรม.jpg"
