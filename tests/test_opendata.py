"""Open data: the published version of a report as CSV, XLSX and JSON, for anyone."""

import csv
import io
import json

import jsonschema
import openpyxl
import pytest

from measures.models import Report
from measures.workflow import report_publish
from reports.opendata import SCHEMA

FIRST_TITLE = "การส่งเสริมการรับรู้ กระบวนการปฏิบัติงานที่ โปร่งใสและมีประสิทธิภาพ"


def url(report, name):
    return f"/{report.agency.slug}/{report.fiscal_year}/data.{name}"


def test_json_validates_against_the_documented_schema(client, demo_report):
    response = client.get(url(demo_report, "json"))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text(encoding="utf-8")),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    ).validate(data)
    assert data["agency"]["short_name"] == "อบต.เมืองพะไล"
    assert data["fiscal_year"] == 2568
    assert [m["number"] for m in data["measures"]] == [1, 2, 3, 4, 5, 6]
    assert data["measures"][0]["outcomes"][0]["indicator"] == 6
    assert {s["indicator"]: s["score"] for s in data["scores"]} == {9: "90.00", 10: "92.50"}
    assert data["publication"]["version"] == 1


def test_the_schema_rejects_a_document_of_another_shape(client, demo_report):
    data = json.loads(client.get(url(demo_report, "json")).content)
    data["measures"][0]["period"] = "ต.ค. 2567"
    schema = json.loads(client.get("/open-data/report-v1.schema.json").getvalue())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_csv_is_utf8_with_bom_and_one_row_per_measure(client, demo_report):
    response = client.get(url(demo_report, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="mueang-phalai-2568.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 6
    assert rows[0]["มาตรการ โครงการ หรือกิจกรรม"] == FIRST_TITLE
    assert rows[0]["เดือนที่เริ่ม"] == "ต.ค. 2567"
    assert rows[0]["ผู้รับผิดชอบ"].splitlines() == ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ"]
    assert len(rows[1]["วิธีดำเนินการ"].splitlines()) == 4


def test_xlsx_opens_in_openpyxl_with_the_same_rows(client, demo_report):
    response = client.get(url(demo_report, "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("ลำดับ", "มาตรการ โครงการ หรือกิจกรรม")
    assert [row[0] for row in rows[1:]] == [1, 2, 3, 4, 5, 6]
    assert rows[1][1] == FIRST_TITLE
    assert rows[6][3:5] == ("ม.ค. 2568", "เม.ย. 2568")


def test_the_public_gets_the_published_version_never_the_draft(client, demo_report):
    measure = demo_report.measures.get(number=1)
    measure.title = '=HYPERLINK("http://evil") ร่างที่ยังไม่เผยแพร่'
    measure.save()
    for name in ("json", "csv", "xlsx"):
        assert "ร่างที่ยังไม่เผยแพร่".encode() not in client.get(url(demo_report, name)).content
    report_publish(report=demo_report)
    data = json.loads(client.get(url(demo_report, "json")).content)
    assert data["publication"]["version"] == 2
    assert data["measures"][0]["title"] == measure.title


def test_published_formulas_are_neutralised(client, demo_report):
    measure = demo_report.measures.get(number=1)
    measure.title = '=HYPERLINK("http://evil")'
    measure.save()
    measure.methods.filter(order=1).update(text="@SUM(1)")
    # The review warns about the Arabic digit; publishing it anyway is the point here.
    report_publish(report=demo_report, acknowledge_warnings=True)
    text = client.get(url(demo_report, "csv")).content.decode("utf-8-sig")
    first = list(csv.reader(io.StringIO(text)))[1]
    assert first[1] == '\'=HYPERLINK("http://evil")'
    assert first[2].startswith("'@SUM(1)\n")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url(demo_report, "xlsx")).content)).active
    assert (sheet["B2"].value, sheet["B2"].data_type) == ('\'=HYPERLINK("http://evil")', "s")


def test_a_report_never_published_is_not_there(client, demo_report):
    draft = Report.objects.create(agency=demo_report.agency, fiscal_year=2569)
    draft.measures.create(number=1, title="ร่าง")
    for name in ("json", "csv", "xlsx"):
        assert client.get(url(draft, name)).status_code == 404
    assert client.get("/nowhere/2568/data.json").status_code == 404
