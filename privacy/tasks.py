from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def enforce_retention() -> tuple[int, int]:
    """Daily (the beat schedule in iar_site/celery.py): safe to run twice, or to skip a day."""
    result = services.apply_retention()
    return result.view_log_entries_deleted, result.message_bodies_cleared
