"""Telling people things: a local group by the channel it chose, one person by email, and a
member's choice of immediate routine notices or a weekly digest.

Email groups: one email to the casefile holder (when there is one) and one to the group's
contact address. Post groups: one postal item to the group's address, for the print queue.
Call notify_group and notify_user inside the transaction of the change that causes the notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from iar_site import audit

from . import outbox, tasks
from .models import OutboundMessage

if TYPE_CHECKING:
    from accounts.models import User


def notify_group(
    group: Any,
    *,
    key: str,
    template: str,
    context: dict[str, Any],
    case: models.Model | None = None,
    holder: User | None = None,
    routine: bool = False,
) -> list[OutboundMessage]:
    """Queue the notice for `group` (a local group); `key` must identify the cause (e.g.
    "update:12"), so a repeat of the same cause queues nothing new."""
    base = {"group_name": group.name, **context}
    if group.channel == group.Channel.POST:
        return [
            outbox.queue_message(
                key=f"{key}:group:{group.pk}:post",
                template=template,
                channel=OutboundMessage.Channel.POST,
                to_name=group.name,
                postal_address=group.postal_address,
                context=base,
                case=case,
                recipient_group=group,
                routine=routine,
            )
        ]
    messages = []
    addresses: dict[str, tuple[str, Any]] = {}
    if holder is not None and holder.email:
        addresses[holder.email.lower()] = (holder.full_name, holder)
    if group.contact_email:
        addresses.setdefault(group.contact_email.lower(), (group.name, None))
    for email, (name, user) in addresses.items():
        messages.append(
            outbox.queue_message(
                key=f"{key}:group:{group.pk}:{email}",
                template=template,
                to_email=email,
                to_name=name,
                context=base,
                case=case,
                recipient_user=user,
                recipient_group=group,
                routine=routine,
            )
        )
    return messages


def notify_user(
    user: User,
    *,
    key: str,
    template: str,
    context: dict[str, Any],
    case: models.Model | None = None,
    routine: bool = False,
) -> OutboundMessage:
    """Queue an email to one person (a coordinator, a staff member)."""
    return outbox.queue_message(
        key=f"{key}:user:{user.pk}",
        template=template,
        to_email=user.email,
        to_name=user.full_name,
        context=context,
        case=case,
        recipient_user=user,
        routine=routine,
    )


def set_notice_choices(user: User, *, choices: dict[int, str], actor: Any) -> int:
    """Save a member's choice, per group, of immediate routine notices or a weekly digest.
    Returns how many memberships changed."""
    # The user's memberships, reached through the reverse relation: this app is below groups.
    notices = user.memberships.model.Notices
    if not set(choices.values()) <= set(notices.values):
        raise ValueError("unknown notice choice")
    changed = 0
    with transaction.atomic():
        memberships = user.memberships.select_for_update().filter(group_id__in=list(choices))
        for membership in memberships:
            new = choices[membership.group_id]
            if membership.notices == new:
                continue
            membership.notices = new
            membership.save(update_fields=["notices"])
            audit.record("membership.notices", membership, actor=actor, changes={"notices": new})
            changed += 1
            if new == notices.IMMEDIATE:
                # Notices held for the digest go now rather than wait for the week's end.
                _release_held(user, membership.group_id)
    return changed


def _release_held(user: User, group_id: int) -> None:
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
        tasks.send_message.delay_on_commit(pk)  # type: ignore[attr-defined]  # not in celery-types
