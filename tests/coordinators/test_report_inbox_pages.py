"""The report inbox is paged, 25 to a list: reports waiting and overdue reports each have their
own page links, which keep the other list's page, and the page costs the same queries however
many reports and allocations are behind it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation
from coordinators.inbox import INBOX_PAGE_SIZE, OVERDUE_PARAM, WAITING_PARAM
from groups.models import AnnualReport
from groups.yearly import ReportState, report_due, with_report_due
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("coordinators:report_inbox")


def _allocation(world, days_ago: int) -> Allocation:
    case = f.CaseFactory(
        country=world.country_a, coordinator=world.coordinator_a.coordinator_profile
    )
    return f.AllocationFactory(
        case=case, started_on=timezone.localdate() - timedelta(days=days_ago)
    )


def _waiting(world, count: int) -> None:
    for i in range(count):
        allocation = _allocation(world, 800 + i)
        AnnualReport.objects.create(
            allocation=allocation,
            period_start=allocation.started_on,
            period_end=allocation.started_on + timedelta(days=365),
            status=AnnualReport.Status.SUBMITTED,
            submitted_at=timezone.now() - timedelta(days=i),
        )


def _overdue(world, count: int) -> None:
    for i in range(count):
        _allocation(world, 400 + i)  # a year and more without a report


def _items(html: str, section: str) -> int:
    part = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return part.count('class="list-group-item"')


def _queries(client, params=None) -> tuple[int, str]:
    client.get(URL, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_inbox_costs_the_same_queries_at_two_sizes(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("coordinator_a")
    _waiting(world, 3)
    _overdue(world, 3)
    few, html = _queries(client)
    assert _items(html, "waiting") == 3
    assert _items(html, "overdue") == 3
    assert "Next page" not in html
    _waiting(world, 40)
    _overdue(world, 40)
    with django_assert_max_num_queries(few):
        response = client.get(URL)
    html = response.content.decode()
    assert _items(html, "waiting") == INBOX_PAGE_SIZE
    assert _items(html, "overdue") == INBOX_PAGE_SIZE
    # The badges count them all, the page says which ones it shows.
    assert '<span class="badge text-bg-secondary">43</span>' in html
    assert "Reports waiting 1 to 25 of 43." in html
    assert "Overdue reports 1 to 25 of 43." in html


def test_each_list_pages_on_its_own_and_keeps_the_other_page(world, client_for):
    client = client_for("coordinator_a")
    _waiting(world, 30)
    _overdue(world, 30)
    html = client.get(URL).content.decode()
    links = re.findall(r'href="(\?[^"#]*)#(waiting|overdue)"', html)
    assert ("?waiting-page=2", "waiting") in links
    assert ("?overdue-page=2", "overdue") in links
    assert '<nav aria-label="Pages of reports waiting"' in html
    assert 'Next page<span class="visually-hidden"> of overdue reports</span>' in html
    html = client.get(URL, {WAITING_PARAM: 2}).content.decode()
    assert _items(html, "waiting") == 5
    assert _items(html, "overdue") == INBOX_PAGE_SIZE
    # From the second page of one list, the other's next page keeps it.
    assert f"?{WAITING_PARAM}=2&amp;{OVERDUE_PARAM}=2#overdue" in html
    assert f"?{WAITING_PARAM}=1#waiting" in html
    for garbage in ("999", "abc", "-1", ""):
        response = client.get(URL, {WAITING_PARAM: garbage, OVERDUE_PARAM: garbage})
        assert response.status_code == 200


def test_the_overdue_list_is_the_rule_applied_to_every_active_allocation(world, client_for):
    client = client_for("coordinator_a")
    _waiting(world, 4)  # a report waiting: not overdue, whatever its date
    _overdue(world, 30)
    for days in (10, 300, 364):  # not yet due
        _allocation(world, days)
    today = timezone.localdate()
    expected = []
    for allocation in with_report_due(
        Allocation.objects.active().filter(case__country=world.country_a)
    ).select_related("case"):
        waiting = allocation.annual_reports.filter(status=AnnualReport.Status.SUBMITTED).exists()
        due = report_due(allocation.started_on, allocation.reports_in, today)
        if not waiting and due and due.state == ReportState.OVERDUE:
            expected.append((due.on, allocation.case.reference))
    expected.sort()
    shown = []
    for number in (1, 2):
        html = client.get(URL, {OVERDUE_PARAM: number}).content.decode()
        part = html.split('id="overdue"', 1)[1].split("</section>", 1)[0]
        shown += re.findall(r'<a href="/coordinator/cases/[^"]+/">([^<]+)</a>', part)
    assert shown == [reference for _, reference in expected]
    assert len(shown) == 30
