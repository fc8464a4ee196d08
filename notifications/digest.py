"""The weekly digest: routine notices held for members who chose one, sent as one email.

queue_message holds a routine email (routine=True) when its recipient chose "A weekly digest" on
/account/notices/; reminders and stop notices are never routine, so they always go at once. Once
a week this gathers each person's held notices into one digest email through the outbox (so it
is claimed, retried and reviewed like any other) and marks the notices as sent in it.
"""

from __future__ import annotations

from itertools import groupby

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import outbox
from .models import OutboundMessage


def _held() -> QuerySet[OutboundMessage]:
    # A paused case holds its notices here too, until it resumes.
    return (
        OutboundMessage.objects.filter(
            status=OutboundMessage.Status.QUEUED,
            held_for_digest=True,
            recipient_user__isnull=False,
        )
        .exclude(case__status=outbox.CASE_PAUSED)
        .order_by("recipient_user_id", "created_at", "pk")
    )


def send_weekly_digests() -> int:
    """Queue one digest per person with held notices; returns how many digests were queued."""
    queued = 0
    rows = _held().values_list("recipient_user_id", "pk")
    for user_id, group in groupby(rows, key=lambda row: row[0]):
        ids = [pk for _user, pk in group]
        if send_digest(user_id, ids) is not None:
            queued += 1
    return queued


def send_digest(user_id: int, ids: list[int]) -> OutboundMessage | None:
    with transaction.atomic():
        held = list(
            _held().filter(recipient_user_id=user_id, pk__in=ids).select_for_update(of=("self",))
        )
        if not held:
            return None
        items = []
        for message in held:
            subject, text, _html = outbox.render(message)
            items.append({"subject": subject, "text": text.strip()})
        first = held[0]
        # The key names the last notice in it: a second run the same week makes a new digest
        # only for notices held since, never a second copy of this one.
        digest = outbox.queue_message(
            key=f"digest:user:{user_id}:{held[-1].pk}",
            template="digest",
            to_email=first.to_email,
            to_name=first.to_name,
            context={"items": items},
            recipient_user=first.recipient_user,
        )
        OutboundMessage.objects.filter(pk__in=[m.pk for m in held]).update(
            status=OutboundMessage.Status.SENT, sent_at=timezone.now(), digest=digest
        )
    return digest
