import os
import shutil
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import translation
from playwright.sync_api import sync_playwright

from bench.object_store import connection, object_store
from itaportal.settings import object_storage
from measures.management.commands.load_demo import load_demo, load_demo_plan
from measures.models import Agency, Membership, Report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# Where the suite keeps files: "filesystem" (the default, as `make run`) or "s3", an
# S3-compatible server on loopback (bench/object_store.py), as several app servers would.
STORAGE = os.environ.get("TEST_STORAGE", "filesystem")
if STORAGE not in {"filesystem", "s3"}:
    raise pytest.UsageError(f"TEST_STORAGE must be filesystem or s3, not {STORAGE!r}")


@pytest.fixture(scope="session")
def object_store_endpoint(tmp_path_factory):
    with object_store(tmp_path_factory.mktemp("object-store") / "moto.log") as endpoint:
        yield endpoint


@pytest.fixture(autouse=True)
def _storage(request, settings, tmp_path):
    """Files a test stores (kept PDFs, import previews) go to a place of its own, never to
    var/: a directory, or a prefix of its own in the loopback S3 server's bucket."""
    settings.MEDIA_ROOT = tmp_path / "media"
    storages = {
        **settings.STORAGES,
        "imports": {**settings.STORAGES["imports"], "OPTIONS": {"location": tmp_path / "imports"}},
    }
    if STORAGE == "s3":
        store = connection(request.getfixturevalue("object_store_endpoint"))
        prefix = f"test-{uuid.uuid4().hex}"
        storages["default"] = object_storage(f"{prefix}/media", **store)
        storages["imports"] = object_storage(f"{prefix}/imports", **store)
    settings.STORAGES = storages


@pytest.fixture(autouse=True)
def _empty_cache():
    """Kept pages and index copies are keyed by ids, which SQLite hands out again after a
    rollback, and by a generation that bulk-created rows do not bump."""
    cache.clear()


@pytest.fixture
def demo_report(db) -> Report:
    # The report alone, as before the plan existed; demo_plan adds the plan `make run` loads.
    load_demo(plan=False)
    return Report.objects.get(agency__slug="mueang-phalai", fiscal_year=2568)


@pytest.fixture
def demo_plan(demo_report) -> Report:
    """The demo year with its published plan, budgets, 2566–2567 scores and analysis."""
    load_demo_plan(demo_report)
    demo_report.refresh_from_db()
    return demo_report


@pytest.fixture
def revision(demo_report) -> Report:
    """The demo report in a new draft revision that no division has handed in yet."""
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.DRAFT)
    demo_report.hand_ins.all().delete()
    demo_report.refresh_from_db()
    return demo_report


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


# Named actors (STYLE.md): the demo agency's people, and a coordinator of the second agency.
# Each user's password is "<username>-pass-1".
def make_member(username, agency, role, divisions=(), position="", full_name=""):
    from django.contrib.auth import get_user_model

    first, _, last = full_name.partition(" ")
    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", f"{username}-pass-1", first_name=first, last_name=last
    )
    membership = Membership.objects.create(user=user, agency=agency, role=role, position=position)
    membership.divisions.set(agency.divisions.filter(name__in=divisions))
    return user


@pytest.fixture
def coordinator(demo_report):
    return make_member(
        "coordinator", demo_report.agency, Membership.Role.COORDINATOR, full_name="สมศรี ประสานงาน"
    )


@pytest.fixture
def approver(demo_report):
    return make_member(
        "approver",
        demo_report.agency,
        Membership.Role.APPROVER,
        position="นายกองค์การบริหารส่วนตำบลเมืองพะไล",
        full_name="สมชาย ใจดี",
    )


@pytest.fixture
def staff_palad(demo_report):
    """Division staff of สำนักปลัด ("division A"), responsible for every demo measure."""
    return make_member(
        "staff_palad", demo_report.agency, Membership.Role.DIVISION_STAFF, ["สำนักปลัด"]
    )


@pytest.fixture
def staff_finance(demo_report):
    """Division staff of กองคลัง ("division B"): not responsible for measures 5 and 6."""
    return make_member(
        "staff_finance", demo_report.agency, Membership.Role.DIVISION_STAFF, ["กองคลัง"]
    )


@pytest.fixture
def other_coordinator(agency):
    """The coordinator of the second agency, ทต.ทดสอบ."""
    return make_member("other_coordinator", agency, Membership.Role.COORDINATOR)


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


@pytest.fixture(autouse=True)
def thai_by_default():
    """A request in English leaves English active in the thread; each test starts in Thai, as
    the portal does."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
