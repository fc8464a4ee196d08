"""The print queue: notices to groups that asked for post.

    notify_group (post group) ──► OutboundMessage(channel=post, queued) ──► /ops/print/
    staff: create a batch ──► download its PDF (a cover sheet per envelope, each item with what
           its email would link to, casefile pages, the label sheet: notifications.paper)
           ──► print, fold, post ──► mark the batch posted: its items become sent

A postal item about a case that has been stopped is cancelled (outbox.cancel_for_case), even when
it is already in a batch that has not been posted: it is left out of the PDF and never marked sent.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from iar_site import audit

from . import outbox, paper
from .models import OutboundMessage, PrintBatch

Status = OutboundMessage.Status


class PrintError(Exception):
    """A user-safe reason a print queue action cannot be done."""


def waiting_items() -> QuerySet[OutboundMessage]:
    """Postal items not yet in a batch, oldest first (a paused case's items wait)."""
    return (
        OutboundMessage.objects.filter(
            channel=OutboundMessage.Channel.POST, status=Status.QUEUED, print_batch__isnull=True
        )
        .select_related("case", "recipient_group")
        .order_by("created_at", "pk")
    )


def batches() -> QuerySet[PrintBatch]:
    return PrintBatch.objects.select_related("created_by", "posted_by").annotate(
        to_print=Count("items", filter=Q(items__status=Status.QUEUED)),
        sent=Count("items", filter=Q(items__status=Status.SENT)),
        cancelled=Count("items", filter=Q(items__status=Status.CANCELLED)),
    )


def create_print_batch(*, actor: Any, message_ids: list[int]) -> PrintBatch:
    """Put the chosen waiting postal items into a new batch to print."""
    with transaction.atomic():
        items = list(
            waiting_items()
            .filter(pk__in=message_ids)
            .exclude(case__status__in=(outbox.CASE_PAUSED, outbox.CASE_CLOSED))
            .select_for_update(of=("self",))
        )
        if not items:
            raise PrintError(
                "None of the chosen items is waiting to be printed any more. "
                "The list below shows what is waiting now."
            )
        batch = PrintBatch.objects.create(created_by=actor)
        OutboundMessage.objects.filter(pk__in=[m.pk for m in items]).update(print_batch=batch)
        audit.record("print_batch.created", batch, actor=actor, changes={"items": len(items)})
    return batch


def mark_batch_posted(batch_id: int, *, actor: Any) -> int:
    """Staff have posted the batch: its items still to print become sent. Returns how many."""
    with transaction.atomic():
        batch = PrintBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None:
            raise PrintError("That print batch does not exist.")
        if batch.posted_at is not None:
            raise PrintError("This batch has already been marked as posted.")
        now = timezone.now()
        sent = (
            OutboundMessage.objects.select_for_update(of=("self",))
            .filter(print_batch=batch, status=Status.QUEUED)
            .exclude(case__status=outbox.CASE_CLOSED)
        )
        ids = list(sent.values_list("pk", flat=True))
        OutboundMessage.objects.filter(pk__in=ids).update(status=Status.SENT, sent_at=now)
        batch.posted_at = now
        batch.posted_by = actor
        batch.save(update_fields=["posted_at", "posted_by"])
        audit.record("print_batch.posted", batch, actor=actor, changes={"items_sent": len(ids)})
    return len(ids)


def _items_to_print(batch: PrintBatch) -> list[OutboundMessage]:
    return list(
        OutboundMessage.objects.filter(print_batch=batch, status=Status.QUEUED)
        .exclude(case__status=outbox.CASE_CLOSED)
        .select_related("case", "case__country", "recipient_group")
        .order_by("created_at", "pk")
    )


def letters(batch: PrintBatch) -> list[paper.Envelope]:
    """One envelope per recipient address, in address order, with every item of the batch
    still to print and what each item encloses (notifications.paper)."""
    return paper.envelopes(_items_to_print(batch))


def batch_html(batch: PrintBatch) -> str:
    """The batch's pages as HTML (cover sheets, items, labels), without the casefile pages."""
    found = letters(batch)
    today = timezone.localdate()
    parts = [
        render_to_string(
            "notifications/print_envelope.html",
            {"batch": batch, "envelope": envelope, "today": today},
        )
        for envelope in found
    ]
    parts.append(
        render_to_string(
            "notifications/print_labels.html", {"batch": batch, "envelopes": found, "today": today}
        )
    )
    return "\n".join(parts)


def batch_pdf(batch: PrintBatch) -> bytes:
    return paper.batch_pdf(batch, _items_to_print(batch), timezone.localdate())
