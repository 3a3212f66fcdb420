from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures import thai
from measures.models import Report
from measures.review.base import SEVERITY_LABELS
from measures.workflow import report_review, report_review_blocking


class Command(BaseCommand):
    help = (
        "Review an agency's report for one year: one finding per line, and a non-zero exit "
        "status when there is an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the agency's URL slug")
        parser.add_argument("year", type=int, help="fiscal year (B.E.), e.g. 2568")

    def handle(self, *args, slug, year, **options):
        try:
            report = Report.objects.select_related("agency").get(
                agency__slug=slug, fiscal_year=year
            )
        except Report.DoesNotExist:
            raise CommandError(
                _("No report of “%(slug)s” for %(year)s.")
                % {"slug": slug, "year": thai.thai_digits(year)}
            ) from None
        findings = report_review(report)
        open_keys = {f.key for f in report_review_blocking(report, findings=findings)}
        for finding in findings:
            fields = [
                str(SEVERITY_LABELS[finding.severity]),
                *(part or "-" for part in finding.location_parts),
                finding.message,
            ]
            if finding.key not in open_keys:
                fields.append(_("(acknowledged)"))
            if finding.end > finding.start:
                fields.append(f"«{finding.text[finding.start : finding.end]}»")
            if finding.suggestion:
                fields.append(_("suggestion: %(fix)s") % {"fix": finding.suggestion})
            self.stdout.write("\t".join(fields))
        errors = sum(f.is_error for f in findings)
        if errors:
            raise CommandError(
                ngettext(
                    "%(count)s error in %(report)s.", "%(count)s errors in %(report)s.", errors
                )
                % {"count": thai.thai_digits(errors), "report": report},
                returncode=1,
            )
