"""The error pages (404, 500, 403 and a refused form) in Thai, in the site's layout, with the way
back: under production settings (DEBUG=0), as visitors meet them."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a process of its own with the production settings: the static files collected as a
# deployment collects them, and a database with no tables, so that any query fails (a 500).
SCRIPT = """
import json, django
from django.core.management import call_command
django.setup()
call_command("collectstatic", "--noinput", verbosity=0)
from django.test import Client
https = {"HTTP_X_FORWARDED_PROTO": "https"}
client = Client(raise_request_exception=False, enforce_csrf_checks=True)
pages = {
    "404": client.get("/no/such/page/here/", **https),
    "500": client.get("/", **https),
    "csrf": client.post("/accounts/login/", {"username": "x"}, **https),
}
print(json.dumps({name: [r.status_code, r.content.decode()] for name, r in pages.items()}))
"""


def test_error_pages_are_thai_and_in_the_sites_layout_with_debug_off(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "itaportal.settings",
            "DEBUG": "0",
            "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
            "ALLOWED_HOSTS": "testserver",
            "STATE_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            "LOG_LEVEL": "CRITICAL",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout.splitlines()[-1])
    expected = {
        "404": (404, "ไม่พบหน้าที่ต้องการ", "ข้อผิดพลาด ๔๐๔"),
        "500": (500, "เกิดข้อผิดพลาดในพอร์ทัล", "ข้อผิดพลาด ๕๐๐"),
        "csrf": (403, "ส่งแบบฟอร์มไม่สำเร็จ", "โหลดหน้าใหม่ แล้วส่งแบบฟอร์มอีกครั้ง"),
    }
    for name, (status, heading, text) in expected.items():
        code, html = pages[name]
        assert code == status, name
        assert f"<h1>{heading}</h1>" in html, name
        assert text in html, name
        assert '<html lang="th">' in html and 'class="site-header"' in html, name
        assert '<a href="/">รายงานที่เผยแพร่แล้ว</a>' in html, name  # the way back
        assert "/static/css/portal." in html, name  # the hashed name of the collected file
        for english in ("Not Found", "Server Error", "Forbidden", "CSRF"):
            assert english not in html, (name, english)


def test_a_role_refusal_is_a_thai_page_with_the_way_back(client, staff_palad, demo_report):
    client.force_login(staff_palad)
    response = client.get("/staff/2568/scores/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "<h1>ท่านไม่มีสิทธิ์เปิดหน้านี้</h1>" in content
    assert "กรุณาติดต่อผู้ประสานงาน ITA ของหน่วยงาน" in content
    assert '<a href="/staff/">หน้าหลักเจ้าหน้าที่ของท่าน</a>' in content
