"""The staff dashboard's figures: each one is a rule (a queryset of the rows it counts), and the
dashboard counts every rule in the database, a handful of queries however many rows there are.

A number on the dashboard and the list behind it come from the same rule, so the number always
equals the rows of its list. Definitions, as the README's "Reports and data" gives them:

- unallocated: an open case with no group offered or working on it;
- under-allocated: an open case with at least one group but fewer than it allows;
- no case: an active group with no case offered or working;
- spare capacity: an active group with at least one case but fewer than it can take;
- offers waiting: an offer no group has answered yet;
- overdue yearly reports: an active allocation on an open case, of an active group, whose next
  yearly report date (groups/yearly.py) has passed;
- holder changes this month: casefile holder changes made since the first of this month;
- case requests: open requests, by when the group meets (already met, within two weeks, later);
- no coordinator update: open cases whose coordinator has published nothing for N months (a
  younger case counts from the day it opened);
- stopped cases awaiting confirmations: stopped cases where a group has not yet confirmed it
  stopped work;
- the outbox review queue: messages stuck while sending (notifications/outbox.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case as Pick
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from cases.models import Allocation, Case, HolderChange, Region
from groups.models import AnnualReport, CaseRequest, LocalGroup
from groups.yearly import REPORTS_IN
from notifications import outbox

OPEN = (Allocation.Status.OFFERED, Allocation.Status.ACTIVE)
SOON = timedelta(days=14)
SILENCE_MONTHS = (3, 6, 12)
DEFAULT_SILENCE_MONTHS = 6


def _count_of(queryset: QuerySet[Any], key: str) -> Coalesce:
    """A correlated count (no join, so other annotations and aggregates stay correct)."""
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def open_cases() -> QuerySet[Case]:
    # The case's own counter (cases.counts), not a count over its allocations per case.
    return Case.objects.filter(status=Case.Status.OPEN).annotate(open_groups=F("open_allocations"))


def active_groups() -> QuerySet[LocalGroup]:
    # `open_cases` is the group's own counter (cases.counts), not a count per group.
    return LocalGroup.objects.filter(is_active=True)


UNALLOCATED = Q(open_groups=0)
UNDER_ALLOCATED = Q(open_groups__gt=0, open_groups__lt=F("max_groups"))
NO_CASE = Q(open_cases=0)
SPARE = Q(open_cases__gt=0, open_cases__lt=F("capacity"))
OFFERED = Q(status=Allocation.Status.OFFERED)
# The allocations that owe yearly reports, as the reminder sweep reads them.
OWING = Q(
    status=Allocation.Status.ACTIVE,
    started_on__isnull=False,
    case__status=Case.Status.OPEN,
    group__is_active=True,
)
OVERDUE = OWING & Q(reports_in__lt=F("anniversaries"))


def allocations(today: date) -> QuerySet[Allocation]:
    """Allocations annotated with `reports_in` (yearly reports sent) and `anniversaries` (how many
    yearly report dates have passed before today). The next report is due on anniversary
    reports_in + 1, so it is overdue exactly when reports_in < anniversaries; the same rule as
    groups.yearly.report_due, counted in the database."""
    sent = AnnualReport.objects.filter(allocation=OuterRef("pk"), status__in=REPORTS_IN)
    # This year's anniversary has passed when the start's (month, day) is before today's;
    # 29 February falls on the 28th in other years, which this comparison already gives.
    this_year_passed = Q(started_on__month__lt=today.month) | Q(
        started_on__month=today.month, started_on__day__lt=today.day
    )
    anniversaries = (
        Value(today.year)
        - ExtractYear("started_on")
        - Pick(When(this_year_passed, then=Value(0)), default=Value(1))
    )
    return Allocation.objects.annotate(
        reports_in=_count_of(sent, "allocation"),
        anniversaries=Coalesce(anniversaries, Value(0), output_field=IntegerField()),
    )


def month_start(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today.replace(day=1), time.min))


def request_buckets(today: date) -> dict[str, Q]:
    return {
        "requests-past": Q(meeting_date__lt=today),
        "requests-soon": Q(meeting_date__gte=today, meeting_date__lte=today + SOON),
        "requests-later": Q(meeting_date__gt=today + SOON),
    }


def silence_cutoff(months: int, today: date) -> date:
    # Months counted as 30.5 days: a dashboard threshold, not a calendar rule.
    return today - timedelta(days=round(months * 30.5))


def silent_cases(months: int, today: date) -> QuerySet[Case]:
    cutoff_day = silence_cutoff(months, today)
    cutoff = timezone.make_aware(datetime.combine(cutoff_day, time.min))
    # From the case's own `latest_update_at` (kept by publish_update): no update since the
    # cutoff, or none at all on a case opened before it.
    return Case.objects.filter(status=Case.Status.OPEN).filter(
        Q(latest_update_at__lt=cutoff) | Q(latest_update_at__isnull=True, opened_on__lt=cutoff_day)
    )


def stop_waiting() -> QuerySet[Allocation]:
    return Allocation.objects.filter(
        end_reason=Allocation.EndReason.CASE_CLOSED, stop_confirmed_at__isnull=True
    )


def stopped_cases() -> QuerySet[Case]:
    return Case.objects.filter(pk__in=stop_waiting().values("case_id")).annotate(
        waiting_groups=_count_of(stop_waiting().filter(case=OuterRef("pk")), "case")
    )


# ---- The figures and the lists behind them ------------------------------------------------


@dataclass(frozen=True)
class Params:
    today: date
    region: int | None = None
    months: int = DEFAULT_SILENCE_MONTHS


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    kind: str  # which columns its list shows: case, group, allocation, change, request
    rows: Callable[[Params], QuerySet[Any]]
    by_region: bool = False


def _in_region(queryset: QuerySet[Case], params: Params) -> QuerySet[Case]:
    return queryset.filter(country__region=params.region) if params.region else queryset


FIGURES: dict[str, Figure] = {
    figure.slug: figure
    for figure in [
        Figure(
            "unallocated",
            "Open cases with no group",
            "case",
            lambda p: _in_region(open_cases().filter(UNALLOCATED), p),
            by_region=True,
        ),
        Figure(
            "under-allocated",
            "Open cases with room for more groups",
            "case",
            lambda p: _in_region(open_cases().filter(UNDER_ALLOCATED), p),
            by_region=True,
        ),
        Figure(
            "no-case",
            "Active groups with no case",
            "group",
            lambda p: active_groups().filter(NO_CASE),
        ),
        Figure(
            "spare-capacity",
            "Active groups with room for another case",
            "group",
            lambda p: active_groups().filter(SPARE),
        ),
        Figure(
            "offers",
            "Offers waiting for an answer",
            "allocation",
            lambda p: Allocation.objects.filter(OFFERED),
        ),
        Figure(
            "overdue-reports",
            "Yearly reports overdue",
            "allocation",
            lambda p: allocations(p.today).filter(OVERDUE),
        ),
        Figure(
            "holder-changes",
            "Casefile holder changes this month",
            "change",
            lambda p: HolderChange.objects.filter(changed_at__gte=month_start(p.today)),
        ),
        *[
            Figure(
                slug,
                title,
                "request",
                (lambda rule: lambda p: _open_requests().filter(request_buckets(p.today)[rule]))(
                    slug
                ),
            )
            for slug, title in [
                ("requests-past", "Case requests whose meeting has passed"),
                ("requests-soon", "Case requests for a meeting in the next two weeks"),
                ("requests-later", "Case requests for a later meeting"),
            ]
        ],
        Figure(
            "silent",
            "Open cases with no coordinator update",
            "case",
            lambda p: silent_cases(p.months, p.today),
        ),
        Figure(
            "stopped",
            "Stopped cases not yet confirmed by every group",
            "stopped",
            lambda p: stopped_cases(),
        ),
    ]
}


def _open_requests() -> QuerySet[CaseRequest]:
    return CaseRequest.objects.filter(status=CaseRequest.Status.OPEN)


def figure_rows(figure: Figure, params: Params) -> QuerySet[Any]:
    """The rows behind a number, with what their list shows loaded in the same query."""
    rows = figure.rows(params)
    related = {
        "case": ("country", "country__region", "coordinator__user"),
        "stopped": ("country",),
        "group": (),
        "allocation": ("case", "case__country", "group", "holder"),
        "change": ("allocation__case", "allocation__group", "from_user", "to_user", "changed_by"),
        "request": ("group",),
    }[figure.kind]
    order = {
        "case": ("reference",),
        "stopped": ("reference",),
        "group": ("name",),
        "allocation": ("case__reference", "group__name"),
        "change": ("-changed_at",),
        "request": ("meeting_date", "created_at"),
    }[figure.kind]
    if related:
        rows = rows.select_related(*related)
    return rows.order_by(*order)


def counts(params: Params) -> dict[str, Any]:
    """Every number on the dashboard, in a fixed number of queries."""
    by_region: dict[int, tuple[int, int]] = {
        row["country__region"]: (row["unallocated"], row["under"])
        for row in open_cases()
        .values("country__region")
        .annotate(
            unallocated=Count("pk", filter=UNALLOCATED),
            under=Count("pk", filter=UNDER_ALLOCATED),
        )
        .order_by()
    }
    regions = [
        {
            "region": region,
            "unallocated": by_region.get(region.pk, (0, 0))[0],
            "under": by_region.get(region.pk, (0, 0))[1],
        }
        for region in Region.objects.order_by("name")
    ]
    groups = active_groups().aggregate(
        no_case=Count("pk", filter=NO_CASE), spare=Count("pk", filter=SPARE)
    )
    allocation = allocations(params.today).aggregate(
        offers=Count("pk", filter=OFFERED), overdue=Count("pk", filter=OVERDUE)
    )
    requests = _open_requests().aggregate(
        **{
            slug.replace("-", "_"): Count("pk", filter=rule)
            for slug, rule in request_buckets(params.today).items()
        }
    )
    return {
        "regions": regions,
        "unallocated": sum(row["unallocated"] for row in regions),
        "under_allocated": sum(row["under"] for row in regions),
        "no_case": groups["no_case"],
        "spare_capacity": groups["spare"],
        "offers": allocation["offers"],
        "overdue_reports": allocation["overdue"],
        "holder_changes": HolderChange.objects.filter(
            changed_at__gte=month_start(params.today)
        ).count(),
        **requests,
        "silent": silent_cases(params.months, params.today).count(),
        "stopped": stopped_cases().count(),
        "review_queue": outbox.review_queue().count(),
    }
