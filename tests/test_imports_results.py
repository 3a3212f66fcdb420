from decimal import Decimal

import pytest

from measures.imports.results import results_import
from measures.models import Agency, IndicatorScore, ItaResult

HEADER = "รหัสหน่วยงาน,ชื่อหน่วยงาน,ปี,คะแนนรวม,IIT,EIT,OIT,ระดับ," + ",".join(
    f"ตัวชี้วัดที่ {n}" for n in range(1, 11)
)
INDICATORS = ",".join(["90.00"] * 10)


@pytest.fixture
def agencies(agency, demo_report):
    Agency.objects.filter(pk=demo_report.agency.pk).update(code="6300101")
    return agency, demo_report.agency


def csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def test_a_results_file_is_previewed_then_stored_matched_by_code_or_name(agencies):
    data = csv(
        f"6300101,,2567,85.85,95.03,79.18,83.96,ผ่าน,{INDICATORS}",
        "๐,เทศบาลตำบลทดสอบ,๒๕๖๗,๙๐.๐๐,๙๐.๐๐,๙๐.๐๐,๙๐.๐๐,ผ่านดี,,,,,,,,,,",
    )
    data = data.replace("๐,เทศบาล".encode(), ",เทศบาล".encode())
    preview = results_import(file=data, format="csv", year=2567)
    assert preview.ok and preview.counts["new"] == 2
    assert not ItaResult.objects.exists()
    done = results_import(file=data, format="csv", year=2567, dry_run=False)
    assert done.committed
    stored = {r.agency.slug: (r.overall, r.level) for r in ItaResult.objects.all()}
    assert stored == {
        "mueang-phalai": (Decimal("85.85"), "ผ่าน"),
        "thotsop": (Decimal("90.00"), "ผ่านดี"),
    }
    assert IndicatorScore.objects.filter(fiscal_year=2567).count() == 10
    again = results_import(file=data, format="csv", year=2567)
    assert again.counts["unchanged"] == 2


def test_bad_rows_are_each_refused_in_thai_and_nothing_is_written(agencies):
    data = csv(
        f"6300101,,2567,100.50,95.03,79.18,83.96,,{INDICATORS}",
        ",เทศบาลตำบลทดสอบ,2567,95.00,95.03,79.18,83.96,,",
        f"6300101,,2567,85.85,95.03,79.18,83.96,ผ่านดีเยี่ยม,{INDICATORS}",
        ",เทศบาลตำบลไม่มีจริง,2567,85.85,95.03,79.18,83.96,,",
        ",เทศบาลตำบลทดสอบ,2566,85.85,95.03,79.18,83.96,,",
    )
    outcome = results_import(file=data, format="csv", year=2567, dry_run=False)
    assert not outcome.committed
    errors = "\n".join(outcome.errors)
    assert "แถวที่ ๒ คอลัมน์ “คะแนนรวม”: ๑๐๐.๕๐ ไม่อยู่ในช่วงคะแนน ๐ ถึง ๑๐๐" in errors
    assert "แถวที่ ๓ คอลัมน์ “คะแนนรวม”: 0.30 × IIT + 0.30 × EIT + 0.40 × OIT ได้ ๘๕.๘๕" in errors
    assert "แถวที่ ๔ คอลัมน์ “รหัสหน่วยงาน”: หน่วยงานนี้มีอยู่แล้วในแถวที่ ๒" in errors
    assert "แถวที่ ๔ คอลัมน์ “ระดับ”: ตามเกณฑ์ของปีนั้น คะแนนนี้ได้ระดับ “ผ่าน” ไม่ใช่ “ผ่านดีเยี่ยม”" in errors
    assert "แถวที่ ๕ คอลัมน์ “ชื่อหน่วยงาน”: ไม่พบหน่วยงานที่ชื่อตรงกับ “เทศบาลตำบลไม่มีจริง”" in errors
    assert "แถวที่ ๖ คอลัมน์ “ชื่อหน่วยงาน”: หน่วยงานนี้มีอยู่แล้วในแถวที่ ๓" in errors
    assert "แถวที่ ๖ คอลัมน์ “ปี”: ปีคือ “2566” แต่การนำเข้านี้เป็นผลการประเมินปี ๒๕๖๗" in errors
    assert not ItaResult.objects.exists()
    assert not IndicatorScore.objects.filter(fiscal_year=2567).exists()


def test_a_file_without_the_needed_columns_is_refused(agencies):
    outcome = results_import(file=b"name,score\nx,1\n", format="csv", year=2567)
    assert outcome.errors == ["ไฟล์ไม่มีคอลัมน์: รหัสหน่วยงาน / ชื่อหน่วยงาน, ปี, คะแนนรวม, IIT, EIT, OIT"]


def test_the_admin_previews_then_confirms_the_import(admin_client, agencies):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = csv(f"6300101,,2567,85.85,95.03,79.18,83.96,ผ่าน,{INDICATORS}")
    upload = SimpleUploadedFile("results.csv", data, content_type="text/csv")
    response = admin_client.post(
        "/admin/measures/itaresult/import/", {"year": "2567", "import_file": upload}
    )
    content = response.content.decode()
    assert "ใหม่ ๑" in content
    assert not ItaResult.objects.exists()
    token = response.context["token"]
    response = admin_client.post("/admin/measures/itaresult/import/", {"token": token})
    assert response.status_code == 302
    assert ItaResult.objects.get().level == "ผ่าน"
