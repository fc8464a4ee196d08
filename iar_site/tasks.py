from __future__ import annotations

from celery import shared_task
from celery.signals import before_task_publish, worker_ready
from django.utils import timezone

from .models import Heartbeat


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
