import shutil
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connections
from playwright.sync_api import sync_playwright

from measures.management.commands.load_demo import load_demo
from measures.models import Agency, Report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files a test stores (cached PDFs) go to a directory of its own, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo_report(db) -> Report:
    # A live-server (transactional) test empties every table after it, the indicators that a
    # migration loads included: put them back for the tests that follow.
    import_module("measures.migrations.0002_indicators").load_indicators(apps, None)
    load_demo()
    return Report.objects.get(agency__slug="mueang-phalai", fiscal_year=2568)


@pytest.fixture
def agency(db) -> Agency:
    agency = Agency.objects.create(
        name="เทศบาลตำบลทดสอบ",
        short_name="ทต.ทดสอบ",
        kind=Agency.Kind.SUBDISTRICT_MUNICIPALITY,
        district="เมือง",
        province="ขอนแก่น",
        slug="thotsop",
    )
    for order, name in enumerate(["สำนักปลัด", "กองคลัง"], start=1):
        agency.divisions.create(name=name, order=order)
    return agency


@pytest.fixture
def page(live_server, monkeypatch):
    """A page in headless Debian chromium, driven by Playwright (no downloaded browser)."""
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls stay
    # synchronous and safe, but Django cannot tell.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(base_url=live_server.url, locale="th-TH")
        yield context.new_page()
        # While Playwright's event loop runs, Django keeps context-local database connections
        # apart from the thread's; close them, or PostgreSQL cannot drop the test database.
        connections.close_all()
        context.close()
        browser.close()
