"""Garbage given to the report import: refused in Thai within 5 s, in bounded memory, with
nothing written."""

import io
import os
import random
import subprocess
import sys
import zipfile

import pytest
from django.conf import settings
from django.utils import translation

from measures.imports.report_text import HEADERS
from measures.imports.services import report_import_legacy
from tests.import_shapes import seed_parts, word_one_table
from tests.test_imports_legacy import document_of

SECONDS = 5
THAI = range(0x0E01, 0x0E5C)


def random_bytes(size: int) -> bytes:
    return random.Random(21).randbytes(size)  # noqa: S311 (the same bytes every run)


def big_paste() -> bytes:
    """Just under the upload limit: the seed's rows over and over under one header."""
    row = "\t".join(" ".join(cell.split()) for cell in seed_parts()[1][0]).encode() + b"\n"
    header = "\t".join(HEADERS).encode() + b"\n"
    return header + row * ((settings.IMPORT_MAX_BYTES - len(header)) // len(row))


def one_long_line() -> bytes:
    return ("ก" * (settings.IMPORT_MAX_BYTES // 3 - 10)).encode()


def wide_table() -> bytes:
    return ("\t".join(HEADERS) + "\n" + "\t".join(["๑. ก"] * 500) + "\n").encode()


def nested_html() -> bytes:
    return ("<table><tr><td>" * 50_000).encode()


def with_document_xml(transform) -> bytes:
    """The seed as a Word file with its document.xml changed by ``transform``."""
    source = zipfile.ZipFile(io.BytesIO(word_one_table()[1]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = transform(data)
            target.writestr(item, data)
    return out.getvalue()


def nested_docx() -> bytes:
    """Tables inside a cell, 300 deep."""
    depth = 300
    nest = b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * depth
    return with_document_xml(lambda xml: xml.replace(b"<w:body>", b"<w:body>" + nest, 1))


def external_entity_docx() -> bytes:
    """An XML external entity naming a local file, cited in the first cell."""

    def transform(xml: bytes) -> bytes:
        start = xml.index(b"<w:document")
        doctype = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        xml = xml[:start] + doctype + xml[start:]
        return xml.replace("มาตรการ".encode(), b"&xxe;", 1)

    return with_document_xml(transform)


GARBAGE = {
    "random bytes as text": ("text", lambda: random_bytes(1_000_000)),
    "random bytes as Word": ("docx", lambda: random_bytes(1_000_000)),
    "a paste just under 10 MB": ("text", big_paste),
    "one line of 10 MB": ("text", one_long_line),
    "over 10 MB": ("text", lambda: b"a" * (settings.IMPORT_MAX_BYTES + 1)),
    "a table of 500 columns": ("text", wide_table),
    "HTML tables nested 50,000 deep": ("text", nested_html),
    "Word tables nested 300 deep": ("docx", nested_docx),
    "Word with an external entity": ("docx", external_entity_docx),
}


@pytest.mark.parametrize("case", GARBAGE, ids=list(GARBAGE))
def test_garbage_is_refused_in_thai_and_nothing_is_written(demo_report, case):
    format, make = GARBAGE[case]
    before = document_of(demo_report)
    with translation.override("th"):
        outcome = report_import_legacy(
            report=demo_report, file=io.BytesIO(make()), format=format, dry_run=False
        )
    assert not outcome.committed
    assert outcome.errors and all(any(ord(c) in THAI for c in e) for e in outcome.errors)
    assert "root:" not in " ".join(outcome.errors)
    assert document_of(demo_report) == before


WORST = """
import io, time
import django
django.setup()
from tests.memory import peak_megabytes
from django.conf import settings
from django.utils import translation
from measures.imports.services import report_read
from measures.imports.spreadsheet import SpreadsheetError, read_upload
from measures.imports.report_text import ReportTextError
from tests.test_imports_garbage import GARBAGE
worst = 0.0
translation.activate("th")
for name, (format, make) in GARBAGE.items():
    data = make()
    start = time.monotonic()
    try:
        report_read(read_upload(io.BytesIO(data)), format=format, divisions=["สำนักปลัด"],
                    fiscal_year=2568)
    except (SpreadsheetError, ReportTextError):
        pass
    worst = max(worst, time.monotonic() - start)
print(worst, peak_megabytes())
"""


def test_each_garbage_input_answers_within_5_s_in_bounded_memory():
    result = subprocess.run(
        [sys.executable, "-c", WORST],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )
    seconds, megabytes = result.stdout.split()
    assert float(seconds) < SECONDS
    assert int(megabytes) < 600


def test_a_scripts_peak_memory_is_its_own_not_its_parents():
    parent = bytearray(400 * 2**20)
    parent[::4096] = b"\1" * len(parent[::4096])  # touched: resident, as a grown worker is
    script = (
        "from tests.memory import peak_megabytes\n"
        "before = peak_megabytes()\n"
        "grown = bytearray(100 * 2**20); grown[::4096] = b'1' * len(grown[::4096])\n"
        "print(before, peak_megabytes())"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    before, after = map(int, result.stdout.split())
    assert before < 100 <= after < 200
    del parent
