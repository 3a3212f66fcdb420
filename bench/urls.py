"""The portal's URLs, plus bare views that return fixed bytes read once at start-up.

A bare view is the ceiling for a Django view on this server set-up: same middleware, no query,
no template. bench/run.py writes the bytes (the published page and PDF) before gunicorn starts.
"""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from itaportal.urls import urlpatterns as portal_urlpatterns

BYTES_DIR = Path(os.environ["BENCH_BYTES_DIR"])
PAGE = (BYTES_DIR / "page.html").read_bytes()
PDF = (BYTES_DIR / "report.pdf").read_bytes()


def bare_page(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


def bare_pdf(request):
    return HttpResponse(PDF, content_type="application/pdf")


urlpatterns = [
    path("bench/bare-page/", bare_page),
    path("bench/bare.pdf", bare_pdf),
    *portal_urlpatterns,
]
