from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from measures.oit.services import evidence_files_sweep
from measures.staff.imports import previews_sweep
from reports.artefacts import artefacts_clean


class Command(BaseCommand):
    help = (
        "Delete kept PDFs that no public publication or current draft refers to (withdrawn, "
        "superseded or restored-away versions, edited drafts, an earlier renderer), and import "
        "previews never confirmed, and evidence files nothing names any more. Run it nightly "
        "and after a restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be deleted, delete nothing"
        )

    def handle(self, *args, dry_run, **options):
        deleted = artefacts_clean(dry_run=dry_run)
        deleted += [f"imports:{name}" for name in previews_sweep(dry_run=dry_run)]
        deleted += evidence_files_sweep(dry_run=dry_run)
        if dry_run or options["verbosity"] > 1:
            for name in deleted:
                self.stdout.write(name)
        message = _("Would delete %(count)s files.") if dry_run else _("Deleted %(count)s files.")
        self.stdout.write(message % {"count": len(deleted)})
