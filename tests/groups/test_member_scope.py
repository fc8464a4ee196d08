"""A member's own allocations (`visible_to(user, as_member=True)`): the same rows as the scope
narrowed to their groups, with the memberships joined once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Allocation
from cases.querysets import in_members_group
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona", ["member_x", "holder_x", "member_y", "coordinator_a", "staff", "outsider"]
)
def test_as_member_is_the_scope_narrowed_to_the_users_groups(world, persona):
    user = getattr(world, persona)
    # Coordinators and staff may be members too; and ended work stays out for members.
    f.MembershipFactory(group=world.group_x, user=world.coordinator_a)
    f.MembershipFactory(group=world.group_y, user=world.staff)
    f.AllocationFactory(
        case=world.case_unallocated_a,
        group=world.group_x,
        status=Allocation.Status.ENDED,
        end_reason=Allocation.EndReason.WITHDRAWN,
        ended_on=timezone.localdate(),
    )
    narrowed = Allocation.objects.visible_to(user).filter(in_members_group(user))
    own = Allocation.objects.visible_to(user, as_member=True)
    assert sorted(own.values_list("pk", flat=True)) == sorted(narrowed.values_list("pk", flat=True))


def test_a_deactivated_group_ends_it(world):
    world.group_x.is_active = False
    world.group_x.save(update_fields=["is_active"])
    assert not Allocation.objects.visible_to(world.member_x, as_member=True).exists()


def test_the_memberships_are_joined_once(world):
    f.MembershipFactory(group=world.group_x, user=world.coordinator_a)
    for user in (world.member_x, world.coordinator_a):
        sql = str(Allocation.objects.visible_to(user, as_member=True).query)
        assert sql.count('JOIN "groups_membership"') == 1
