"""Telling a local group something, by the channel the group chose.

Email groups: one email to the casefile holder (when there is one) and one to the group's
contact address. Post groups: one postal item to the group's address, for the print queue.
Call inside the transaction of the change that causes the notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import outbox
from .models import OutboundMessage

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case
    from groups.models import LocalGroup


def notify_group(
    group: LocalGroup,
    *,
    key: str,
    template: str,
    context: dict[str, Any],
    case: Case | None = None,
    holder: User | None = None,
    routine: bool = False,
) -> list[OutboundMessage]:
    """Queue the notice for `group`; `key` must identify the cause (e.g. "update:12"), so a
    repeat of the same cause queues nothing new."""
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
    case: Case | None = None,
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
