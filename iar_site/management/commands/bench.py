"""Benchmark the main pages under gunicorn on PostgreSQL, next to a trivial view in the same run.

    DATABASE_URL=postgres://... python manage.py bench [--groups 2000 --cases 5000 --requests 200]

It needs an empty scratch database (it refuses one that holds data it did not write): it migrates,
seeds the demo data, adds generated groups, cases, allocations and activities to reach the given
scale, starts gunicorn on 127.0.0.1, and requests each page as its user with a bounded number of
requests. It reports throughput and p95 latency per page, their ratio to the trivial view (a ratio
survives a noisy machine), and the number of queries each page runs. All traffic stays on the
loopback interface.
"""

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
from dataclasses import dataclass
from datetime import timedelta
from random import Random
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

MARK = "bench-scale"


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


class Command(BaseCommand):
    help = "Benchmark the main pages under gunicorn (see the module docstring)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--groups", type=int, default=2000)
        parser.add_argument("--cases", type=int, default=5000)
        parser.add_argument("--activities", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=200, help="per page")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--output", default="", help="append a Markdown section here")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not settings.USING_POSTGRES:
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        if settings.DEBUG:
            raise CommandError("Run the benchmark with DJANGO_DEBUG=false (see `make bench`).")
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        started = time.monotonic()
        self.scale(opts["groups"], opts["cases"], opts["activities"])
        self.stdout.write(f"data set ready in {time.monotonic() - started:.1f}s")

        pages = self.pages()
        queries = {name: self.count_queries(user, path) for name, (user, path) in pages.items()}
        sweep = self.time_sweep()

        port = free_port()
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
                str(opts["workers"]),
                "--threads",
                "1",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        try:
            self.wait_for(port)
            results = [self.load(port, "trivial view", None, "/bench/trivial", opts, None)]
            for name, (user, path) in pages.items():
                cookie = self.session_cookie(user)
                results.append(self.load(port, name, cookie, path, opts, queries[name]))
        finally:
            server.terminate()
            server.wait(timeout=20)
        self.report(results, sweep, opts)

    # -- data -------------------------------------------------------------------------------
    def scale(self, n_groups: int, n_cases: int, n_activities: int) -> None:
        from accounts.models import User
        from cases.models import Allocation, Case, Country
        from groups.models import Activity, LocalGroup, Membership
        from iar_site.models import AuditEntry

        if AuditEntry.objects.filter(action=MARK).exists():
            return
        rng = Random(7)
        today = timezone.localdate()
        countries = list(Country.objects.all())
        with transaction.atomic():
            groups = LocalGroup.objects.bulk_create(
                LocalGroup(
                    name=f"Bench Group {i:05d}",
                    town=f"Town {i}",
                    postal_address="1 Bench St",
                    contact_email=f"bench{i}@bench.example",
                    capacity=rng.randint(1, 4),
                )
                for i in range(n_groups)
            )
            users = User.objects.bulk_create(
                User(
                    email=f"bench.member{i}@bench.example",
                    full_name=f"Bench Member {i}",
                    password="!",
                )
                for i in range(n_groups)
            )
            Membership.objects.bulk_create(
                Membership(user=u, group=g) for u, g in zip(users, groups, strict=True)
            )
            cases = Case.objects.bulk_create(
                Case(
                    reference=f"BENCH-{i:05d}",
                    title=f"Bench case {i}",
                    country=rng.choice(countries),
                    status="open",
                    max_groups=2,
                    summary="Generated for the benchmark.",
                )
                for i in range(n_cases)
            )
            allocations = Allocation.objects.bulk_create(
                Allocation(
                    case=case,
                    group=groups[i % n_groups],
                    status="active",
                    holder=users[i % n_groups],
                    started_on=today - timedelta(days=rng.randint(30, 2000)),
                )
                for i, case in enumerate(cases[: min(n_cases, n_groups * 2)])
            )
            Activity.objects.bulk_create(
                (
                    Activity(
                        allocation=allocations[i % len(allocations)],
                        kind="appeal_letter",
                        date=today - timedelta(days=rng.randint(0, 1000)),
                        count=rng.randint(1, 20),
                    )
                    for i in range(n_activities)
                ),
                batch_size=5000,
            )
            AuditEntry.objects.create(action=MARK, object_type="bench", object_id="0")

    # -- pages -------------------------------------------------------------------------------
    def pages(self) -> dict[str, tuple[Any, str]]:
        from django.urls import NoReverseMatch, reverse

        from accounts.models import User
        from cases.models import Allocation

        staff = User.objects.get(email="staff@demo.example")
        coordinator = User.objects.get(email="coordinator@demo.example")
        holder = User.objects.get(email="holder@demo.example")
        allocation = Allocation.objects.filter(holder=holder, status="active").first()
        pages = {
            "staff home": (staff, "/"),
            "coordinator home": (coordinator, "/"),
            "member: My cases": (holder, "/"),
            "member: case page": (holder, f"/cases/{allocation.case.reference}/"),
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

    def count_queries(self, user: Any, path: str) -> int:
        client = Client()
        client.force_login(user)
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code} for {user}")
        return len(ctx.captured_queries)

    def time_sweep(self) -> float | None:
        try:
            from iar_site.reminders import sweep_report_reminders
        except ImportError:
            return None
        started = time.monotonic()
        with transaction.atomic():
            sweep_report_reminders(timezone.localdate())
            transaction.set_rollback(True)  # measure only; send nothing
        return time.monotonic() - started

    def session_cookie(self, user: Any) -> str:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    # -- load --------------------------------------------------------------------------------
    def wait_for(self, port: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/bench/trivial")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        raise CommandError("gunicorn did not answer within 60 s")

    def load(self, port, name, cookie, path, opts, queries) -> Result:
        total = opts["requests"]
        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()
        remaining = [total]

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

        threads = [threading.Thread(target=worker) for _ in range(opts["concurrency"])]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - t0
        ordered = sorted(latencies)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000
        return Result(name, total, seconds, statistics.median(ordered) * 1000, p95, queries, errors)

    def report(self, results: list[Result], sweep: float | None, opts: dict[str, Any]) -> None:
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
        if sweep is not None:
            lines.append("")
            lines.append(f"Yearly report reminder sweep over the data set: {sweep * 1000:.0f} ms.")
        text = "\n".join(lines)
        self.stdout.write(text)
        if opts["output"]:
            command = (
                f"make bench (python manage.py bench --groups {opts['groups']} --cases "
                f"{opts['cases']} --activities {opts['activities']} --requests "
                f"{opts['requests']} --concurrency {opts['concurrency']} --workers "
                f"{opts['workers']})"
            )
            with open(opts["output"], "a", encoding="utf-8") as fh:
                fh.write(
                    f"\n## {timezone.localtime():%Y-%m-%d %H:%M}\n\nCommand: `{command}` on "
                    f"PostgreSQL, gunicorn with {opts['workers']} workers, {os.cpu_count()} "
                    f"cores.\n\n{text}\n"
                )
