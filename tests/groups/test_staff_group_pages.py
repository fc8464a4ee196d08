"""The staff pages about groups: the groups ranked for a case, allocating to one, and the list
of groups with its filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Allocation
from notifications.models import OutboundMessage

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_staff_allocates_from_the_ranking_in_the_browser_flow(world, client_for):
    client = client_for("staff")
    ref = world.case_unallocated_a.reference
    page = client.get(reverse("staff:match_groups", args=[ref])).content.decode()
    assert "Group Y" in page and "Allocate" in page
    response = client.post(
        reverse("staff:allocate", args=[ref, world.group_y.pk]),
        {"how": "direct", "holder": world.member_y.pk},
        follow=True,
    )
    assert "Allocated IAR-2026-103 to Group Y" in response.content.decode()
    allocation = Allocation.objects.get(case=world.case_unallocated_a, group=world.group_y)
    assert (allocation.status, allocation.holder) == ("active", world.member_y)
    assert OutboundMessage.objects.filter(template="allocation-made").exists()


def test_allocate_form_rejects_a_holder_from_another_group(world, client_for):
    response = client_for("staff").post(
        reverse("staff:allocate", args=[world.case_unallocated_a.reference, world.group_y.pk]),
        {"how": "offer", "holder": world.holder_x.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Choose a member of the group." in html
    assert not Allocation.objects.filter(case=world.case_unallocated_a).exists()


def test_full_case_shows_a_clear_message(world, client_for):
    case = f.CaseFactory(max_groups=1)
    f.AllocationFactory(case=case, group=world.group_x)
    response = client_for("staff").post(
        reverse("staff:allocate", args=[case.reference, world.group_y.pk]), {"how": "offer"}
    )
    assert "1 of 1 groups: no place is free" in response.content.decode()


def test_group_list_filters(world, client_for):
    world.group_y.preferred_kind = "community"
    world.group_y.save()
    html = (
        client_for("staff").get(reverse("staff:group_list"), {"kind": "community"}).content.decode()
    )
    assert "Group Y" in html and "Group X" not in html
    html = (
        client_for("staff")
        .get(reverse("staff:group_list"), {"allocation": "allocated"})
        .content.decode()
    )
    assert "Group X" in html and "Group Y" not in html


def test_both_lists_filter_by_coordinator_through_the_case(world, client_for):
    client = client_for("staff")
    coordinator = world.coordinator_b  # covers country B: case Y, worked on by group Y
    html = client.get(reverse("staff:case_list"), {"coordinator": coordinator.pk}).content.decode()
    assert world.case_y.reference in html and world.case_x.reference not in html
    html = client.get(reverse("staff:group_list"), {"coordinator": coordinator.pk}).content.decode()
    assert "Group Y" in html and "Group X" not in html
    # The choices name the coordinators, and only them.
    page = client.get(reverse("staff:group_list")).content.decode()
    choices = page.split('name="coordinator"', 1)[1].split("</select>", 1)[0]
    assert "Ada Coordinator" in choices and "Ben Coordinator" in choices
    assert "Max Member" not in choices
    # Anyone else is not a valid choice (the filter's form says so; no 500).
    response = client.get(reverse("staff:case_list"), {"coordinator": world.member_x.pk})
    assert response.status_code == 200
    assert "coordinator" in response.context["filter"].errors
