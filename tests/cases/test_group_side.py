"""What a group does on its side: answer an offer, name or change its holder, give up a case,
confirm a stop, ask for cases. Other groups' cases stay not found."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Allocation, HolderChange
from groups.models import Membership
from notifications.models import OutboundMessage

from ..conftest import PERSONAS

pytestmark = pytest.mark.django_db


def make_admin(user) -> None:
    # Offers are answered, and holders changed, by a group's administrators.
    Membership.objects.filter(user=user).update(role=Membership.Role.ADMIN)


@pytest.fixture
def offer(world):
    return services.allocate_case(world.case_unallocated_a, world.group_y, actor=world.staff)


def test_group_sees_the_offer_and_accepts_naming_its_holder(world, client_for, offer):
    make_admin(world.member_y)
    client = client_for("member_y")
    case_page = client.get(reverse("groups:case", args=[world.case_unallocated_a.reference]))
    assert "Answer this offer" in case_page.content.decode()
    url = reverse("cases:respond_offer", args=[world.case_unallocated_a.reference])
    response = client.post(url, {"decision": "accept"})
    assert "Choose who will be the casefile holder." in response.content.decode()
    response = client.post(url, {"decision": "accept", "holder": world.member_y.pk}, follow=True)
    assert "with Yara Member as casefile holder" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == "active" and offer.holder == world.member_y


def test_group_declines_with_a_reason(world, client_for, offer):
    make_admin(world.member_y)
    client = client_for("member_y")
    url = reverse("cases:respond_offer", args=[world.case_unallocated_a.reference])
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert "Tell us briefly why" in response.content.decode()
    client.post(url, {"decision": "decline", "reason": "No capacity"})
    offer.refresh_from_db()
    assert offer.end_reason == "declined" and offer.end_notes == "No capacity"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_offered_group_can_answer(world, client_for, persona, offer):
    response = client_for(persona).get(
        reverse("cases:respond_offer", args=[world.case_unallocated_a.reference])
    )
    expected = {"member_y": 200, "anonymous": 302}.get(persona, 404)
    assert response.status_code == expected


def test_member_changes_holder_and_coordinator_and_iar_are_told(world, client_for):
    make_admin(world.member_x)
    client = client_for("member_x")
    url = reverse("cases:change_holder", args=[world.case_x.reference])
    assert (
        "Change casefile holder"
        in client.get(reverse("groups:case", args=[world.case_x.reference])).content.decode()
    )
    response = client.post(url, {"holder": world.member_y.pk})
    assert "Choose a member of your group." in response.content.decode()
    response = client.post(url, {"holder": world.member_x.pk}, follow=True)
    assert "Max Member is now the casefile holder" in response.content.decode()
    assert HolderChange.objects.filter(to_user=world.member_x).exists()
    assert OutboundMessage.objects.filter(template="holder-changed").count() == 2


@pytest.mark.parametrize("persona", ["member_y", "coordinator_a", "outsider", "staff"])
def test_others_cannot_change_the_holder(world, client_for, persona):
    client = client_for(persona)
    url = reverse("cases:change_holder", args=[world.case_x.reference])
    assert client.post(url, {"holder": world.member_x.pk}).status_code == 404
    assert not HolderChange.objects.exists()


def test_member_asks_to_give_up(world, client_for):
    client = client_for("holder_x")
    url = reverse("cases:relinquish", args=[world.case_x.reference])
    assert "Tell us briefly why." in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "Group is closing"})
    world.allocation_x.refresh_from_db()
    assert world.allocation_x.relinquish_reason == "Group is closing"
    assert world.allocation_x.status == "active"  # until staff confirm
    assert client_for("member_y").get(url).status_code == 404


def test_group_confirms_a_stop_after_the_case_is_closed(world, client_for):
    services.stop_case(world.case_x, reason="resolved", actor=world.staff)
    client = client_for("member_x")
    # The case page is gone for the group, but the confirm page stays reachable.
    assert client.get(reverse("cases:detail", args=[world.case_x.reference])).status_code == 404
    url = reverse("cases:confirm_stop", args=[world.case_x.reference])
    page = client.get(url)
    assert page.status_code == 200 and "Please stop all action" in page.content.decode()
    response = client.post(url, follow=True)
    assert "Thank you for confirming" in response.content.decode()
    world.allocation_x.refresh_from_db()
    assert world.allocation_x.stop_confirmed_at is not None
    assert (
        "Group X"
        not in client_for("staff")
        .get(reverse("staff:stop_confirmations"))
        .content.decode()
        .split("<tbody>")[1]
    )
    for persona in ("member_y", "outsider", "coordinator_b"):
        assert client_for(persona).get(url).status_code == 404


def test_member_cannot_see_unallocated_restricted_case_or_other_groups_allocations(
    world, client_for
):
    client = client_for("member_x")
    assert (
        client.get(reverse("cases:detail", args=[world.case_unallocated_a.reference])).status_code
        == 404
    )
    assert client.get(reverse("cases:detail", args=[world.case_y.reference])).status_code == 404
    html = client.get(reverse("groups:case", args=[world.case_x.reference])).content.decode()
    assert "Group Y" not in html


def test_ended_allocation_pages_are_not_found(world, client_for):
    allocation = world.allocation_x
    allocation.status, allocation.end_reason = "ended", "withdrawn"
    allocation.ended_on = timezone.localdate()
    allocation.save()
    client = client_for("member_x")
    for name in ("change_holder", "relinquish", "respond_offer", "confirm_stop"):
        assert (
            client.get(reverse(f"cases:{name}", args=[world.case_x.reference])).status_code == 404
        )
    assert Allocation.objects.filter(pk=allocation.pk, status="ended").exists()
