"""The print queue: notices to groups that asked for post.

    notify_group (post group) ──► OutboundMessage(channel=post, queued) ──► /ops/print/
    staff: create a batch ──► download its PDF (cover letter per group, notices, address labels)
           ──► print, fold, post ──► mark the batch posted: its items become sent

A postal item about a case that has been stopped is cancelled (outbox.cancel_for_case), even when
it is already in a batch that has not been posted: it is left out of the PDF and never marked sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from iar_site import audit

from . import outbox
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


@dataclass
class Letter:
    name: str
    address_lines: list[str]
    notices: list[dict[str, str]] = field(default_factory=list)


def letters(batch: PrintBatch) -> list[Letter]:
    """One letter per recipient address, with every notice of the batch still to print."""
    items = (
        OutboundMessage.objects.filter(print_batch=batch, status=Status.QUEUED)
        .exclude(case__status=outbox.CASE_CLOSED)
        .order_by("to_name", "postal_address", "created_at", "pk")
    )
    by_address: dict[tuple[str, str], Letter] = {}
    for item in items:
        key = (item.to_name, item.postal_address.strip())
        if key not in by_address:
            lines = [line.strip() for line in item.postal_address.splitlines() if line.strip()]
            by_address[key] = Letter(name=item.to_name, address_lines=lines)
        subject, text, _html = outbox.render(item)
        by_address[key].notices.append({"subject": subject, "text": text.strip()})
    return list(by_address.values())


def batch_html(batch: PrintBatch) -> str:
    return render_to_string(
        "notifications/print_batch_document.html",
        {"batch": batch, "letters": letters(batch), "today": timezone.localdate()},
    )


def batch_pdf(batch: PrintBatch) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=batch_html(batch)).write_pdf()
    return pdf
