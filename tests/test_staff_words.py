"""The coordinator's list of accepted words: the agency's own spellings that the review accepts."""

import pytest

from measures.models import AcceptedWord


@pytest.fixture
def phalai(demo_report, coordinator):
    return AcceptedWord.objects.create(agency=demo_report.agency, word="พะไล", added_by=coordinator)


def words(agency):
    return list(agency.accepted_words.values_list("word", flat=True))


def test_the_list_shows_each_word_with_who_added_it(client, coordinator, phalai):
    client.force_login(coordinator)
    page = client.get("/staff/words/").content.decode()
    assert "<td>พะไล</td>" in page
    assert "สมศรี ประสานงาน" in page
    assert 'aria-label="ลบ “พะไล”"' in page


def test_a_word_is_added(client, coordinator, demo_report):
    client.force_login(coordinator)
    response = client.post("/staff/words/", {"word": " บัวลาย "}, follow=True)
    assert "เพิ่ม “บัวลาย” ในคำที่ยอมรับแล้ว" in response.content.decode()
    word = demo_report.agency.accepted_words.get()
    assert (word.word, word.added_by) == ("บัวลาย", coordinator)


@pytest.mark.parametrize("typed", ["บัว ลาย", "บัว\u200bลาย", "บัว\tลาย"])
def test_a_word_with_a_space_is_refused(client, coordinator, demo_report, typed):
    client.force_login(coordinator)
    response = client.post("/staff/words/", {"word": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "คำที่ยอมรับต้องเป็นคำเดียว ไม่มีช่องว่าง" in page
    assert f'value="{typed}"' in page
    assert words(demo_report.agency) == []


def test_an_empty_word_is_refused(client, coordinator, demo_report):
    client.force_login(coordinator)
    page = client.post("/staff/words/", {"word": "  "}).content.decode()
    assert "ฟิลด์นี้จำเป็น" in page
    assert words(demo_report.agency) == []


def test_a_word_already_listed_is_refused(client, coordinator, phalai):
    client.force_login(coordinator)
    page = client.post("/staff/words/", {"word": "พะไล"}).content.decode()
    assert "“พะไล” อยู่ในรายการแล้ว" in page
    assert words(phalai.agency) == ["พะไล"]


def test_another_agency_may_accept_the_same_word(client, other_coordinator, agency, phalai):
    client.force_login(other_coordinator)
    client.post("/staff/words/", {"word": "พะไล"})
    assert words(agency) == ["พะไล"]
    assert words(phalai.agency) == ["พะไล"]


def test_a_word_is_removed(client, coordinator, phalai):
    client.force_login(coordinator)
    response = client.post(f"/staff/words/{phalai.pk}/delete/", follow=True)
    assert "ลบ “พะไล” ออกจากคำที่ยอมรับแล้ว" in response.content.decode()
    assert words(phalai.agency) == []


def test_another_agencys_word_cannot_be_removed(client, other_coordinator, phalai):
    client.force_login(other_coordinator)
    assert client.post(f"/staff/words/{phalai.pk}/delete/").status_code == 404
    assert words(phalai.agency) == ["พะไล"]


def test_the_other_agency_does_not_see_the_words(client, other_coordinator, phalai):
    client.force_login(other_coordinator)
    assert "พะไล" not in client.get("/staff/words/").content.decode()


def test_an_accepted_word_leaves_the_review(client, coordinator, demo_report):
    outcome = demo_report.measures.get(number=6).outcomes.get()
    outcome.text += " ณ ตำบลกุดบว"
    outcome.save()
    client.force_login(coordinator)
    assert "ตำบลกุด<mark>บว</mark>" in client.get("/staff/2568/review/").content.decode()
    client.post("/staff/words/", {"word": "กุดบว"})
    assert "ตำบลกุด<mark>บว</mark>" not in client.get("/staff/2568/review/").content.decode()
