"""Coordinators' workload: each figure against a hand-built set, the staff page, each coordinator's
own figures on their workspace, who may see what, and the query budget."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Allocation, Case
from coordinators.models import CaseUpdate
from coordinators.workload import Workload, coordinator_workloads, workload_of
from groups.models import AnnualReport
from tests import factories as f

NOW = timezone.make_aware(datetime(2026, 6, 15, 12))
URL = "/staff/workload/"


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def report(allocation, status, start):
    extra = {}
    if status != AnnualReport.Status.DRAFT:
        extra["submitted_at"] = NOW
    if status == AnnualReport.Status.ACKNOWLEDGED:
        extra["acknowledged_at"] = NOW
    return AnnualReport.objects.create(
        allocation=allocation,
        period_start=start,
        period_end=start + timedelta(days=365),
        status=status,
        **extra,
    )


def update(case, published_at, status=CaseUpdate.Status.PUBLISHED):
    return CaseUpdate.objects.create(
        case=case,
        title="News",
        body="Body",
        status=status,
        published_at=published_at if status == CaseUpdate.Status.PUBLISHED else None,
    )


@pytest.fixture
def people(db, travel):
    """Ada has two open cases (three groups on them, one twice), a paused and a closed case;
    Ben has one case and nothing else; Cy has none."""
    kenya = f.CountryFactory(name="Kenya")
    ada = f.CoordinatorFactory(user__full_name="Ada Coordinator", countries=[kenya])
    ben = f.CoordinatorFactory(user__full_name="Ben Coordinator", countries=[kenya])
    cy = f.CoordinatorFactory(user__full_name="Cy Coordinator")
    one, two = (f.CaseFactory(country=kenya, coordinator=ada) for _ in range(2))
    paused = f.CaseFactory(country=kenya, coordinator=ada, status=Case.Status.PAUSED)
    f.CaseFactory(country=kenya, coordinator=ada, status=Case.Status.DRAFT)
    bens = f.CaseFactory(country=kenya, coordinator=ben)
    g1, g2, g3 = f.GroupFactory(), f.GroupFactory(), f.GroupFactory()
    a1 = f.AllocationFactory(case=one, group=g1, started_on=date(2024, 1, 1))
    a2 = f.AllocationFactory(case=one, group=g2, started_on=date(2025, 1, 1))
    a3 = f.AllocationFactory(case=two, group=g1, started_on=date(2025, 1, 1))  # g1 again
    f.AllocationFactory(case=two, group=g3, status=Allocation.Status.OFFERED, started_on=None)
    f.AllocationFactory(case=paused, group=g3, started_on=date(2025, 1, 1))  # paused: not open
    f.AllocationFactory(case=bens, group=g2, started_on=date(2025, 1, 1))

    report(a1, AnnualReport.Status.SUBMITTED, date(2024, 1, 1))
    report(a1, AnnualReport.Status.ACKNOWLEDGED, date(2023, 1, 1))
    report(a2, AnnualReport.Status.SUBMITTED, date(2025, 1, 1))
    report(a3, AnnualReport.Status.DRAFT, date(2025, 1, 1))

    update(one, NOW - timedelta(days=10))
    update(two, NOW - timedelta(days=182))
    update(two, NOW - timedelta(days=184))  # more than 6 months ago
    update(one, None, status=CaseUpdate.Status.DRAFT)
    update(bens, NOW - timedelta(days=1))
    return {"ada": ada, "ben": ben, "cy": cy}


def test_each_coordinators_figures(people):
    rows = {row.user.full_name: row for row in coordinator_workloads()}
    assert list(rows) == ["Ada Coordinator", "Ben Coordinator", "Cy Coordinator"]
    figures = {
        name: (row.cases_open, row.groups, row.reports_waiting, row.recent_updates)
        for name, row in rows.items()
    }
    assert figures == {
        "Ada Coordinator": (2, 2, 2, 2),
        "Ben Coordinator": (1, 1, 0, 1),
        "Cy Coordinator": (0, 0, 0, 0),
    }


def test_a_coordinators_own_figures_and_none_for_others(people, world):
    assert workload_of(people["ada"].user) == Workload(2, 2, 2, 2)
    assert workload_of(world.staff) is None
    assert workload_of(world.member_x) is None


def test_staff_page_lists_every_coordinator_with_links(people, client):
    client.force_login(f.StaffFactory())
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    ada = people["ada"]
    assert f'data-coordinator="{ada.pk}"' in page
    assert f'href="/staff/cases/?coordinator={ada.user_id}&amp;status=open">2<' in page
    assert "Cy Coordinator" in page and "No country" in page
    # The number links to a list with as many rows.
    listed = client.get("/staff/cases/", {"coordinator": ada.user_id, "status": "open"})
    assert listed.status_code == 200
    assert listed.context["table"].paginator.count == 2


def test_the_coordinators_workspace_shows_their_own_figures(people):
    client = Client()
    client.force_login(people["ada"].user)
    response = client.get("/coordinator/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your figures" in page
    assert '<dd class="col-4 col-md-2" data-workload="cases">2</dd>' in page
    assert '<dd class="col-4 col-md-2" data-workload="updates">2</dd>' in page
    staff = Client()
    staff.force_login(f.StaffFactory())
    assert "Your figures" not in staff.get("/coordinator/").content.decode()


@pytest.mark.parametrize("persona", ["coordinator_a", "holder_x", "member_x", "outsider"])
def test_only_staff_see_the_workload_page(world, client_for, persona):
    assert client_for(persona).get(URL).status_code == 403


def test_queries_do_not_grow_with_coordinators(people, client, django_assert_max_num_queries):
    client.force_login(f.StaffFactory())
    client.get(URL)
    counts = []
    for size in (2, 20):
        for _ in range(size):
            country = f.CountryFactory()
            coordinator = f.CoordinatorFactory(countries=[country])
            case = f.CaseFactory(country=country, coordinator=coordinator)
            update(case, NOW - timedelta(days=3))
            report(f.AllocationFactory(case=case), AnnualReport.Status.SUBMITTED, date(2025, 1, 1))
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(8):
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
