"""Add years of casework at the size of the whole programme, on top of the demo data.

    python manage.py seed_scale [--groups 2000 --cases 10000 --actions 1000000] [--factor 10]

Loads the demo data first when it is missing (the benchmark logs in as its staff and coordinator).
Refuses a database that already holds the scale data: use a fresh one. Meant for PostgreSQL,
where it writes with COPY in a few minutes; it works on SQLite at small sizes.
"""

from __future__ import annotations

import time
from datetime import date
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.scale_seed import BUSY_LOGIN, QUIET_LOGIN, ScaleDataPresent, Sizes, seed_scale
from demo.seeder import seeded_at


class Command(BaseCommand):
    help = "Add generated groups, cases and five years of actions at scale (see the docstring)."

    def add_arguments(self, parser) -> None:
        base = Sizes()
        parser.add_argument("--groups", type=int, default=base.groups)
        parser.add_argument("--cases", type=int, default=base.cases)
        parser.add_argument("--actions", type=int, default=base.actions)
        parser.add_argument(
            "--factor", type=int, default=1, help="multiply every size (10: the growth check)"
        )
        parser.add_argument("--seed", type=int, default=14, help="random seed")
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 1 <= opts["factor"] <= 100:
            raise CommandError("--factor must be between 1 and 100.")
        sizes = Sizes(opts["groups"], opts["cases"], opts["actions"]).times(opts["factor"])
        if sizes.groups < 2 or sizes.cases < 1 or sizes.actions < 0:
            raise CommandError("Give at least 2 groups, 1 case and 0 actions.")
        today = opts["today"] or timezone.localdate()
        if seeded_at() is None:
            call_command("seed_demo", today=today, stdout=StringIO())
            self.stdout.write("demo data loaded")
        started = time.monotonic()
        try:
            counts = seed_scale(
                sizes,
                today=today,
                seed=opts["seed"],
                progress=lambda text: self.stdout.write(
                    f"  {time.monotonic() - started:6.1f}s  {text}"
                ),
            )
        except ScaleDataPresent as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Scale data loaded in {time.monotonic() - started:.1f} s: ")
            + ", ".join(f"{n:,} {name}" for name, n in counts.items())
        )
        self.stdout.write(f"Busy group's holder: {BUSY_LOGIN}; a quiet group's: {QUIET_LOGIN}")
