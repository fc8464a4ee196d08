"""Real services for the outbox proofs: a Celery worker process, Redis and an SMTP server.

The worker is a separate process, so it reads the test database by name: these tests need
PostgreSQL (a second process cannot see into SQLite's test transaction) and run with
transaction=True so what the test writes is committed. The broker is a Redis database of its own
(INTEGRATION_REDIS_DB, default 15), so a development worker on the same Redis takes none of
these tasks.
"""

from __future__ import annotations

import email
import email.policy
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import require_postgres, require_redis

BASE_DIR = Path(settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"


class CountingSMTP:
    """Counts each received message by its X-IAR-Idempotency-Key header."""

    def __init__(self) -> None:
        self.keys: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        # A long header arrives folded over two lines; the key itself holds no spaces.
        key = "".join(str(message["X-IAR-Idempotency-Key"]).split())
        with self.lock:
            self.keys[key] += 1
        return "250 OK"

    def received(self) -> Counter[str]:
        with self.lock:
            return Counter(self.keys)


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = CountingSMTP()
    with socket.socket() as probe:  # a free port: aiosmtpd's start-up check cannot use port 0
        probe.bind(("127.0.0.1", 0))
        handler.port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def broker_url() -> str:
    parts = urlsplit(settings.REDIS_URL)
    return urlunsplit(parts._replace(path=f"/{os.environ.get('INTEGRATION_REDIS_DB', '15')}"))


def worker_database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
        f"/{db['NAME']}"
    )


class Worker:
    """`celery worker` in its own process group, so SIGKILL takes its pool children too."""

    def __init__(self, smtp_port: int, log_path: Path) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": broker_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "DJANGO_SETTINGS_MODULE": "iar_site.settings",
            "PYTHONUNBUFFERED": "1",
        }
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, wait: bool = True) -> None:
        from iar_site.models import Heartbeat

        started_at = time.time()
        self.starts += 1
        log = open(self.log_path, "a")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "iar_site",
                "worker",
                "--concurrency=2",
                "--pool=prefork",
                "-Q",
                "celery",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"integration{self.starts}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        if not wait:
            return
        # The worker records a heartbeat when it is ready to take tasks.
        deadline = time.time() + 60
        while time.time() < deadline:
            beat = Heartbeat.objects.filter(name="worker").values_list("at", flat=True).first()
            if beat is not None and beat.timestamp() >= started_at - 1:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        pytest.fail(f"the worker did not start; see {self.log_path}:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost machine would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def tail(self) -> str:
        try:
            return "".join(self.log_path.read_text().splitlines(True)[-40:])
        except OSError:
            return ""


@pytest.fixture
def services():
    require_postgres()
    require_redis()


@pytest.fixture
def publisher(services):
    """A producer on the integration broker, standing in for the web process and the relay."""
    from celery import Celery

    app = Celery("iar_site", broker=broker_url(), set_as_current=False)
    app.conf.task_serializer = "json"
    app.conf.broker_connection_retry_on_startup = True
    import redis

    client = redis.Redis.from_url(broker_url())
    client.flushdb()  # only this test database's leftover tasks
    client.close()

    def queue_length() -> int:
        with app.connection_for_read() as conn:
            return conn.default_channel.client.llen("celery")

    def publish(ids) -> None:
        with app.producer_or_acquire() as producer:
            for pk in ids:
                app.send_task(
                    "notifications.tasks.send_message",
                    args=[pk],
                    producer=producer,
                    retry=True,
                    retry_policy={"max_retries": 30, "interval_start": 0.2, "interval_step": 0.2},
                )

    publish.queue_length = queue_length
    yield publish
    app.close()


@pytest.fixture
def worker(services, smtp_server, tmp_path):
    worker = Worker(smtp_server.port, tmp_path / "worker.log")
    yield worker
    worker.kill()
    sys.stdout.write(f"\nworker log tail:\n{worker.tail()}\n")
