"""The cases' Celery tasks: the daily sweep of a case's loose ends."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from notifications.tasks import relay_outbox

from .services.loose_ends import sweep_loose_ends


@shared_task(ignore_result=True)
def sweep_case_loose_ends() -> int:
    """Daily at 07:15: expire and remind unanswered offers, remind unconfirmed stops."""
    result = sweep_loose_ends(timezone.localdate())
    relay_outbox()
    return result.offer_reminders + result.offers_expired + result.stop_reminders
