"""What each card on My cases shows beside its case, read as subqueries bounded by an index.

A card's latest action and its unread updates used to come from joins over every action and
every notice of the card (and from loading every action to find the latest one), so a busy
group's page slowed with every letter it logged. Each subquery here reads one index entry (the
newest action, through the (allocation, date) index) or one allocation's notices, so a card costs
the same with ten actions or ten thousand.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from cases.models import Allocation

from .models import Activity


def with_card_facts[QS: models.QuerySet[Allocation, Any]](allocations: QS) -> QS:
    """Annotate `last_action_id`, `last_action_on` and `unread_updates` on allocations."""
    newest = Activity.objects.filter(allocation=OuterRef("pk")).order_by("-date", "-id")
    unread = (
        Allocation.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count("update_notices", filter=Q(update_notices__read_at__isnull=True)))
        .values("n")
    )
    return allocations.annotate(
        last_action_id=Subquery(newest.values("pk")[:1]),
        last_action_on=Subquery(newest.values("date")[:1]),
        unread_updates=Coalesce(Subquery(unread), Value(0), output_field=IntegerField()),
    )


def latest_actions(cards: list[Allocation]) -> dict[int, Activity]:
    """The latest action of each card annotated by `with_card_facts`, in one query."""
    if not cards:
        return {}
    # One query whenever there are cards, even with no action yet (id 0 matches nothing; an
    # empty list would skip the query): a page's query count is the same whatever its rows hold.
    ids = [card.last_action_id for card in cards if card.last_action_id]  # type: ignore[attr-defined]
    return {a.pk: a for a in Activity.objects.filter(pk__in=ids or [0])}
