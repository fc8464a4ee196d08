"""A coordinator's figures, counted in the database from their cases' index and counters, equal a
plain recount of the rows in Python, over a world with every kind of case, report and update."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.counts import refresh_case_counters
from cases.models import Allocation, Case
from coordinators.models import CaseUpdate
from coordinators.workload import RECENT_UPDATE_DAYS, Workload, coordinator_workloads, workload_of
from groups.models import AnnualReport

from .. import factories as f

pytestmark = pytest.mark.django_db

START = date(2023, 1, 1)


def recount(coordinator) -> Workload:
    """The figures from the rows, one case at a time, without the counters or the index."""
    since = timezone.now() - timedelta(days=RECENT_UPDATE_DAYS)
    cases = list(Case.objects.filter(coordinator=coordinator))
    open_cases = [case for case in cases if case.status == Case.Status.OPEN]
    groups = {
        allocation.group_id
        for case in open_cases
        for allocation in case.allocations.all()
        if allocation.status == Allocation.Status.ACTIVE
    }
    reports = [
        report
        for case in cases
        for allocation in case.allocations.all()
        for report in allocation.annual_reports.all()
        if report.status == AnnualReport.Status.SUBMITTED
    ]
    updates = [
        update
        for case in cases
        for update in case.updates.all()
        if update.status == CaseUpdate.Status.PUBLISHED and update.published_at >= since
    ]
    return Workload(len(open_cases), len(groups), len(reports), len(updates))


def report(allocation, status, year):
    now = timezone.now()
    return AnnualReport.objects.create(
        allocation=allocation,
        period_start=date(year, 1, 1),
        period_end=date(year + 1, 1, 1),
        status=status,
        submitted_at=None if status == AnnualReport.Status.DRAFT else now,
        acknowledged_at=now if status == AnnualReport.Status.ACKNOWLEDGED else None,
    )


def update(case, days_ago, status=CaseUpdate.Status.PUBLISHED):
    published = status == CaseUpdate.Status.PUBLISHED
    return CaseUpdate.objects.create(
        case=case,
        title="News",
        body="Body",
        status=status,
        published_at=timezone.now() - timedelta(days=days_ago) if published else None,
    )


def build(coordinator, country, shared_group):
    """One coordinator's cases of every status, with groups, reports and updates of each kind."""
    statuses = [Case.Status.OPEN] * 3 + [Case.Status.PAUSED, Case.Status.CLOSED, Case.Status.DRAFT]
    for index, status in enumerate(statuses):
        extra = {}
        if status == Case.Status.CLOSED:
            extra = {"closed_at": timezone.now(), "closing_reason": Case.ClosingReason.RESOLVED}
        case = f.CaseFactory(
            country=country, coordinator=coordinator, status=status, max_groups=5, **extra
        )
        # The same group on two open cases counts once; an offered group is not working yet.
        active = f.AllocationFactory(case=case, group=shared_group, started_on=START)
        other = f.AllocationFactory(case=case, started_on=START)
        f.AllocationFactory(case=case, status=Allocation.Status.OFFERED, started_on=None)
        f.AllocationFactory(
            case=case,
            status=Allocation.Status.ENDED,
            ended_on=START + timedelta(days=30),
            end_reason=Allocation.EndReason.RELINQUISHED,
            started_on=START,
        )
        report(active, AnnualReport.Status.ACKNOWLEDGED, 2023)
        report(active, AnnualReport.Status.SUBMITTED, 2024)
        report(other, [AnnualReport.Status.SUBMITTED, AnnualReport.Status.DRAFT][index % 2], 2023)
        update(case, 5 + index)
        update(case, RECENT_UPDATE_DAYS + 10)  # before the window
        update(case, 0, status=CaseUpdate.Status.DRAFT)
    # An open case nobody works on and nobody has written about.
    f.CaseFactory(country=country, coordinator=coordinator)


def test_the_figures_equal_a_recount_of_the_rows(world):
    ada = f.CoordinatorFactory(user__full_name="Ada", countries=[world.country_a])
    ben = f.CoordinatorFactory(user__full_name="Ben", countries=[world.country_a])
    shared = f.GroupFactory()
    build(ada, world.country_a, shared)
    build(ben, world.country_a, shared)
    refresh_case_counters(Case.objects.values_list("pk", flat=True))

    expected = recount(ada)
    assert expected == Workload(cases_open=4, groups=4, reports_waiting=9, recent_updates=6)
    assert workload_of(ada.user) == expected
    rows = {row.pk: row for row in coordinator_workloads()}
    for coordinator in (ada, ben):
        row = rows[coordinator.pk]
        figures = (row.cases_open, row.groups, row.reports_waiting, row.recent_updates)
        assert Workload(*figures) == recount(coordinator)


def test_a_case_with_no_open_allocation_is_not_asked_for_groups(world):
    """The groups figure trusts the case's counter: a case whose counter says no allocation is
    open is skipped, as `check_case_counters` keeps the counter true to the rows."""
    ada = f.CoordinatorFactory(countries=[world.country_a])
    case = f.CaseFactory(country=world.country_a, coordinator=ada)
    f.AllocationFactory(case=case)
    assert workload_of(ada.user).groups == 1
    Case.objects.filter(pk=case.pk).update(open_allocations=0)
    assert workload_of(ada.user).groups == 0
    refresh_case_counters([case.pk])
    assert workload_of(ada.user).groups == 1
