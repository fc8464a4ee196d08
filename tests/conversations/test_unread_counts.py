"""The unread counts of a page's allocations: the reading rule and the counts in one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import Message, ReadMarker
from conversations.querysets import readable_allocations, readable_unread_counts

pytestmark = pytest.mark.django_db


def _message(allocation, author, minutes_ago):
    message = Message.objects.create(
        allocation=allocation, author=author, side=Message.Side.COORDINATOR, body="news"
    )
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_counts_what_is_new_after_the_marker_and_not_ones_own(world):
    x = world.allocation_x
    _message(x, world.coordinator_a, 30)
    _message(x, world.coordinator_a, 5)
    _message(x, world.member_x, 1)  # their own: never new to them
    _message(world.allocation_confidential_x, world.coordinator_a, 5)
    ReadMarker.objects.create(
        allocation=x, user=world.member_x, read_at=timezone.now() - timedelta(minutes=10)
    )
    ids = [x.pk, world.allocation_confidential_x.pk, world.allocation_y.pk]
    # A plain member reads neither the confidential case's conversation nor another group's.
    assert readable_unread_counts(world.member_x, ids) == {x.pk: 1}
    # Its holder reads the confidential one; without a marker every other's message is new.
    assert readable_unread_counts(world.holder_x, ids) == {
        x.pk: 3,
        world.allocation_confidential_x.pk: 1,
    }
    assert readable_unread_counts(world.outsider, ids) == {}
    assert readable_unread_counts(world.member_x, []) == {}


@pytest.mark.parametrize("persona", ["member_x", "holder_x", "coordinator_a", "staff", "outsider"])
def test_the_readable_ones_are_those_of_the_reading_rule(world, persona):
    user = getattr(world, persona)
    ids = [world.allocation_x.pk, world.allocation_y.pk, world.allocation_confidential_x.pk]
    expected = set(readable_allocations(user).filter(pk__in=ids).values_list("pk", flat=True))
    assert set(readable_unread_counts(user, ids)) == expected


def test_one_query_however_many_allocations(world, django_assert_num_queries):
    ids = [world.allocation_x.pk, world.allocation_y.pk, world.allocation_confidential_x.pk]
    user = world.member_x
    hasattr(user, "coordinator_profile")  # asked once per request, by the middleware
    with django_assert_num_queries(1):
        readable_unread_counts(user, ids)
