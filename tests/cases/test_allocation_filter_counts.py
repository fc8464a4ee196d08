"""The staff case list's "Groups" filter (allocated, under-allocated, unallocated) counts open
allocations with one subquery a case: the cases it keeps are exactly those the rule keeps when
counted row by row, and the page costs the same queries however many cases are behind it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.counts import open_count
from cases.filters import CaseFilter
from cases.models import Allocation, Case
from tests import factories as f

pytestmark = pytest.mark.django_db

OPEN = (Allocation.Status.OFFERED, Allocation.Status.ACTIVE)


def _ended(case, group) -> Allocation:
    return f.AllocationFactory(
        case=case,
        group=group,
        status=Allocation.Status.ENDED,
        ended_on=timezone.localdate(),
        end_reason=Allocation.EndReason.RELINQUISHED,
    )


def _mixed_cases(world, prefix: str) -> None:
    """Cases of every shape: no group, ended work only, some places taken, all taken."""
    groups = [f.GroupFactory() for _ in range(3)]
    for max_groups in (1, 2, 3):
        for taken in range(max_groups + 1):
            case = f.CaseFactory(
                reference=f"{prefix}-{max_groups}{taken}",
                country=world.country_a,
                max_groups=max_groups,
            )
            for i in range(taken):
                status = OPEN[i % 2]
                f.AllocationFactory(
                    case=case,
                    group=groups[i],
                    status=status,
                    started_on=timezone.localdate(),
                )
            if taken < len(groups):
                _ended(case, groups[taken])  # ended work never takes a place


def _by_rows(value: str) -> set[int]:
    """The rule counted in Python, allocation by allocation."""
    kept = set()
    for case in Case.objects.prefetch_related("allocations"):
        open_groups = sum(1 for a in case.allocations.all() if a.status in OPEN)
        if (
            (value == "allocated" and open_groups >= case.max_groups)
            or (value == "under" and open_groups < case.max_groups)
            or (value == "unallocated" and open_groups == 0)
        ):
            kept.add(case.pk)
    return kept


@pytest.mark.parametrize("value", ["allocated", "under", "unallocated"])
def test_the_filter_keeps_what_the_rule_counted_row_by_row_keeps(world, value):
    _mixed_cases(world, "MIX")
    queryset = Case.objects.annotate(open_groups=open_count("case"))
    kept = set(CaseFilter({"allocation": value}, queryset=queryset).qs.values_list("pk", flat=True))
    assert kept == _by_rows(value)
    assert kept  # every choice keeps some of these cases


def test_the_count_shown_is_the_open_allocations(world):
    _mixed_cases(world, "CNT")
    shown = dict(
        Case.objects.annotate(open_groups=open_count("case")).values_list(
            "reference", "open_groups"
        )
    )
    assert shown["CNT-10"] == 0
    assert shown["CNT-21"] == 1
    assert shown["CNT-33"] == 3
    assert shown[world.case_x.reference] == 1


@pytest.mark.parametrize("value", ["allocated", "under", "unallocated"])
def test_the_filtered_list_costs_the_same_queries_at_two_sizes(
    world, client_for, value, django_assert_max_num_queries
):
    client = client_for("staff")
    url = reverse("staff:case_list")
    params = {"status": "open", "allocation": value, "sort": "-opened_on"}
    _mixed_cases(world, "ONE")
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    few = len(captured)
    for n in range(6):
        _mixed_cases(world, f"MORE{n}")
    with django_assert_max_num_queries(few):
        response = client.get(url, params)
    assert response.status_code == 200
