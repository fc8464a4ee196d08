"""The staff lists, matching and allocating pages, and who may reach them."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from cases.models import Allocation, Case, SavedView
from groups.models import CaseRequest

from .. import factories as f
from ..conftest import PERSONAS

pytestmark = pytest.mark.django_db


def staff_urls(world):
    ref = world.case_unallocated_a.reference
    request = CaseRequest.objects.create(group=world.group_y, number=1, meeting_date="2099-01-01")
    return [
        reverse("staff:case_list"),
        reverse("staff:group_list"),
        reverse("staff:case", args=[ref]),
        reverse("staff:match_groups", args=[ref]),
        reverse("staff:allocate", args=[ref, world.group_y.pk]),
        reverse("staff:stop_case", args=[ref]),
        reverse("staff:group", args=[world.group_y.pk]),
        reverse("staff:relinquish_requests"),
        reverse("staff:stop_confirmations"),
        reverse("case_requests:case_requests"),
        reverse("case_requests:case_request", args=[request.pk]),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_pages_are_forbidden_to_anyone_else(world, client_for, persona):
    client = client_for(persona)
    for url in staff_urls(world):
        response = client.get(url)
        if persona == "staff":
            assert response.status_code == 200, url
        elif persona == "anonymous":
            assert response.status_code == 302, url
        else:
            assert response.status_code == 403, url


@pytest.mark.parametrize("persona", ["member_x", "coordinator_a", "outsider"])
def test_only_staff_can_allocate_stop_or_pause(world, client_for, persona):
    client = client_for(persona)
    ref = world.case_unallocated_a.reference
    client.post(reverse("staff:allocate", args=[ref, world.group_x.pk]), {"how": "direct"})
    client.post(reverse("staff:stop_case", args=[ref]), {"reason": "resolved", "confirm": "on"})
    client.post(reverse("staff:pause_case", args=[ref]))
    assert not Allocation.objects.filter(case=world.case_unallocated_a).exists()
    assert Case.objects.get(pk=world.case_unallocated_a.pk).status == "open"


@pytest.mark.parametrize("bad", ["abc", "999999999999", "", "-1"])
def test_bad_input_never_500s(world, client_for, bad):
    client = client_for("staff")
    ref = world.case_unallocated_a.reference
    assert (
        client.post(
            reverse("staff:allocate", args=[ref, world.group_y.pk]), {"how": bad, "holder": bad}
        ).status_code
        == 200
    )
    assert client.get(
        reverse("staff:case_list"), {"region": bad, "theme": bad, "allocation": bad, "page": bad}
    ).status_code in (200, 404)
    assert client.post(reverse("staff:stop_case", args=[ref]), {"reason": bad}).status_code == 200


def test_case_list_filters_search_sort_and_export(world, client_for):
    client = client_for("staff")
    url = reverse("staff:case_list")
    html = client.get(url, {"allocation": "unallocated"}).content.decode()
    assert world.case_unallocated_a.reference in html
    assert world.case_x.reference not in html
    html = client.get(url, {"q": "Case of Y"}).content.decode()
    assert world.case_y.reference in html and world.case_x.reference not in html
    html = client.get(url, {"sensitivity": "confidential"}).content.decode()
    assert world.case_confidential_x.reference in html and world.case_y.reference not in html
    html = client.get(url, {"country": world.country_b.pk}).content.decode()
    assert world.case_y.reference in html and world.case_x.reference not in html
    html = client.get(url, {"sort": "-reference"}).content.decode()
    assert html.index("IAR-2026-104") < html.index("IAR-2026-101")
    response = client.get(url, {"country": world.country_a.pk, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Reference", "Name"]
    assert {r[0] for r in rows[1:]} == {"IAR-2026-101", "IAR-2026-103", "IAR-2026-104"}


def test_export_escapes_formulas_in_csv_and_xlsx(world, client_for):
    f.CaseFactory(reference="IAR-2026-900", title='=HYPERLINK("http://evil")')
    client = client_for("staff")
    url = reverse("staff:case_list")
    csv_body = client.get(url, {"q": "IAR-2026-900", "export": "csv"}).content.decode()
    assert "'=HYPERLINK" in csv_body
    xlsx = client.get(url, {"q": "IAR-2026-900", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=2).value.startswith("'=HYPERLINK")


def test_export_is_the_page_on_screen(world, client_for):
    for _ in range(30):
        f.CaseFactory()
    client = client_for("staff")
    first = client.get(reverse("staff:case_list"), {"export": "csv"}).content.decode()
    second = client.get(reverse("staff:case_list"), {"export": "csv", "page": 2}).content.decode()
    assert len(first.strip().splitlines()) == 26  # header + 25 on screen
    assert len(second.strip().splitlines()) == 1 + Case.objects.count() - 25


def test_saved_views_are_per_user(world, client_for):
    client = client_for("staff")
    response = client.post(
        reverse("staff:save_view"),
        {"name": "Unallocated", "query": "allocation=unallocated", "list_name": "cases"},
        follow=True,
    )
    assert "Saved the view" in response.content.decode()
    view = SavedView.objects.get(user=world.staff)
    assert view.query == "allocation=unallocated"
    html = client.get(reverse("staff:case_list")).content.decode()
    assert 'href="?allocation=unallocated"' in html
    other = f.StaffFactory()
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    assert "Unallocated</a>" not in other_client.get(reverse("staff:case_list")).content.decode()
    assert other_client.post(reverse("staff:delete_view", args=[view.pk])).status_code == 404
    client.post(reverse("staff:delete_view", args=[view.pk]))
    assert not SavedView.objects.exists()


@pytest.mark.parametrize("size", [3, 40])
def test_lists_have_a_query_budget(world, client_for, size, django_assert_max_num_queries):
    for _ in range(size):
        case = f.CaseFactory(coordinator=world.coordinator_a.coordinator_profile)
        case.themes.add(f.ThemeFactory())
        f.GroupFactory()
    client = client_for("staff")
    # The first request after logging in stamps the session's last-seen time (at most once a
    # minute); the budget is for the requests after it.
    client.get(reverse("staff:case_list"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("staff:case_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("staff:group_list")).status_code == 200
    with django_assert_max_num_queries(16):
        url = reverse("staff:match_groups", args=[world.case_unallocated_a.reference])
        assert client.get(url).status_code == 200


def test_stop_in_the_browser(world, client_for):
    client = client_for("staff")
    url = reverse("staff:stop_case", args=[world.case_x.reference])
    response = client.post(url, {"reason": "person_request"})
    assert "Tick the box to confirm." in response.content.decode()
    response = client.post(url, {"reason": "person_request", "confirm": "on"}, follow=True)
    assert "is stopped" in response.content.decode()
    page = client.get(reverse("staff:stop_confirmations")).content.decode()
    assert "Group X" in page


def test_pause_and_resume_buttons(world, client_for):
    client = client_for("staff")
    client.post(reverse("staff:pause_case", args=[world.case_x.reference]))
    assert Case.objects.get(pk=world.case_x.pk).status == "paused"
    client.post(reverse("staff:resume_case", args=[world.case_x.reference]))
    assert Case.objects.get(pk=world.case_x.pk).status == "open"


def test_relinquish_requests_page_confirms(world, client_for):
    allocation = world.allocation_x
    client_for("member_x").post(
        reverse("cases:relinquish", args=[world.case_x.reference]), {"reason": "We disbanded"}
    )
    client = client_for("staff")
    assert "We disbanded" in client.get(reverse("staff:relinquish_requests")).content.decode()
    client.post(reverse("staff:confirm_relinquish", args=[allocation.pk]))
    allocation.refresh_from_db()
    assert allocation.end_reason == "relinquished"
    page = client.get(reverse("staff:match_groups", args=[world.case_x.reference])).content.decode()
    assert "Group Y" in page.split("could take it")[1]
    assert "Group X" not in page.split("could take it")[1]
