"""Benchmarks of the published report: PDF render time and memory, requests/s under wrk.

Run from the repository: ``make bench`` (or ``.venv/bin/python bench/run.py``). It builds a demo
database in a temporary directory, renders the seed report's PDF and synthetic reports of 100 and
500 measures (each in a fresh process, warmed by one render of the seed, to measure its peak
memory), then serves the portal with gunicorn (2 sync workers) on loopback and measures with wrk
the published page and the cached PDF beside bare Django views returning the same bytes. It prints
a table and writes bench/RESULTS.md.
"""

import argparse
import copy
import datetime
import json
import os
import platform
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8130
WRK_SECONDS = 5
WRK_ROUNDS = 2
TARGETS = {"seed": 0.5, 100: 4.5}
MEMORY_TARGET_MB = 400
RENDER_ATTEMPTS = {"seed": 5, "100": 3, "500": 1}
RATIO_TARGET = 0.8


def django_setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def synthetic(document: dict, count: int) -> dict:
    """The seed's rows repeated until there are ``count`` measures, numbered in order."""
    rows = document["measures"]
    measures = []
    for number in range(1, count + 1):
        measure = copy.deepcopy(rows[(number - 1) % len(rows)])
        measure["number"] = number
        measures.append(measure)
    return {**document, "measures": measures}


def render_child(size: str) -> None:
    """In a fresh process: one warm-up render of the seed, then the timed render; JSON out."""
    django_setup()
    from measures.models import Report
    from reports.pdf import PART_MEASURES, render_report_pdf

    document = Report.objects.get(agency__slug="mueang-phalai").latest_publication().document
    render_report_pdf(document)
    if size != "seed":
        document = synthetic(document, int(size))
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The machine's other tenants slow single renders by up to a third: the best of a few.
    seconds = cpu = float("inf")
    for _attempt in range(RENDER_ATTEMPTS[size]):
        start, start_cpu = time.perf_counter(), time.process_time()
        _name, _type, content = render_report_pdf(document)
        seconds = min(seconds, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    pages = int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "before_mb": before_mb,
                "peak_mb": peak_mb,
                "bytes": len(content),
                "pages": pages,
                "part_measures": PART_MEASURES,
            }
        )
    )


def dump_bytes(directory: Path) -> None:
    """The published page and PDF as an anonymous visitor gets them, for the bare views."""
    django_setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    (directory / "page.html").write_bytes(client.get("/mueang-phalai/2568/").content)
    (directory / "report.pdf").write_bytes(client.get("/mueang-phalai/2568/report.pdf").content)


def run(args: list[str], env: dict) -> str:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True).stdout.decode()


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    """Wait until ``process`` listens on ``port``; fail at once if it has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{process.args[0]} did not listen on port {port}")


def wrk(url: str, *headers: str) -> float:
    options = [arg for header in headers for arg in ("-H", header)]
    subprocess.run(["wrk", "-t2", "-c8", "-d1s", *options, url], check=True, capture_output=True)
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{WRK_SECONDS}s", *options, url], check=True, capture_output=True
    ).stdout.decode()
    if "Non-2xx" in out:
        raise RuntimeError(f"{url} answered errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs, {memory:.0f} GB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def main() -> None:
    state = Path(tempfile.mkdtemp(prefix="itaportal-bench-"))
    env = {
        **os.environ,
        "STATE_DIR": str(state),
        "DATABASE_URL": f"sqlite:///{state / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "itaportal.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BENCH_BYTES_DIR": str(state),
        "PYTHONPATH": str(ROOT),
    }
    python = sys.executable
    try:
        run([python, "manage.py", "migrate", "--noinput"], env)
        run([python, "manage.py", "load_demo"], env)
        # DEBUG off serves static files through WhiteNoise's manifest.
        run([python, "manage.py", "collectstatic", "--noinput"], env)
        renders = {}
        for size in ("seed", "100", "500"):
            print(f"rendering the PDF: {size} …", flush=True)
            renders[size] = json.loads(run([python, __file__, "--render", size], env))
        run([python, __file__, "--dump"], env)
        server = subprocess.Popen(
            [
                str(Path(python).parent / "gunicorn"),
                "itaportal.wsgi:application",
                "--workers=2",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{PORT}",
                "--log-level=warning",
            ],
            env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
            cwd=ROOT,
        )
        try:
            wait_for_port(PORT, server)
            base = f"http://127.0.0.1:{PORT}"
            print("measuring requests/s with wrk …", flush=True)
            # A returning visitor sends back the CSRF cookie its first visit got.
            returning = f"Cookie: csrftoken={'r' * 32}"
            runs = {
                "page": (f"{base}/mueang-phalai/2568/",),
                "returning page": (f"{base}/mueang-phalai/2568/", returning),
                "bare page": (f"{base}/bench/bare-page/",),
                "pdf": (f"{base}/mueang-phalai/2568/report.pdf",),
                "bare pdf": (f"{base}/bench/bare.pdf",),
            }
            # The CPUs are shared: alternate the runs and keep each one's best.
            rates = {name: 0.0 for name in runs}
            for _round in range(WRK_ROUNDS):
                for name, args in runs.items():
                    rates[name] = max(rates[name], wrk(*args))
        finally:
            server.terminate()
            server.wait(timeout=10)
        sizes = {
            "page": (state / "page.html").stat().st_size,
            "pdf": (state / "report.pdf").stat().st_size,
        }
    finally:
        shutil.rmtree(state, ignore_errors=True)
    report(renders, rates, sizes)


def report(renders: dict, rates: dict, sizes: dict) -> None:
    import weasyprint

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    rows = [("measure", "value", "target", "")]
    for size, label in (("seed", "seed report (6 measures)"), ("100", "100 measures"),
                        ("500", "500 measures")):  # fmt: skip
        figures = renders[size]
        target = TARGETS.get(size if size == "seed" else int(size))
        rows.append((
            f"PDF render, {label}, warm, {figures['pages']} pages",
            f"{figures['seconds']:.2f} s (CPU {figures['cpu']:.2f} s)",
            f"≤ {target} s" if target else "(background task)",
            verdict(figures["seconds"] <= target) if target else "",
        ))  # fmt: skip
    peak = renders["500"]["peak_mb"]
    rows.append(("peak memory, 500 measures", f"{peak:.0f} MB", f"≤ {MEMORY_TARGET_MB} MB",
                 verdict(peak <= MEMORY_TARGET_MB)))  # fmt: skip
    rows.append(("  of which before that render (Django, fonts, seed render)",
                 f"{renders['500']['before_mb']:.0f} MB", "", ""))  # fmt: skip
    for kind, size in (("page", sizes["page"]), ("pdf", sizes["pdf"])):
        ratio = rates[kind] / rates[f"bare {kind}"]
        name = "published page" if kind == "page" else "cached PDF"
        rows.append((f"{name} ({size / 1024:.0f} KB), requests/s", f"{rates[kind]:.0f}", "", ""))
        rows.append(("bare view, same bytes, requests/s", f"{rates[f'bare {kind}']:.0f}", "", ""))
        rows.append((f"{name} / bare view", f"{ratio:.0%}", f"≥ {RATIO_TARGET:.0%}",
                     verdict(ratio >= RATIO_TARGET)))  # fmt: skip
        if kind == "page":
            ratio = rates["returning page"] / rates["bare page"]
            rows.append(("published page, returning visitor (CSRF cookie sent), requests/s",
                         f"{rates['returning page']:.0f}", "", ""))  # fmt: skip
            rows.append(("returning visitor / bare view", f"{ratio:.0%}", f"≥ {RATIO_TARGET:.0%}",
                         verdict(ratio >= RATIO_TARGET)))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    table = ["| " + " | ".join(rows[0]) + " |", "|---|---|---|---|"]
    table += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    part = renders["500"]["part_measures"]
    notes = [
        f"Run {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} by `make bench` "
        f"(bench/run.py) on {machine()}; WeasyPrint {weasyprint.__version__}; "
        f"load average at the end: {load}.",
        "PDF renders are warm (one render of the seed first), each size in a fresh process, "
        f"the best of {RENDER_ATTEMPTS['seed']} renders of the seed, of {RENDER_ATTEMPTS['100']} "
        f"of 100 measures, of {RENDER_ATTEMPTS['500']} of 500; "
        "the CPU time beside the wall-clock time shows what the render costs when other work "
        "shares the CPUs. Peak memory is that process's maximum resident set. A report of "
        f"more than {part} measures is laid out {part} measures at a time and the parts joined "
        "(reports/pdf_parts.py).",
        f"Requests/s: the best of {WRK_ROUNDS} alternated runs of wrk -t2 -c8 for {WRK_SECONDS} s "
        "on loopback against gunicorn with 2 sync workers, SQLite, DEBUG off. The bare views "
        "return the same bytes from memory through the same middleware. wrk sends no cookie, so "
        "every request to the page is a first visit that gets a new CSRF cookie and token for the "
        "header's language form (64 calls of the system's random generator per request, Django's "
        "CSRF protection); a returning visitor sends its cookie back and needs only a new mask.",
        "The CPUs are shared with wrk and with other work: figures vary between runs.",
    ]
    results = ROOT / "bench" / "RESULTS.md"
    # Other benchmarks' sections ("## …", e.g. the text layer's) follow this table: keep them.
    others = ""
    if results.exists() and "\n## " in (text := results.read_text(encoding="utf-8")):
        others = "\n" + text[text.index("\n## ") + 1 :]
    results.write_text(
        "# Benchmark results\n\n" + "\n\n".join(notes) + "\n\n" + "\n".join(table) + "\n" + others,
        encoding="utf-8",
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--render", help=argparse.SUPPRESS)
    parser.add_argument("--dump", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.render:
        render_child(options.render)
    elif options.dump:
        dump_bytes(Path(os.environ["BENCH_BYTES_DIR"]))
    else:
        main()
