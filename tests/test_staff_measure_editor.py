import json
import re

import pytest

from measures.models import Change, Indicator, Measure, Report
from tests.staff_helpers import editor_data, formset_data, items


@pytest.fixture
def measure(demo_report):
    return demo_report.measures.get(number=6)


def url(measure):
    return f"/staff/measures/{measure.pk}/"


def test_the_editor_shows_the_measure_with_thai_months(client, coordinator, measure):
    client.force_login(coordinator)
    content = client.get(url(measure)).content.decode()
    assert measure.title in content
    assert "มกราคม" in content and "เมษายน" in content
    assert 'value="2568" selected' in content
    assert measure.results.first().text in content


def test_the_coordinator_saves_every_part_and_the_change_is_recorded(client, coordinator, measure):
    client.force_login(coordinator)
    data = editor_data(
        measure,
        title="มาตรการแก้ไขใหม่",
        start_month=2,
        end_month=3,
        **formset_data("results", items(["ผลข้อหนึ่ง", "ผลข้อสอง"])),
    )
    response = client.post(url(measure), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "มาตรการแก้ไขใหม่"
    assert measure.period_display == "ก.พ. - มี.ค. ๒๕๖๘"
    assert list(measure.results.values_list("order", "text")) == [(1, "ผลข้อหนึ่ง"), (2, "ผลข้อสอง")]
    assert measure.version == 2
    assert measure.updated_by == coordinator
    change = Change.objects.get(measure=measure)
    assert change.user == coordinator
    assert {item["field"] for item in change.changes} == {"title", "period", "results"}


def test_items_are_reordered_removed_and_added(client, coordinator, demo_report):
    measure = demo_report.measures.get(number=2)
    first, second, third, fourth = measure.results.values_list("text", flat=True)
    client.force_login(coordinator)
    rows = [
        {"text": first, "ORDER": 3},
        {"text": second, "ORDER": 1},
        {"text": third, "ORDER": 2, "DELETE": "on"},
        {"text": fourth, "ORDER": 2},
        {"text": "ผลที่เพิ่มใหม่", "ORDER": ""},
    ]
    client.post(url(measure), editor_data(measure, **formset_data("results", rows)))
    assert list(measure.results.values_list("text", flat=True)) == [
        second,
        fourth,
        first,
        "ผลที่เพิ่มใหม่",
    ]


def test_division_staff_fill_results_but_cannot_change_the_set_up(client, staff_palad, measure):
    client.force_login(staff_palad)
    title = measure.title
    data = editor_data(
        measure, setup=False, title="แอบแก้ชื่อ", **formset_data("results", items(["ทำแล้ว"]))
    )
    response = client.post(url(measure), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == title
    assert list(measure.results.values_list("text", flat=True)) == ["ทำแล้ว"]
    assert measure.updated_by == staff_palad


def test_a_second_save_from_an_old_version_is_refused_and_keeps_the_typed_text(
    client, coordinator, staff_palad, measure
):
    opened = editor_data(measure, setup=False)
    client.force_login(coordinator)
    client.post(url(measure), editor_data(measure, title="ชื่อที่ผู้ประสานงานแก้"))
    client.force_login(staff_palad)
    mine = {**opened, **formset_data("results", items(["ข้อความที่ฉันพิมพ์ไว้"]))}
    response = client.post(url(measure), mine)
    assert response.status_code == 409
    content = response.content.decode()
    assert "ไม่ได้บันทึก" in content
    assert "ข้อความที่ฉันพิมพ์ไว้" in content
    assert "ชื่อที่ผู้ประสานงานแก้" in content and "สมศรี ประสานงาน" in content
    measure.refresh_from_db()
    assert "ข้อความที่ฉันพิมพ์ไว้" not in measure.results.values_list("text", flat=True)
    assert f'name="version" value="{measure.version}"' in content


def test_saving_again_after_reading_the_conflict_goes_ahead(client, coordinator, measure):
    client.force_login(coordinator)
    stale = editor_data(measure, **formset_data("results", items(["รุ่นที่สอง"])))
    client.post(url(measure), editor_data(measure, title="อีกคนแก้"))
    assert client.post(url(measure), stale).status_code == 409
    stale["version"] = Measure.objects.get(pk=measure.pk).version
    assert client.post(url(measure), stale).status_code == 302
    assert list(measure.results.values_list("text", flat=True)) == ["รุ่นที่สอง"]


def test_validation_errors_keep_every_typed_value(client, coordinator, measure):
    client.force_login(coordinator)
    data = editor_data(
        measure,
        start_month=5,
        end_month=2,
        **formset_data("results", items(["ผลที่พิมพ์ค้างไว้"])),
        **formset_data("outcomes", [{"text": "ผลลัพธ์ใหม่", "cite_score": "on", "ORDER": 1}]),
    )
    response = client.post(url(measure), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "เดือนที่สิ้นสุดต้องไม่อยู่ก่อนเดือนที่เริ่มดำเนินการ" in content
    assert "เลือกตัวชี้วัดที่อ้างคะแนน" in content
    assert "ผลที่พิมพ์ค้างไว้" in content and "ผลลัพธ์ใหม่" in content
    measure.refresh_from_db()
    assert measure.version == 1 and measure.start_month == 1


def test_saving_without_a_change_records_nothing(client, coordinator, measure):
    client.force_login(coordinator)
    client.post(url(measure), editor_data(measure))
    measure.refresh_from_db()
    assert measure.version == 1
    assert not Change.objects.exclude(action=Change.Action.PUBLISHED).exists()


def test_editing_a_published_report_starts_a_new_revision(client, coordinator, measure):
    report = measure.report
    published = report.latest_publication()
    client.force_login(coordinator)
    client.post(url(measure), editor_data(measure, title="ฉบับแก้ไข"))
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    assert report.latest_publication() == published
    assert "ฉบับแก้ไข" not in str(published.document)


def test_the_history_page_shows_who_changed_what(client, coordinator, staff_palad, measure):
    client.force_login(coordinator)
    client.post(url(measure), editor_data(measure, title="ชื่อใหม่ในประวัติ"))
    client.force_login(staff_palad)
    content = client.get(f"/staff/measures/{measure.pk}/history/").content.decode()
    assert "สมศรี ประสานงาน" in content
    assert "ชื่อใหม่ในประวัติ" in content
    assert "แก้ไขมาตรการ" in content


def test_a_new_measure_goes_to_the_end(client, coordinator, demo_report):
    client.force_login(coordinator)
    response = client.post("/staff/2568/measures/new/", {"title": "มาตรการที่เจ็ด"})
    measure = demo_report.measures.get(title="มาตรการที่เจ็ด")
    assert measure.number == 7
    assert response.url == f"/staff/measures/{measure.pk}/"


def test_deleting_asks_first_then_closes_the_gap(client, coordinator, demo_report):
    measure = demo_report.measures.get(number=2)
    client.force_login(coordinator)
    confirm = client.get(f"/staff/measures/{measure.pk}/delete/")
    assert "ยืนยันการลบมาตรการ" in confirm.content.decode()
    assert Measure.objects.filter(pk=measure.pk).exists()
    client.post(f"/staff/measures/{measure.pk}/delete/")
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert list(demo_report.measures.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert Change.objects.get(action=Change.Action.DELETED).subject.startswith("๒.")


def test_moving_a_measure_up_swaps_it_with_the_one_before(client, coordinator, demo_report):
    fifth, sixth = demo_report.measures.get(number=5), demo_report.measures.get(number=6)
    client.force_login(coordinator)
    client.post(f"/staff/measures/{sixth.pk}/move/", {"direction": "up"})
    fifth.refresh_from_db()
    sixth.refresh_from_db()
    assert (fifth.number, sixth.number) == (6, 5)
    client.post(f"/staff/measures/{sixth.pk}/move/", {"direction": "up"})
    client.post(f"/staff/measures/{fifth.pk}/move/", {"direction": "down"})
    assert list(demo_report.measures.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_a_division_of_another_agency_is_refused(client, coordinator, measure, agency):
    client.force_login(coordinator)
    foreign = agency.divisions.first()
    response = client.post(url(measure), editor_data(measure, divisions=[foreign.pk]))
    assert response.status_code == 200
    assert list(measure.divisions.values_list("name", flat=True)) == ["สำนักปลัด"]


def test_half_a_period_is_refused_in_thai_before_the_database_sees_it(client, coordinator, measure):
    client.force_login(coordinator)
    response = client.post(url(measure), editor_data(measure, start_year=""))
    content = response.content.decode()
    assert response.status_code == 200
    assert "measure_period_valid" not in content and "Constraint" not in content
    assert "ยังไม่ได้บันทึก: มี ๑ รายการที่ต้องแก้ไข" in content
    assert '<a href="#id_start_year">ปีที่เริ่ม (พ.ศ.): กรอกเดือนและปีที่เริ่มและที่สิ้นสุดให้ครบ' in content
    measure.refresh_from_db()
    assert measure.start_year == 2568


def test_a_period_that_ends_before_it_starts_is_refused(client, coordinator, measure):
    client.force_login(coordinator)
    response = client.post(url(measure), editor_data(measure, start_month=4, end_month=1))
    assert "ระยะเวลาสิ้นสุดก่อนเริ่มต้น" in response.content.decode()
    measure.refresh_from_db()
    assert (measure.start_month, measure.end_month) == (1, 4)


def test_required_fields_are_marked(client, coordinator, measure):
    client.force_login(coordinator)
    content = client.get(url(measure)).content.decode()
    assert '<label for="id_title" class="required">' in content
    assert 'legend class="required"' in content  # the responsible divisions
    assert "ช่องที่มีเครื่องหมาย * ต้องกรอก" in content


def test_the_editor_offers_several_blank_rows_and_saves_them_in_one_go(
    client, coordinator, measure
):
    client.force_login(coordinator)
    content = client.get(url(measure)).content.decode()
    blank = measure.results.count() + 2
    assert f'name="results-{blank}-text"' in content
    rows = [*items(["ผลหนึ่ง", "ผลสอง", "ผลสาม"]), {"text": "", "ORDER": ""}]
    client.post(url(measure), editor_data(measure, **formset_data("results", rows)))
    assert list(measure.results.values_list("text", flat=True)) == ["ผลหนึ่ง", "ผลสอง", "ผลสาม"]


def test_the_save_warns_of_a_period_outside_the_year_and_an_empty_list(
    client, coordinator, measure
):
    client.force_login(coordinator)
    data = editor_data(measure, start_year=2569, end_year=2569, **formset_data("outcomes", []))
    response = client.post(url(measure), data, follow=True)
    content = response.content.decode()
    assert "บันทึกแล้ว" in content
    assert "ระยะเวลาอยู่นอกปีงบประมาณ พ.ศ. ๒๕๖๘" in content
    assert "มาตรการนี้ยังไม่มีผลลัพธ์หรือความสำเร็จของการดำเนินการ" in content
    measure.refresh_from_db()
    assert measure.start_year == 2569 and not measure.outcomes.exists()


def test_the_cited_sentence_of_each_scored_indicator_is_in_the_editor(client, coordinator, measure):
    client.force_login(coordinator)
    content = client.get(url(measure)).content.decode()
    data = re.search(r'<script id="citations" type="application/json">(.*?)</script>', content)
    tenth = Indicator.objects.get(number=10)
    assert json.loads(data[1])[str(tenth.pk)] == "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้คะแนน ๙๒.๕๐ คะแนน"
    assert "ระบบเขียนประโยคให้เองจากคะแนนที่กรอกไว้ในหน้าคะแนน ITA" in content
