"""How long 5,000 measures take to import and export, on a throw-away database.

    .venv/bin/python bench/bench_import.py [ROWS]

SQLite in a temporary directory by default; BENCH_DATABASE_URL=postgres://… measures PostgreSQL
(the database is migrated and filled: give it an empty one). Prints one line per step.

Each row repeats one of the demo report's measures (about 3 KB of Thai text): 5,000 such rows make
a 16 MB CSV, over the default upload limit, so the limit is raised here (IMPORT_MAX_BYTES).
"""

import io
import os
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

os.environ.setdefault("IMPORT_MAX_BYTES", str(64 * 1024 * 1024))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from measures.document import report_document  # noqa: E402
from measures.imports.resources import measures_file  # noqa: E402
from measures.imports.services import report_import_rows  # noqa: E402
from measures.management.commands.load_demo import load_demo  # noqa: E402
from measures.models import Report  # noqa: E402


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    print(f"{label:<48} {time.perf_counter() - start:7.2f} s")
    return result


def demo_measures(rows: int) -> tuple[Report, list[dict]]:
    """The migrated database's demo report, and ``rows`` measures repeating its six."""
    call_command("migrate", verbosity=0)
    load_demo()
    demo = Report.objects.get(agency__slug="mueang-phalai", fiscal_year=2568)
    measures = report_document(demo)["measures"]
    return demo, [{**measures[i % len(measures)], "number": i + 1} for i in range(rows)]


def main(rows: int) -> None:
    demo, many = demo_measures(rows)
    report, _created = Report.objects.get_or_create(agency=demo.agency, fiscal_year=2569)
    report.measures.all().delete()
    print(f"{rows} measures, {connection.vendor}")
    for format in ("xlsx", "csv"):
        data = timed(f"build the {format} file", lambda format=format: measures_file(many, format))
        print(f"{'  size':<48} {len(data) / 1024 / 1024:7.2f} MB")
        outcome = timed(
            f"{format}: preview (dry run) into an empty report",
            lambda data=data, format=format: report_import_rows(
                report=report, file=io.BytesIO(data), format=format, dry_run=True
            ),
        )
        assert outcome.ok and outcome.counts == {"new": rows}, outcome.errors[:3]
    outcome = timed(
        "xlsx: import (commit) into an empty report",
        lambda: report_import_rows(
            report=report,
            file=io.BytesIO(measures_file(many, "xlsx")),
            format="xlsx",
            dry_run=False,
        ),
    )
    assert outcome.committed and report.measures.count() == rows
    exported = timed(
        "xlsx: export the report", lambda: measures_file(report.measures.with_lists(), "xlsx")
    )
    outcome = timed(
        "xlsx: preview the same file again (all unchanged)",
        lambda: report_import_rows(
            report=report, file=io.BytesIO(exported), format="xlsx", dry_run=True
        ),
    )
    assert outcome.counts == {"unchanged": rows}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
