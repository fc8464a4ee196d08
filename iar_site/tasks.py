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
    """Pick up anything still queued: the broker was down at commit, or a retry is due."""
    ids = outbox.due_ids()
    for message_id in ids:
        send_message.delay(message_id)
    return len(ids)


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
