"""Properties that must hold for any text (Hypothesis): the spreadsheet round trip is exact, and
the Thai text checks answer for any Unicode without an exception, within bounds.

Deterministic and modest (the "ci" profile: derandomized, no example database), so that the suite
stays fast; `HYPOTHESIS_PROFILE=deep` tries many more examples.
"""

import io
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itaportal import limits
from measures.imports.resources import MeasureResource, measures_file
from measures.imports.services import report_import_rows
from measures.items import ListItem, levels_of
from measures.models import Measure, Method, Outcome, Result
from measures.review import review_document
from measures.review.language import sound_key, suggestions, tokens
from measures.thai import plain_text

settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("deep", parent=settings.get_profile("ci"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Thai letters and marks, digits of both kinds, punctuation a report uses, and what pasted text
# carries unseen: every character class the import and the review treat specially.
SPECIAL = "ฯลๆ๐๑๒๓๔๕๖๗๘๙0123456789.,;:!?()[]{}“”‘’\"'=+-@ \t\n\r\u200b\u200c\ufeff\u00ad\x00\x85"
THAIISH = st.text(
    st.one_of(st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), st.sampled_from(SPECIAL)),
    max_size=120,
)
ANY_TEXT = st.one_of(st.text(max_size=120), THAIISH)


@pytest.fixture
def measure(demo_report):
    return demo_report.measures.get(number=1)


def stored_measures(report):
    return [
        (
            m.title,
            [i.text for i in m.methods.all()],
            [i.text for i in m.results.all()],
            [i.text for i in m.outcomes.all()],
        )
        for m in report.measures.with_lists()
    ]


@given(
    title=ANY_TEXT,
    lists=st.lists(st.lists(ANY_TEXT, min_size=1, max_size=4), min_size=3, max_size=3),
    format=st.sampled_from(["csv", "xlsx"]),
)
def test_export_then_import_of_any_stored_text_changes_nothing(measure, title, lists, format):
    # Stored as any input path stores it: cleaned, and never empty (the forms require text).
    title = plain_text(title) or "ก"
    Measure.objects.filter(pk=measure.pk).update(title=title)
    for model, texts in zip((Method, Result, Outcome), lists, strict=True):
        model.objects.filter(measure=measure).delete()
        model.objects.bulk_create(
            model(measure=measure, order=n, text=plain_text(text) or "ข")
            for n, text in enumerate(texts, 1)
        )
    report = measure.report
    before = stored_measures(report)
    exported = measures_file(report.measures.with_lists(), format)
    outcome = report_import_rows(
        report=report, file=io.BytesIO(exported), format=format, dry_run=False
    )
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"unchanged": 6}
    assert stored_measures(report) == before


@given(st.lists(st.tuples(ANY_TEXT, st.booleans()), min_size=1, max_size=limits.ITEMS_PER_LIST))
def test_a_list_cell_reads_back_what_it_was_written_from(entries):
    # Items and sub-items: a list with a sub-item is written numbered as printed (๑., ๑.๑).
    widget = MeasureResource.fields["results"].widget
    levels = levels_of(sub for _text, sub in entries)
    items = [
        ListItem(plain_text(text) or "ก", level)
        for (text, _sub), level in zip(entries, levels, strict=True)
    ]
    assert widget.clean(widget.render(items)) == items


@given(ANY_TEXT)
def test_plain_text_is_what_a_reader_sees_and_stays_so(text):
    clean = plain_text(text)
    assert plain_text(clean) == clean
    assert not any(char in clean for char in "\n\r\t\x00\u200b\ufeff")
    assert clean == clean.strip()


def review_of(texts: list[str]) -> list:
    document = {
        "introduction": texts[0],
        "fiscal_year": 2568,
        "scores": [],
        "approval": None,
        "agency": {"name": "อบต.ทดสอบ", "short_name": "", "district": "", "province": ""},
        "measures": [
            {
                "number": 1,
                "title": texts[0],
                "period": None,
                "divisions": [],
                "indicators": [],
                "methods": texts,
                "results": texts,
                "outcomes": [{"text": text, "indicator": None} for text in texts],
            }
        ],
    }
    return review_document(document, indicator_names={1: "การปฏิบัติหน้าที่"})


@given(st.lists(ANY_TEXT, min_size=1, max_size=5))
def test_the_review_of_any_text_answers_without_an_exception(texts):
    start = time.monotonic()
    findings = review_of(texts)
    # The ceiling, not a performance target: bench/hostile.py has the figures.
    assert time.monotonic() - start < 5
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(finding.text)
        assert finding.message


@given(ANY_TEXT)
def test_the_word_level_helpers_accept_any_text(text):
    spans = tokens(text)
    assert "".join(token for token, _start, _end in spans) == text
    assert all(text[start:end] == token for token, start, end in spans)
    sound_key(text)
    assert len(suggestions(text[: limits.REVIEW_WORD_CHARS + 5])) <= 3
