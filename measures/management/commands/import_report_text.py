from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from measures.imports.report_text import ReportTextError
from measures.imports.services import report_import_parsed, report_read
from measures.imports.spreadsheet import SpreadsheetError, read_upload
from measures.models import Agency, Report
from measures.review import Finding
from measures.review.cover import report_text_warnings


class Command(BaseCommand):
    help = (
        "Read a report (text, a table copied from Word, a PDF or a web page, HTML, or a Word "
        ".docx file) and replace that year's measures with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--agency", required=True, help="the agency's URL slug")
        parser.add_argument("--year", required=True, type=int, help="fiscal year (B.E.), e.g. 2568")

    def handle(self, *args, path, agency, year, **options):
        warnings: list[Finding] = []
        report = import_report_file(path, agency_slug=agency, year=year, cover_warnings=warnings)
        for finding in warnings:
            self.stderr.write(
                _("Warning: %(where)s: %(message)s") % {"where": path, "message": finding.message}
            )
        self.stdout.write(
            _("Imported %(count)d measures into %(report)s.")
            % {"count": report.measures.count(), "report": report}
        )


@transaction.atomic
def import_report_file(
    path: Path, *, agency_slug: str, year: int, cover_warnings: list[Finding] | None = None
) -> Report:
    """Import the file; what its cover and heading say unlike the agency record is appended to
    ``cover_warnings`` (the import goes ahead: the record is right, the cover is not kept)."""
    try:
        agency = Agency.objects.get(slug=agency_slug)
    except Agency.DoesNotExist:
        raise CommandError(_("No agency “%(slug)s”.") % {"slug": agency_slug}) from None
    try:
        with path.open("rb") as file:
            data = read_upload(file)
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
        ) from None
    except SpreadsheetError as error:
        raise CommandError(f"{path}: {error}") from None
    # The staff page's reader, so that the command reads every file the page reads.
    format = "docx" if path.suffix.lower() == ".docx" else "text"
    try:
        parsed = report_read(
            data, format=format, divisions=agency.division_names(), fiscal_year=year
        )
    except (ReportTextError, SpreadsheetError) as error:
        raise CommandError(f"{path}: {error}") from None
    if cover_warnings is not None:
        cover_warnings.extend(report_text_warnings(parsed, agency))
    report, _created = Report.objects.get_or_create(agency=agency, fiscal_year=year)
    report_import_parsed(report=report, parsed=parsed)
    return report
