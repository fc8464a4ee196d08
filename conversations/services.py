"""Writes for conversations: posting a message (with its attachments and notices) and marking a
conversation read. Views, tasks and the admin call these.

Who is told: a group's message goes to the case's coordinator (to the IAR programme when the case
has none); a coordinator's or IAR's message goes to the group by the channel it chose, so a post
group finds it in its next postal item. An email carries a reference and a link, and the text
itself only on a public case; a postal item carries the text (paper has no link to follow), with
the names of a confidential case's people taken out.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import coordinates, is_member, is_staff, may_read_case
from accounts.models import User
from cases.models import Allocation, Case
from cases.services import notify_iar
from cases.uploads import UploadRejected, check_upload, safe_original_name
from iar_site import audit
from notifications.services import notify_group, notify_user

from .models import Message, MessageAttachment, ReadMarker

TEMPLATE = "conversation-message"
MAX_BODY = 5000
WITHHELD = "[name withheld]"


class ConversationError(Exception):
    """A user-safe reason a message cannot be posted."""


def side_of(user: User, allocation: Allocation) -> str | None:
    """Which side of the allocation's conversation `user` writes for, or None if they may not
    write in it. On a confidential case a plain member of the group may not: the messages
    may name the person, whom only the casefile holder of the group may know."""
    case = allocation.case
    if is_staff(user):
        return Message.Side.STAFF
    if coordinates(user, case):
        return Message.Side.COORDINATOR
    if is_member(user, allocation.group_id) and may_read_case(user, case):
        return Message.Side.GROUP
    return None


def thread_url(allocation: Allocation) -> str:
    return settings.SITE_URL + reverse("conversations:thread", args=[allocation.pk])


def without_names(text: str, case: Case) -> str:
    """`text` with the names of a confidential case's people replaced, for paper and anything
    else stored for nobody in particular."""
    for name in sorted(case.private_names(), key=len, reverse=True):
        if name.strip():
            text = re.sub(re.escape(name.strip()), WITHHELD, text, flags=re.IGNORECASE)
    return text


def _store_attachments(message: Message, files: list[UploadedFile[bytes]]) -> int:
    for upload in files:
        try:
            kind = check_upload(upload)
        except UploadRejected as exc:
            raise ConversationError(f"{upload.name}: {exc}") from exc
        assert upload.size is not None  # check_upload rejects a file without a size
        attachment = MessageAttachment(
            message=message,
            original_name=safe_original_name(upload.name, kind),
            content_type=kind.mime,
            size=upload.size,
        )
        # The stored name is ours: the uploaded name could name the person at risk.
        attachment.file.save(f"upload.{kind.extension}", upload, save=False)
        attachment.save()
    return len(files)


def _context(message: Message, *, for_paper: bool) -> dict[str, Any]:
    allocation = message.allocation
    case = allocation.case
    author = message.author
    if for_paper:
        body = without_names(message.body, case)
    else:
        body = message.body if case.sensitivity == Case.Sensitivity.PUBLIC else ""
    return {
        "reference": case.reference,
        "case_title": case.title if case.may_be_named_to(None) else "",
        "from_name": author.full_name if author else "",
        "side": message.side,
        "side_label": message.get_side_display(),
        "body": body,
        "attachments": message.attachments.count(),
        "group_name": allocation.group.name,
        "link": thread_url(allocation),
        # Paper has no link to follow: it says whom to answer instead.
        "paper": for_paper,
        "reply_to": _reply_to(case) if for_paper else "",
    }


def _reply_to(case: Case) -> str:
    coordinator = case.coordinator
    if coordinator is None:
        return "the IAR programme, iar@amnesty.org.uk, 020 7033 1572"
    parts = [coordinator.user.full_name, coordinator.contact_email, coordinator.phone]
    return ", ".join(part for part in parts if part)


def _tell(message: Message) -> None:
    allocation = message.allocation
    case = allocation.case
    key = f"message:{message.pk}"
    if message.side != Message.Side.GROUP:
        group = allocation.group
        notify_group(
            group,
            key=key,
            template=TEMPLATE,
            context=_context(message, for_paper=group.channel == group.Channel.POST),
            case=case,
            holder=allocation.holder,
        )
    if message.side == Message.Side.COORDINATOR:
        return
    context = _context(message, for_paper=False)
    if case.coordinator is not None:
        notify_user(case.coordinator.user, key=key, template=TEMPLATE, context=context, case=case)
    elif message.side == Message.Side.GROUP:
        notify_iar(key=key, template=TEMPLATE, context=context, case=case)


def post_message(
    allocation: Allocation,
    *,
    body: str,
    attachments: list[UploadedFile[bytes]] | None = None,
    actor: User,
) -> Message:
    """Add a message to the allocation's conversation and tell the other side, all in one
    transaction: a message that fails to save tells nobody."""
    body = body.strip()
    with transaction.atomic():
        allocation = (
            Allocation.objects.select_for_update(of=("self",))
            .select_related("case", "case__country", "case__coordinator__user", "group", "holder")
            .get(pk=allocation.pk)
        )
        side = side_of(actor, allocation)
        if side is None:
            raise ConversationError("Only the group, its coordinator and IAR can write here.")
        if allocation.case.status == Case.Status.CLOSED:
            raise ConversationError(
                "Amnesty has stopped work on this case, so messages about it have stopped too."
            )
        if not allocation.is_open:
            raise ConversationError("This group no longer works on the case.")
        if not body:
            raise ConversationError("Write your message before sending it.")
        if len(body) > MAX_BODY:
            raise ConversationError(f"Keep the message under {MAX_BODY} characters.")
        message = Message.objects.create(allocation=allocation, author=actor, side=side, body=body)
        count = _store_attachments(message, attachments or [])
        audit.record("message.posted", message, actor=actor, changes={"attachments": count})
        _mark(allocation, actor, message.created_at)
        _tell(message)
    return message


def _mark(allocation: Allocation, user: User, at: Any) -> None:
    marker, created = ReadMarker.objects.get_or_create(
        allocation=allocation, user=user, defaults={"read_at": at}
    )
    if not created and marker.read_at < at:
        marker.read_at = at
        marker.save(update_fields=["read_at"])


def mark_read(allocation: Allocation, *, actor: User) -> None:
    """The actor has read the conversation up to now. Repeating it changes nothing new."""
    with transaction.atomic():
        _mark(allocation, actor, timezone.now())
