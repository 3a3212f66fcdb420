"""Scale benchmark: 1,000 agencies × 3 fiscal years × 8 measures in PostgreSQL, under wrk.

Run from the repository: ``make bench-scale`` (or ``.venv/bin/python bench/scale.py``). It creates
the PostgreSQL database ``itaportal_bench_scale`` on 127.0.0.1:5432 (user postgres) if it is not
there, migrates it and fills it once (later runs reuse the data): the demo agency, then 1,000
agencies with varied names and provinces, each with three published reports of eight measures
copied from the demo report's rows. It serves the portal with gunicorn (itaportal/gunicorn.conf.py,
4 sync workers, DEBUG off, a shared Redis cache) and the repository's nginx front
(docs/nginx.conf, through bench/nginx_front.py), and measures with wrk on loopback, for each
target in turn: random report pages, index searches, the cached PDF, a bare Django view returning
the page's bytes, nginx serving a static file of the same bytes and random report pages through the
nginx front. It prints a table and writes the "## Scale" section of bench/RESULTS.md.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.nginx_front import free_port, nginx_front  # noqa: E402
from bench.run import machine, wait_for_port  # noqa: E402

DATABASE = "itaportal_bench_scale"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
# A Redis database of its own: the benchmark empties it before measuring.
CACHE_URL = "redis://127.0.0.1:6379/14"
STATE = ROOT / "var" / "bench-scale"
AGENCIES = 1000
YEARS = (2566, 2567, 2568)
MEASURES = 8
WORKERS = 4
CONNECTIONS = 50
REPORT_P99_MS = 100
INDEX_P99_MS = 200
FRONT_RATIO = 0.5

KINDS = [
    ("sao", "องค์การบริหารส่วนตำบล", "อบต."),
    ("tambon", "เทศบาลตำบล", "ทต."),
    ("mueang", "เทศบาลเมือง", "ทม."),
]
PLACE_STARTS = ["หนอง", "บ้าน", "โนน", "ดอน", "นา", "ห้วย", "โคก", "ท่า", "วัง", "บึง", "สระ", "เขา"]
PLACE_ENDS = ["บัว", "ใหม่", "แดง", "สูง", "ยาง", "ทอง", "คำ", "ไผ่", "ตะเคียน", "มะม่วง", "จาน", "โพธิ์"]
PROVINCES = [
    "ขอนแก่น", "อุดรธานี", "นครราชสีมา", "บุรีรัมย์", "สุรินทร์", "ศรีสะเกษ", "อุบลราชธานี",
    "ร้อยเอ็ด", "มหาสารคาม", "กาฬสินธุ์", "เชียงใหม่", "เชียงราย", "ลำปาง", "พิษณุโลก",
    "นครสวรรค์", "สุพรรณบุรี", "นครศรีธรรมราช", "สงขลา", "สุราษฎร์ธานี", "ชลบุรี",
]  # fmt: skip
DIVISIONS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ"]


def environment(state: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "CACHE_URL": CACHE_URL,
        "STATE_DIR": str(state),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        # wrk and the nginx front speak plain HTTP on loopback.
        "SECURE_SSL_REDIRECT": "0",
        "BENCH_BYTES_DIR": str(state),
        "DJANGO_SETTINGS_MODULE": "itaportal.settings",
        "PYTHONPATH": str(ROOT),
    }


def create_database() -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone():
            connection.execute(f"CREATE DATABASE {DATABASE}")


def agency_rows(rng: random.Random):
    """1,000 agencies: kinds, place names and provinces mixed as a country's are."""
    from measures.models import Agency

    for n in range(AGENCIES):
        kind, prefix, short = rng.choice(KINDS)
        place = rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS)
        yield Agency(
            name=f"{prefix}{place}",
            short_name=f"{short}{place}",
            kind=kind,
            district=rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS),
            province=rng.choice(PROVINCES),
            slug=f"bench-{n:04d}",
        )


def generate() -> dict[str, float]:
    """Fill the database unless it is already filled; the seconds each step took."""
    from django.db import connection, transaction

    from measures.management.commands.load_demo import (
        DEMO_AGENCY,
        DEMO_SCORES,
        DEMO_YEAR,
        load_demo,
    )
    from measures.models import (
        Agency,
        Division,
        Indicator,
        IndicatorScore,
        Measure,
        Method,
        Outcome,
        Publication,
        Report,
        Result,
    )
    from measures.workflow import report_publish

    generated = Agency.objects.filter(slug__startswith="bench-")
    if Publication.objects.filter(report__agency__in=generated).count() == AGENCIES * len(YEARS):
        return {}
    generated.delete()  # what an interrupted run left
    timings = {}
    rng = random.Random(DEMO_YEAR)  # noqa: S311 -- the same agencies every run
    started = time.perf_counter()
    load_demo()
    seed = list(
        Report.objects.get(agency__slug=DEMO_AGENCY["slug"], fiscal_year=DEMO_YEAR)
        .measures.with_lists()
        .order_by("number")
    )
    indicators = {indicator.number: indicator.pk for indicator in Indicator.objects.all()}
    with transaction.atomic():
        agencies = Agency.objects.bulk_create(agency_rows(rng))
        divisions = Division.objects.bulk_create(
            Division(agency=agency, name=name, order=order)
            for agency in agencies
            for order, name in enumerate(DIVISIONS, start=1)
        )
        division_ids = {(d.agency_id, d.name): d.pk for d in divisions}
        # The demo's own scores: the copied outcomes cite them, and the review compares.
        IndicatorScore.objects.bulk_create(
            IndicatorScore(
                agency=agency, fiscal_year=year, indicator_id=indicators[number], score=score
            )
            for agency in agencies
            for year in YEARS
            for number, score in DEMO_SCORES.items()
        )
        reports = Report.objects.bulk_create(
            Report(agency=agency, fiscal_year=year) for agency in agencies for year in YEARS
        )
        copies = [
            (report, number, seed[(number - 1) % len(seed)])
            for report in reports
            for number in range(1, MEASURES + 1)
        ]
        measures = Measure.objects.bulk_create(
            (_measure_copy(report, number, source) for report, number, source in copies),
            batch_size=2000,
        )
        for model, lists in ((Method, "methods"), (Result, "results")):
            model.objects.bulk_create(
                (
                    model(measure=measure, order=item.order, text=item.text)
                    for measure, (_r, _n, source) in zip(measures, copies, strict=True)
                    for item in getattr(source, lists).all()
                ),
                batch_size=5000,
            )
        Outcome.objects.bulk_create(
            (
                Outcome(
                    measure=measure,
                    order=item.order,
                    text=item.text,
                    indicator_id=item.indicator_id,
                    cite_score=item.cite_score,
                )
                for measure, (_r, _n, source) in zip(measures, copies, strict=True)
                for item in source.outcomes.all()
            ),
            batch_size=5000,
        )
        Measure.divisions.through.objects.bulk_create(
            (
                Measure.divisions.through(
                    measure=measure, division_id=division_ids[(report.agency_id, division.name)]
                )
                for measure, (report, _n, source) in zip(measures, copies, strict=True)
                for division in source.divisions.all()
            ),
            batch_size=5000,
        )
        Measure.indicators.through.objects.bulk_create(
            (
                Measure.indicators.through(measure=measure, indicator_id=indicator.pk)
                for measure, (_r, _n, source) in zip(measures, copies, strict=True)
                for indicator in source.indicators.all()
            ),
            batch_size=5000,
        )
    timings["rows (bulk_create)"] = time.perf_counter() - started

    # Published as staff publish them: the review, the frozen document, the search text.
    started = time.perf_counter()
    for report in reports:
        report_publish(report=report, acknowledge_warnings=True)
    timings[f"report_publish, {len(reports):,} reports"] = time.perf_counter() - started
    # A bulk load leaves the GIN index's new entries in its pending list, which the planner
    # rightly avoids; autovacuum would clean it up later, the benchmark does it now.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return timings


def _measure_copy(report, number: int, source):
    from measures.models import Measure

    shift = report.fiscal_year - source.report.fiscal_year
    period = {}
    if source.has_period:
        period = {
            "start_month": source.start_month,
            "start_year": source.start_year + shift,
            "end_month": source.end_month,
            "end_year": source.end_year + shift,
        }
    return Measure(report=report, number=number, title=source.title, **period)


def report_paths() -> list[str]:
    from measures.models import Report

    reports = Report.objects.filter(agency__slug__startswith="bench-", publications__isnull=False)
    return [f"/{slug}/{year}/" for slug, year in reports.values_list("agency__slug", "fiscal_year")]


def search_paths() -> list[str]:
    """Index searches as a visitor types them: Thai place names without spaces, a province or
    not, and a word of the measures' titles that every agency's reports hold."""
    rng = random.Random(1)  # noqa: S311 -- the same searches every run, not a secret
    paths = []
    for start, end in zip(PLACE_STARTS, PLACE_ENDS, strict=True):
        paths.append("/?" + urlencode({"q": start + end, "province": rng.choice(PROVINCES)}))
        paths.append("/?" + urlencode({"q": f"{KINDS[1][1]}{start}"}))
    paths.append("/?" + urlencode({"q": "ส่งเสริมการรับรู้", "province": PROVINCES[0]}))
    return paths


def warm(state: Path, paths: list[str]) -> dict[str, int]:
    """Fill the shared cache and storage as a running portal's would be; the number of queries
    each kind of page takes at this size."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from measures.models import Publication
    from reports.rendering import published_fragment

    cache.clear()
    with translation.override("th"):
        for publication in Publication.objects.filter(report__agency__slug__startswith="bench-"):
            published_fragment(publication)
    client = Client(HTTP_HOST="127.0.0.1")
    queries = {}
    for name, path in (
        ("report page", paths[0]),
        # A word of every report's titles: a full page of results.
        ("index with search", search_paths()[-1]),
        ("PDF", paths[0] + "report.pdf"),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        queries[name] = len(captured)
        if name == "report page":
            (state / "page.html").write_bytes(response.content)
            (state / "static" / "bench-page.html").write_bytes(response.content)
        if name == "PDF":
            (state / "report.pdf").write_bytes(response.content)
    return queries


def explain_search() -> str:
    """PostgreSQL's plan for the index's search at this size: whether the GIN index serves it."""
    from measures.models import Agency

    return Agency.objects.search("หนองบัว").explain()


def lua_script(path: Path, urls: list[str], *, unique: bool = False) -> Path:
    """A wrk script that asks for a random one of ``urls`` each time; ``unique`` adds a random
    parameter that the portal ignores, so that no kept copy answers."""
    if unique:
        urls = [url + ("&" if "?" in url else "?") + "r=" for url in urls]
    suffix = " .. math.random(1000000000)" if unique else ""
    listed = ",\n".join(f'  "{url}"' for url in urls)
    path.write_text(
        f"""local paths = {{
{listed}
}}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 100 + id)
end
function request()
  return wrk.format(nil, paths[math.random(#paths)]{suffix})
end
""",
        encoding="utf-8",
    )
    return path


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url: str, seconds: int, script: Path | None = None) -> dict:
    """Requests/s, p50 and p99 latency (ms) and errors (socket errors and non-2xx/3xx)."""
    options = ["-s", str(script)] if script else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", *options, url],
        check=True,
        capture_output=True,
        # wrk stops by itself after ``seconds``; this only bounds a wrk that hangs.
        timeout=seconds + 30,
    ).stdout.decode()
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s))\s*$", out, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(found.group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": milliseconds(latency["50"]),
        "p99": milliseconds(latency["99"]),
        "errors": errors,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def fetch_all(base: str, paths: list[str]) -> None:
    """Ask once for every path, so that the portal (or the nginx front) keeps a copy of each."""
    import http.client
    from urllib.parse import urlsplit

    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
    for path in paths:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} through nginx answered {response.status}")
    connection.close()


@contextmanager
def gunicorn(python: str, state: Path, settings_module: str):
    """The portal under gunicorn (itaportal/gunicorn.conf.py, WORKERS workers) on a free
    loopback port, logging to state/gunicorn.log; yields the port."""
    port = free_port()
    with (state / "gunicorn.log").open("wb") as log:
        server = subprocess.Popen(
            [
                str(Path(python).parent / "gunicorn"),
                "-c",
                "itaportal/gunicorn.conf.py",
                "itaportal.wsgi",
            ],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": settings_module,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_WORKERS": str(WORKERS),
            },
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, server, timeout=60)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # requests of the last run still queued
                server.kill()
                server.wait()


def main(seconds: int) -> None:
    load = os.getloadavg()
    state = STATE
    env = environment(state)
    os.environ.update(env)
    (state / "static").mkdir(parents=True, exist_ok=True)
    python = sys.executable
    create_database()
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=os.environ, check=True
    )
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env=os.environ,
        check=True,
    )
    import django

    django.setup()
    print("generating the data (once) …", flush=True)
    recorded = state / "generation.json"
    if timings := generate():
        recorded.write_text(json.dumps(timings), encoding="utf-8")
    # A database filled from another checkout has its rows but not this record of their timing.
    timings = json.loads(recorded.read_text(encoding="utf-8")) if recorded.exists() else {}
    paths = report_paths()
    queries = warm(state, paths)
    plan = explain_search()
    scripts = state / "wrk"
    scripts.mkdir(exist_ok=True)
    reports_lua = lua_script(scripts / "reports.lua", paths)
    unique_reports_lua = lua_script(scripts / "reports-unique.lua", paths, unique=True)
    search_lua = lua_script(scripts / "search.lua", search_paths())
    unique_lua = lua_script(scripts / "search-unique.lua", search_paths(), unique=True)
    pdf = paths[0] + "report.pdf"
    results = {}
    with gunicorn(python, state, "bench.settings") as port:
        base = f"http://127.0.0.1:{port}"
        shutil.rmtree(state / "nginx", ignore_errors=True)
        with nginx_front(
            state / "nginx", upstream=f"127.0.0.1:{port}", static_root=state / "static", workers=2
        ) as front:
            runs = {
                "report page": (base, reports_lua),
                "report page, nothing kept": (base, unique_reports_lua),
                "index with search": (base, search_lua),
                "index with search, nothing kept": (base, unique_lua),
                "cached PDF": (base + pdf, None),
                "bare Django view, same bytes as the page": (base + "/bench/bare-page/", None),
                "nginx static file, same bytes as the page": (
                    front + "/static/bench-page.html",
                    None,
                ),
                "report page through the nginx front": (front, reports_lua),
            }
            for name, (url, script) in runs.items():
                print(f"wrk: {name} …", flush=True)
                if name == "report page":
                    fetch_all(base, paths)
                elif name == "report page through the nginx front":
                    fetch_all(front, paths)
                else:
                    wrk(url, 3, script)  # warm-up: every worker forked, connected and cached
                results[name] = wrk(url, seconds, script)
    report(results, queries, timings, plan, seconds, load, len(paths))


def verdicts(results: dict) -> dict[str, tuple[str, bool]]:
    static = results["nginx static file, same bytes as the page"]["rps"]
    front = results["report page through the nginx front"]["rps"]
    errors = sum(figures["errors"] for figures in results.values())

    def p99_under(name: str, limit_ms: float) -> tuple[str, bool]:
        p99 = results[name]["p99"]
        return f"{p99:.1f} ms", p99 < limit_ms

    return {
        "zero errors": (f"{errors} errors", errors == 0),
        f"report page p99 < {REPORT_P99_MS} ms": p99_under("report page", REPORT_P99_MS),
        f"the same, nothing kept, p99 < {REPORT_P99_MS} ms": p99_under(
            "report page, nothing kept", REPORT_P99_MS
        ),
        f"index with search p99 < {INDEX_P99_MS} ms": p99_under("index with search", INDEX_P99_MS),
        f"the same, nothing kept, p99 < {INDEX_P99_MS} ms": p99_under(
            "index with search, nothing kept", INDEX_P99_MS
        ),
        f"page through nginx ≥ {FRONT_RATIO:.0%} of nginx's static file": (
            f"{front / static:.0%}",
            front / static >= FRONT_RATIO,
        ),
    }


def report(results, queries, timings, plan, seconds, load, pages) -> None:
    rows = [("target", "requests/s", "p50", "p99", "errors")]
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
    met = verdicts(results)
    for goal, (value, ok) in met.items():
        print(f"{goal}: {value}: {'met' if ok else 'NOT met'}")
    table = ["| " + " | ".join(rows[0]) + " |", "|---|---:|---:|---:|---:|"]
    table += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    goals = ["| target | measured | |", "|---|---|---|"]
    goals += [
        f"| {goal} | {value} | {'met' if ok else 'NOT met'} |" for goal, (value, ok) in met.items()
    ]
    counts = ", ".join(f"{name} {count}" for name, count in queries.items())
    uses_index = "agency_search_gin" in plan
    generated = (
        "; ".join(f"{step} {value:.1f} s" for step, value in timings.items())
        or "done by an earlier run, from another checkout; not timed here"
    )
    size = f"{AGENCIES:,} agencies × {len(YEARS)} fiscal years × {MEASURES} measures"
    when = f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    section = f"""## Scale: {size} (issue 6)

Run {when} by `make bench-scale` (bench/scale.py) on {machine()}; load average at the start:
{", ".join(f"{value:.1f}" for value in load)}.

PostgreSQL database `{DATABASE}` with the demo agency and {AGENCIES:,} generated agencies (varied
names, types and provinces), each with {len(YEARS)} published reports of {MEASURES} measures copied
from the demo report's rows ({pages:,} report pages). gunicorn with itaportal/gunicorn.conf.py,
{WORKERS} sync workers, DEBUG off, Redis as the shared cache; the nginx front is docs/nginx.conf
(bench/nginx_front.py, 2 worker processes). wrk -t2 -c{CONNECTIONS} -d{seconds}s --latency on
loopback after a short warm-up. Each request asks for a random one of the {pages:,} report pages
or of {len(search_paths())} index searches (Thai place names typed without spaces, with or without a
province, and a word of the measures' titles). Report pages are measured after one request to each
made its kept copy (an hour in Redis), searches after their first request (60 s), as visitors get
them on a running portal; "nothing kept" adds a random parameter that the portal ignores and that
bypasses the copies, so every request renders the page as a first visit does (report pages from
the kept HTML of their publication's body). The PDF is one report's, rendered and kept before. The
front is measured after one request to each page filled its cache. Errors are wrk's socket errors
plus non-2xx/3xx answers. wrk, PostgreSQL, Redis, nginx and gunicorn share the 2 CPUs.

{chr(10).join(table)}

{chr(10).join(goals)}

Queries per page at this size (first visit, nothing kept): {counts}; tests/test_public_index.py
holds the index to 3 and the report page to 2 with 10 or 1,000 rows. The index search's plan
{"uses" if uses_index else "does NOT use"} the GIN index `agency_search_gin`.
Data generation (once, reused by later runs): {generated}.
"""
    results_file = ROOT / "bench" / "RESULTS.md"
    text = results_file.read_text(encoding="utf-8")
    # bench/run.py rewrites the top of the file and keeps every "## " section after it.
    start = text.find("\n## Scale")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + section + (text[end:] if end != -1 else "")
    results_file.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=int, default=30, help="seconds of each wrk measurement (default 30)"
    )
    main(parser.parse_args().duration)
