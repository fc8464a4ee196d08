"""The parts of `manage.py bench`: the pages measured, their query counts, a gunicorn server on
the loopback interface, a bounded load generator and the Markdown table of results."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Allocation
from groups.yearly import sweep_report_reminders

TRIVIAL_PATH = "/bench/trivial"


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    queries: int | None
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- pages -------------------------------------------------------------------------------------


def main_pages() -> dict[str, tuple[User, str]]:
    """Each page measured, with the demo login that opens it."""
    staff = User.objects.get(email="staff@demo.example")
    coordinator = User.objects.get(email="coordinator@demo.example")
    holder = User.objects.get(email="holder@demo.example")
    allocation = Allocation.objects.filter(holder=holder, status=Allocation.Status.ACTIVE).first()
    if allocation is None:
        raise CommandError("The demo holder has no active allocation: is the demo data loaded?")
    pages = {
        "staff home": (staff, "/"),
        "coordinator home": (coordinator, "/"),
        "member: My cases": (holder, "/"),
        "member: case page": (holder, f"/groups/cases/{allocation.case.reference}/"),
    }
    # Pages of other parts are measured when they exist.
    for name, url_name, args in [
        ("staff: case list", "staff:case_list", []),
        (
            "staff: groups ranked for a case",
            "staff:match_groups",
            [allocation.case.reference],
        ),
    ]:
        with contextlib.suppress(NoReverseMatch):
            pages[name] = (staff, reverse(url_name, args=args))
    return pages


def count_queries(user: User, path: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise CommandError(f"{path} answered {response.status_code} for {user}")
    return len(ctx.captured_queries)


def time_sweep() -> float:
    """Seconds the yearly report reminder sweep takes over the data set; nothing is kept."""
    started = time.monotonic()
    with transaction.atomic():
        sweep_report_reminders(timezone.localdate())
        transaction.set_rollback(True)  # measure only; send nothing
    return time.monotonic() - started


def session_cookie(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# -- server and load ---------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(port: int, workers: int) -> Iterator[None]:
    """gunicorn on 127.0.0.1:`port` until the block ends, answering once it has started."""
    # The server runs with this process's settings (the Makefile sets production-like ones),
    # so the sessions made here are valid there.
    env = {**os.environ, "BENCHMARK_VIEWS": "true"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "iar_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "1",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        wait_for(port)
        yield
    finally:
        server.terminate()
        server.wait(timeout=20)


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", TRIVIAL_PATH)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise CommandError("gunicorn did not answer within 60 s")


def load(
    port: int,
    name: str,
    cookie: str | None,
    path: str,
    *,
    requests: int,
    concurrency: int,
    queries: int | None,
) -> Result:
    """`requests` GETs of `path` from `concurrency` threads, each on its own connection."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [requests]

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000
    return Result(name, requests, seconds, statistics.median(ordered) * 1000, p95, queries, errors)


# -- report ------------------------------------------------------------------------------------


def report_table(results: list[Result], sweep: float) -> str:
    """Markdown: one row per page, its p95 next to the trivial view's (the first result)."""
    base = results[0]
    lines = [
        "| page | requests/s | p50 ms | p95 ms | p95 ÷ trivial | queries | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | "
            f"{r.p95_ms / base.p95_ms:.1f} | {r.queries if r.queries is not None else '–'} "
            f"| {r.errors} |"
        )
    lines.append("")
    lines.append(f"Yearly report reminder sweep over the data set: {sweep * 1000:.0f} ms.")
    return "\n".join(lines)
