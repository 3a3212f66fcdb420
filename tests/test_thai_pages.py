"""Every staff page, opened by each role, reads in Thai: no English word outside the allowlist
(acronyms and proper names) and the data the page shows."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from measures.models import Membership, Publication
from tests.test_imports_report_text import SEED

ALLOWED = {
    "ITA", "PDF", "XLSX", "CSV", "JSON", "URL", "IIT", "EIT", "OIT",  # acronyms
    "Portal",  # the product's name, "ITA Portal"
    "English",  # the language switch names each language in itself
    "Sarabun", "Django", "Excel", "Word", "Microsoft", "Google", "Authenticator", "TOTP",
    "docx", "xlsx", "csv", "pdf", "json", "txt", "html", "UTF", "MB",  # file types and sizes
    "ZIP",  # the admin's download of many PDFs
    "IP",  # "หมายเลข IP", as Thai writes it (the sign-in log, django-axes)
    "SHA",  # "SHA-256", the standard's name of an evidence file's checksum (the admin)
    "Ctrl", "Command", "Mac",  # keys and computers named as printed on them (the admin's lists)
}  # fmt: skip
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Machine values the admin shows as they are: ids (UUIDs, hex digests) and the few characters of
# a password hash's salt that Django shows before its asterisks.
MACHINE_VALUE = re.compile(r"\b[0-9a-f-]*[0-9][0-9a-f-]{7,}\b|\S*\*{4,}")


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
    words = set(ENGLISH_WORD.findall(MACHINE_VALUE.sub(" ", " ".join(parser.parts))))
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


# The admin: every page of every registered model, generated from the admin site itself so that
# a model registered later is crawled too. Pages that take an object open the one record of each
# model that `one_record_of_every_admin_model` makes.
SKIPPED_ADMIN_URLS = (
    "process_import",  # import-export's confirmation step answers POST only
    "qrcode",  # django-otp's QR code is an image
)


def admin_pages() -> list[tuple[type, str, bool]]:
    """(model, URL name, whether it takes the object's key) for every view of every ModelAdmin."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            if pattern.name is None or pattern.name.endswith(SKIPPED_ADMIN_URLS):
                continue
            pages.append((model, f"admin:{pattern.name}", bool(pattern.pattern.converters)))
    return pages


@pytest.fixture
def one_record_of_every_admin_model(demo_report, coordinator, django_user_model):
    """One record of every model the admin shows that the demo data lacks."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from measures.models import (
        AcceptedWord,
        Change,
        DivisionMapping,
        ItaResult,
        OutboxMessage,
        ReviewAcknowledgement,
        SignInEvent,
    )
    from measures.notifications.tasks import deliver_message
    from measures.oit.services import evidence_add
    from measures.oit.uploads import check_upload
    from tests.evidence_samples import jpeg_bytes, upload

    agency = demo_report.agency
    Group.objects.create(name="ผู้ตรวจ")
    now = timezone.now()
    attempt = {"username": "coordinator", "ip_address": "192.0.2.1", "user_agent": "Firefox"}
    AccessAttempt.objects.create(**attempt, attempt_time=now, failures_since_start=1)
    AccessLog.objects.create(**attempt, attempt_time=now)
    AccessFailureLog.objects.create(**attempt, attempt_time=now)
    TOTPDevice.objects.create(user=coordinator, name="โทรศัพท์")
    Change.objects.create(report=demo_report, action=Change.Action.SUBMITTED, subject="รายงาน")
    SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, username="coordinator")
    ReviewAcknowledgement.objects.create(
        report=demo_report, finding_key="k", check_name="spelling", message="คำสะกด",
        acknowledged_by=coordinator, acknowledged_at=now,
    )  # fmt: skip
    DivisionMapping.objects.create(agency=agency, name="งานการเจ้าหน้าที่", all_divisions=True)
    AcceptedWord.objects.create(agency=agency, word="บวลาย")
    ItaResult.objects.create(agency=agency, fiscal_year=2567, overall=90, iit=90, eit=90, oit=90)
    message = OutboxMessage.objects.create(
        kind=OutboxMessage._meta.get_field("kind").choices[0][0], agency=agency,
        to="coordinator@example.com", subject="รายงาน", body="รายงาน",
    )  # fmt: skip
    deliver_message.enqueue(message.pk)
    evidence_add(
        agency=agency, by=coordinator, measure=demo_report.measures.get(number=2),
        result_number=1, title="ภาพการประชุม", upload=check_upload(upload("ภาพ.jpg", jpeg_bytes())),
    )  # fmt: skip
    return django_user_model.objects.create_superuser("root", "root@example.com", "root-pass-1")


def admin_data_words(demo_report) -> set[str]:
    """Words of the data the admin shows as it is: the demo report's, people's names, the
    indicators' English names, the OIT lists' codes, titles and sources, the old letter levels
    (AA…F), the background tasks' code names and arguments, the password hasher's name, the
    spreadsheet's column names, the English example of the agency's English name, evidence
    files' names and types ("image/jpeg"), and "<unknown>" that django-axes stores for a
    missing header."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import identify_hasher
    from django_tasks_db.models import DBTaskResult

    from measures.imports.resources import MeasureResource
    from measures.models import Agency, EvidenceFile, Indicator, LevelRule, OitItem, OitList

    users = get_user_model().objects.all()
    tasks = DBTaskResult.objects.all()
    return data_words(
        SEED.read_text(encoding="utf-8"),
        demo_report.agency.slug,
        demo_report.agency.name_en,
        str(Agency._meta.get_field("name_en").help_text),
        *(
            f"{user.username} {user.email} {identify_hasher(user.password).algorithm}"
            for user in users
        ),
        *Indicator.objects.values_list("name_en", flat=True),
        *LevelRule.objects.values_list("label", flat=True),
        *OitList.objects.values_list("source", flat=True),
        *(f"{code} {title}" for code, title in OitItem.objects.values_list("code", "title")),
        *(f"{t.task_path} {t.args_kwargs} {t.queue_name} {t.backend_name}" for t in tasks),
        *MeasureResource().get_export_headers(),
        *(
            f"{name} {kind}"
            for name, kind in EvidenceFile.objects.values_list("name", "content_type")
        ),
        "<unknown>",
    )


def test_every_admin_page_reads_in_thai(client, one_record_of_every_admin_model, demo_report):
    client.force_login(one_record_of_every_admin_model)
    known = admin_data_words(demo_report) | data_words("Firefox")
    leaks, opened, missing = {}, [], []
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    apps = sorted({model._meta.app_label for model in admin.site._registry})
    urls += [reverse("admin:app_list", args=[app]) for app in apps]
    for model, name, takes_object in admin_pages():
        if not takes_object:
            urls.append(reverse(name))
        elif (record := model._default_manager.order_by("pk").first()) is None:
            missing.append(model._meta.label)
        else:
            urls.append(reverse(name, args=[record.pk]))
    requests = [(url, url, client.get, {}) for url in urls]
    # The confirmation that "delete selected" asks for, on every list that offers it.
    for model in admin.site._registry:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        if record := model._default_manager.order_by("pk").first():
            delete = {"action": "delete_selected", "_selected_action": [record.pk]}
            requests.append((f"{changelist} delete selected", changelist, client.post, delete))
    for page, url, method, data in requests:
        response = method(url, data, follow=True)
        if response.status_code == 403:  # a read-only record's add or delete page
            continue
        assert response.status_code == 200, page
        if "html" not in response["Content-Type"]:
            continue
        opened.append(page)
        found = english_words(response.content.decode(), known)
        if found:
            leaks[page] = sorted(found)
    assert missing == []
    assert leaks == {}
    changelists = {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    }
    assert changelists <= set(opened)
    assert len(opened) >= 5 * len(admin.site._registry), len(opened)


def test_the_admin_sign_in_reads_in_thai(client):
    content = client.get(reverse("admin:login")).content.decode()
    assert "ผู้ดูแลระบบ ITA Portal" in content
    assert english_words(content, set()) == set()


def test_the_admin_tells_a_coordinator_in_thai_that_it_is_not_for_them(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:index"), follow=True)
    content = response.content.decode()
    assert "ไม่ได้รับอนุญาตให้เข้าถึงหน้านี้" in content
    assert english_words(content, data_words("coordinator coordinator@example.com")) == set()
