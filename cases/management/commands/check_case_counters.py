"""Check that every case's counters (open allocations, latest published update) and every
group's (open cases, last new case) equal a recount of their rows; exit status 1 and the
references of the cases and the ids of the groups that differ (never a name).

    python manage.py check_case_counters [--fix] [--batch-size 5000]

`--fix` recounts every case and every group from their rows, a batch at a time, after listing
those that differed; it then exits 0.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.counts import counter_mismatches, refresh_all_counters


class Command(BaseCommand):
    help = (
        "Compare the cases' and groups' counters with their allocations and updates "
        "(see the docstring)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix", action="store_true", help="recount every case's and group's counters"
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="rows per query")

    def handle(self, *args: Any, fix: bool, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        differing = counter_mismatches(batch_size)
        for mismatch in differing:
            self.stdout.write(mismatch.describe())
        if fix:
            cases, groups = refresh_all_counters(batch_size)
            self.stdout.write(f"Recounted the counters of {cases} cases and {groups} groups.")
            return
        if differing:
            raise CommandError(
                f"{len(differing)} case(s) or group(s) have counters that differ from their "
                "rows; run with --fix to recount them.",
                returncode=1,
            )
        self.stdout.write("Every case's and group's counters agree with the rows.")
