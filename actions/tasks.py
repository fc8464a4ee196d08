from celery import shared_task

from . import services


@shared_task
def close_expired_urgent_actions() -> int:
    """Daily: Urgent Actions past their deadline close themselves (safe to run twice)."""
    return services.close_expired_urgent_actions()
