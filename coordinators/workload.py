"""Each country coordinator's workload: the open cases named to them, the groups on those cases,
the yearly reports waiting for them and the updates they have had to write.

Counted per coordinator in one query, each figure a subquery rather than a join: joining cases,
allocations, reports and updates together multiplies the rows by each other, so the numbers
would be wrong and the page would slow with every report a group sends.

Each subquery starts from the coordinator's cases in the (coordinator, status) index, which also
holds the case's counters (`cases.counts`): the cases are read from the index alone, and a case
with no open allocation is not looked up in the allocations at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from cases.models import Allocation, Case
from groups.models import AnnualReport

from .models import CaseUpdate, CountryCoordinator

# "Updates in the last 6 months": half a year of days, so the window does not shift with the
# lengths of the months it spans.
RECENT_UPDATE_DAYS = 183


def _count(rows: QuerySet[Any], by: str, field: str = "pk", *, distinct: bool = False) -> Coalesce:
    # `rows` are filtered to one coordinator through `by`; grouping by it gives one row (or none,
    # hence the 0) per coordinator.
    counted = rows.order_by().values(by).annotate(n=Count(field, distinct=distinct)).values("n")
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def coordinator_workloads() -> QuerySet[CountryCoordinator]:
    """Every coordinator annotated with `cases`, `groups`, `reports_waiting` and
    `recent_updates`, by name."""
    return (
        CountryCoordinator.objects.select_related("user")
        .annotate(**_figures())
        .order_by("user__full_name", "pk")
    )


def _figures() -> dict[str, Coalesce]:
    """The four figures of the outer coordinator, each a count over their cases."""
    since = timezone.now() - timedelta(days=RECENT_UPDATE_DAYS)
    cases = Case.objects.filter(coordinator=OuterRef("pk"), status=Case.Status.OPEN)
    allocations = Allocation.objects.filter(
        case__coordinator=OuterRef("pk"),
        case__status=Case.Status.OPEN,
        # The case's own counter of offered and active allocations: a case with none has no
        # group on it, so it is not looked up in the allocations.
        case__open_allocations__gt=0,
        status=Allocation.Status.ACTIVE,
    )
    reports = AnnualReport.objects.filter(
        allocation__case__coordinator=OuterRef("pk"), status=AnnualReport.Status.SUBMITTED
    )
    updates = CaseUpdate.objects.filter(
        case__coordinator=OuterRef("pk"),
        status=CaseUpdate.Status.PUBLISHED,
        published_at__gte=since,
    )
    return {
        "cases_open": _count(cases, "coordinator", "*"),
        "groups": _count(allocations, "case__coordinator", "group", distinct=True),
        "reports_waiting": _count(reports, "allocation__case__coordinator", "*"),
        "recent_updates": _count(updates, "case__coordinator", "*"),
    }


FIGURES = ("cases_open", "groups", "reports_waiting", "recent_updates")


@dataclass(frozen=True)
class Workload:
    cases_open: int
    groups: int
    reports_waiting: int
    recent_updates: int


def workload_of(user: User) -> Workload | None:
    """`user`'s own figures, or None when they are not a coordinator."""
    # Their own row alone, without the user and the ordering the staff list needs.
    row = CountryCoordinator.objects.filter(user=user).annotate(**_figures()).values(*FIGURES)
    figures = row.order_by().first()
    return Workload(**figures) if figures else None
