"""Dump the PostgreSQL database to var/backups/ (or --output): `make backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from iar_site.backups import Target, backup_path, dump


class Command(BaseCommand):
    help = "Dump the PostgreSQL database (pg_dump, custom format)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default="", help="file to write (default var/backups/)")

    def handle(self, *args: Any, output: str, **opts: Any) -> None:
        if not settings.USING_POSTGRES:
            raise CommandError(
                "Backups are for PostgreSQL (set DATABASE_URL); the SQLite file under var/ can "
                "simply be copied while nothing runs."
            )
        target = Target.from_settings()
        path = dump(target, Path(output) if output else backup_path(target))
        self.stdout.write(f"Backed up {target.name} to {path} ({path.stat().st_size:,} bytes).")
