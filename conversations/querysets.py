"""Who reads which conversation, and how many messages are new to them.

A conversation has the sensitivity of its case: on a confidential case only those who may read
the case (its casefile holder, the coordinators of its country, IAR staff) read the messages, as
they alone read its narrative. Everyone else who sees the allocation sees no conversation.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.access import CONFIDENTIAL, is_staff
from cases.models import Allocation
from cases.querysets import in_coordinated_countries

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Message  # noqa: F401


def readable_allocations(user: User) -> models.QuerySet[Allocation]:
    """The allocations whose conversation `user` may read: another group's, or a case of another
    country, is simply not among them (a 404 on every page that looks it up)."""
    allocations = Allocation.objects.visible_to(user)
    if is_staff(user):
        return allocations
    return allocations.filter(
        ~Q(case__sensitivity=CONFIDENTIAL)
        | Q(holder=user, status__in=Allocation.OPEN_STATUSES, group__is_active=True)
        | in_coordinated_countries(user, "case")
    )


# Before any message: the read marker of someone who has read nothing yet.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def readable_unread_counts(user: User, allocation_ids: Collection[int]) -> dict[int, int]:
    """Of `allocation_ids`, those whose conversation `user` may read, each with how many messages
    are new to them (not their own, after their read marker): the reading rule and the count in
    one query, the count a subquery per allocation rather than a second round trip."""
    if not allocation_ids:
        return {}
    from .models import Message, ReadMarker  # the models module imports this one

    seen = ReadMarker.objects.filter(allocation=OuterRef(OuterRef("pk")), user=user).values(
        "read_at"
    )[:1]
    new = (
        Message.objects.filter(allocation=OuterRef("pk"))
        .exclude(author=user)
        # Without a marker every message is new: the marker read once per allocation, a lower
        # bound the (allocation, created_at) index answers.
        .filter(created_at__gt=Coalesce(Subquery(seen), Value(NEVER)))
        .order_by()
        .values("allocation")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        readable_allocations(user)
        .filter(pk__in=allocation_ids)
        .annotate(unread=Coalesce(Subquery(new, output_field=IntegerField()), Value(0)))
        .order_by()
        .values_list("pk", "unread")
    )
    return dict(rows)


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user: User) -> MessageQuerySet:
        return self.filter(allocation__in=readable_allocations(user))
