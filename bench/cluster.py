"""Several app servers on shared standard parts, on one machine: the layout of docs/deploy.md.

Two gunicorn app servers and a PDF worker (``manage.py db_worker``) share one database
(PostgreSQL, or a SQLite file for a quick look), one Redis and one S3-compatible object store
(moto_server on loopback, bench/object_store.py), behind the nginx front of docs/nginx.conf with
both servers in its upstream (bench/nginx_front.py). Production settings (DEBUG off), a free
port for everything. tests/test_cluster.py uses it; from the repository:

    .venv/bin/python bench/cluster.py serve --database-url postgres://…/itaportal_cluster
        starts it (migrates the database and loads the demo report if it is empty) and prints
        the addresses until Ctrl-C;
    .venv/bin/python bench/cluster.py kill-one --database-url …
        measures with wrk at 50 connections through the front, kills one app server mid-run,
        and writes the "## Several app servers" section of bench/RESULTS.md.
"""

import argparse
import datetime
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.nginx_front import free_port, nginx_front  # noqa: E402
from bench.object_store import environment, object_store  # noqa: E402
from bench.run import machine, wait_for_port  # noqa: E402

PYTHON = Path(sys.executable)
GUNICORN_CONF = "itaportal/gunicorn.conf.py"
SERVERS = 2
WORKERS_PER_SERVER = 2
CONNECTIONS = 50
WRK_TIMEOUT = 10
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Several app servers"
ERROR_TARGET = 0.005
# Every request reaches an app server: a cookie the front does not cache for (a made-up session,
# which the portal serves like any anonymous visitor).
BYPASS_FRONT_CACHE = "Cookie: sessionid=made-up-by-the-benchmark"
PUBLIC_PATHS = (
    "/mueang-phalai/2568/",
    "/mueang-phalai/2568/report.pdf",
    "/mueang-phalai/2568/report-archival.pdf",
    "/mueang-phalai/2568/data.json",
)


@dataclass
class AppServer:
    name: str
    port: int
    log: Path
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """The server dies as a machine would: master and workers at once, nothing finished."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def rendered(self) -> list[str]:
        """The PDFs this server rendered (its log's lines from reports.rendering)."""
        text = self.log.read_text(errors="replace")
        return re.findall(r"rendered (\S+\.pdf)", text)


@dataclass
class Cluster:
    env: dict[str, str]
    front: str
    servers: list[AppServer] = field(default_factory=list)

    def manage(self, *args: str, input: str | None = None) -> str:
        return manage(self.env, *args, input=input)


def manage(env: dict[str, str], *args: str, input: str | None = None) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        env=env,
        cwd=ROOT,
        input=input,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def cluster_environment(directory: Path, *, database_url: str, cache_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "STATE_DIR": str(directory / "state"),
        "DEBUG": "0",
        "SECRET_KEY": "cluster-only-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        # The front and wrk speak plain HTTP on loopback.
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "itaportal.settings",
        "PYTHONPATH": str(ROOT),
        "LOG_FORMAT": "text",
    }


@contextmanager
def cluster(
    directory: Path, *, database_url: str, cache_url: str, servers: int = SERVERS
) -> Iterator[Cluster]:
    """Start the layout in ``directory`` (logs, static files, nginx), with the demo report and
    its demo staff (load_demo --superuser); stop it all on exit."""
    directory.mkdir(parents=True, exist_ok=True)
    processes: list[subprocess.Popen] = []
    with ExitStack() as stack:
        endpoint = stack.enter_context(object_store(directory / "object-store.log"))
        env = {
            **cluster_environment(directory, database_url=database_url, cache_url=cache_url),
            **environment(endpoint),
        }
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        # Before the servers start: SQLite lets one process write at a time. The demo staff's
        # known passwords are refused with DEBUG off, as they should be in production.
        manage({**env, "DEBUG": "1"}, "load_demo", "--superuser")
        started = []
        for number in range(1, servers + 1):
            port = free_port()
            log = directory / f"app{number}.log"
            process = subprocess.Popen(
                [str(PYTHON.parent / "gunicorn"), "-c", GUNICORN_CONF, "itaportal.wsgi"],
                env={
                    **env,
                    "GUNICORN_BIND": f"127.0.0.1:{port}",
                    "GUNICORN_WORKERS": str(WORKERS_PER_SERVER),
                },
                cwd=ROOT,
                stdout=stack.enter_context(log.open("wb")),
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() takes the workers too
            )
            processes.append(process)
            started.append(AppServer(f"app{number}", port, log, process))
        worker_log = directory / "worker.log"
        processes.append(
            subprocess.Popen(
                [str(PYTHON), "manage.py", "db_worker"],
                env=env,
                cwd=ROOT,
                stdout=stack.enter_context(worker_log.open("wb")),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        stack.callback(_stop, processes)
        for server in started:
            wait_for_port(server.port, server.process, timeout=90)
        front = stack.enter_context(
            nginx_front(
                directory / "nginx",
                upstream=[f"127.0.0.1:{server.port}" for server in started],
                static_root=directory / "state" / "static",
                workers=2,
            )
        )
        yield Cluster(env, front, started)


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# wrk's script: the public paths in turn, and per second of the run the requests answered and
# those that were not a success (status ≥ 400); wrk itself counts the socket errors.
WRK_SCRIPT = """
local paths = {%(paths)s}
local counter, threads = 0, {}
function setup(thread) table.insert(threads, thread) end
function init(args) answered, failed = {}, {} end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter %% #paths + 1])
end
function response(status, headers, body)
  local second = os.time()
  answered[second] = (answered[second] or 0) + 1
  if status >= 400 then failed[second] = (failed[second] or 0) + 1 end
end
function done(summary, latency, requests)
  local answered_all, failed_all = {}, {}
  for _, thread in ipairs(threads) do
    for second, n in pairs(thread:get("answered")) do
      answered_all[second] = (answered_all[second] or 0) + n
    end
    for second, n in pairs(thread:get("failed")) do
      failed_all[second] = (failed_all[second] or 0) + n
    end
  end
  for second, n in pairs(answered_all) do
    io.write(string.format("second %%d %%d %%d\\n", second, n, failed_all[second] or 0))
  end
end
"""


def wrk_under_kill(
    front: str, victim: AppServer, *, seconds: int, kill_after: float, script_dir: Path
) -> dict:
    """wrk at CONNECTIONS connections through ``front`` for ``seconds``; ``victim`` killed
    ``kill_after`` seconds in. Requests, failures and socket errors, before and after the kill."""
    script = script_dir / "kill-one.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in PUBLIC_PATHS)})
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script)]
    # A response slower than wrk's default 2 s is counted as a socket error although it comes:
    # on 2 shared CPUs 50 connections queue that long at times, kill or not.
    command += ["--timeout", f"{WRK_TIMEOUT}s"]
    command += ["-H", BYPASS_FRONT_CACHE, front]
    load = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    time.sleep(kill_after)
    killed_at = time.time()
    victim.kill()
    out, _err = load.communicate(timeout=seconds + 60)
    per_second = sorted(
        tuple(map(int, line.split()[1:])) for line in out.splitlines() if line.startswith("second ")
    )
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    # wrk prints the line only when there were some.
    counts = map(int, socket.groups()) if socket else (0, 0, 0, 0)
    socket_errors = dict(zip(("connect", "read", "write", "timeout"), counts, strict=True))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    # Seconds are whole: the second in which the kill fell counts as "at the kill".
    kill_second = int(killed_at)
    return {
        "requests": total,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99": re.search(r"99%\s+(\S+)", out).group(1),
        "failed": sum(failed for _s, _n, failed in per_second),
        "failed_at_kill": sum(f for s, _n, f in per_second if s == kill_second),
        "failed_after": sum(f for s, _n, f in per_second if s > kill_second),
        "answered_after": sum(n for s, n, _f in per_second if s > kill_second),
        "rps_before": _rate([n for s, n, _f in per_second if s < kill_second]),
        "rps_after": _rate([n for s, n, _f in per_second if s > kill_second]),
        "socket_errors": sum(socket_errors.values()),
        "socket_kinds": ", ".join(f"{kind} {n}" for kind, n in socket_errors.items()),
        "series": " ".join(
            f"{'**' if s == kill_second else ''}{n}{'**' if s == kill_second else ''}"
            for s, n, _f in per_second
        ),
        "output": out,
    }


def _rate(counts: list[int]) -> float:
    """Requests a second over whole seconds (the first and last are partial)."""
    whole = counts[1:-1] if len(counts) > 2 else counts
    return sum(whole) / max(len(whole), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["serve", "kill-one"])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/itaportal_cluster"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--directory", type=Path, default=ROOT / "var" / "cluster")
    parser.add_argument("--duration", type=int, default=30)
    args = parser.parse_args()
    create_database(args.database_url)
    with cluster(args.directory, database_url=args.database_url, cache_url=args.cache_url) as nodes:
        if args.action == "serve":
            print(f"front: {nodes.front}")
            for server in nodes.servers:
                print(f"{server.name}: {server.url} (log {server.log})")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return
        for path in PUBLIC_PATHS:  # rendered and kept before the run
            subprocess.run(["curl", "-sf", "-o", "/dev/null", nodes.front + path], check=True)
        result = wrk_under_kill(
            nodes.front,
            nodes.servers[0],
            seconds=args.duration,
            kill_after=args.duration / 3,
            script_dir=args.directory,
        )
        survivor = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", nodes.front + PUBLIC_PATHS[1]],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    result["after_run"] = survivor
    write_results(result, args.duration)


def create_database(database_url: str) -> None:
    if not database_url.startswith("postgres"):
        return
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def write_results(result: dict, seconds: int) -> None:
    share = (result["failed"] + result["socket_errors"]) / max(result["requests"], 1)
    verdict = "met" if share < ERROR_TARGET and result["failed_after"] == 0 else "NOT met"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        SECTION,
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `bench/cluster.py "
        f"kill-one` on {machine()}; load average at the end: {load}.",
        "",
        f"Two gunicorn app servers ({WORKERS_PER_SERVER} sync workers each, DEBUG off) and a "
        "db_worker on one PostgreSQL, one Redis and one S3-compatible store (moto_server), "
        "behind nginx with docs/nginx.conf (both servers in its upstream). "
        f"wrk -t2 -c{CONNECTIONS} --timeout {WRK_TIMEOUT}s for {seconds} s through nginx on "
        "the demo report's page, PDF, archival PDF and data.json in turn, each request with a "
        "made-up session cookie so that nginx passes it to an app server (which serves it like "
        "any visitor's, from the shared cache and the object store); one app server killed "
        f"(SIGKILL to master and workers) {seconds // 3} s in. Everything shares the machine's "
        "2 CPUs with wrk.",
        "",
        "| measure | value | target |  |",
        "|---|---|---|---|",
        f"| requests in {seconds} s | {result['requests']:,} |  |  |",
        f"| requests/s | {result['rps']:.0f} |  |  |",
        f"| requests/s before the kill, two servers | {result['rps_before']:.0f} |  |  |",
        f"| requests/s after it, one server | {result['rps_after']:.0f} |  |  |",
        f"| latency p99 | {result['p99']} |  |  |",
        f"| failed (status ≥ 400) in the second of the kill | {result['failed_at_kill']} |  |  |",
        f"| failed after it | {result['failed_after']} | 0 | "
        f"{'met' if result['failed_after'] == 0 else 'NOT met'} |",
        f"| answered after it | {result['answered_after']:,} |  |  |",
        f"| socket errors (wrk; not timed: {result['socket_kinds']}) "
        f"| {result['socket_errors']} |  |  |",
        f"| failed and socket errors / requests | {share:.3%} | < 0.5 % | {verdict} |",
        f"| PDF through nginx after the run | HTTP {result['after_run']} | 200 |  |",
        "",
        f"Responses a second (the kill's second in bold): {result['series']}.",
        "",
        f"wrk runs with a {WRK_TIMEOUT} s timeout: its default of 2 s counts a response that "
        "comes later as a socket error. With it, a run on 2026-12-04 under the same load counted "
        "50 such timeouts (each connection once, when all 50 waited over 2 s on the shared "
        "CPUs), 2.2 % of its requests, while nginx's log had every request answered 200 but one "
        "that wrk had closed. Latency is the p99 above.",
        "",
    ]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    before, _found, after = text.partition(SECTION)
    rest = after[after.find("\n## ") :] if "\n## " in after else ""
    RESULTS.write_text(before.rstrip() + "\n\n" + "\n".join(lines) + rest, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
