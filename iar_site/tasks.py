from __future__ import annotations

from celery import shared_task
from celery.signals import before_task_publish, worker_ready
from django.utils import timezone

from . import outbox
from .models import Heartbeat


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
def sweep_report_reminders() -> int:
    """Daily at 07:00: queue today's yearly report reminders, then hand them to the workers."""
    from .reminders import sweep_report_reminders as sweep

    result = sweep(timezone.localdate())
    relay_outbox()
    return result.messages


@shared_task(ignore_result=True)
def send_weekly_digests() -> int:
    from .digest import send_weekly_digests as send

    return send()


def beat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Published by the scheduler every 30 seconds and run by a worker."""
    beat("worker")


@before_task_publish.connect
def _scheduler_heartbeat(sender: str | None = None, **kwargs: object) -> None:
    # Runs in the publishing process: when the heartbeat task is published, that is the
    # scheduler (beat) proving it is alive.
    if sender == "iar_site.tasks.heartbeat":
        beat("scheduler")


@worker_ready.connect
def _worker_ready(**kwargs: object) -> None:
    beat("worker")
