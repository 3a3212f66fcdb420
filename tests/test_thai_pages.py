"""Every staff page, opened by each role, reads in Thai: no English word outside the allowlist
(acronyms and proper names) and the data the page shows."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from measures.models import Membership, Publication
from tests.test_imports_report_text import SEED

ALLOWED = {
    "ITA", "PDF", "XLSX", "CSV", "JSON", "URL", "IIT", "EIT", "OIT",  # acronyms
    "Portal",  # the product's name, "ITA Portal"
    "English",  # the language switch names each language in itself
    "Sarabun", "Django", "Excel", "Word", "Microsoft", "Google", "Authenticator", "TOTP",
    "docx", "xlsx", "csv", "pdf", "json", "txt", "html", "UTF", "MB",  # file types and sizes
}  # fmt: skip
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


class VisibleText(HTMLParser):
    """The text a reader gets: text nodes and the attributes read aloud or shown."""

    SKIPPED = {"script", "style", "template"}
    READ = {"title", "alt", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        attributes = dict(attrs)
        for name in self.READ:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_words(html: str, data_words: set[str]) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    words = set(ENGLISH_WORD.findall(" ".join(parser.parts)))
    return {word for word in words if word not in ALLOWED and word.lower() not in data_words}


def data_words(*texts: str) -> set[str]:
    """Words of the data pages show (the demo report's text, names and e-mail addresses)."""
    return {word.lower() for text in texts for word in ENGLISH_WORD.findall(text)}


def staff_pages(report, measure, membership) -> list[str]:
    year = report.fiscal_year
    pages = [
        reverse("staff:dashboard"),
        reverse("staff:people"),
        reverse("staff:person", args=[membership.pk]),
        reverse("staff:divisions"),
        reverse("staff:words"),
        reverse("two_factor"),
        reverse("two_factor_setup"),
        reverse("notifications"),
        reverse("password_change"),
    ]
    for name in (
        "report", "preview", "history", "scores", "review", "measure_new", "publications",
        "withdraw", "submit", "return", "approve", "publish", "import_template",
    ):  # fmt: skip
        pages.append(reverse(f"staff:{name}", args=[year]))
    pages += [f"/staff/{year}/import/measures/", f"/staff/{year}/import/report/"]
    pages.append(reverse("staff:publication", args=[year, 1]))
    for name in ("measure", "measure_delete", "measure_history"):
        pages.append(reverse(f"staff:{name}", args=[measure.pk]))
    return [page for page in pages if not page.endswith(".xlsx")]


@pytest.fixture
def every_role(demo_report, coordinator, approver, staff_palad):
    return {"coordinator": coordinator, "approver": approver, "staff": staff_palad}


def test_every_staff_page_reads_in_thai_for_every_role(client, every_role, demo_report):
    measure = demo_report.measures.get(number=1)
    membership = Membership.objects.get(user=every_role["coordinator"])
    assert Publication.objects.filter(report=demo_report).exists()
    known = data_words(
        SEED.read_text(encoding="utf-8"),
        *(f"{u.username} {u.email}" for u in every_role.values()),
        demo_report.agency.slug,
    )
    leaks = {}
    opened = {}
    for role, user in every_role.items():
        client.force_login(user)
        opened[role] = 0
        for page in staff_pages(demo_report, measure, membership):
            response = client.get(page, follow=True)
            if response.status_code != 200 or "html" not in response["Content-Type"]:
                continue
            opened[role] += 1
            found = english_words(response.content.decode(), known)
            if found:
                leaks[f"{role} {page}"] = sorted(found)
        client.logout()
    assert leaks == {}
    assert opened["coordinator"] >= 20 and opened["staff"] >= 8, opened
