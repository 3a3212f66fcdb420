"""Mistakes Django's template engine does not report."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_comment_spans_lines():
    # {# … #} ends at the line's end: a longer one prints its text into the page.
    open_comments = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert open_comments == []


def test_a_signed_in_page_shows_no_template_comment(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/staff/2568/").content.decode()
    assert "{#" not in page
    assert "Visitors get a link" not in page
