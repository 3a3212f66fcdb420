from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from itaportal import limits
from measures.document import report_document
from measures.models import Report
from reports.pdf import render_report_pdf
from reports.rendering import published_pdf


class Command(BaseCommand):
    help = "Write a report's PDF, as the public downloads it, to a file."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the agency's URL slug, e.g. mueang-phalai")
        parser.add_argument("year", type=int, help="fiscal year B.E., e.g. 2568")
        parser.add_argument("-o", "--output", required=True, type=Path, help="PDF file to write")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="render the live draft (watermarked) instead of the latest publication",
        )
        parser.add_argument(
            "--archival",
            action="store_true",
            help="write the latest publication's archival PDF/A-3a, with its open data embedded",
        )

    def handle(self, *args, slug, year, output, draft, archival, **options):
        report = Report.objects.filter(agency__slug=slug, fiscal_year=year).first()
        if report is None:
            raise CommandError(
                _("No report of agency %(slug)s for fiscal year %(year)s.")
                % {"slug": slug, "year": year}
            )
        if draft and archival:
            raise CommandError(_("Only published versions have an archival PDF: omit --draft."))
        publication = report.latest_publication()
        if draft:
            _filename, _mimetype, content = render_report_pdf(report_document(report), draft=True)
        elif publication is None:
            raise CommandError(_("This report is not published yet: use --draft."))
        else:
            _filename, _mimetype, content = published_pdf(
                publication, archival=archival, wait=limits.RENDER_LOCK_SECONDS
            )
        output.write_bytes(content)
        self.stdout.write(_("Wrote %(path)s.") % {"path": output})
