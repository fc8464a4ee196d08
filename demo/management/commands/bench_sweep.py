"""Time the daily report reminder sweep over N generated allocations, then roll them back.

    python manage.py bench_sweep --allocations 100000

The allocations, their groups and cases are made inside one transaction that is rolled back at the
end, so the database is left as it was (nothing is sent: no message survives the rollback).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo.scale import make_allocations
from groups.yearly import sweep_report_reminders


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the report reminder sweep over N generated allocations (rolled back after)."

    def add_arguments(self, parser):
        parser.add_argument("--allocations", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=2, help="sweeps to time (2nd: all repeats)")

    def handle(self, *args, allocations: int, runs: int, **options):
        if not 1 <= allocations <= 1_000_000:
            raise CommandError("--allocations must be between 1 and 1,000,000.")
        today = timezone.localdate()
        lines = []
        try:
            with transaction.atomic():
                started = time.perf_counter()
                make_allocations(allocations, today=today, prefix="bench")
                made = time.perf_counter() - started
                lines.append(f"generated {allocations:,} allocations in {made:.1f}s")
                for run in range(1, runs + 1):
                    reset_queries()
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        result = sweep_report_reminders(today)
                        took = time.perf_counter() - started
                    lines.append(
                        f"sweep {run}: {took:.2f}s, {len(queries)} queries, "
                        f"{result.allocations_due:,} allocations due, {result.messages:,} messages"
                    )
                raise _Rollback
        except _Rollback:
            pass
        lines.append(f"database: {connection.vendor}; generated rows rolled back")
        for line in lines:
            self.stdout.write(line)
