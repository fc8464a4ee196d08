"""Unread message counts for the pages of the apps below this one (My cases, the coordinator's
workspace), which may not import it: they load these tags in their templates instead."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from ..querysets import readable_unread_counts

register = template.Library()


@register.simple_tag
def with_unread_messages(allocations: Iterable[Any], user: Any) -> list[Any]:
    """The allocations as a list, each given `may_message` (the user reads its conversation) and
    `unread_messages` (how many are new to them): one query however many allocations."""
    rows = list(allocations)
    counts = readable_unread_counts(user, [allocation.pk for allocation in rows])
    for allocation in rows:
        allocation.may_message = allocation.pk in counts
        allocation.unread_messages = counts.get(allocation.pk, 0)
    return rows


@register.simple_tag
def one_with_unread_messages(allocation: Any, user: Any) -> Any:
    """One allocation given `may_message` and `unread_messages` (see with_unread_messages)."""
    return with_unread_messages([allocation], user)[0]
