"""Two app servers and a PDF worker on one database, Redis and S3-compatible store behind nginx
(bench/cluster.py): what one server keeps the other serves, an upload previewed on one is
confirmed on the other, and one server killed under load costs no request after the kill."""

import html
import http.client
import re
import subprocess
import time
import uuid
from urllib.parse import urlencode, urlsplit

import boto3
import psycopg
import pytest
from django.db import connection

from bench.cluster import cluster, wrk_under_kill
from bench.object_store import ACCESS_KEY, BUCKET, REGION, SECRET_KEY

PDF = "/mueang-phalai/2568/report.pdf"
ARCHIVAL = "/mueang-phalai/2568/report-archival.pdf"
PASSWORD = "demo-ita-2568"  # load_demo --superuser's demo members
CACHE_URL = "redis://127.0.0.1:6379/6"


class Session:
    """A person at a browser: cookies kept (Secure ones too: loopback is plain HTTP), sent to
    whichever server ``base`` names."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, base: str, method: str, path: str, body=b"", headers=None):
        address = urlsplit(base).netloc
        client = http.client.HTTPConnection(address, timeout=60)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        client.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
        response = client.getresponse()
        response.body = response.read()
        client.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response

    def get(self, base: str, path: str):
        return self.request(base, "GET", path)

    def post(self, base: str, path: str, fields: dict, files: dict | None = None):
        fields = {**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        if files is None:
            body = urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            body, content_type = multipart(fields, files)
        return self.request(base, "POST", path, body, {"Content-Type": content_type})

    def log_in(self, base: str, username: str) -> None:
        self.get(base, "/accounts/login/")
        response = self.post(base, "/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status == 302, response.body.decode()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def cluster_database(tmp_path) -> str:
    """A database of the cluster's own, beside the suite's: the servers are other processes."""
    if connection.vendor == "sqlite":
        # Several processes writing: each write transaction waits for the others' (IMMEDIATE)
        # rather than failing at once when it finds one, and readers never block (WAL).
        options = "timeout=30&transaction_mode=IMMEDIATE&init_command=PRAGMA%20journal_mode%3DWAL"
        return f"sqlite:///{tmp_path / 'cluster.sqlite3'}?{options}"
    settings = connection.settings_dict
    name = f"{settings['NAME']}_cluster"
    server = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


@pytest.fixture(scope="module")
def nodes(tmp_path_factory, django_db_blocker):
    directory = tmp_path_factory.mktemp("cluster")
    with django_db_blocker.unblock():
        database_url = cluster_database(directory)
    with cluster(directory, database_url=database_url, cache_url=CACHE_URL) as started:
        yield started


def stored_pdfs(nodes) -> list[str]:
    s3 = boto3.client(
        "s3",
        endpoint_url=nodes.env["S3_ENDPOINT_URL"],
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    listing = s3.list_objects_v2(Bucket=BUCKET, Prefix="media/report-pdfs/")
    return [item["Key"].removeprefix("media/") for item in listing.get("Contents", [])]


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True)
    return "".join(result.stdout.decode().split())


def test_an_upload_previewed_on_one_server_is_confirmed_on_the_other_and_its_pdf_shared(nodes):
    app1, app2 = nodes.servers
    person = Session()
    person.log_in(app1.url, "demo-coordinator")
    exported = person.get(app1.url, "/staff/2568/export.csv").body.decode("utf-8-sig")
    first_title = re.search(r"\n1,([^,\n]+),", exported).group(1)
    changed = exported.replace(first_title, "มาตรการที่นำเข้าผ่านอีกเครื่องหนึ่ง", 1)

    preview = person.post(
        app1.url,
        "/staff/2568/import/measures/",
        {},
        {"file": ("measures.csv", changed.encode("utf-8-sig"))},
    )
    assert preview.status == 200
    token = re.search(r'name="token" value="([^"]+)"', preview.body.decode()).group(1)
    confirmed = person.post(app2.url, "/staff/2568/import/measures/", {"token": token})
    assert confirmed.status == 302, html.unescape(confirmed.body.decode())
    assert confirmed.getheader("Location") == "/staff/2568/"

    nodes.manage(
        "shell",
        "-c",
        "from measures.models import Report; from measures.workflow import report_publish; "
        "report_publish(report=Report.objects.get(fiscal_year=2568), acknowledge_warnings=True)",
    )
    on_app1 = Session().get(app1.url, PDF)
    assert on_app1.status == 200
    assert "มาตรการที่นำเข้าผ่านอีกเครื่องหนึ่ง" in pdf_text(on_app1.body)
    [kept] = [path for path in app1.rendered() if "/public-" in path]
    assert kept in stored_pdfs(nodes)

    on_app2 = Session().get(app2.url, PDF)
    assert on_app2.body == on_app1.body
    assert on_app2.getheader("ETag") == on_app1.getheader("ETag")
    assert app2.rendered() == []


def test_the_worker_renders_into_the_store_that_both_servers_serve_from(nodes):
    app1, app2 = nodes.servers
    nodes.manage(
        "shell",
        "-c",
        "from measures.models import Publication; from reports.tasks import "
        "render_publication_pdf; render_publication_pdf.enqueue("
        "Publication.objects.latest('published_at').pk, True)",
    )
    deadline = time.monotonic() + 60
    while not [p for p in stored_pdfs(nodes) if "/archival-" in p]:
        assert time.monotonic() < deadline, "the worker did not render the archival PDF"
        time.sleep(0.5)
    answers = [Session().get(server.url, ARCHIVAL) for server in (app1, app2)]
    assert [a.status for a in answers] == [200, 200]
    assert answers[0].body == answers[1].body
    assert not [p for p in app1.rendered() + app2.rendered() if "/archival-" in p]


def test_one_app_server_killed_under_load_fails_no_request_after_the_kill(nodes, tmp_path):
    app1, app2 = nodes.servers
    result = wrk_under_kill(nodes.front, app2, seconds=6, kill_after=2, script_dir=tmp_path)
    assert result["requests"] > 100
    errors = result["failed"] + result["socket_errors"]
    assert errors / result["requests"] < 0.005, result["output"]
    assert result["failed_after"] == 0
    assert result["answered_after"] > 0
    assert Session().get(nodes.front, PDF).status == 200
    assert app2.process.poll() is not None and app1.process.poll() is None
