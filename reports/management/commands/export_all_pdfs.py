from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from measures.models import Report
from reports.archive import latest_publications, write_pdfs_zip


class Command(BaseCommand):
    help = "Write a ZIP of the published PDFs of every agency for one fiscal year."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="fiscal year B.E., e.g. 2568")
        parser.add_argument("-o", "--output", required=True, type=Path, help="ZIP file to write")

    def handle(self, *args, year, output, **options):
        publications = latest_publications(Report.objects.filter(fiscal_year=year))
        if not publications:
            raise CommandError(
                _("No report of fiscal year %(year)s is published.") % {"year": year}
            )

        def progress(done, total, publication):
            self.stderr.write(f"[{done}/{total}] {publication.report.agency}")

        with output.open("wb") as file:
            count = write_pdfs_zip(publications, file, progress=progress)
        self.stdout.write(_("Wrote %(count)d PDFs to %(path)s.") % {"count": count, "path": output})
