"""Who reads which conversation, and how many messages are new to them.

A conversation has the sensitivity of its case: on a confidential case only those who may read
the case (its casefile holder, the coordinators of its country, IAR staff) read the messages, as
they alone read its narrative. Everyone else who sees the allocation sees no conversation.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery

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


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user: User) -> MessageQuerySet:
        return self.filter(allocation__in=readable_allocations(user))

    def unread_counts_of_readable(
        self, user: User, allocation_ids: Collection[int]
    ) -> dict[int, int]:
        """New messages per allocation for `user` (not their own, after their read marker), in one
        query however many allocations are asked about. The ids must be ones the caller has
        already found among `readable_allocations(user)`: an IN over them, not the reading rule
        asked again."""
        if not allocation_ids:
            return {}
        from .models import ReadMarker  # the models module imports this one

        seen = ReadMarker.objects.filter(allocation=OuterRef("allocation"), user=user).values(
            "read_at"
        )[:1]
        rows = (
            self.filter(allocation_id__in=allocation_ids)
            .exclude(author=user)
            .annotate(seen=Subquery(seen))
            .filter(Q(seen__isnull=True) | Q(created_at__gt=F("seen")))
            .order_by()
            .values("allocation_id")
            .annotate(n=Count("id"))
        )
        return {row["allocation_id"]: row["n"] for row in rows}
