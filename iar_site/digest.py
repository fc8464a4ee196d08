"""The weekly digest: routine notices held for members who chose one, sent as one email.

queue_message holds a routine email (routine=True) when its recipient chose "A weekly digest" on
/account/notices/; reminders and stop notices are never routine, so they always go at once. Once
a week this gathers each person's held notices into one digest email through the outbox (so it
is claimed, retried and reviewed like any other) and marks the notices as sent in it.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import audit, outbox
from .models import OutboundMessage


def _held() -> object:
    # A paused case holds its notices here too, until it resumes.
    return (
        OutboundMessage.objects.filter(
            status=OutboundMessage.Status.QUEUED,
            held_for_digest=True,
            recipient_user__isnull=False,
        )
        .exclude(case__status="paused")
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


def set_notice_choices(user: Any, *, choices: dict[int, str], actor: Any) -> int:
    """Save a member's choice, per group, of immediate routine notices or a weekly digest.
    Returns how many memberships changed."""
    from groups.models import Membership

    allowed = set(Membership.Notices.values)
    if not set(choices.values()) <= allowed:
        raise ValueError("unknown notice choice")
    changed = 0
    with transaction.atomic():
        memberships = Membership.objects.select_for_update().filter(
            user=user, group_id__in=list(choices)
        )
        for membership in memberships:
            new = choices[membership.group_id]
            if membership.notices == new:
                continue
            membership.notices = new
            membership.save(update_fields=["notices"])
            audit.record("membership.notices", membership, actor=actor, changes={"notices": new})
            changed += 1
            if new == Membership.Notices.IMMEDIATE:
                # Notices held for the digest go now rather than wait for the week's end.
                _release_held(user, membership.group_id)
    return changed


def _release_held(user: Any, group_id: int) -> None:
    from .tasks import send_message

    ids = list(
        OutboundMessage.objects.filter(
            status=OutboundMessage.Status.QUEUED,
            held_for_digest=True,
            recipient_user=user,
            recipient_group_id=group_id,
        ).values_list("pk", flat=True)
    )
    OutboundMessage.objects.filter(pk__in=ids).update(held_for_digest=False)
    for pk in ids:
        send_message.delay_on_commit(pk)
