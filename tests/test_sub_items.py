"""Sub-items (๑.๑ under ๑.): stored with their level, made in the editor, shown indented and
numbered under their item on every page, and kept by the exports and the imports that read them."""

import io
import json
import re

import jsonschema
import openpyxl
import pytest
from django.utils import translation

from measures.editing import OutcomeData, measure_save
from measures.imports.resources import measures_file
from measures.imports.services import report_carry_forward, report_import_rows
from measures.items import ListItem, labels, numbered_lines, read_numbered_lines
from measures.models import Method, Report
from measures.oit.services import evidence_add
from measures.plan import plan_document
from measures.workflow import report_publish
from reports.opendata import SCHEMA
from tests.staff_helpers import editor_data, formset_data
from tests.test_imports_legacy import document_of


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


@pytest.fixture
def measure(demo_report):
    """Measure ๒, its methods ๑, ๑.๑, ๑.๒, ๒ and results ๑, ๑.๑, ๒, ๓."""
    measure = demo_report.measures.get(number=2)
    methods = list(measure.methods.values_list("text", flat=True))
    results = list(measure.results.values_list("text", flat=True))
    measure_save(
        measure=measure,
        by=None,
        version=measure.version,
        methods=[
            ListItem(methods[0]),
            ListItem("ทางเว็บไซต์", 1),
            ListItem("ทางไลน์", 1),
            ListItem(methods[1]),
        ],
        results=[ListItem(results[0]), ListItem(results[1], 1), *results[2:]],
        outcomes=[OutcomeData(o.text, o.indicator, o.cite_score) for o in measure.outcomes.all()],
    )
    return measure


def test_printed_numbers_follow_the_levels():
    assert labels([0, 1, 1, 0, 0, 1]) == ["๑", "๑.๑", "๑.๒", "๒", "๓", "๓.๑"]
    # A list cannot start with a sub-item: the first is printed as an item.
    assert labels([1, 1, 0]) == ["๑", "๑.๑", "๒"]
    assert numbered_lines(["ก", "ข", "ค"], [0, 1, 0]) == "๑. ก\n๑.๑ ข\n๒. ค"
    assert read_numbered_lines(["๑. ก", "๑.๑ ข", "๒. ค"]) == [
        ListItem("ก"), ListItem("ข", 1), ListItem("ค")
    ]  # fmt: skip
    assert read_numbered_lines(["๑. ก", "๑.๒ ข"]) is None  # ๑.๑ is missing
    assert read_numbered_lines(["๑. ก", "๒.๑ ข"]) is None  # not under item ๒


def test_levels_are_stored_and_in_the_document(measure):
    assert list(measure.methods.values_list("order", "level")) == [(1, 0), (2, 1), (3, 1), (4, 0)]
    document = document_of(measure.report)["measures"][1]
    assert document["levels"] == {
        "methods": [0, 1, 1, 0],
        "results": [0, 1, 0, 0],
        "outcomes": [0] * measure.outcomes.count(),
    }
    # A measure without sub-items keeps the document it had before sub-items existed.
    assert "levels" not in document_of(measure.report)["measures"][0]


def test_the_report_page_and_preview_number_sub_items_under_their_item(
    client, coordinator, measure
):
    client.force_login(coordinator)
    page = client.get("/staff/2568/preview/").content.decode()
    assert '<li class="sub-item">๑.๑ ทางเว็บไซต์</li><li class="sub-item">๑.๒ ทางไลน์</li>' in page
    second_method = measure.methods.get(order=4).text
    assert f"<li>๒. {second_method}</li>" in page
    result = measure.results.get(order=2).text
    assert f'<li class="sub-item">๑.๑ {result}' in page


def test_evidence_names_its_result_by_the_printed_number(client, measure, staff_palad):
    evidence_add(
        agency=measure.report.agency,
        by=staff_palad,
        measure=measure,
        result_number=2,
        title="คำสั่งแต่งตั้งคณะทำงาน",
        url="https://example.org/order",
    )
    report_publish(report=measure.report, acknowledge_warnings=True)
    page = client.get("/mueang-phalai/2568/").content.decode()
    assert "มาตรการที่ ๒ ผลการดำเนินการข้อที่ ๑.๑:" in " ".join(page.split())


def test_the_coordinator_makes_an_item_a_sub_item_in_the_editor(client, coordinator, demo_report):
    measure = demo_report.measures.get(number=2)
    client.force_login(coordinator)
    page = client.get(f"/staff/measures/{measure.pk}/").content.decode()
    assert "เป็นข้อย่อยของข้อด้านบน" in page
    texts = list(measure.methods.values_list("text", flat=True))
    rows = [
        {"text": text, "ORDER": order, **({"sub_item": "on"} if order in (1, 3) else {})}
        for order, text in enumerate(texts, 1)
    ]
    response = client.post(
        f"/staff/measures/{measure.pk}/", editor_data(measure, **formset_data("methods", rows))
    )
    assert response.status_code == 302
    # The first item cannot be a sub-item: it stays an item.
    assert list(measure.methods.values_list("level", flat=True)) == [0, 0, 1, 0]
    change = measure.changes.get()
    assert [entry["field"] for entry in change.changes] == ["methods"]
    assert f"๒.๑ {texts[2]}" in change.changes[0]["after"]
    page = client.get(f"/staff/measures/{measure.pk}/").content.decode()
    assert re.search(r'<input type="checkbox" name="methods-2-sub_item"[^>]* checked>', page)
    assert not re.search(r'<input type="checkbox" name="methods-1-sub_item"[^>]* checked>', page)


def test_division_staff_see_the_methods_numbered_with_their_sub_items(client, staff_palad, measure):
    client.force_login(staff_palad)
    page = client.get(f"/staff/measures/{measure.pk}/").content.decode()
    assert '<li class="sub-item">๑.๑ ทางเว็บไซต์</li>' in page


def test_the_spreadsheet_export_imports_back_with_its_sub_items(measure):
    report = measure.report
    data = measures_file(report.measures.with_lists(), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cell = sheet.cell(row=3, column=3).value
    assert cell.splitlines()[1:3] == ["๑.๑ ทางเว็บไซต์", "๑.๒ ทางไลน์"]
    before = document_of(report)
    empty = Report.objects.create(agency=report.agency, fiscal_year=2567)

    outcome = report_import_rows(report=empty, file=io.BytesIO(data), format="xlsx", dry_run=False)

    assert outcome.ok and outcome.committed
    after = document_of(empty)
    assert after["measures"] == before["measures"]
    # Imported into the report it came from, nothing changes.
    again = report_import_rows(report=report, file=io.BytesIO(data), format="xlsx", dry_run=True)
    assert again.counts == {"unchanged": 6}


def test_a_spreadsheet_typed_with_sub_item_numbers_imports_them_as_sub_items(demo_report):
    data = measures_file(demo_report.measures.with_lists(), "csv").decode("utf-8-sig")
    methods = demo_report.measures.get(number=1).methods.values_list("text", flat=True)
    typed = f"1. {methods[0]}\n1.1 ฉบับประชาชน\n1.2. ฉบับเจ้าหน้าที่\n2. {methods[1]}"
    data = data.replace("\n".join(methods), typed, 1)
    outcome = report_import_rows(
        report=demo_report, file=io.BytesIO(data.encode()), format="csv", dry_run=False
    )
    assert outcome.ok and outcome.counts == {"changed": 1, "unchanged": 5}
    stored = Method.objects.filter(measure__report=demo_report, measure__number=1)
    assert list(stored.values_list("text", "level")) == [
        (methods[0], 0), ("ฉบับประชาชน", 1), ("ฉบับเจ้าหน้าที่", 1), (methods[1], 0)
    ]  # fmt: skip


def test_the_open_data_json_carries_the_levels_as_its_schema_says(client, measure):
    report_publish(report=measure.report, acknowledge_warnings=True)
    data = json.loads(client.get("/mueang-phalai/2568/data.json").content)
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(data)
    assert data["measures"][1]["levels"]["methods"] == [0, 1, 1, 0]
    data["measures"][1]["levels"]["methods"] = [0, 2, 1, 0]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    rows = client.get("/mueang-phalai/2568/data.csv").content.decode("utf-8-sig")
    assert "๑.๑ ทางเว็บไซต์\n๑.๒ ทางไลน์" in rows


def test_the_plan_keeps_the_methods_levels_without_results(measure):
    plan = plan_document(measure.report)["measures"][1]
    assert plan["levels"] == {"methods": [0, 1, 1, 0], "results": [], "outcomes": []}


def test_carrying_the_report_forward_keeps_the_methods_sub_items(measure):
    new = report_carry_forward(report=measure.report)
    copied = new.measures.get(number=2).methods
    assert list(copied.values_list("level", flat=True)) == [0, 1, 1, 0]
