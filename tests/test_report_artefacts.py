"""Kept PDFs, page bodies and ETags named by content: a restored or reset database, whose ids
and versions are those of other content, and a new renderer never get a stale copy; the cleanup
command deletes what nothing refers to."""

import json
import sqlite3
import subprocess
from importlib import import_module
from io import BytesIO, StringIO

import pikepdf
import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from measures.document import report_document
from measures.management.commands.load_demo import load_demo
from measures.models import Agency, Publication, RenderLock, Report
from measures.workflow import report_publish, report_withdraw
from reports import artefacts, rendering
from tests.test_export_all_pdfs import pdf_text

PAGE = "/{slug}/2568/"
URLS = ("", "report.pdf", "report-archival.pdf", "data.json")


def public(slug: str) -> dict:
    """What an anonymous visitor gets at each of the report's addresses: status, ETag, text."""
    client = Client()
    answers = {}
    for url in URLS:
        response = client.get(PAGE.format(slug=slug) + url)
        text = ""
        if response.status_code == 200:
            text = response.content
            if url.endswith(".pdf"):
                text = pdf_text(response.content)
            elif url == "":
                text = text.decode()
        answers[url] = (response.status_code, response.get("ETag"), text)
        if url == "report-archival.pdf" and response.status_code == 200:
            with pikepdf.open(BytesIO(response.content)) as archival:
                [attached] = archival.attachments.values()
                answers["attached"] = json.loads(attached.get_file().read_bytes())
    return answers


def publish_title(report: Report, title: str) -> Publication:
    report.measures.filter(number=1).update(title=title)
    return report_publish(report=report, acknowledge_warnings=True)


def assert_shows(slug: str, publication: Publication, title: str) -> dict:
    """Every public address of the report shows ``publication``, whose first title is
    ``title``, and nothing else."""
    answers = public(slug)
    assert {url: answers[url][0] for url in URLS} == dict.fromkeys(URLS, 200)
    assert title in answers[""][2]
    # pdftotext's text without spaces: a title may wrap anywhere in its cell.
    assert "".join(title.split()) in answers["report.pdf"][2]
    assert "".join(title.split()) in answers["report-archival.pdf"][2]
    data = json.loads(answers["data.json"][2])
    assert data == answers["attached"]
    assert data["measures"][0]["title"] == title
    assert data["publication"]["version"] == publication.version
    assert data["publication"]["published_at"] == publication.published_at.isoformat()
    assert {k: v for k, v in data.items() if k != "publication"} == publication.document
    return answers


def backup(path) -> None:
    call_command("backup", output=path, stdout=StringIO())


def restore(path) -> None:
    """The backup put back over the database, as docs/deploy.md says, then ``migrate``."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
    else:
        settings = connection.settings_dict
        connections.close_all()
        server = ["-h", settings["HOST"], "-p", str(settings["PORT"]), "-U", settings["USER"]]
        options = ["--clean", "--if-exists", "--no-owner", "-d", settings["NAME"]]
        subprocess.run(
            ["pg_restore", *options, *server, path],
            check=True,
            capture_output=True,
        )
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_restored_database_published_again_shows_only_what_it_holds(
    demo_report, agency, tmp_path
):
    dump = tmp_path / "backup.dump"
    backup(dump)
    # After the backup: a second version of the demo report and another agency's first report,
    # each read by visitors, so that their pages and PDFs are kept.
    lost = publish_title(demo_report, "ฉบับที่สูญหาย")
    lost_answers = assert_shows("mueang-phalai", lost, "ฉบับที่สูญหาย")
    other = Report.objects.create(agency=agency, fiscal_year=2568)
    Publication.objects.create(
        report=other, version=1, published_at=timezone.now(), document=report_document(other)
    )
    assert public("thotsop")[""][0] == 200

    restore(dump)
    assert not Report.objects.filter(agency=agency).exists()
    demo_report = Report.objects.get(pk=demo_report.pk)
    restored = publish_title(demo_report, "ฉบับหลังกู้คืน")

    # The database hands out the lost version's id and version again, for other content.
    assert (restored.pk, restored.version) == (lost.pk, lost.version)
    answers = assert_shows("mueang-phalai", restored, "ฉบับหลังกู้คืน")
    assert "ฉบับที่สูญหาย" not in answers[""][2] + answers["report.pdf"][2]
    for url in ("", "report.pdf", "report-archival.pdf"):
        assert answers[url][1] != lost_answers[url][1], url
    assert {url: public("thotsop")[url][0] for url in URLS} == dict.fromkeys(URLS, 404)


def reset_database() -> None:
    """An empty database, as dropdb and createdb then migrate leave it: ids start again at 1."""
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    import_module("measures.migrations.0002_indicators").load_indicators(apps, None)


@pytest.mark.django_db(transaction=True)
def test_a_reset_database_never_serves_the_first_agencys_copies():
    reset_database()
    load_demo(plan=False)
    first = Publication.objects.get()
    assert_shows("mueang-phalai", first, first.document["measures"][0]["title"])
    document = first.document

    reset_database()
    agency = Agency.objects.create(
        name="เทศบาลตำบลหนองบัว", short_name="ทต.หนองบัว", kind="tambon", district="เมือง",
        province="อุดรธานี", slug="mueang-phalai",
    )  # fmt: skip
    report = Report.objects.create(agency=agency, fiscal_year=2568)
    document = {**document, "agency": {**document["agency"], "name": agency.name}}
    document["measures"] = [{**document["measures"][0], "title": "มาตรการของหนองบัว"}]
    second = Publication.objects.create(
        report=report, version=1, published_at=timezone.now(), document=document
    )

    assert (second.pk, second.version) == (first.pk, first.version)
    answers = assert_shows("mueang-phalai", second, "มาตรการของหนองบัว")
    dropped = first.document["measures"][1]["title"]
    assert dropped not in answers[""][2]
    assert "".join(dropped.split()) not in answers["report.pdf"][2]


def test_a_new_renderer_renders_afresh_under_new_names(client, demo_report, monkeypatch):
    publication = demo_report.latest_publication()
    first = client.get("/mueang-phalai/2568/report.pdf")
    old_path = rendering.published_pdf_path(publication)
    monkeypatch.setattr(artefacts, "renderer_version", lambda: "newrenderer1")
    cache.clear()
    renders = []
    real = rendering.render_report_pdf
    monkeypatch.setattr(
        rendering, "render_report_pdf", lambda *a, **k: renders.append(1) or real(*a, **k)
    )
    second = client.get("/mueang-phalai/2568/report.pdf")
    assert renders == [1]
    assert second["ETag"] != first["ETag"] and "newrenderer1" in second["ETag"]
    assert default_storage.exists(rendering.published_pdf_path(publication))
    assert default_storage.exists(old_path)  # until the cleanup
    call_command("clean_artefacts", stdout=StringIO())
    assert not default_storage.exists(old_path)
    assert default_storage.exists(rendering.published_pdf_path(publication))


def test_the_renderer_version_follows_templates_catalogues_and_fonts(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    files = {
        "templates/reports/_report.html": "<table>",
        "locale/th/LC_MESSAGES/django.mo": "catalogue",
        "static/fonts/Sarabun-Regular.ttf": "font",
        "staff/notes.txt": "not part of the renderer",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    version = artefacts.renderer_version.__wrapped__
    versions = [version()]
    for name in files:
        (tmp_path / name).write_text(files[name] + " changed")
        versions.append(version())
    assert versions[1] != versions[0] and len(set(versions[:4])) == 4
    assert versions[4] == versions[3]


def test_the_cleanup_keeps_what_is_published_and_deletes_the_rest(
    client, demo_report, coordinator, django_capture_on_commit_callbacks
):
    superseded = demo_report.latest_publication()
    for url in URLS:
        client.get(PAGE.format(slug="mueang-phalai") + url)
    current = publish_title(demo_report, "ฉบับปัจจุบัน")
    client.get("/mueang-phalai/2568/report.pdf")
    kept = rendering.published_pdf_path(current)
    stale = [
        rendering.published_pdf_path(superseded),
        rendering.published_pdf_path(superseded, archival=True),
        "report-pdfs/publication-1-v1.pdf",  # named as before content addressing
        "report-pdfs/drafts/report-999/draft-th-0-0.pdf",  # a deleted report's draft
        kept.replace(artefacts.renderer_version(), "0ldrenderer0"),
        kept + ".progress",  # left by a render that died
    ]
    for name in stale[2:]:
        default_storage.save(name, ContentFile(b"%PDF-"))
    rendering_now = rendering.published_pdf_path(current, archival=True) + ".progress"
    default_storage.save(rendering_now, ContentFile(b"1 6"))
    RenderLock.objects.create(
        name=rendering_now.removesuffix(".progress"), acquired_at=timezone.now()
    )

    out = StringIO()
    call_command("clean_artefacts", "--dry-run", stdout=out)
    assert sorted(out.getvalue().splitlines()[:-1]) == sorted(stale)
    assert all(default_storage.exists(name) for name in stale)

    call_command("clean_artefacts", stdout=out)
    assert not any(default_storage.exists(name) for name in stale)
    assert default_storage.exists(kept) and default_storage.exists(rendering_now)

    with django_capture_on_commit_callbacks(execute=True):
        report_withdraw(report=demo_report, by=coordinator, reason="ข้อมูลส่วนบุคคล")
    assert not default_storage.exists(kept) and not default_storage.exists(rendering_now)
