"""Proofs that reminders and notices are never lost and never sent twice, against a real Celery
worker that is killed with SIGKILL, a Redis that is restarted, and a real SMTP server.

REMINDER_COUNT (default 2,000) sets how many reminders the first test delivers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from demo.scale import make_allocations
from groups.yearly import sweep_report_reminders
from notifications import outbox
from notifications.models import OutboundMessage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

REMINDER_COUNT = int(os.environ.get("REMINDER_COUNT", "2000"))
# Seconds without progress after which the supervisor (see below) restarts a stuck worker.
STALL_SECONDS = 30
Status = OutboundMessage.Status


def statuses(**filters) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for key, status in OutboundMessage.objects.filter(**filters).values_list(
        "idempotency_key", "status"
    ):
        found.setdefault(status, set()).add(key)
    return found


def wait_for(condition, *, timeout: float, what: str, every: float = 0.2, tick=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        if tick:
            tick()
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what}")


def restart_redis() -> None:
    url = urlsplit(settings.REDIS_URL)
    host, port = url.hostname or "127.0.0.1", str(url.port or 6379)
    subprocess.run(["redis-cli", "-h", host, "-p", port, "shutdown", "nosave"], check=False)
    time.sleep(0.5)
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            host,
            "--port",
            port,
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
    )
    deadline = time.time() + 20
    while time.time() < deadline:
        ping = subprocess.run(
            ["redis-cli", "-h", host, "-p", port, "ping"], capture_output=True, text=True
        )
        if ping.stdout.strip() == "PONG":
            return
        time.sleep(0.2)
    pytest.fail("Redis did not come back after the restart")


def can_restart_redis() -> bool:
    url = urlsplit(settings.REDIS_URL)
    return (
        url.hostname in ("127.0.0.1", "localhost")
        and bool(shutil.which("redis-server"))
        and bool(shutil.which("redis-cli"))
    )


def test_reminders_arrive_once_each_through_kills_and_a_redis_restart(
    worker, publisher, smtp_server
):
    if not can_restart_redis():
        pytest.skip("needs a local redis-server this test may restart")
    today = timezone.localdate()
    make_allocations(REMINDER_COUNT, today=today, prefix="int", spread_days=1, overdue_days=0)
    result = sweep_report_reminders(today)
    assert result.allocations_due == REMINDER_COUNT
    keys = set(OutboundMessage.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == REMINDER_COUNT  # one email per group: the contact address

    def relay() -> None:
        # What relay_outbox does every minute: publish whatever is still queued. Here it runs
        # only once the broker's queue is empty, so it republishes just what was lost.
        if publisher.queue_length() == 0:
            publisher(outbox.due_ids(limit=REMINDER_COUNT))

    def handled() -> int:
        return OutboundMessage.objects.exclude(status=Status.QUEUED).count()

    # A worker can stop consuming after its broker restarts (a known failure of the Redis
    # transport). In production its heartbeat then goes stale, /healthz answers 503 and the
    # process supervisor restarts it; this loop plays that supervisor. Those restarts are kills
    # too: they may leave a row in `sending`, which must go to review, not be resent.
    progress = {"handled": 0, "at": time.time(), "restarts": 0}

    def supervise() -> None:
        relay()
        now = handled()
        if now > progress["handled"]:
            progress.update(handled=now, at=time.time())
        elif time.time() - progress["at"] > STALL_SECONDS:
            worker.kill()
            worker.start()
            progress["restarts"] += 1
            progress["at"] = time.time()

    began = time.time()
    worker.start()
    relay()
    kills = 0
    for step, share in enumerate((0.15, 0.35, 0.55, 0.75)):
        target = int(REMINDER_COUNT * share)
        wait_for(
            lambda t=target: handled() >= t,
            timeout=180,
            what=f"{target} messages handled",
            every=0.5,
            tick=supervise,
        )
        if step == 2:
            restart_redis()  # the tasks waiting in Redis are gone; the relay republishes them
        else:
            worker.kill()
            kills += 1
            worker.start()
        progress["at"] = time.time()
        relay()
        print(f"step {step}: {handled()} handled at {time.time() - began:.1f}s")
    wait_for(
        lambda: not OutboundMessage.objects.filter(status=Status.QUEUED).exists(),
        timeout=240,
        what="the queue to empty",
        every=2,
        tick=supervise,
    )
    kills += progress["restarts"]
    time.sleep(1)  # let the last SMTP sessions finish

    received = smtp_server.received()
    rows = statuses()
    sent, sending = rows.get("sent", set()), rows.get("sending", set())
    assert [key for key, n in received.items() if n > 1] == [], "a message arrived twice"
    assert set(received) <= keys
    assert sent <= set(received), "a row marked sent never reached the mail server"
    assert set(received) | sending == keys, "a message was lost"
    assert set(rows) <= {"sent", "sending"}
    # A kill can cut off at most one send per pool process; those rows wait for a person.
    assert len(sending) <= kills * 2
    review = set(outbox.review_queue(minutes=0).values_list("idempotency_key", flat=True))
    assert review == sending
    print(
        f"\n{REMINDER_COUNT} reminders, {kills} kills ({progress['restarts']} by the supervisor), "
        f"1 Redis restart: "
        f"{len(received)} received once, {len(sending)} left for review, 0 duplicates"
    )


def test_nothing_is_claimed_after_a_case_stop_commits(worker, publisher, smtp_server):
    from cases.models import Case
    from tests import factories as f

    case = f.CaseFactory()
    count = 400
    for i in range(count):
        outbox.queue_message(
            key=f"update:{case.pk}:{i}",
            template="report-overdue",
            to_email=f"person{i}@example.org",
            to_name=f"Person {i}",
            context={"case_reference": case.reference, "audience": "coordinator"},
            case=case,
        )
    worker.start()
    publisher(outbox.due_ids())
    wait_for(
        lambda: OutboundMessage.objects.filter(status=Status.SENT).count() >= 40,
        timeout=60,
        what="the first messages to be sent",
        every=0.05,
    )
    # Stopping a case: the case row changes and what is still queued is cancelled, in one
    # transaction (as the case stop service does).
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.status = Case.Status.CLOSED
        locked.closing_reason = Case.ClosingReason.ETHICAL_CONCERN
        locked.closed_at = timezone.now()
        locked.save()
        outbox.cancel_for_case(locked)
    stop_committed = timezone.now()
    publisher(
        OutboundMessage.objects.filter(case=case).values_list("pk", flat=True)
    )  # a late relay must not revive anything
    time.sleep(3)

    claimed_after = OutboundMessage.objects.filter(case=case, claimed_at__gt=stop_committed)
    assert list(claimed_after.values_list("pk", flat=True)) == []
    rows = statuses(case=case)
    assert "queued" not in rows
    assert rows.get("cancelled"), "the stop came too late to prove anything"
    received = smtp_server.received()
    assert not set(received) & rows["cancelled"]
    assert rows.get("sent", set()) <= set(received)
    assert max(received.values()) == 1
