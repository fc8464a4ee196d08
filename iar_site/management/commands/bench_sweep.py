"""Time the daily report reminder sweep over N generated allocations, then roll them back.

    python manage.py bench_sweep --allocations 100000

The allocations, their groups and cases are made inside one transaction that is rolled back at the
end, so the database is left as it was (nothing is sent: no message survives the rollback).
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Allocation, Case, Country, Region
from groups.models import LocalGroup
from groups.services import add_years
from iar_site.reminders import sweep_report_reminders


class _Rollback(Exception):
    pass


def make_allocations(
    count: int,
    *,
    today: date,
    prefix: str = "b",
    spread_days: int = 365,
    overdue_days: int = 45,
    channel: str = LocalGroup.Channel.EMAIL,
    batch_size: int = 2000,
) -> list[Allocation]:
    """`count` active allocations, one group and one open case each, with no report in, whose
    first report falls due over `spread_days` days starting `overdue_days` ago (spread_days=1,
    overdue_days=0: all due today). Made in bulk, for tests and this benchmark."""
    region, _ = Region.objects.get_or_create(code=f"{prefix}-region", defaults={"name": prefix})
    country, _ = Country.objects.get_or_create(
        iso_code="ZZ", defaults={"name": "Benchmark country", "region": region}
    )
    groups = LocalGroup.objects.bulk_create(
        [
            LocalGroup(
                name=f"{prefix} group {i}",
                town=f"Town {i}",
                postal_address=f"{i} High Street\nTown {i}\nAB1 2CD",
                contact_email=f"{prefix}.group{i}@example.org",
                channel=channel,
            )
            for i in range(count)
        ],
        batch_size=batch_size,
    )
    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"{prefix}-{i}"[:20],
                title=f"Case {i}",
                country=country,
                status=Case.Status.OPEN,
            )
            for i in range(count)
        ],
        batch_size=batch_size,
    )
    first_due = today - timedelta(days=overdue_days)
    return Allocation.objects.bulk_create(
        [
            Allocation(
                case=case,
                group=group,
                status=Allocation.Status.ACTIVE,
                started_on=add_years(first_due + timedelta(days=i % spread_days), -1),
            )
            for i, (case, group) in enumerate(zip(cases, groups, strict=True))
        ],
        batch_size=batch_size,
    )


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
