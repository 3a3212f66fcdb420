"""The corpus of report shapes (tests/import_shapes.py): each imports to the seed's measures,
items, divisions and periods, with what the reader changed listed, or is refused naming where."""

import io

import pytest
from django.utils import translation

from measures.imports.services import report_import_legacy
from measures.models import Report
from tests.import_shapes import REFUSED, SHAPES
from tests.test_imports_legacy import document_of


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


@pytest.fixture
def empty_report(demo_report) -> Report:
    return Report.objects.create(agency=demo_report.agency, fiscal_year=2567)


def test_the_corpus_holds_at_least_twenty_shapes():
    assert len(SHAPES) >= 20


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_every_shape_imports_as_the_seed(demo_report, empty_report, shape):
    format, data = SHAPES[shape]()
    outcome = report_import_legacy(
        report=empty_report, file=io.BytesIO(data), format=format, dry_run=False
    )
    assert outcome.errors == []
    assert outcome.committed
    assert document_of(empty_report) == document_of(demo_report)


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_shape_it_cannot_read_is_refused_naming_where(demo_report, case):
    shape, message = REFUSED[case]
    format, data = shape()
    before = document_of(demo_report)
    outcome = report_import_legacy(
        report=demo_report, file=io.BytesIO(data), format=format, dry_run=False
    )
    assert not outcome.committed
    assert any(message in error for error in outcome.errors), outcome.errors
    assert document_of(demo_report) == before
