"""The worst inputs known (issue 15): review time and memory against text length, import time and
memory against rows. Each measurement runs in a fresh process, so that its peak memory (maximum
resident set) is its own; times are CPU seconds of that process.

    .venv/bin/python bench/hostile.py            # prints the tables (Markdown)

The review's time budget (limits.REVIEW_SECONDS) is lifted here, so that the figures are the
whole review's cost, not the budget's.
"""

import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LENGTHS = [5_000, 20_000, 80_000, 320_000]
ROWS = [100, 250, 500]
LETTERS = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"


def hostile_text(kind: str, length: int) -> str:
    rng = random.Random(15)  # noqa: S311 (repeatable text, not a secret)
    if kind == "zero-width run (as stored before the limits)":
        unit = "ก\u200b"
    elif kind == "letters that make no word":
        return "".join(rng.choice(LETTERS) for _ in range(length))
    elif kind == "unknown syllables between spaces":
        return "".join(
            "".join(rng.choice(LETTERS) for _ in range(3)) + " " for _ in range(length // 4)
        )
    else:  # one phrase spelled two ways, over and over
        unit = "ของ กำนัน ของกำนัล "
    return (unit * (length // len(unit) + 1))[:length]


KINDS = [
    "zero-width run (as stored before the limits)",
    "letters that make no word",
    "unknown syllables between spaces",
    "one phrase spelled two ways",
]


def child_review(kind: str, length: int) -> dict:
    from itaportal import limits
    from measures.review import review_document
    from measures.review.language import warm_up

    limits.REVIEW_SECONDS = 10**9
    warm_up()
    # Cut into items no longer than an item may be, as the editor and the imports store them.
    text = hostile_text(kind, length)
    texts = [text[i : i + limits.ITEM_CHARS] for i in range(0, len(text), limits.ITEM_CHARS)]
    document = {
        "introduction": "",
        "fiscal_year": 2568,
        "scores": [],
        "agency": {"name": "อบต.ทดสอบ", "short_name": "", "district": "", "province": ""},
        "measures": [
            {
                "number": 1,
                "title": "ทดสอบ",
                "period": None,
                "divisions": [],
                "indicators": [],
                "methods": [],
                "results": texts,
                "outcomes": [],
            }
        ],
    }
    start = time.process_time()
    findings = review_document(document, indicator_names={})
    return {"seconds": time.process_time() - start, "findings": len(findings)}


def child_old_spell(length: int) -> dict:
    """What the review did before: pythainlp's spell() on the run the tokenizer joined."""
    from pythainlp.spell import spell

    spell("ทดสอบ")
    start = time.process_time()
    spell("ก" * length)
    return {"seconds": time.process_time() - start, "findings": 0}


def child_import(rows: int) -> dict:
    import io

    from bench.bench_import import demo_measures
    from measures.imports.resources import measures_file
    from measures.imports.services import report_import_rows
    from measures.models import Report

    demo, many = demo_measures(rows)
    data = measures_file(many, "csv")
    target = Report.objects.create(agency=demo.agency, fiscal_year=2569)
    start = time.process_time()
    outcome = report_import_rows(report=target, file=io.BytesIO(data), format="csv")
    assert outcome.ok, outcome.errors[:3]
    return {"seconds": time.process_time() - start, "findings": len(data) // 1024}


def child_refused(case: str) -> dict:
    from measures.imports.report_docx import parse_report_docx
    from measures.imports.spreadsheet import FORMATS, SpreadsheetError
    from tests.test_hostile_inputs import BAD_FILES, dense_docx

    if case == "dense":
        data, read = dense_docx(), lambda data: parse_report_docx(data, [])
    else:
        format, make, _message = BAD_FILES[case]
        data, read = make(), lambda data: FORMATS[format]().create_dataset(data)
    start = time.process_time()
    with contextlib.suppress(SpreadsheetError):
        read(data)
    return {"seconds": time.process_time() - start, "findings": len(data) // 1024}


def run(*args) -> dict:
    """One measurement in a fresh process: its CPU time and peak memory."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itaportal.settings",
        "DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3",
        "PYTHONPATH": str(ROOT),
    }
    output = subprocess.run(
        [sys.executable, __file__, "--child", *map(str, args)],
        capture_output=True, text=True, check=True, env=environment,
    ).stdout  # fmt: skip
    return json.loads(output.splitlines()[-1])


def main() -> None:
    print("| input | characters | review CPU s | µs / character | peak MB | findings |")
    print("|---|---|---|---|---|---|")
    for kind in KINDS:
        for length in LENGTHS:
            figures = run("review", kind, length)
            micro = figures["seconds"] / length * 1e6
            print(f"| {kind} | {length:,} | {figures['seconds']:.2f} | {micro:.1f} | "
                  f"{figures['memory']} | {figures['findings']} |")  # fmt: skip
    for length in (8, 12, 16):
        figures = run("old-spell", length)
        print(f"| before: pythainlp spell() on a joined run | {length} | "
              f"{figures['seconds']:.2f} | {figures['seconds'] / length * 1e6:,.0f} | "
              f"{figures['memory']} | |")  # fmt: skip
    print()
    print("| import (CSV preview, dry run) | rows | CPU s | ms / row | peak MB | file KB |")
    print("|---|---|---|---|---|---|")
    for rows in ROWS:
        figures = run("import", rows)
        print(f"| the demo report's measures repeated | {rows} | {figures['seconds']:.2f} | "
              f"{figures['seconds'] / rows * 1000:.1f} | {figures['memory']} | "
              f"{figures['findings']:,} |")  # fmt: skip
    for case in ("20,000 rows", "a cell over the csv module's limit", "dense"):
        figures = run("refused", case)
        label = "Word file, 3,000,000 empty paragraphs" if case == "dense" else case
        print(f"| refused: {label} | | {figures['seconds']:.2f} | | {figures['memory']} | "
              f"{figures['findings']:,} |")  # fmt: skip


def child(kind: str, *args) -> None:
    import django

    django.setup()
    if kind == "review":
        figures = child_review(args[0], int(args[1]))
    elif kind == "old-spell":
        figures = child_old_spell(int(args[0]))
    elif kind == "import":
        figures = child_import(int(args[0]))
    else:
        figures = child_refused(args[0])
    figures["memory"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps(figures))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:])
    else:
        main()
