"""The outbox: one row per email or postal item, written in the caller's transaction.

    service (in a transaction) ──► OutboundMessage(queued) ──commit──► send_message task
                                                 ▲                          │ claim: queued → sending
              relay_outbox (every minute) ───────┘                          ▼
                                                               sent | queued again (retry) | failed

A message is claimed with SELECT ... FOR UPDATE SKIP LOCKED and moved to `sending` in its own
short transaction before anything leaves the building, so two workers never send the same row.
A row found in `sending` later means a worker died mid-send: it is left for staff to review and
never resent automatically (resending could send twice); staff settle it on the review queue
(/ops/review/) with confirm_message_sent, requeue_message or cancel_message. A message about a case
that has been stopped is cancelled instead of sent. Postal items wait in the print queue
(notifications.printqueue); routine notices to a member who chose the weekly digest wait for it
(notifications.digest).

The send_message task runs `deliver` and queue_message publishes that task, so this module and
the tasks module import each other as modules (`from . import tasks`): names are looked up when
called, never while either module is still loading.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from psycopg.types.json import Jsonb

from iar_site import audit

from . import tasks
from .models import OutboundMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6

# Case.Status.CLOSED and PAUSED: cases sits above notifications, so its model is not imported.
CASE_CLOSED = "closed"
CASE_PAUSED = "paused"
ContextBuilder = Callable[[OutboundMessage], dict[str, Any]]
_context_builders: dict[str, ContextBuilder] = {}


class OutboxError(Exception):
    """A user-safe reason a message cannot be changed as asked."""


def context_builder(template: str) -> Callable[[ContextBuilder], ContextBuilder]:
    """Register a function adding context at send time, for values that must not be stored
    (a signed link) or should be current when the message leaves."""

    def register(fn: ContextBuilder) -> ContextBuilder:
        _context_builders[template] = fn
        return fn

    return register


def queue_message(
    *,
    key: str,
    template: str,
    to_email: str = "",
    to_name: str = "",
    postal_address: str = "",
    channel: str = OutboundMessage.Channel.EMAIL,
    context: dict[str, Any] | None = None,
    case: Any = None,
    recipient_user: Any = None,
    recipient_group: Any = None,
    routine: bool = False,
) -> OutboundMessage:
    """Queue one message under an idempotency key; queueing the same key again is a no-op.

    `routine` marks notices that a member may take as a weekly digest; reminders and stop
    notices are never routine."""
    held = bool(
        routine
        and channel == OutboundMessage.Channel.EMAIL
        and recipient_user is not None
        and _wants_weekly_digest(recipient_user, recipient_group)
    )
    message, created = OutboundMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "template": template,
            "channel": channel,
            "to_email": to_email,
            "to_name": to_name,
            "postal_address": postal_address,
            "context": context or {},
            "case": case,
            "recipient_user": recipient_user,
            "recipient_group": recipient_group,
            "routine": routine,
            "held_for_digest": held,
        },
    )
    if created and channel == OutboundMessage.Channel.EMAIL and not held:
        tasks.send_message.delay_on_commit(message.pk)  # type: ignore[attr-defined]  # not in celery-types
    return message


def _wants_weekly_digest(user: Any, group: Any) -> bool:
    memberships = user.memberships.filter(notices=user.memberships.model.Notices.WEEKLY)
    if group is not None:
        memberships = memberships.filter(group=group)
    return bool(memberships.exists())


def cancel_for_case(case: Any) -> int:
    """Cancel everything still waiting about a case (used when Amnesty stops work on it):
    emails, postal items (even in a batch not yet posted) and notices held for a digest."""
    return OutboundMessage.objects.filter(case=case, status=OutboundMessage.Status.QUEUED).update(
        status=OutboundMessage.Status.CANCELLED, last_error="case stopped"
    )


def render(message: OutboundMessage) -> tuple[str, str, str]:
    context = {
        "site_url": settings.SITE_URL,
        "to_name": message.to_name,
        **message.context,
    }
    builder = _context_builders.get(message.template)
    if builder:
        context.update(builder(message))
    base = f"emails/{message.template}"
    subject = render_to_string(f"{base}-subject.txt", context).strip().replace("\n", " ")
    text = render_to_string(f"{base}-body.txt", context)
    html = render_to_string(f"{base}-body.html", context)
    return subject, text, html


def _claim(message_id: int) -> OutboundMessage | None:
    # Lock the case before the message, in the same order as stopping a case does (case row,
    # then its messages): the opposite order deadlocks against a stop in progress.
    case_id = (
        OutboundMessage.objects.filter(pk=message_id).values_list("case_id", flat=True).first()
    )
    with transaction.atomic():
        case_status = _lock_case_status(case_id) if case_id else None
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                pk=message_id,
                status=OutboundMessage.Status.QUEUED,
                channel=OutboundMessage.Channel.EMAIL,
                held_for_digest=False,
            )
            .first()
        )
        if message is None:
            return None
        if case_status in (CASE_CLOSED, CASE_PAUSED):
            if case_status == CASE_CLOSED:
                message.status = OutboundMessage.Status.CANCELLED
                message.last_error = "case stopped"
                message.save(update_fields=["status", "last_error"])
            return None
        if message.not_before > timezone.now():
            return None
        message.status = OutboundMessage.Status.SENDING
        message.claimed_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts"])
        return message


def _lock_case_status(case_id: int) -> str | None:
    """The case's status, read under a share lock held until the claim commits.

    Stopping a case updates its row, so it waits for claims in flight, and every claim after
    the stop commits sees it stopped: nothing is claimed after a stop."""
    # Named through the message's foreign key, so this app needs no import of the cases app.
    case_model = OutboundMessage._meta.get_field("case").related_model
    table = connection.ops.quote_name(case_model._meta.db_table)
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {table} WHERE id = %s{lock}", [case_id])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def deliver(message_id: int) -> str:
    """Send one queued email. Returns the row's status afterwards (or 'skipped')."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    try:
        subject, text, html = render(message)
        email = EmailMultiAlternatives(
            subject=subject,
            body=text,
            # formataddr quotes a name with a comma or brackets ("Group, Leeds") instead of breaking
            # the address.
            to=[
                formataddr((message.to_name, message.to_email))
                if message.to_name
                else message.to_email
            ],
            headers={"X-IAR-Idempotency-Key": message.idempotency_key},
        )
        email.attach_alternative(html, "text/html")
        email.send()
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the row and retried
        retry = message.attempts < MAX_ATTEMPTS
        # Exponential backoff with jitter, so a recovering mail server is not hit all at once.
        delay = timedelta(seconds=min(3600, 30 * 2**message.attempts) * random.uniform(0.8, 1.2))
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.QUEUED if retry else OutboundMessage.Status.FAILED,
            not_before=timezone.now() + delay,
            last_error=type(exc).__name__[:300],
        )
        log.warning("outbox message %s failed (attempt %s)", message.pk, message.attempts)
        return "queued" if retry else "failed"
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundMessage.Status.SENT, sent_at=timezone.now()
    )
    return "sent"


def queue_many(rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many messages, each given as its field values (a sweep's), skipping any whose
    idempotency key is already queued, by an earlier run or a concurrent one. Nothing is
    published: relay_outbox picks the rows up within a minute, as it does any queued row.

    On PostgreSQL the rows go through COPY into a temporary table and one INSERT ... SELECT ...
    ON CONFLICT DO NOTHING, with no model instances: building tens of thousands of instances
    and a multi-row INSERT with hundreds of thousands of parameters took seconds."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        OutboundMessage.objects.bulk_create(
            [OutboundMessage(**row) for row in rows], ignore_conflicts=True, batch_size=2000
        )
        return
    fields = [f for f in OutboundMessage._meta.concrete_fields if not f.primary_key]
    # Defaults once for the batch: every row of one sweep was created at the same moment.
    defaults = {f.attname: f.get_default() for f in fields}
    names = list(defaults)
    json_names = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    table = OutboundMessage._meta.db_table
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        # Names come from the model, never from input.
        cursor.execute(
            f"CREATE TEMPORARY TABLE outbox_incoming AS SELECT {columns} FROM {table} "  # noqa: S608
            "WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY outbox_incoming ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = [row.get(name, defaults[name]) for name in names]
                copy.write_row(
                    [Jsonb(v) if n in json_names else v for n, v in zip(names, values, strict=True)]
                )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM outbox_incoming "  # noqa: S608
            "ON CONFLICT (idempotency_key) DO NOTHING"
        )
        cursor.execute("DROP TABLE outbox_incoming")


def due_ids(limit: int = 5000) -> list[int]:
    return list(
        OutboundMessage.objects.filter(
            status=OutboundMessage.Status.QUEUED,
            channel=OutboundMessage.Channel.EMAIL,
            held_for_digest=False,
            not_before__lte=timezone.now(),
        )
        .exclude(case__status=CASE_PAUSED)
        .order_by("not_before")
        .values_list("pk", flat=True)[:limit]
    )


# The review queue: rows a worker left in `sending` (it died, or the mail server hung up
# mid-send). Nobody can tell from here whether the email left, so a person decides.


def review_queue(minutes: int | None = None) -> Any:
    """Messages stuck in `sending` for longer than `minutes`, oldest first."""
    minutes = settings.OUTBOX_REVIEW_AFTER_MINUTES if minutes is None else minutes
    cutoff = timezone.now() - timedelta(minutes=minutes)
    return (
        OutboundMessage.objects.filter(status=OutboundMessage.Status.SENDING)
        .filter(claimed_at__lte=cutoff)
        .select_related("case", "recipient_group")
        .order_by("claimed_at", "pk")
    )


def _lock_stuck(message_id: int) -> OutboundMessage:
    message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None or message.status != OutboundMessage.Status.SENDING:
        raise OutboxError(
            "This message is no longer waiting for review; someone has dealt with it."
        )
    return message


def confirm_message_sent(message_id: int, *, actor: Any) -> OutboundMessage:
    """Staff checked that a stuck message did arrive: record it as sent."""
    with transaction.atomic():
        message = _lock_stuck(message_id)
        message.status = OutboundMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = "confirmed delivered by IAR staff"
        message.save(update_fields=["status", "sent_at", "last_error"])
        audit.record("outbox.confirmed_sent", message, actor=actor, changes={"status": "sent"})
    return message


def requeue_message(message_id: int, *, actor: Any) -> OutboundMessage:
    """Staff checked that a stuck message did not arrive: send it again, once."""
    with transaction.atomic():
        message = _lock_stuck(message_id)
        message.status = OutboundMessage.Status.QUEUED
        message.not_before = timezone.now()
        message.last_error = "requeued by IAR staff"
        message.save(update_fields=["status", "not_before", "last_error"])
        audit.record("outbox.requeued", message, actor=actor, changes={"status": "queued"})
        if message.channel == OutboundMessage.Channel.EMAIL:
            tasks.send_message.delay_on_commit(message.pk)  # type: ignore[attr-defined]  # not in celery-types
    return message


def cancel_message(message_id: int, *, actor: Any) -> OutboundMessage:
    """Staff stop a stuck or waiting message for good."""
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status not in (
            OutboundMessage.Status.QUEUED,
            OutboundMessage.Status.SENDING,
        ):
            raise OutboxError("This message has already been sent or stopped.")
        message.status = OutboundMessage.Status.CANCELLED
        message.last_error = "cancelled by IAR staff"
        message.save(update_fields=["status", "last_error"])
        audit.record("outbox.cancelled", message, actor=actor, changes={"status": "cancelled"})
    return message
