"""The state a demo seed builds up step by step, and the helpers every step shares.

Every step draws from the one `random.Random(SEED)` in the order `Seeder.run` calls them, so the
data set is the same on every run for the same "today".
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any

from django.utils import timezone

from accounts.models import User
from cases.models import Allocation, CampaignTarget, Case, CasefileDocument, Country, Region, Theme
from coordinators.models import CountryCoordinator
from groups.models import LocalGroup, Membership

SEED = 2026
DEMO_DOMAIN = "demo.example"
GROUP_COUNT = 60


def ascii_slug(text: str, sep: str = ".") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return sep.join(words)


@dataclass
class CaseSpec:
    index: int
    country: Country
    region_code: str
    pool: str
    capital: str
    kind: str
    status: str
    sensitivity: str
    max_groups: int
    opened_on: date
    themes: list[str]
    closed_on: date | None = None
    closing_reason: str = ""
    people: list[tuple[str, str, str]] = field(default_factory=list)
    about: str = ""
    now: str = ""
    ask: str = ""
    obj: Case = field(init=False)  # set once the case row is planned
    open_groups: set[int] = field(default_factory=set)


@dataclass
class AllocationPlan:
    obj: Allocation
    spec: CaseSpec
    group: int

    @property
    def started_on(self) -> date:
        """The day the group's work began: set on every allocation that started (all active
        ones did)."""
        assert self.obj.started_on is not None
        return self.obj.started_on


class SeederBase:
    # Reference data (demo.reference)
    regions: dict[str, Region]
    countries: list[Country]
    country_info: dict[str, tuple[str, str, str, str, str]]
    themes: dict[str, Theme]
    # Logins, volunteers and coordinators (demo.people)
    staff: User
    coordinator_user: User
    holder: User
    member: User
    other_coordinators: list[User]
    members: list[list[tuple[User, Membership.Role]]]
    coordinator_of: dict[int, CountryCoordinator]
    coordinator_countries: list[Country]
    # Local groups (demo.local_groups), by position in `group_objs`
    group_objs: list[LocalGroup]
    capacity: list[int]
    group_regions: list[set[str]]
    group_themes: list[set[str]]
    load: list[int]
    # Cases, their targets and casefiles (demo.cases, demo.targets)
    specs: list[CaseSpec]
    old_targets: list[CampaignTarget]
    current_targets: list[CampaignTarget]
    documents: list[CasefileDocument]
    # Allocations and the work on them (demo.allocations, demo.casework)
    plans: list[AllocationPlan]
    totals: dict[int, list[tuple[date, str, int]]]

    def __init__(self, today: date) -> None:
        self.today = today
        self.yesterday = today - timedelta(days=1)
        self.rng = Random(SEED)
        self.created: Counter[str] = Counter()
        self.used_names: set[str] = set()
        self.used_emails: set[str] = set()

    def between(self, lo: date, hi: date) -> date:
        if hi < lo:
            hi = lo
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def at(self, day: date) -> datetime:
        # Office hours only: never inside a clock change, never after "now" for a past day.
        moment = time(self.rng.randint(9, 20), self.rng.randrange(0, 60, 5))
        return timezone.make_aware(datetime.combine(day, moment))

    def bulk(self, model: type[Any], rows: list[Any], **kwargs: Any) -> list[Any]:
        created = model.objects.bulk_create(rows, batch_size=500, **kwargs)
        self.created[str(model._meta.verbose_name_plural)] += len(rows)
        return created
