"""Every URL for every persona: who gets the page, who is sent to login, who gets a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import PERSONAS

pytestmark = pytest.mark.django_db

# For each URL, the personas that get a 200; anonymous always goes to login; others get 404
# (or 403 where noted), never a hint that the object exists.
CASE_ACCESS = {
    "case_x": {"staff", "coordinator_a", "holder_x", "member_x"},
    "case_y": {"staff", "coordinator_b", "member_y"},
    "case_unallocated_a": {"staff", "coordinator_a"},
    "case_confidential_x": {"staff", "coordinator_a", "holder_x", "member_x"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case_name", list(CASE_ACCESS))
def test_case_page_is_404_unless_allowed(world, client_for, persona, case_name):
    case = getattr(world, case_name)
    # The old address sends each role on to its own case page.
    response = client_for(persona).get(
        reverse("cases:detail", args=[case.reference]), follow=persona != "anonymous"
    )
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif persona in CASE_ACCESS[case_name]:
        assert response.status_code == 200
        assert case.reference in response.content.decode()
    else:
        assert response.status_code == 404


RECORD_ACCESS = {
    "allocation_x": {"holder_x", "member_x"},
    "allocation_y": {"member_y"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("allocation_name", list(RECORD_ACCESS))
def test_record_action_only_for_the_groups_members(world, client_for, persona, allocation_name):
    allocation = getattr(world, allocation_name)
    response = client_for(persona).get(reverse("groups:record_action", args=[allocation.pk]))
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in RECORD_ACCESS[allocation_name]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_answers_every_persona(world, client_for, persona):
    response = client_for(persona).get("/")
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next=/"
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_invite_page_is_for_staff_only(world, client_for, persona):
    response = client_for(persona).get(reverse("accounts:invite"))
    expected = {"staff": 200, "anonymous": 302}.get(persona, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_for_staff_only(world, client_for, persona):
    response = client_for(persona).get("/admin/")
    if persona == "staff":
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or "login" in response["Location"]


def test_healthz_needs_no_login(world, client):
    response = client.get("/healthz")
    assert response.status_code in (200, 503)
    assert response["Content-Type"] == "application/json"


def test_draft_case_is_hidden_from_groups(world, client_for):
    world.case_x.status = "draft"
    world.case_x.save()
    assert client_for("member_x").get(f"/cases/{world.case_x.reference}/").status_code == 404
    assert client_for("staff").get(f"/staff/cases/{world.case_x.reference}/").status_code == 200


def test_group_loses_sight_of_a_case_when_its_allocation_ends(world, client_for):
    from django.utils import timezone

    allocation = world.allocation_x
    allocation.status = "ended"
    allocation.end_reason = "relinquished"
    allocation.ended_on = timezone.localdate()
    allocation.save()
    assert client_for("member_x").get(f"/cases/{world.case_x.reference}/").status_code == 404
