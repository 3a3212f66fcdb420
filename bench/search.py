"""Search benchmark: the public index's search over 10,000 agencies in PostgreSQL, under wrk.

Run from the repository: ``make bench-search`` (or ``.venv/bin/python bench/search.py``). It
creates the PostgreSQL database ``itaportal_bench_search`` on 127.0.0.1:5432 (user postgres) if it
is not there, migrates it and fills it once: 10,000 agencies with varied Thai and romanised names,
districts and provinces, each with a published report holding the demo report's measures. It
serves the portal with gunicorn as bench/scale.py does (4 sync workers, DEBUG off, Redis cache)
and measures with wrk -c50 searches of every kind people type: a province, a district, a
romanised name, a slug, a Thai name without spaces, a word of the reports' bodies, a word that
every agency matches, one that none matches and 200 characters of pasted text. It prints a table
and writes the "## Search" section of bench/RESULTS.md.
"""

import argparse
import datetime
import os
import random
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import machine  # noqa: E402
from bench.scale import (  # noqa: E402
    KINDS,
    PLACE_ENDS,
    PLACE_STARTS,
    POSTGRES,
    PROVINCES,
    environment,
    gunicorn,
    lua_script,
    wrk,
)

DATABASE = "itaportal_bench_search"
CACHE_URL = "redis://127.0.0.1:6379/13"
STATE = ROOT / "var" / "bench-search"
AGENCIES = 10_000
WORKERS = 4
CONNECTIONS = 50
SEARCH_P99_MS = 150
# The place names' pieces (bench/scale.py) in the Royal Thai General System.
ROMAN_STARTS = [
    "Nong", "Ban", "Non", "Don", "Na", "Huai", "Khok", "Tha", "Wang", "Bueng", "Sa", "Khao",
]  # fmt: skip
ROMAN_ENDS = [
    "Bua", "Mai", "Daeng", "Sung", "Yang", "Thong", "Kham", "Phai", "Takhian", "Mamuang", "Chan",
    "Pho",
]  # fmt: skip


def create_database() -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone():
            connection.execute(f"CREATE DATABASE {DATABASE}")


def generate() -> float | None:
    """Fill the database unless it is already filled; the seconds it took."""
    import time

    from django.db import transaction
    from django.utils import timezone

    from measures.document import report_document
    from measures.management.commands.load_demo import DEMO_AGENCY, DEMO_YEAR, load_demo
    from measures.models import Agency, Publication, Report
    from measures.search import name_text, published_texts, search_text

    if Agency.objects.filter(slug__startswith="search-").count() == AGENCIES:
        return None
    started = time.monotonic()
    load_demo()
    demo = Report.objects.get(agency__slug=DEMO_AGENCY["slug"], fiscal_year=DEMO_YEAR)
    document = report_document(demo)
    # Every generated report holds the demo's words: cut them once.
    report_words = search_text(*published_texts([(0, document)]))
    rng = random.Random(20)  # noqa: S311 -- the same data every run, not a secret
    agencies = []
    for n in range(AGENCIES):
        (kind, prefix, short), start, end = rng.choice(KINDS), rng.randrange(12), rng.randrange(12)
        place = PLACE_STARTS[start] + PLACE_ENDS[end]
        agency = Agency(
            name=f"{prefix}{place}",
            short_name=f"{short}{place}",
            name_en=f"{ROMAN_STARTS[start]} {ROMAN_ENDS[end]}",
            kind=kind,
            district=rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS),
            province=rng.choice(PROVINCES),
            slug=f"search-{ROMAN_STARTS[start]}-{ROMAN_ENDS[end]}-{n:05d}".lower(),
        )
        agency.search_names = name_text(agency)
        agency.search_text = f"{agency.search_names} {report_words}"
        agencies.append(agency)
    with transaction.atomic():
        Agency.objects.filter(slug__startswith="search-").delete()
        created = Agency.objects.bulk_create(agencies, batch_size=1000)
        reports = Report.objects.bulk_create(
            (Report(agency=a, fiscal_year=DEMO_YEAR) for a in created), batch_size=1000
        )
        # The index reads the kept search text, never the document: an empty one saves
        # 10,000 copies of the demo's.
        Publication.objects.bulk_create(
            (
                Publication(report=r, version=1, published_at=timezone.now(), document={})
                for r in reports
            ),
            batch_size=1000,
        )
    return time.monotonic() - started


def searches() -> dict[str, list[str]]:
    """The searches, by kind, as visitors type them."""
    rng = random.Random(2)  # noqa: S311 -- the same searches every run, not a secret
    pairs = [(rng.randrange(12), rng.randrange(12)) for _ in range(12)]
    kinds = {
        "province": [[p] for p in PROVINCES],
        "district": [[PLACE_STARTS[a] + PLACE_ENDS[b]] for a, b in pairs],
        "romanised name": [[f"{ROMAN_STARTS[a]} {ROMAN_ENDS[b]}"] for a, b in pairs],
        "slug": [[f"search-{ROMAN_STARTS[a]}-{ROMAN_ENDS[b]}".lower()] for a, b in pairs],
        "Thai name, no spaces": [
            [f"{KINDS[0][1]}{PLACE_STARTS[a]}{PLACE_ENDS[b]}"] for a, b in pairs
        ],
        "word of the reports": [["ประชาสัมพันธ์"], ["เว็บไซต์"], ["ร้องเรียน"], ["จัดซื้อจัดจ้าง"]],
        "matches every agency": [["องค์การ"], ["มาตรการ"]],
        "matches none": [["ไม่มีหน่วยงานนี้แน่นอน"], ["zzzz qqqq"]],
        "200 characters pasted": [["มาตรการส่งเสริมคุณธรรมและความโปร่งใส " * 6]],
    }  # fmt: skip
    return {
        kind: ["/?" + urlencode({"q": words[0][:200]}) for words in queries]
        for kind, queries in kinds.items()
    }


def explain_search() -> str:
    from measures.models import Agency

    return Agency.objects.search("หนองบัว").explain()


def main(seconds: int) -> None:
    load = os.getloadavg()
    state = STATE
    env = {**environment(state), "DATABASE_URL": f"{POSTGRES}/{DATABASE}", "CACHE_URL": CACHE_URL}
    os.environ.update(env)
    state.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    create_database()
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=os.environ, check=True
    )
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=os.environ,
        check=True,
    )
    import django

    django.setup()
    from django.core.cache import cache

    print("generating the data (once) …", flush=True)
    generated = generate()
    cache.clear()
    plan = explain_search()
    kinds = searches()
    every = [path for paths in kinds.values() for path in paths]
    scripts = state / "wrk"
    scripts.mkdir(exist_ok=True)
    results = {}
    with gunicorn(python, state, "itaportal.settings") as port:
        base = f"http://127.0.0.1:{port}"
        runs = {
            "every kind, kept copies": lua_script(scripts / "all.lua", every),
            "every kind, nothing kept": lua_script(scripts / "all-unique.lua", every, unique=True),
        }
        for kind, paths in kinds.items():
            name = f"{kind}, nothing kept"
            runs[name] = lua_script(scripts / f"{len(runs)}.lua", paths, unique=True)
        for name, script in runs.items():
            print(f"wrk: {name} …", flush=True)
            wrk(base, 3, script)  # warm-up: every worker forked, connected, copies kept
            results[name] = wrk(base, seconds, script)
    report(results, plan, seconds, load, generated, len(every))


def report(results, plan, seconds, load, generated, searched) -> None:
    rows = [("searches", "requests/s", "p50", "p99", "errors")]
    for name, figures in results.items():
        rows.append((
            name,
            f"{figures['rps']:.0f}",
            f"{figures['p50']:.1f} ms",
            f"{figures['p99']:.1f} ms",
            str(figures["errors"]),
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    table = ["| " + " | ".join(rows[0]) + " |", "|---|---:|---:|---:|---:|"]
    table += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    kept = results["every kind, kept copies"]["p99"]
    cold = results["every kind, nothing kept"]["p99"]
    errors = sum(figures["errors"] for figures in results.values())
    # A run with errors measured the errors' speed, not the search's.
    answered = not errors and all(figures["requests"] for figures in results.values())
    when = f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    made = f"{generated:.0f} s" if generated else "by an earlier run"
    section = f"""## Search: {AGENCIES:,} agencies (issue 20) — `bench/search.py`

Run {when} by `make bench-search` on {machine()}; load average at the start:
{", ".join(f"{value:.1f}" for value in load)} (the machine was shared with other work).

PostgreSQL database `{DATABASE}`: {AGENCIES:,} agencies with Thai and romanised names, districts and
provinces, each with a published report of the demo report's measures (data made {made}).
gunicorn with itaportal/gunicorn.conf.py, {WORKERS} sync workers, DEBUG off, Redis as the shared
cache. wrk -t2 -c{CONNECTIONS} -d{seconds}s --latency on loopback after a 3 s warm-up; each request
asks for a random one of {searched} searches of the kinds below. "Kept copies" is what visitors get
on a running portal (a search's page is kept 60 s); "nothing kept" adds a random parameter so that
every request searches the database and renders the page. wrk, PostgreSQL, Redis and gunicorn
share the 2 CPUs.

{chr(10).join(table)}

Search p99 under {SEARCH_P99_MS} ms at {CONNECTIONS} connections: {kept:.1f} ms with kept copies
({"met" if answered and kept < SEARCH_P99_MS else "NOT met"}), {cold:.1f} ms with nothing
kept ({"met" if answered and cold < SEARCH_P99_MS else "NOT met"}); {errors} errors in all.
The search's plan {"uses" if "agency_search_gin" in plan else "does NOT use"} the GIN index
`agency_search_gin`.
"""
    print(section)
    results_file = ROOT / "bench" / "RESULTS.md"
    text = results_file.read_text(encoding="utf-8")
    start = text.find("\n## Search:")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + section + (text[end:] if end != -1 else "")
    results_file.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=int, default=15, help="seconds of each wrk measurement (default 15)"
    )
    main(parser.parse_args().duration)
