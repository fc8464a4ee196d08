"""Fill a database with a fictional demo data set (see `demo.seeder`).

python manage.py seed_demo [--today YYYY-MM-DD]
"""

from __future__ import annotations

import time as clock
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.people import LOGINS, PASSWORD, TOTP_SECRET
from demo.seeder import seed, seeded_at


class Command(BaseCommand):
    help = "Load a fictional demo data set (cases, groups, coordinators, allocations, activity)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Date the data set is built around (YYYY-MM-DD); defaults to today.",
        )

    def handle(self, *args: Any, today: date | None = None, **options: Any) -> None:
        loaded = seeded_at()
        if loaded is not None:
            self.stdout.write(
                f"Demo data already loaded on {timezone.localtime(loaded):%d %b %Y %H:%M}; "
                "nothing added."
            )
            self.print_logins()
            return
        started = clock.monotonic()
        created = seed(today or timezone.localdate())
        elapsed = clock.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s:"))
        for label, count in sorted(created.items()):
            if count:
                self.stdout.write(f"  {count:6d}  {label}")
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write(f"\nLogins (password {PASSWORD}):")
        for email, name, what in LOGINS:
            self.stdout.write(f"  {email:26s} {name}, {what}")
        self.stdout.write(
            f"TOTP secret for staff and coordinator: {TOTP_SECRET} "
            "(add it to any authenticator app)."
        )
