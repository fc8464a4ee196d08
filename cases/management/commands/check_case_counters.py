"""Check that every case's counters (open allocations, latest published update) equal a recount
of its rows; exit status 1 and the references of the cases that differ.

    python manage.py check_case_counters [--fix] [--batch-size 5000]

`--fix` recounts every case from its rows, a batch of cases at a time, after listing those that
differed; it then exits 0.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.counts import counter_mismatches, refresh_all_case_counters


class Command(BaseCommand):
    help = "Compare the cases' counters with their allocations and updates (see the docstring)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="recount every case's counters")
        parser.add_argument("--batch-size", type=int, default=5000, help="cases per query")

    def handle(self, *args: Any, fix: bool, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        differing = counter_mismatches(batch_size)
        for case in differing:
            self.stdout.write(
                f"{case.reference}: open allocations {case.open_allocations} stored, "
                f"{case.counted_open_allocations} counted; latest update "
                f"{_when(case.latest_update_at)} stored, {_when(case.counted_latest_update_at)} "
                "counted"
            )
        if fix:
            refreshed = refresh_all_case_counters(batch_size)
            self.stdout.write(f"Recounted the counters of {refreshed} cases.")
            return
        if differing:
            raise CommandError(
                f"{len(differing)} case(s) have counters that differ from their rows; "
                "run with --fix to recount them.",
                returncode=1,
            )
        self.stdout.write("Every case's counters agree with its rows.")


def _when(moment: Any) -> str:
    return moment.isoformat() if moment is not None else "none"
