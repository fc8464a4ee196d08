"""Prove a backup restores: dump, restore into a new database, compare every table's row count.

    python manage.py restore_check             the database DATABASE_URL names
    python manage.py restore_check --scratch   a throwaway database made by migrate + seed_demo
                                               (what `make test` runs on PostgreSQL)

The new databases are dropped afterwards, whatever happens. On SQLite it says so and does nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from iar_site.backups import (
    Target,
    create_database,
    differences,
    drop_database,
    dump,
    restore,
    row_counts,
)


class Command(BaseCommand):
    help = "Dump the database, restore it into a new one and compare row counts."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scratch",
            action="store_true",
            help="check a throwaway database built by migrate and seed_demo instead",
        )

    def handle(self, *args: Any, scratch: bool, **opts: Any) -> None:
        if not settings.USING_POSTGRES:
            self.stdout.write(
                "restore-check skipped: the database is SQLite; it checks PostgreSQL backups "
                "(set DATABASE_URL=postgres://...)."
            )
            return
        base = Target.from_settings()
        suffix = os.getpid()
        made: list[Target] = []
        try:
            source = base
            if scratch:
                source = base.with_name(f"{base.name}_restore_src_{suffix}")
                create_database(source)
                made.append(source)
                self._fill(source)
            restored = base.with_name(f"{base.name}_restore_check_{suffix}")
            with tempfile.TemporaryDirectory() as tmp:
                path = dump(source, Path(tmp) / "check.dump")
                create_database(restored)
                made.append(restored)
                restore(path, restored)
            before, after = row_counts(source), row_counts(restored)
        finally:
            for target in made:
                drop_database(target)
        problems = differences(before, after)
        if problems:
            raise CommandError("The restored copy differs:\n" + "\n".join(problems))
        self.stdout.write(
            f"restore-check passed: {len(before)} tables, {sum(before.values()):,} rows, "
            "the same in the restored copy."
        )

    def _fill(self, target: Target) -> None:
        """migrate + seed_demo into the throwaway database, in a process of its own."""
        url = urlsplit(os.environ.get("DATABASE_URL", ""))
        env = {**os.environ, "DATABASE_URL": urlunsplit(url._replace(path=f"/{target.name}"))}
        for command in (["migrate", "--no-input", "-v", "0"], ["seed_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                check=True,
                env=env,
                cwd=settings.BASE_DIR,
                stdout=subprocess.DEVNULL,
            )
