from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_coordinator_silence_digest() -> int:
    """Weekly: tell staff which open cases have heard nothing from their coordinator. Safe to run
    again: the idempotency key is per ISO week."""
    return services.send_silence_digest()
