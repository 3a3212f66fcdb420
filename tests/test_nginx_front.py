"""The nginx front of docs/nginx.conf, run in front of a live server: what it keeps and serves
itself, and what always reaches Django."""

import http.client
from urllib.parse import quote, urlsplit

import pytest
from django.core.signals import request_started

from bench.nginx_front import ROOT, nginx_front
from measures.models import Report

PAGE = "/mueang-phalai/2568/"
PDF = "/mueang-phalai/2568/report.pdf"
SEARCH = "/?q=" + quote("พะไล")


class Front:
    def __init__(self, url: str, reached_django: list[str]):
        self.address = urlsplit(url).netloc
        self.reached_django = reached_django

    def get(self, path: str, **headers) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(self.address, timeout=30)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response


@pytest.fixture
def front(live_server, demo_report, tmp_path):
    reached_django = []

    def count(environ, **kwargs):
        reached_django.append(environ["PATH_INFO"])

    request_started.connect(count, dispatch_uid="test-nginx-front")
    upstream = f"127.0.0.1:{live_server.thread.port}"
    try:
        with nginx_front(tmp_path / "nginx", upstream=upstream, static_root=ROOT / "static") as url:
            yield Front(url, reached_django)
    finally:
        request_started.disconnect(dispatch_uid="test-nginx-front")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [(PAGE, "text/html"), (PDF, "application/pdf"), (SEARCH, "text/html")],
)
def test_a_published_page_pdf_or_search_is_kept_and_served_by_nginx_alone(
    front, path, content_type
):
    first = front.get(path)
    assert first.status == 200
    assert first.getheader("X-Cache-Status") == "MISS"
    assert first.getheader("Content-Type").startswith(content_type)
    second = front.get(path)
    assert second.getheader("X-Cache-Status") == "HIT"
    assert second.body == first.body
    assert front.reached_django == [path.partition("?")[0]]


def test_a_visitor_with_a_session_always_reaches_django(front):
    front.get(PAGE)
    response = front.get(PAGE, Cookie="sessionid=someone")
    assert response.getheader("X-Cache-Status") == "BYPASS"
    assert front.reached_django == [PAGE, PAGE]
    assert front.get(PAGE).getheader("X-Cache-Status") == "HIT"


@pytest.mark.parametrize("path", ["/mueang-phalai/2569/", "/no-such-agency/2568/"])
def test_a_draft_or_unknown_page_is_not_kept(front, demo_report, path):
    Report.objects.create(agency=demo_report.agency, fiscal_year=2569)
    for _visit in range(2):
        response = front.get(path)
        assert response.status == 404
        assert response.getheader("X-Cache-Status") == "MISS"
    assert front.reached_django == [path, path]


def test_static_files_are_served_by_nginx(front):
    response = front.get("/static/css/report.css")
    assert response.status == 200
    assert response.body == (ROOT / "static" / "css" / "report.css").read_bytes()
    assert response.getheader("Cache-Control") == "max-age=31536000, public, immutable"
    assert front.reached_django == []
