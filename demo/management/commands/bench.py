"""Benchmark the main pages under gunicorn and wrk on PostgreSQL and Redis, over the scale data.

    make bench [BENCH_FACTOR=10]
    python manage.py bench [--factor 1 --seconds 8 --connections 16 --workers 2]

The database must hold the scale data (`seed_scale`; `make bench` builds a fresh one). Each page is
requested as its real user, logged in through the login form and its MFA step, with wrk at a fixed
number of connections for a fixed time. It reports requests/s, p50 and p95 latency, the ratio of
requests/s to the trivial view (the floor: a ratio survives a noisy machine) and the queries of one
request (counted in this process); after the pages, the server time of ranking every group for a
case and of the report reminder sweep over 100,000 more allocations (rolled back). It writes
var/bench/results.json (and results-<factor>x.json beside it) and, with --output, appends a
Markdown section. All traffic stays on the loopback interface.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from demo.benchmark import (
    Result,
    case_to_match,
    count_queries,
    free_port,
    gunicorn,
    log_in,
    machine,
    pages,
    report_table,
    results_json,
    session_cookie,
    time_ranking,
    time_sweep,
    write_json,
    wrk,
)
from demo.scale_seed import scale_data_present


class Command(BaseCommand):
    help = "Benchmark the main pages under gunicorn and wrk (see the module docstring)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--factor", type=int, default=1, help="the seed_scale factor, a label")
        parser.add_argument("--seconds", type=int, default=8, help="wrk's duration per page")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--threads", type=int, default=2, help="wrk threads")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--sweep-allocations", type=int, default=100_000)
        parser.add_argument("--json", default="var/bench/results.json")
        parser.add_argument("--output", default="", help="append a Markdown section here")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not settings.USING_POSTGRES:
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        if settings.DEBUG:
            raise CommandError("Run the benchmark with DJANGO_DEBUG=false (see `make bench`).")
        if not scale_data_present():
            raise CommandError("No scale data here: run `manage.py seed_scale` first.")
        # The seed has just written millions of rows: a live site's autovacuum would have set
        # the visibility map and statistics by now, which index-only scans rely on.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        measured = pages()
        clients = {login: log_in(login) for login in {p.login for p in measured if p.login}}
        queries = {p.name: count_queries(clients[p.login], p.path) for p in measured if p.login}
        self.stdout.write("queries counted; the pages under load next")

        port = free_port()
        load = {k: opts[k] for k in ("seconds", "connections", "threads")}
        results = []
        with gunicorn(port, opts["workers"]):
            for page in measured:
                cookie = session_cookie(clients[page.login]) if page.login else None
                wrk(port, page.path, cookie, **{**load, "seconds": 1})  # warm the worker
                rps, p50, p95, errors = wrk(port, page.path, cookie, **load)
                counted, alone = queries.get(page.name, (None, None))
                results.append(Result(page, rps, p50, p95, counted, errors, alone))
                self.stdout.write(f"  {page.name}: {rps:.0f}/s p50 {p50:.1f} p95 {p95:.1f} ms")
        # The sweep adds 100,000 allocations and rolls them back: the dead rows it leaves would
        # slow every page read after it until autovacuum came round, so it comes last.
        ranking = time_ranking(case_to_match())
        sweep = time_sweep(opts["sweep_allocations"])
        self.stdout.write(f"ranking {ranking}; sweep {sweep}")
        command = f"make bench BENCH_FACTOR={opts['factor']}"
        meta = {
            "command": command,
            "factor": opts["factor"],
            "when": timezone.localtime().isoformat(timespec="minutes"),
            "machine": machine(),
            "load": f"wrk -t{opts['threads']} -c{opts['connections']} -d{opts['seconds']}s",
            "server": f"gunicorn, {opts['workers']} workers, sessions {settings.SESSION_ENGINE}",
            "load_average": os.getloadavg()[0],
        }
        data = results_json(results, sweep, ranking, meta)
        path = Path(opts["json"])
        write_json(path, data)
        shutil.copyfile(path, path.with_name(f"results-{opts['factor']}x.json"))
        text = report_table(data)
        self.stdout.write(text)
        if opts["output"]:
            with open(opts["output"], "a", encoding="utf-8") as fh:
                fh.write(
                    f"\n## {meta['when'][:16].replace('T', ' ')}, {opts['factor']}× data\n\n"
                    f"Command: `{command}`; {meta['load']} per page against {meta['server']}; "
                    f"{meta['machine']}; load average {meta['load_average']:.1f} at the end.\n\n{text}\n"
                )
