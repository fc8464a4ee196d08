from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iar_site.models import Heartbeat
from iar_site.tasks import _scheduler_heartbeat, heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_database_broker_worker_and_scheduler_are_up(client):
    heartbeat.apply()  # what the worker does when the scheduler's heartbeat arrives
    _scheduler_heartbeat(sender="iar_site.tasks.heartbeat")  # what the scheduler does
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == []
    assert set(body["checks"]) == {"database", "broker", "worker", "scheduler"}


def test_healthz_is_503_naming_a_silent_worker(client):
    old = timezone.now() - timedelta(minutes=30)
    Heartbeat.objects.create(name="worker", at=old)
    Heartbeat.objects.create(name="scheduler", at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["worker"]
    assert response.json()["checks"]["worker"]["detail"].startswith("silent")


def test_healthz_is_503_when_nothing_has_ever_beaten(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert set(response.json()["down"]) == {"worker", "scheduler"}


def test_healthz_names_an_unreachable_broker(client, settings):
    from iar_site.celery import app

    heartbeat.apply()
    _scheduler_heartbeat(sender="iar_site.tasks.heartbeat")
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


def test_only_the_heartbeat_task_counts_as_the_scheduler():
    _scheduler_heartbeat(sender="notifications.tasks.send_message")
    assert not Heartbeat.objects.filter(name="scheduler").exists()
