"""The groups' Celery tasks: the daily yearly-report reminder sweep."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from notifications.tasks import relay_outbox

from . import yearly


@shared_task(ignore_result=True)
def sweep_report_reminders() -> int:
    """Daily at 07:00: queue today's yearly report reminders, then hand them to the workers."""
    result = yearly.sweep_report_reminders(timezone.localdate())
    relay_outbox()
    return result.messages
