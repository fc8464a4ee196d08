"""Generated rows at scale for the benchmarks and the sweep tests, far beyond the demo data set.

Everything is made with bulk inserts and named so that it cannot be mistaken for demo data
(`Bench Group 00001`, `bench-3`, `@bench.example`).
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.counts import refresh_case_counters
from cases.models import Allocation, Case, Country, Region
from groups.models import Activity, LocalGroup, Membership
from groups.yearly import add_years
from iar_site.models import AuditEntry

MARK = "bench-scale"


def add_scale_data(n_groups: int, n_cases: int, n_activities: int) -> None:
    """Groups (one member each), open cases, active allocations and appeal letters on top of the
    demo data, once per database: the audit entry MARK records that they are there."""
    if AuditEntry.objects.filter(action=MARK).exists():
        return
    rng = Random(7)
    today = timezone.localdate()
    countries = list(Country.objects.all())
    with transaction.atomic():
        groups = LocalGroup.objects.bulk_create(
            LocalGroup(
                name=f"Bench Group {i:05d}",
                town=f"Town {i}",
                postal_address="1 Bench St",
                contact_email=f"bench{i}@bench.example",
                capacity=rng.randint(1, 4),
            )
            for i in range(n_groups)
        )
        users = User.objects.bulk_create(
            User(
                email=f"bench.member{i}@bench.example",
                full_name=f"Bench Member {i}",
                password="!",
            )
            for i in range(n_groups)
        )
        Membership.objects.bulk_create(
            Membership(user=u, group=g) for u, g in zip(users, groups, strict=True)
        )
        cases = Case.objects.bulk_create(
            Case(
                reference=f"BENCH-{i:05d}",
                title=f"Bench case {i}",
                country=rng.choice(countries),
                status=Case.Status.OPEN,
                max_groups=2,
                summary="Generated for the benchmark.",
            )
            for i in range(n_cases)
        )
        allocations = Allocation.objects.bulk_create(
            Allocation(
                case=case,
                group=groups[i % n_groups],
                status=Allocation.Status.ACTIVE,
                holder=users[i % n_groups],
                started_on=today - timedelta(days=rng.randint(30, 2000)),
            )
            for i, case in enumerate(cases[: min(n_cases, n_groups * 2)])
        )
        refresh_case_counters(a.case_id for a in allocations)
        Activity.objects.bulk_create(
            (
                Activity(
                    allocation=allocations[i % len(allocations)],
                    kind="appeal_letter",
                    date=today - timedelta(days=rng.randint(0, 1000)),
                    count=rng.randint(1, 20),
                )
                for i in range(n_activities)
            ),
            batch_size=5000,
        )
        AuditEntry.objects.create(action=MARK, object_type="bench", object_id="0")


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
    overdue_days=0: all due today). Made in bulk, for tests and the sweep benchmark."""
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
    allocations = Allocation.objects.bulk_create(
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
    # Written in bulk, past the services: the cases' counters are set here.
    refresh_case_counters(case.pk for case in cases)
    return allocations
