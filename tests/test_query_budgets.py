"""Query budgets of the pages made fast for large data: each page runs a fixed number of queries
however many rows are behind it, and lists that grow are paged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coordinators.querysets import COUNTRY_PAGE_SIZE
from groups.models import Activity

from . import factories as f

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_my_cases_budget_holds_with_thousands_of_actions(world, client_for):
    client = client_for("holder_x")
    few, _ = queries(client, "/groups/my-cases/")
    allocation = world.allocation_x
    Activity.objects.bulk_create(
        Activity(allocation=allocation, kind=Activity.Kind.APPEAL_LETTER, date=timezone.localdate())
        for _ in range(2000)
    )
    many, html = queries(client, "/groups/my-cases/")
    assert many == few <= 11
    assert world.case_x.reference in html


def test_coordinator_home_pages_each_country(world, client_for):
    client = client_for("coordinator_a")
    for _ in range(COUNTRY_PAGE_SIZE + 5):
        case = f.CaseFactory(
            country=world.country_a, coordinator=world.coordinator_a.coordinator_profile
        )
        f.AllocationFactory(case=case)
    first, html = queries(client, "/coordinator/")
    assert "More cases" in html
    assert "page-" in html
    # The first page shows a page of cases, not all of them.
    assert html.count('class="card card-case') == COUNTRY_PAGE_SIZE
    # The next page of the country shows the rest.
    param = f"page-{world.country_a.iso_code.lower()}"
    response = client.get(f"/coordinator/?{param}=2")
    assert response.status_code == 200
    rest = response.content.decode()
    assert "Earlier cases" in rest
    assert rest.count('class="card card-case') >= 5
    # More cases behind the page cost no more queries.
    for _ in range(COUNTRY_PAGE_SIZE):
        case = f.CaseFactory(
            country=world.country_a, coordinator=world.coordinator_a.coordinator_profile
        )
        f.AllocationFactory(case=case)
    again, _ = queries(client, "/coordinator/")
    assert again == first


def test_a_page_number_out_of_range_or_garbage_shows_a_page(world, client_for):
    client = client_for("coordinator_a")
    param = f"page-{world.country_a.iso_code.lower()}"
    for value in ("999", "abc", "-1", ""):
        assert client.get(f"/coordinator/?{param}={value}").status_code == 200
