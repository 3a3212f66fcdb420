"""Each review check on a small report document: what it must find, and a correct report that
gives no finding at all."""

import copy
from pathlib import Path
from types import SimpleNamespace

import pytest

from measures.imports.report_text import parse_report_text
from measures.management.commands.load_demo import DEMO_AGENCY, DEMO_DIVISIONS
from measures.review import ERROR, WARNING, review_document
from measures.review.cover import cover_findings, report_text_warnings
from measures.review.language import sound_key
from measures.review.typography import typography

INDICATORS = {
    6: "คุณภาพการดำเนินงาน",
    7: "ประสิทธิภาพการสื่อสาร",
    9: "การเปิดเผยข้อมูล",
    10: "การป้องกันการทุจริต",
}

CORRECT = {
    "schema_version": 1,
    "agency": DEMO_AGENCY,
    "fiscal_year": 2568,
    "introduction": "องค์การบริหารส่วนตำบลเมืองพะไล มีการดำเนินการดังนี้",
    "measures": [
        {
            "number": 1,
            "title": "การป้องกันการทุจริตจากการปฏิบัติหน้าที่",
            "period": {"start_month": 10, "start_year": 2567, "end_month": 9, "end_year": 2568},
            "divisions": ["สำนักปลัด"],
            "indicators": [7, 10],
            "methods": [
                "ประกาศนโยบายไม่รับของขวัญหรือของกำนัลจากการปฏิบัติหน้าที่",
                "จัดประชุมเพื่อเสริมสร้างคุณธรรมจริยธรรม (ITA) ฯลฯ",
            ],
            "results": ["เจ้าหน้าที่ไม่รับของขวัญหรือของกำนัลทุกชนิด", "หน่วยงาน ฯลฯ"],
            "outcomes": [
                {
                    "text": "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้คะแนน ๙๒.๕๐ คะแนน",
                    "indicator": 10,
                },
                {
                    "text": "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนนเพิ่มขึ้นจากปีที่ผ่านมา "
                    "๐.๕๒ คะแนน",
                    "indicator": 7,
                },
            ],
        }
    ],
    "scores": [
        {"indicator": 7, "name_th": INDICATORS[7], "group": "EIT", "score": "85.52",
         "previous": "85.00"},
        {"indicator": 10, "name_th": INDICATORS[10], "group": "OIT", "score": "92.50",
         "previous": None},
    ],
}  # fmt: skip


def changed(**changes):
    """The correct document with some of its first measure's fields replaced."""
    document = copy.deepcopy(CORRECT)
    document["measures"][0].update(changes)
    return document


def review(document, checks=None, accepted=()):
    return review_document(
        document, indicator_names=INDICATORS, accepted_words=accepted, checks=checks
    )


def problem(finding):
    return finding.text[finding.start : finding.end]


def test_a_correct_report_has_no_finding():
    assert review(CORRECT) == []


# Completeness


@pytest.mark.parametrize("column", ["methods", "results", "outcomes", "divisions"])
def test_an_empty_column_is_an_error(column):
    [finding] = review(changed(**{column: []}), ["completeness"])
    assert (finding.severity, finding.measure, finding.column) == (ERROR, 1, column)


def test_an_empty_item_is_an_error():
    [finding] = review(changed(results=["เจ้าหน้าที่ไม่รับของขวัญ", "  "]), ["completeness"])
    assert (finding.severity, finding.column, finding.item) == (ERROR, "results", 2)


def test_a_missing_period_is_an_error():
    [finding] = review(changed(period=None), ["completeness"])
    assert (finding.severity, finding.column) == (ERROR, "period")


def test_a_report_without_measures_is_an_error():
    document = copy.deepcopy(CORRECT) | {"measures": []}
    assert [f.severity for f in review(document, ["completeness"])] == [ERROR]


# Score citations


def test_a_name_that_belongs_to_another_indicator_is_an_error():
    outcome = {"text": "ตัวชี้วัดที่ ๗ การเปิดเผยข้อมูล ได้ ๙๐ คะแนน", "indicator": 7}
    findings = review(changed(outcomes=[outcome]), ["citations"])
    wrong_name = next(f for f in findings if f.is_error)
    assert problem(wrong_name) == "ตัวชี้วัดที่ ๗ การเปิดเผยข้อมูล"
    assert wrong_name.suggestion == "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล"


def test_a_name_split_by_a_wrap_space_is_still_the_right_name():
    outcome = {"text": "ในตัวชี้วัดที่ ๖ คุณภาพ การดำเนินงาน ดีขึ้น", "indicator": 6}
    assert review(changed(outcomes=[outcome]), ["citations"]) == []


def test_a_level_that_is_not_the_stored_score_is_an_error():
    outcome = {"text": "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้ ๙๑ คะแนน", "indicator": 10}
    [finding] = review(changed(outcomes=[outcome]), ["citations"])
    assert (finding.severity, problem(finding), finding.suggestion) == (ERROR, "๙๑", "๙๒.๕๐")


def test_a_change_that_is_not_the_stored_change_is_an_error():
    outcome = {
        "text": "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนนเพิ่มขึ้นจากปีที่ผ่านมา ๐.๖๒ คะแนน",
        "indicator": 7,
    }
    [finding] = review(changed(outcomes=[outcome]), ["citations"])
    assert finding.severity == ERROR
    assert finding.suggestion == "เพิ่มขึ้น ๐.๕๒ คะแนน"
    assert "๘๕.๐๐ → ๘๕.๕๒" in finding.message


def test_a_year_between_the_change_and_its_figure_is_read_past():
    outcome = {
        "text": "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร เพิ่มขึ้นจากปี ๒๕๖๗ ๐.๖๒ คะแนน",
        "indicator": 7,
    }
    [finding] = review(changed(outcomes=[outcome]), ["citations"])
    assert (finding.severity, problem(finding)) == (ERROR, "เพิ่มขึ้นจากปี ๒๕๖๗ ๐.๖๒ คะแนน")


def test_a_decrease_cited_as_an_increase_is_an_error():
    document = changed()
    document["scores"][0]["previous"] = "86.04"
    [finding] = review(document, ["citations"])
    assert finding.suggestion == "ลดลง ๐.๕๒ คะแนน"


def test_a_figure_without_stored_scores_cannot_be_verified():
    outcome = {"text": "ตัวชี้วัดที่ ๖ คุณภาพการดำเนินงาน เพิ่มขึ้นจากปีที่ผ่านมา ๐.๐๒ คะแนน",
               "indicator": 6}  # fmt: skip
    [finding] = review(changed(outcomes=[outcome]), ["citations"])
    assert (finding.severity, problem(finding)) == (WARNING, "๐.๐๒")


def test_an_indicator_beyond_ten_is_an_error():
    outcome = {"text": "ตัวชี้วัดที่ ๑๒ การป้องกันการทุจริต", "indicator": None}
    [finding] = review(changed(outcomes=[outcome]), ["citations"])
    assert (finding.severity, problem(finding)) == (ERROR, "๑๒")


# Periods


def test_a_period_outside_the_fiscal_year_is_a_warning():
    period = {"start_month": 10, "start_year": 2568, "end_month": 12, "end_year": 2568}
    [finding] = review(changed(period=period), ["periods"])
    assert (finding.severity, finding.column) == (WARNING, "period")
    assert finding.text == "ต.ค. - ธ.ค. ๒๕๖๘"
    assert finding.suggestion == "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘"


def test_a_period_overlapping_the_year_end_is_clamped_in_the_suggestion():
    period = {"start_month": 6, "start_year": 2568, "end_month": 11, "end_year": 2568}
    [finding] = review(changed(period=period), ["periods"])
    assert finding.suggestion == "มิ.ย. - ก.ย. ๒๕๖๘"


def test_a_period_inside_the_fiscal_year_is_fine():
    period = {"start_month": 1, "start_year": 2568, "end_month": 4, "end_year": 2568}
    assert review(changed(period=period), ["periods"]) == []


# Spelling


def test_a_word_not_in_the_dictionary_is_a_warning_with_suggestions():
    [finding] = review(changed(results=["เจ้าหน้าที่ปฏิบัตงานตามคู่มือ"]), ["spelling"])
    assert finding.severity == WARNING
    assert problem(finding) == "ปฏิบัต"
    assert finding.suggestion.split(" / ")[0] == "ปฏิบัติ"


def test_a_word_the_tokenizer_broke_into_letters_is_quoted_whole():
    [finding] = review(changed(results=["คณะผู้บริหานและเจ้าหน้าที่"]), ["spelling"])
    assert problem(finding) == "บริหาน"
    assert finding.suggestion.split(" / ")[0] == "บริหาร"


def test_an_accepted_word_of_the_agency_is_not_a_misspelling():
    document = changed(results=["ชาวบ้านบวลายร่วมกิจกรรม"])
    assert review(document, ["spelling"])
    assert review(document, ["spelling"], accepted=["บวลาย"]) == []


def test_latin_words_and_numbers_are_not_spell_checked():
    assert review(changed(results=["ระบบ E-Service และ facebook ๑๒ ช่องทาง"]), ["spelling"]) == []


# Variants


def test_a_phrase_spelled_two_ways_suggests_the_more_frequent():
    methods = ["ไม่รับของขวัญหรือของ กำนัน จากการปฏิบัติหน้าที่"]
    [finding] = review(changed(methods=methods), ["variants"])
    assert (finding.severity, finding.column, finding.item) == (WARNING, "methods", 1)
    assert problem(finding) == "ของ กำนัน"
    assert finding.suggestion == "ของกำนัล"


def test_a_name_spelled_unlike_the_agency_suggests_the_agency_s_own():
    [finding] = review(changed(results=["ประชาชนตำบลเมืองพะไรมีส่วนร่วม"]), ["variants"])
    assert problem(finding) == "เมืองพะไร"
    assert finding.suggestion == "เมืองพะไล"


def test_two_real_words_that_sound_alike_are_not_variants_on_their_own():
    results = ["กำนันและผู้ใหญ่บ้านร่วมประชุม", "ไม่รับของกำนัล"]
    assert review(changed(results=results), ["variants"]) == []


@pytest.mark.parametrize(
    "right, wrong",
    [("ขออนุญาต", "ขออนุญาติ"), ("ประสิทธิภาพ", "ประสิทธภาพ"), ("สังเกต", "สังเกตุ"),
     ("ใบอนุญาต", "ไบอนุญาต")],
)  # fmt: skip
def test_a_common_misspelling_beside_the_right_form_is_a_variant(right, wrong):
    results = [f"ยื่น{right}ที่นี่", f"ยื่น{right}แล้ว", f"ยื่น{wrong}ด้วย"]
    [finding] = review(changed(results=results), ["variants"])
    assert (finding.item, problem(finding), finding.suggestion) == (3, wrong, right)


def test_real_words_that_look_alike_are_not_variants():
    results = [
        "หน่วยงานให้บริการประชาชน", "ประชาชนได้บริการที่ดี", "จัดประชุมประชาคมหมู่บ้าน",
        "ดำเนินการตามแผน", "ผลการดำเนินงานดีขึ้น", "ปฏิบัติงานตามคู่มือ", "ศูนย์ปฏิบัติการ",
        "ป้องกันการทุจริต", "ซื่อสัตย์สุจริต", "รับรู้ข้อมูลข่าวสาร", "รับฟังความคิดเห็น",
        "ความเป็นธรรม", "ส่งเสริมคุณธรรม", "คุณภาพการดำเนินงาน", "จัดซื้อจัดจ้าง", "ผู้รับจ้าง",
        "ผู้รับผิดชอบ", "ประกาศเจตนารมณ์", "ประกาศเจตจำนง", "เงินสะสม", "เงินสำรอง",
    ]  # fmt: skip
    assert review(changed(results=results), ["variants"]) == []


def test_a_variant_replaces_the_spelling_warning_on_the_same_word():
    results = ["ประชาชนอำเภอบวลายร่วมกิจกรรม"]
    assert [problem(f) for f in review(changed(results=results), ["spelling"])] == ["บว"]
    [finding] = review(changed(results=results))
    assert (finding.check, problem(finding), finding.suggestion) == ("variants", "บวลาย", "บัวลาย")


def test_sound_key_merges_what_typists_confuse_and_nothing_else():
    assert sound_key("บวลาย") == sound_key("บัวลาย")
    assert sound_key("ของกำนัน") == sound_key("ของกำนัล")
    assert sound_key("ให้บริการ") != sound_key("ได้บริการ")


# Typography


@pytest.mark.parametrize(
    "text, span, suggestion",
    [
        ("จัดประชุม 5 ครั้ง", "5", "๕"),
        ("ได้ 92.50 คะแนน", "92.50", "๙๒.๕๐"),
        ("จัดประชุม  ชี้แจง", "  ", " "),
        ("เจ้าหน้าที ่ทุกคน", " ", ""),
        ("ดําเนินการ", "\u0e4d\u0e32", "ำ"),
        ("ปีงบประมาณ พ.ศ.. ๒๕๖๘", "..", "."),
        ("กองการศึกษา ฯ", " ฯ", "ฯ"),
        ("เว็บไซต์ ฯล ฯ", "ฯล ฯ", "ฯลฯ"),
        ("เว็บไซต์ฯลฯ", "ฯลฯ", " ฯลฯ"),
    ],
)
def test_typing_slips_are_warnings_with_a_fix(text, span, suggestion):
    [finding] = review(changed(results=[text]), ["typography"])
    assert (finding.severity, problem(finding), finding.suggestion) == (WARNING, span, suggestion)


@pytest.mark.parametrize(
    "text, char",
    [("ผลการประเมิน (ITA ของ", "("), ("ข้อมูล) ครบ", ")"), ("“ไม่รับ", "“"), ('นโยบาย "No', '"')],
)
def test_an_unbalanced_bracket_or_quote_is_a_warning(text, char):
    [finding] = review(changed(results=[text]), ["typography"])
    assert problem(finding) == char


@pytest.mark.parametrize(
    "text",
    ["ระบบ E-Service ตามข้อ O42", "ผลการประเมิน (ITA) “ดีมาก”", "เว็บไซต์ ฯลฯ", "กองการศึกษาฯ"],
)
def test_correct_typography_gives_no_warning(text):
    assert list(typography_of(text)) == []


def typography_of(text):
    from measures.review.base import ReviewInput

    return typography(ReviewInput(changed(results=[text]), INDICATORS))


# Cover


Agency = SimpleNamespace(**DEMO_AGENCY)


def test_a_cover_naming_the_district_wrongly_is_a_warning():
    lines = ["องค์การบริหารส่วนตำบลเมืองพะไล", "อำเภอบวลาย จังหวัดนครราชสีมา"]
    [finding] = cover_findings(lines, Agency)
    assert (finding.column, finding.item, problem(finding)) == ("cover", 2, "อำเภอบวลาย")
    assert finding.suggestion == "อำเภอบัวลาย"


def test_the_seed_text_warns_about_its_cover_only():
    seed = Path(__file__).resolve().parent.parent / "measures" / "demo" / "report-2568.txt"
    parsed = parse_report_text(seed.read_text(encoding="utf-8"), DEMO_DIVISIONS)
    assert [problem(f) for f in report_text_warnings(parsed, Agency)] == ["อำเภอบวลาย"]


def test_a_cover_that_matches_the_agency_gives_no_warning():
    lines = ["ของ องค์การบริหารส่วนตำบลเมืองพะไล อำเภอบัวลาย จังหวัดนครราชสีมา"]
    assert cover_findings(lines, Agency) == []


# What a review page shows


def test_a_finding_carries_what_a_page_needs_to_highlight_it():
    methods = ["ไม่รับของขวัญหรือของ กำนัน จากการปฏิบัติหน้าที่"]
    [finding] = review(changed(methods=methods), ["variants"])
    assert finding.excerpt == ("ไม่รับของขวัญหรือ", "ของ กำนัน", " จากการปฏิบัติหน้าที่")
    assert finding.location == "มาตรการที่ ๑ วิธีดำเนินการ ข้อ ๑"
    data = finding.as_dict()
    assert (data["start"], data["end"], data["suggestion"]) == (17, 26, "ของกำนัล")
    assert data["key"] == finding.key


def test_a_finding_key_changes_with_the_quoted_text_only():
    first = review(changed(results=["จัดประชุม 5 ครั้ง"]), ["typography"])[0]
    same = review(changed(results=["เมื่อวาน จัดประชุม 5 ครั้ง"]), ["typography"])[0]
    other = review(changed(results=["จัดประชุม 6 ครั้ง"]), ["typography"])[0]
    assert first.key == same.key
    assert first.key != other.key
