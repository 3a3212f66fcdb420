"""How long a national ITA results file (8,317 agencies) takes to preview and to commit.

    .venv/bin/python bench/results_import.py [AGENCIES]

SQLite in a temporary directory by default; BENCH_DATABASE_URL=postgres://… measures PostgreSQL
(the database is migrated and filled with the agencies: give it an empty one). The file is made
here, as an XLSX like the ones the assessment publishes: one row per agency with its 7-digit
code, the year 2568, overall, IIT, EIT, OIT, the level and the ten indicators; half the rows
name their agency by code, half by full name. Prints one line per step; the issue's target is
under 30 s for the preview and the commit together.
"""

import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "itaportal.settings"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from measures.imports.results import COLUMNS, results_import  # noqa: E402
from measures.models import Agency, IndicatorScore, ItaResult, LevelRule  # noqa: E402

YEAR = 2568


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed:7.2f} s")
    return result, elapsed


def agencies(count: int) -> list[Agency]:
    call_command("migrate", verbosity=0)
    Agency.objects.bulk_create(
        Agency(
            name=f"องค์การบริหารส่วนตำบลทดสอบ{n}",
            short_name=f"อบต.ทดสอบ{n}",
            kind=Agency.Kind.SAO,
            province="นครราชสีมา",
            slug=f"bench-{n}",
            code=f"{6300000 + n}",
        )
        for n in range(count)
    )
    return list(Agency.objects.order_by("pk"))


def results_file(rows: list[Agency]) -> bytes:
    """The results of ``rows``, each consistent: its overall the weighted parts, its level the
    year's rule's."""
    scores = random.Random(2568)  # noqa: S311 (the same file every run; no secret)
    rules = LevelRule.objects.for_year(YEAR)
    # As Excel saves it: scores as numbers, and the sheet's dimension recorded (openpyxl's
    # write-only mode leaves it out, which makes a reader scan the sheet twice).
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS.values()))
    for index, agency in enumerate(rows):
        parts = [Decimal(scores.randint(6000, 10000)) / 100 for _part in range(3)]
        weighted = sum(w * p for w, p in zip(ItaResult.WEIGHTS.values(), parts, strict=True))
        overall = weighted.quantize(Decimal("0.01"))
        level = LevelRule.level_from(rules, overall, tuple(parts))
        indicators = [scores.randint(5000, 10000) / 100 for _n in range(10)]
        code, name = (agency.code, None) if index % 2 else (None, agency.name)
        sheet.append([code, name, YEAR, float(overall), *map(float, parts), level, *indicators])
    path = Path(tempfile.mkdtemp()) / "results.xlsx"
    book.save(path)
    return path.read_bytes()


def main(count: int) -> None:
    print(f"database: {connection.vendor}; {count:,} agencies")
    rows, _seconds = timed("create the agencies", lambda: agencies(count))
    data, _seconds = timed("make the results file (XLSX)", lambda: results_file(rows))
    print(f"{'file size':<52} {len(data) / 1024 / 1024:7.2f} MB")
    preview, previewed = timed(
        "preview (read, match, check; nothing written)",
        lambda: results_import(file=data, format="xlsx", year=YEAR),
    )
    assert preview.ok, preview.errors[:5]
    done, committed = timed(
        "commit (read and check again, write all)",
        lambda: results_import(file=data, format="xlsx", year=YEAR, dry_run=False),
    )
    assert done.committed
    assert ItaResult.objects.filter(fiscal_year=YEAR).count() == count
    assert IndicatorScore.objects.filter(fiscal_year=YEAR).count() == 10 * count
    print(f"{'preview + commit':<52} {previewed + committed:7.2f} s (target < 30 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8_317)
