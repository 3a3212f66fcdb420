"""A private nginx running the repository's docs/nginx.conf, for tests and benchmarks.

The server block that is deployed is the one tested (tests/test_nginx_front.py) and measured
(bench/scale.py): only the lines naming the production machine's port, app server, cache and
static paths are rewritten, and each must be found exactly once, so that an edit to
docs/nginx.conf cannot leave them exercising a stale copy. nginx runs unprivileged paths only:
its own prefix, logs, temp and cache directories under ``directory``.
"""

import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.run import wait_for_port

ROOT = Path(__file__).resolve().parent.parent
DEPLOYED = ROOT / "docs" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def front_config(*, port: int, upstreams: list[str], static_root: Path, cache_dir: Path) -> str:
    """docs/nginx.conf with this machine's port, app servers and paths."""
    text = DEPLOYED.read_text(encoding="utf-8")
    server = re.search(r"\n( +)server 127\.0\.0\.1:8000 (.*)\n", text)
    if server is None:
        raise ValueError(f"{DEPLOYED} should hold an app server at 127.0.0.1:8000")
    indent, options = server.groups()
    servers = "".join(f"\n{indent}server {upstream} {options}" for upstream in upstreams)
    text = text.replace(server.group(0), servers + "\n")
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "proxy_cache_path /var/cache/nginx/itaportal ": f"proxy_cache_path {cache_dir} ",
        "alias /srv/itaportal/var/static/;": f"alias {static_root}/;",
    }
    for old, new in replacements.items():
        if text.count(old) != 1:
            raise ValueError(f"{DEPLOYED} should hold {old!r} exactly once: update {__file__}")
        text = text.replace(old, new)
    return text


def main_config(directory: Path, *, workers: int) -> str:
    """The http {} around the server block, as Debian's /etc/nginx/nginx.conf would give it."""
    names = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = {name: directory / "temp" / name for name in names}
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    # A master started by root hands requests to workers running as "nobody", who could not
    # read the test's private directories; CI runs as root.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
daemon off;
{user}
worker_processes {workers};
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log {directory}/access.log;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {directory}/itaportal.conf;
}}
"""


@contextmanager
def nginx_front(
    directory: Path, *, upstream: str | list[str], static_root: Path, workers: int = 1
) -> Iterator[str]:
    """Serve docs/nginx.conf on a free loopback port in front of ``upstream``, one app server
    (host:port) or several; yields the front's base URL."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (directory / "itaportal.conf").write_text(
        front_config(
            port=port,
            upstreams=[upstream] if isinstance(upstream, str) else upstream,
            static_root=static_root,
            cache_dir=directory / "cache",
        ),
        encoding="utf-8",
    )
    conf = directory / "nginx.conf"
    conf.write_text(main_config(directory, workers=workers), encoding="utf-8")
    process = subprocess.Popen(
        [NGINX, "-p", str(directory), "-c", str(conf), "-e", str(directory / "error.log")]
    )
    try:
        try:
            wait_for_port(port, process)
        except RuntimeError as error:
            log = (directory / "error.log").read_text(errors="replace")
            raise RuntimeError(f"{error}\n{log}") from None
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
