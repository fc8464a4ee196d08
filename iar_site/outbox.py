"""The outbox: one row per email or postal item, written in the caller's transaction.

    service (in a transaction) ──► OutboundMessage(queued) ──commit──► send_message task
                                                 ▲                          │ claim: queued → sending
              relay_outbox (every minute) ───────┘                          ▼
                                                               sent | queued again (retry) | failed

A message is claimed with SELECT ... FOR UPDATE SKIP LOCKED and moved to `sending` in its own
short transaction before anything leaves the building, so two workers never send the same row.
A row found in `sending` later means a worker died mid-send: it is left for staff to review and
never resent automatically (resending could send twice). A message about a case that has been
stopped is cancelled instead of sent.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
ContextBuilder = Callable[[OutboundMessage], dict[str, Any]]
_context_builders: dict[str, ContextBuilder] = {}


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
        },
    )
    if created and channel == OutboundMessage.Channel.EMAIL:
        from .tasks import send_message

        send_message.delay_on_commit(message.pk)
    return message


def cancel_for_case(case: Any) -> int:
    """Cancel everything still waiting about a case (used when Amnesty stops work on it)."""
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
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case")
            .filter(pk=message_id, status=OutboundMessage.Status.QUEUED)
            .first()
        )
        if message is None:
            return None
        if message.case is not None and message.case.status in ("closed", "paused"):
            if message.case.status == "closed":
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
            to=[f"{message.to_name} <{message.to_email}>" if message.to_name else message.to_email],
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


def due_ids(limit: int = 500) -> list[int]:
    return list(
        OutboundMessage.objects.filter(
            status=OutboundMessage.Status.QUEUED,
            channel=OutboundMessage.Channel.EMAIL,
            not_before__lte=timezone.now(),
        )
        .exclude(case__status="paused")
        .order_by("not_before")
        .values_list("pk", flat=True)[:limit]
    )
