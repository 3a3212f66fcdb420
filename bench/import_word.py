"""How long the preview of a 300-measure Word report takes (issue 21: under 5 s).

    .venv/bin/python bench/import_word.py [MEASURES]

SQLite in a temporary directory (BENCH_DATABASE_URL=postgres://… for PostgreSQL, an empty
database). The Word file repeats the demo report's six measures under one header row, as
agencies write it: items in Word's automatic numbering, one paragraph each, a heading row merged
across the table every 50 measures. Prints one line per step.
"""

import io
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "itaportal.settings"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

import docx  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from measures.imports.report_text import HEADERS  # noqa: E402
from measures.imports.services import report_import_legacy  # noqa: E402
from measures.management.commands.load_demo import load_demo  # noqa: E402
from measures.models import Report  # noqa: E402

NUMBER = re.compile(r"(?:^|\s)(?=[๐-๙]{1,2}\.(?![๐-๙]))")


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    print(f"{label:<56} {time.perf_counter() - start:7.2f} s")
    return result


def word_file(measures: int) -> bytes:
    seed = (ROOT / "measures/demo/report-2568.txt").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in seed if line.count("\t") == len(HEADERS) - 1]
    rows = [[re.sub(r"</?p>", " ", cell).strip() for cell in row] for row in rows[1::2]]
    document = docx.Document()
    document.add_paragraph().add_run(
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    ).bold = True
    document.add_paragraph("องค์การบริหารส่วนตำบลเมืองพะไล มีการดำเนินการดังนี้")
    table = document.add_table(rows=1, cols=len(HEADERS))
    for cell, header in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = header
    for number in range(1, measures + 1):
        if number % 50 == 1:
            row = table.add_row()
            row.cells[0].merge(row.cells[-1]).text = f"ด้านที่ {number // 50 + 1}"
        title, methods, period, divisions, results, outcomes = rows[(number - 1) % len(rows)]
        cells = table.add_row().cells
        cells[0].text = f"{number}. " + title.split(". ", 1)[1]
        cells[2].text, cells[3].text = period, divisions
        for cell, text in zip(
            (cells[1], cells[4], cells[5]), (methods, results, outcomes), strict=True
        ):
            items = [
                NUMBER.sub("", item, count=1).split(". ", 1)[-1]
                for item in NUMBER.split(text)
                if item.strip()
            ]
            cell.text = items[0]
            cell.paragraphs[0].style = "List Number"
            for item in items[1:]:
                cell.add_paragraph(item, style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main(measures: int) -> None:
    call_command("migrate", verbosity=0)
    load_demo()
    report = Report.objects.get(agency__slug="mueang-phalai", fiscal_year=2568)
    data = timed(f"build the Word file of {measures} measures", lambda: word_file(measures))
    print(f"{'size':<56} {len(data) / 1024:7.0f} KB")
    with translation.override("th"):
        outcome = timed(
            "preview (read, compare with the report, notes)",
            lambda: report_import_legacy(report=report, file=io.BytesIO(data), format="docx"),
        )
        assert outcome.ok, outcome.errors[:3]
        print(f"{'rows previewed':<56} {len(outcome.rows):7d}")
        timed(
            "import and commit",
            lambda: report_import_legacy(
                report=report, file=io.BytesIO(data), format="docx", dry_run=False
            ),
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
