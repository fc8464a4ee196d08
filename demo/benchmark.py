"""The parts of `manage.py bench`: the pages measured and their users, logging in through the real
login form (and its MFA step), query counts, a gunicorn server on the loopback interface, wrk as
the load generator, the server time of the ranking and the sweep, and the results.

wrk keeps 16 connections busy for a fixed time: that is what finds the queueing a slow page causes
under load, which a client waiting for each answer hides.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Allocation, Case
from demo.people import PASSWORD, TOTP_SECRET
from demo.scale import make_allocations
from demo.scale_seed import BUSY_LOGIN, QUIET_LOGIN
from groups.matching import MATCH_LIMIT, count_groups_for_case, rank_groups_for_case
from groups.yearly import sweep_report_reminders

TRIVIAL_PATH = "/bench/trivial"
SIGNED_IN_PATH = "/bench/signed-in"
STAFF_LOGIN = "staff@demo.example"
COORDINATOR_LOGIN = "coordinator@demo.example"

# wrk reports p50/p75/p90/p99 by itself; this script prints what the results need as one line.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class Page:
    name: str
    login: str | None  # None: anonymous
    path: str
    audience: str  # floor, anonymous, member, staff, coordinator, admin


@dataclass
class Result:
    page: Page
    rps: float
    p50_ms: float
    p95_ms: float
    queries: int | None
    errors: int
    server_ms: float | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- pages and logins --------------------------------------------------------------------------


def busiest_case(login: str) -> Case:
    holder = User.objects.get(email=login)
    allocation = (
        Allocation.objects.filter(holder=holder, status=Allocation.Status.ACTIVE)
        .annotate(n=Count("activities"))
        .order_by("-n")
        .select_related("case")
        .first()
    )
    if allocation is None:
        raise CommandError(f"{login} holds no active case: run seed_scale first.")
    return allocation.case


def case_to_match() -> Case:
    """An open case with a place free, as staff would rank groups for."""
    case = (
        Case.objects.filter(status=Case.Status.OPEN, reference__startswith="SC-")
        .annotate(open_n=Count("allocations"))
        .filter(open_n__lt=F("max_groups"))
        .order_by("pk")
        .first()
    )
    if case is None:
        raise CommandError("No open scale case with a free place: run seed_scale first.")
    return case


def pages() -> list[Page]:
    busy_case = busiest_case(BUSY_LOGIN)
    return [
        Page("trivial view", None, TRIVIAL_PATH, "floor"),
        Page("login page", None, reverse("account_login"), "anonymous"),
        Page("bare signed-in page", BUSY_LOGIN, SIGNED_IN_PATH, "signed-in floor"),
        Page("My cases (busy group)", BUSY_LOGIN, reverse("groups:my_cases"), "member"),
        Page("My cases (quiet group)", QUIET_LOGIN, reverse("groups:my_cases"), "member"),
        Page(
            "group's case page",
            BUSY_LOGIN,
            reverse("groups:case", args=[busy_case.reference]),
            "member",
        ),
        Page("staff home", STAFF_LOGIN, "/", "staff"),
        Page(
            "staff case list, filtered and sorted",
            STAFF_LOGIN,
            reverse("staff:case_list") + "?status=open&allocation=under&sort=-opened_on",
            "staff",
        ),
        Page(
            "groups ranked for a case",
            STAFF_LOGIN,
            reverse("staff:match_groups", args=[case_to_match().reference]),
            "staff",
        ),
        Page("coordinator home", COORDINATOR_LOGIN, reverse("coordinators:home"), "coordinator"),
        Page(
            "report inbox", COORDINATOR_LOGIN, reverse("coordinators:report_inbox"), "coordinator"
        ),
        Page("admin changelist of cases", STAFF_LOGIN, "/admin/cases/case/", "admin"),
    ]


def totp_now(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(email: str) -> Client:
    """A client logged in through the login form, and through the MFA step when the login asks
    for a code, exactly as a person would: its session is in the shared session store."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    if response.status_code != 302:
        raise CommandError(f"Logging in as {email} failed ({response.status_code}).")
    if response["Location"].startswith(reverse("mfa_authenticate")):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
        if response.status_code != 302:
            raise CommandError(f"The MFA step for {email} failed ({response.status_code}).")
    return client


def session_cookie(client: Client) -> str:
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def count_queries(client: Client, path: str, runs: int = 5) -> tuple[int, float]:
    """Queries of one request, and the median time of one request in this process with nothing
    else asking (ms): after a first request has warmed the caches a live site has warm."""
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise CommandError(f"{path} answered {response.status_code}")
    # Counted now: the next request's start empties the connection's query log.
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return queries, sorted(times)[runs // 2]


# -- server time -------------------------------------------------------------------------------


def time_ranking(case: Case, runs: int = 5) -> dict[str, Any]:
    """Median server time of ranking every group for one case as the staff page does (no page
    around it): all groups scored and ordered in the database, the best MATCH_LIMIT read, and
    the groups counted."""
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            rank_groups_for_case(case, limit=MATCH_LIMIT)
            total = count_groups_for_case(case)
            times.append(time.perf_counter() - started)
    times.sort()
    return {
        "ms": round(times[len(times) // 2] * 1000, 1),
        "queries": len(ctx),
        "groups": total,
    }


class _Rollback(Exception):
    pass


def time_sweep(allocations: int) -> dict[str, Any]:
    """The reminder sweep over `allocations` generated allocations added to the data set, timed
    and rolled back (nothing is kept, nothing is sent)."""
    result: dict[str, Any] = {"allocations": allocations}
    today = timezone.localdate()
    try:
        with transaction.atomic():
            make_allocations(allocations, today=today, prefix="sweep")
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                swept = sweep_report_reminders(today)
                result["seconds"] = round(time.perf_counter() - started, 2)
            result["queries"] = len(ctx)
            result["allocations_due"] = swept.allocations_due
            result["messages"] = swept.messages
            raise _Rollback
    except _Rollback:
        pass
    return result


# -- server and load ---------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(port: int, workers: int) -> Iterator[None]:
    """gunicorn on 127.0.0.1:`port` until the block ends, answering once it has started."""
    # The server runs with this process's settings (the Makefile sets production ones), so the
    # sessions made here through the login form are read there from the same store.
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
            pass
        time.sleep(0.5)
    raise CommandError("gunicorn did not answer within 60 s")


def wrk(
    port: int, path: str, cookie: str | None, *, seconds: int, connections: int, threads: int
) -> tuple[float, float, float, int]:
    """requests/s, p50 ms, p95 ms and failed requests of `path` under wrk."""
    if shutil.which("wrk") is None:
        raise CommandError("wrk is not installed: apt-get install -y wrk (make bench does).")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                *headers,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    match = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", out, re.MULTILINE)
    if match is None:
        raise CommandError(f"Could not read wrk's output:\n{out}")
    requests, duration_us, p50_us, p95_us, errors, non_2xx = map(int, match.groups())
    rps = requests / (duration_us / 1e6) if duration_us else 0.0
    return rps, p50_us / 1000, p95_us / 1000, errors + non_2xx


# -- results -----------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return f"{os.cpu_count()} cores ({cpu}), PostgreSQL {pg}, Python {platform.python_version()}"


def results_json(
    results: list[Result], sweep: dict[str, Any], ranking: dict[str, Any], meta: dict[str, Any]
) -> dict[str, Any]:
    floor = results[0].rps or 1.0
    data: dict[str, Any] = {
        r.page.name: {
            "rps": round(r.rps, 1),
            "p50_ms": round(r.p50_ms, 1),
            "p95_ms": round(r.p95_ms, 1),
            "ratio_to_floor": round(r.rps / floor, 3),
            "queries": r.queries,
            "server_ms": None if r.server_ms is None else round(r.server_ms, 1),
            "errors": r.errors,
            "path": r.page.path,
            "audience": r.page.audience,
        }
        for r in results
    }
    data["sweep"] = sweep
    data["ranking"] = ranking
    data["meta"] = meta
    return data


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def report_table(data: dict[str, Any]) -> str:
    lines = [
        "| page | who | requests/s | ÷ floor | p50 ms | p95 ms | queries | one request alone, ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in data.items():
        if name in {"sweep", "ranking", "meta"}:
            continue
        queries = "–" if r["queries"] is None else r["queries"]
        alone = "–" if r["server_ms"] is None else r["server_ms"]
        # No request finished within the duration: no latency to report.
        p50, p95 = (f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}") if r["rps"] else ("none done", "–")
        lines.append(
            f"| {name} | {r['audience']} | {r['rps']:.1f} | {r['ratio_to_floor']:.3f} | "
            f"{p50} | {p95} | {queries} | {alone} |"
        )
    sweep, ranking = data["sweep"], data["ranking"]
    lines += [
        "",
        f"Ranking {ranking['groups']:,} groups for one case: {ranking['ms']} ms of server time, "
        f"{ranking['queries']} queries.",
        f"Reminder sweep over {sweep['allocations']:,} more allocations: {sweep['seconds']} s, "
        f"{sweep['queries']} queries, {sweep['allocations_due']:,} due, "
        f"{sweep['messages']:,} messages.",
    ]
    return "\n".join(lines)
