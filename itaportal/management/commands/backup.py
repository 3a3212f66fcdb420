import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Write a backup of the database: pg_dump's custom format on PostgreSQL, a copy on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, output, **options):
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            self.pg_dump(settings, output)
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(output) as target:
                connection.connection.backup(target)
        else:
            raise CommandError(
                _("No backup method for %(vendor)s.") % {"vendor": connection.vendor}
            )
        self.stdout.write(_("Backup written to %(path)s") % {"path": output})

    def pg_dump(self, settings, output):
        pg_dump = shutil.which("pg_dump")
        if not pg_dump:
            raise CommandError(
                _("pg_dump is not installed (Debian: apt install postgresql-client).")
            )
        command = [pg_dump, "--format=custom", "--no-owner", f"--file={output}"]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                command.append(f"{option}={settings[key]}")
        command.append(settings["NAME"])
        env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
        result = subprocess.run(  # noqa: S603 (fixed executable, arguments from settings)
            command, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise CommandError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})
