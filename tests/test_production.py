"""Production plumbing: health check, security headers, shared cache, structured logs, settings."""

import json
import logging
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from bench.object_store import connection
from itaportal.logging import JSONFormatter
from itaportal.settings import object_storage

ROOT = Path(__file__).resolve().parent.parent
REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "itaportal-test",
    }
}


def test_healthz_reports_database_cache_and_storage(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise ConnectionError("database unreachable")

    monkeypatch.setattr("itaportal.views.connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: ConnectionError"


@override_settings(CACHES=REDIS_CACHE)
def test_the_redis_cache_is_shared_and_reported_healthy(client, db):
    """Runs against the machine's real Redis on 127.0.0.1:6379."""
    caches["default"].set("shared-key", "ค่าที่แชร์", 30)
    assert caches["default"].get("shared-key") == "ค่าที่แชร์"
    assert caches["default"].__class__.__name__ == "RedisCache"
    assert client.get("/healthz").json()["cache"] == "ok"


@override_settings(
    CACHES={
        **REDIS_CACHE,
        "default": {**REDIS_CACHE["default"], "LOCATION": "redis://127.0.0.1:1/0"},
    }
)
def test_healthz_answers_503_when_the_cache_is_unreachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("error:")


def test_healthz_answers_503_when_the_object_store_is_unreachable(client, db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": object_storage("media", **connection("http://127.0.0.1:1")),
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"].startswith("error:")


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db):
    response = client.get("/admin/login/")
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_json_logs_are_one_object_per_line_with_extra_fields():
    record = logging.makeLogRecord(
        {"name": "measures", "levelname": "INFO", "msg": "เผยแพร่ %s", "args": ("รายงาน",)}
    )
    record.report = 7
    line = JSONFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line) | {"time": None} == {
        "time": None,
        "level": "INFO",
        "logger": "measures",
        "message": "เผยแพร่ รายงาน",
        "report": 7,
    }


def run_settings_check(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "itaportal.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_settings_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        ALLOWED_HOSTS="ita.example.go.th",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("cache_url", "seconds"), [("redis://127.0.0.1:6379/15", 3600), ("", 10)])
def test_visitors_copies_live_long_only_in_a_shared_cache(cache_url, seconds):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.PUBLIC_COPY_SECONDS)",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "itaportal.settings", "CACHE_URL": cache_url},
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(result.stdout) == seconds


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL must be a redis:// URL"),
    ],
)
def test_bad_settings_fail_loudly(env, message):
    result = run_settings_check(**env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.fixture
def locale_copy(settings, tmp_path):
    """The portal's catalogues, compiled, in a folder of the test's own."""
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale", tmp_path / "locale" / "vendor"]
    return tmp_path / "locale" / "th" / "LC_MESSAGES"


def deploy_check_errors() -> str:
    """What ``check --deploy`` refuses (its security warnings about the test settings aside)."""
    try:
        call_command("check", "--deploy", "--fail-level", "ERROR", stdout=StringIO())
    except SystemCheckError as error:
        return str(error)
    return ""


def test_the_deploy_check_passes_with_compiled_catalogues(locale_copy):
    assert deploy_check_errors() == ""


@pytest.mark.parametrize("problem", ["missing", "older"])
def test_the_deploy_check_fails_without_the_compiled_thai_catalogue(locale_copy, problem):
    po, mo = locale_copy / "django.po", locale_copy / "django.mo"
    if problem == "missing":
        mo.unlink()
    else:
        os.utime(mo, (po.stat().st_mtime - 60,) * 2)
    errors = deploy_check_errors()
    assert "itaportal.E002" in errors
    assert str(mo) in errors
    assert "compilemessages" in errors
