"""The coordinator's home: cases by country, each group's holder, last action, report state,
unread updates and quiet flag; holder changes; a query count that does not grow with cases."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import HolderChange
from coordinators.services import publish_update
from groups.yearly import add_years

from .. import factories as f
from .helpers import make_report, make_update

pytestmark = pytest.mark.django_db


def add_cases(world, n):
    for _ in range(n):
        case = f.CaseFactory(country=world.country_a, max_groups=3)
        for _ in range(2):
            allocation = f.AllocationFactory(case=case, holder=f.UserFactory())
            f.ActivityFactory(allocation=allocation)
            make_report(allocation, status="submitted")
        update = make_update(case, world.coordinator_a)
        publish_update(update, actor=world.coordinator_a)
        make_update(case, world.coordinator_a)
        HolderChange.objects.create(allocation=allocation, to_user=world.holder_x)


def count_queries(client):
    client.get("/")  # the first request after a login also records it in the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_cases(world, client_for, django_assert_max_num_queries):
    client = client_for("coordinator_a")
    add_cases(world, 2)
    few = count_queries(client)
    add_cases(world, 6)
    many = count_queries(client)
    assert many == few
    with django_assert_max_num_queries(20):
        client.get("/")
    assert client.get("/coordinator/reports/").status_code == 200
    with CaptureQueriesContext(connection) as small:
        client.get("/coordinator/reports/")
    add_cases(world, 3)
    with CaptureQueriesContext(connection) as large:
        client.get("/coordinator/reports/")
    assert len(large) == len(small)


def test_confidential_cards_are_named_with_one_question_for_the_page(world, client_for):
    def add_confidential(n):
        for _ in range(n):
            case = f.CaseFactory(country=world.country_a, sensitivity="confidential")
            f.AllocationFactory(case=case, holder=f.UserFactory())

    client = client_for("coordinator_a")
    add_confidential(1)
    one = count_queries(client)
    add_confidential(5)
    six = count_queries(client)

    assert six == one
    # The coordinator of the case's country may read each name.
    html = client.get("/").content.decode()
    for case in world.country_a.cases.filter(sensitivity="confidential"):
        assert case.title in html


def test_home_shows_report_states_and_quiet_groups(world, client_for):
    today = timezone.localdate()
    overdue = world.allocation_x
    overdue.started_on = today - timedelta(days=400)
    overdue.save()
    f.ActivityFactory(allocation=overdue, date=today - timedelta(days=200))
    due_soon_case = f.CaseFactory(country=world.country_a, title="Due soon case")
    f.AllocationFactory(case=due_soon_case, started_on=today - timedelta(days=350))
    received_case = f.CaseFactory(country=world.country_a, title="Received case")
    received = f.AllocationFactory(case=received_case, started_on=today - timedelta(days=380))
    make_report(received, status="submitted")
    html = client_for("coordinator_a").get("/").content.decode()
    assert f"overdue since {add_years(overdue.started_on, 1):%-d %b %Y}" in html
    assert "Quiet: no action for 182 days" in html
    assert "received, waiting for your acknowledgement" in html
    soon = add_years(today - timedelta(days=350), 1)
    assert re.search(rf"Yearly report:\s+due {soon:%-d %b %Y}", html)
    assert "Case of Y" not in html  # another coordinator's country


def test_holder_changes_on_my_cases_appear(world, client_for):
    HolderChange.objects.create(
        allocation=world.allocation_x, from_user=world.holder_x, to_user=world.member_x
    )
    HolderChange.objects.create(allocation=world.allocation_y, to_user=world.member_y)
    html = client_for("coordinator_a").get("/").content.decode()
    assert "Casefile holder changes" in html
    assert "Hana Holder → <strong>Max Member</strong>" in html
    assert "Yara Member" not in html
