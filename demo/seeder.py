"""Fill a database with a realistic, entirely fictional data set for demonstrations and manual
tests.

Deterministic (one `random.Random(SEED)`, dates relative to "today") and idempotent: the run writes
an audit entry as its marker, and a database that already has it is left alone. Everything is
written in one transaction with bulk inserts, so it takes seconds on SQLite and PostgreSQL.

A seed is not a business operation: it writes rows directly rather than through the services
(which would send notifications and audit every row), but it respects every rule the database
and the services enforce: one open allocation per case and group, no more open allocations than
a case allows, active work only on open or paused cases, closed cases with their allocations
ended, no activity in the future.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.management.base import CommandError
from django.db import transaction

from accounts.models import User
from cases.counts import counter_mismatches, refresh_all_counters
from cases.models import Allocation, Case, Country
from demo.actions import ActionSteps
from demo.base import DEMO_DOMAIN, GROUP_COUNT, SEED
from demo.cases import CaseSteps
from demo.casework import CaseworkSteps
from demo.conversations import ConversationSteps
from demo.coordination import CoordinationSteps
from demo.local_groups import LocalGroupSteps
from demo.paper import PaperSteps
from demo.places import UK_TOWNS
from demo.privacy import PrivacySteps
from demo.reference import ReferenceSteps
from demo.reporting import ReportingSteps
from groups.models import Activity, LocalGroup
from iar_site import audit
from iar_site.models import AuditEntry

SENTINEL_ACTION = "demo.seeded"


class Seeder(
    ReferenceSteps,
    LocalGroupSteps,
    CaseSteps,
    CaseworkSteps,
    CoordinationSteps,
    ConversationSteps,
    ActionSteps,
    PaperSteps,
    ReportingSteps,
    PrivacySteps,
):
    """Every step of the seed, one mixin per subject. The steps share one random stream, so
    `run` keeps them in a fixed order: reordering them changes the data set."""

    def run(self) -> dict[str, int]:
        self.reference_data()
        self.check_empty()
        self.users()
        self.coordinators()
        self.groups()
        self.cases()
        self.allocations()
        self.activities()
        self.reports()
        self.updates()
        self.conversations()
        self.urgent_actions()
        self.paper_and_private()
        self.import_history()
        self.privacy_history()
        # The rows were written in bulk, past the services that keep the cases' counters.
        refresh_all_counters()
        self.verify()
        return dict(self.created)

    def check_empty(self) -> None:
        names = [f"{town} Amnesty Group" for town, _ in UK_TOWNS[:GROUP_COUNT]]
        if (
            User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}").exists()
            or LocalGroup.objects.filter(name__in=names).exists()
        ):
            raise CommandError(
                "The database already holds demo users or groups but no record of a seed: "
                "run seed_demo on an empty database."
            )

    def verify(self) -> None:
        """The promises the demo logins make, checked against the database, not the plan."""
        problems = []
        active_open = Allocation.objects.filter(
            status=Allocation.Status.ACTIVE, case__status=Case.Status.OPEN
        )
        held = active_open.filter(holder=self.holder, group=self.group_objs[0])
        if held.count() < 2:
            problems.append("the demo holder holds fewer than two active cases")
        if not active_open.filter(group__memberships__user=self.member).exists():
            problems.append("the demo member's group has no active case")
        covered = Country.objects.filter(coordinators__user=self.coordinator_user)
        if not active_open.filter(case__country__in=covered).exists():
            problems.append("the demo coordinator has no allocated case")
        demo_cases = Case.objects.filter(pk__in=[s.obj.pk for s in self.specs])
        for name, choices in (
            ("kind", Case.Kind.values),
            ("status", Case.Status.values),
            ("sensitivity", Case.Sensitivity.values),
        ):
            present = set(demo_cases.values_list(name, flat=True))
            if set(choices) - present:
                problems.append(f"no demo case of {name} {sorted(set(choices) - present)}")
        if Activity.objects.filter(date__gt=self.today).exists():
            problems.append("an activity is dated in the future")
        if counter_mismatches():
            problems.append("a case's counters differ from its allocations or updates")
        if problems:
            raise CommandError("Demo data failed its checks: " + "; ".join(problems))


def seeded_at() -> datetime | None:
    """When the demo data was loaded into this database, or None if it never was."""
    marker = AuditEntry.objects.filter(action=SENTINEL_ACTION).first()
    return marker.at if marker is not None else None


def seed(today: date) -> dict[str, int]:
    """Load the demo data built around `today` in one transaction; the number of rows made per
    model."""
    with transaction.atomic():
        seeder = Seeder(today)
        created = seeder.run()
        audit.record(SENTINEL_ACTION, seeder.staff, changes={"created": created, "seed": SEED})
    return created
