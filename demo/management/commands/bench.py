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

import os
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.benchmark import (
    TRIVIAL_PATH,
    count_queries,
    free_port,
    gunicorn,
    load,
    main_pages,
    report_table,
    session_cookie,
    time_sweep,
)
from demo.scale import add_scale_data


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
        add_scale_data(opts["groups"], opts["cases"], opts["activities"])
        self.stdout.write(f"data set ready in {time.monotonic() - started:.1f}s")

        pages = main_pages()
        queries = {name: count_queries(user, path) for name, (user, path) in pages.items()}
        sweep = time_sweep()

        port = free_port()
        load_opts = {"requests": opts["requests"], "concurrency": opts["concurrency"]}
        with gunicorn(port, opts["workers"]):
            results = [load(port, "trivial view", None, TRIVIAL_PATH, **load_opts, queries=None)]
            for name, (user, path) in pages.items():
                cookie = session_cookie(user)
                results.append(load(port, name, cookie, path, **load_opts, queries=queries[name]))
        text = report_table(results, sweep)
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
