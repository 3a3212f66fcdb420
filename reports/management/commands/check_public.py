import html
import json
import shutil
import subprocess
import urllib.error
import urllib.request
from io import BytesIO

import pikepdf
from django.core.management.base import BaseCommand, CommandError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from measures.models import Publication, Report
from reports.artefacts import page_etag
from reports.opendata import open_data_document
from reports.rendering import published_pdf_etag


class Command(BaseCommand):
    help = (
        "Fetch every published report's page, PDFs and open data from the running portal and "
        "check each against the database: run it after a restore (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("base_url", help="the portal's address, e.g. https://ita.example.go.th")

    def handle(self, *args, base_url, **options):
        if not shutil.which("pdftotext"):
            raise CommandError(_("pdftotext is not installed (Debian: apt install poppler-utils)."))
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(_("The address must start with http:// or https://."))
        self.base_url = base_url.rstrip("/")
        problems = []
        reports = Report.objects.published().select_related("agency")
        for report in reports:
            problems += self.compare(report.latest_publication())
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                _("%(count)s differences between the public portal and the database.")
                % {"count": len(problems)}
            )
        self.stdout.write(
            _("Every public page, PDF and open-data file of %(count)s reports matches.")
            % {"count": len(reports)}
        )

    def fetch(self, path: str) -> tuple[int, dict, bytes]:
        # Anonymous, as any visitor: no cookie.
        request = urllib.request.Request(self.base_url + path)  # noqa: S310 (http(s) only)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), b""

    def compare(self, publication: Publication) -> list[str]:
        """What differs between what the portal serves for ``publication`` and its record."""
        report = publication.report
        base = f"/{report.agency.slug}/{report.fiscal_year}/"
        expected = open_data_document(publication)
        titles = [measure["title"] for measure in publication.document["measures"]]
        answers = {name: self.fetch(base + name) for name in ("", "report.pdf")}
        answers |= {name: self.fetch(base + name) for name in ("report-archival.pdf", "data.json")}
        problems = [
            f"{base}{name}: HTTP {status}"
            for name, (status, _headers, _body) in answers.items()
            if status != 200
        ]
        if problems:
            return problems
        page, pdf = answers[""], answers["report.pdf"]
        archival, data = answers["report-archival.pdf"], answers["data.json"]
        if page[1].get("ETag") != page_etag(publication.digest, "th", None):
            problems.append(f"{base}: ETag {page[1].get('ETag')}")
        for name, archival_copy in (("report.pdf", False), ("report-archival.pdf", True)):
            served = answers[name][1].get("ETag")
            if served != published_pdf_etag(publication, archival=archival_copy):
                problems.append(f"{base}{name}: ETag {served}")
        # Compared without white space: the page marks where Thai may wrap, and the PDF's text
        # wraps anywhere in a cell.
        page_text = _squeezed(html.unescape(strip_tags(page[2].decode())))
        pdf_text = _text(pdf[2])
        for title in titles:
            if _squeezed(title) not in page_text:
                problems.append(f"{base}: {title[:40]}")
            if _squeezed(title) not in pdf_text:
                problems.append(f"{base}report.pdf: {title[:40]}")
        if json.loads(data[2]) != expected:
            problems.append(f"{base}data.json")
        with pikepdf.open(BytesIO(archival[2])) as document:
            attached = [
                json.loads(f.get_file().read_bytes()) for f in document.attachments.values()
            ]
        if attached != [expected]:
            problems.append(f"{base}report-archival.pdf: data.json")
        return problems


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    return _squeezed(result.stdout.decode())
