"""The outbox's Celery tasks: send one message, relay what is still queued, the weekly digest."""

from __future__ import annotations

from celery import shared_task

from . import digest, outbox


@shared_task(ignore_result=True)
def send_message(message_id: int) -> str:
    return outbox.deliver(message_id)


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    """Pick up anything still queued: the broker was down at commit, a retry is due, or the
    reminder sweep inserted rows in bulk. Publishing twice is harmless: a row is claimed once."""
    ids = outbox.due_ids()
    for message_id in ids:
        send_message.delay(message_id)
    return len(ids)


@shared_task(ignore_result=True)
def send_weekly_digests() -> int:
    return digest.send_weekly_digests()
