"""`seed_scale`: years of casework at the size of the whole programme and beyond, on top of the demo.

The default is 2,000 groups, 10,000 cases and 1,000,000 actions over five years; `factor` scales
every count. The shape is what makes pages slow in real life, so it is skewed like the programme:
a few busy groups hold many cases and log most of the actions, most groups hold one to three and
log a handful a year. Around that: yearly reports (most in, some late), coordinators' updates
with each group's notice, conversations between the groups and their coordinators
(`demo/scale_messages.py`), ended allocations of closed and given-up cases.

Rows are written with PostgreSQL's COPY (batched inserts on SQLite, for the tests), ids chosen
here so that no row has to be read back (`demo/scale_copy.py`). Every generated name is marked
(`Scale Group 00001`, `@scale.example`) and the command refuses to run twice on one database.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from cases.counts import refresh_all_counters
from cases.models import Allocation, Case, Country, Theme
from coordinators.models import CaseUpdate, CaseUpdateNotice, CountryCoordinator
from demo.people import PASSWORD
from demo.scale_copy import CaseRow, Plan, next_id, write_rows
from demo.scale_messages import write_messages
from groups.models import Activity, AnnualReport, LocalGroup, Membership
from groups.yearly import add_years
from iar_site import crypto

SCALE_DOMAIN = "scale.example"
GROUP_NAME = "Scale Group {:05d}"
YEARS = 5
BUSY_SHARE = 0.01  # one group in a hundred is busy
BUSY_WEIGHT = 12  # ... and is chosen this many times as often for a case, and logs as much more

# Logins the benchmark uses: the busiest group's holder and a quiet group's.
BUSY_LOGIN = f"busy.holder@{SCALE_DOMAIN}"
QUIET_LOGIN = f"quiet.holder@{SCALE_DOMAIN}"

KIND_WEIGHTS = [
    (Activity.Kind.APPEAL_LETTER, 50),
    (Activity.Kind.SOLIDARITY, 15),
    (Activity.Kind.PETITION, 8),
    (Activity.Kind.SOCIAL_MEDIA, 10),
    (Activity.Kind.STALL, 5),
    (Activity.Kind.LOCAL_MEDIA, 4),
    (Activity.Kind.EVENT, 3),
    (Activity.Kind.DEMONSTRATION, 2),
    (Activity.Kind.OFFICIAL_MEETING, 2),
    (Activity.Kind.OTHER, 1),
]


class ScaleDataPresent(Exception):
    """The database already holds scale data."""


@dataclass
class Sizes:
    groups: int = 2000
    cases: int = 10_000
    actions: int = 1_000_000

    def times(self, factor: int) -> Sizes:
        return Sizes(self.groups * factor, self.cases * factor, self.actions * factor)


def scale_data_present() -> bool:
    return LocalGroup.objects.filter(name=GROUP_NAME.format(0)).exists()


# ---- Steps -----------------------------------------------------------------------------------


def _at(day: date, rng: Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59))))


def _between(rng: Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max((hi - lo).days, 0)))


def _groups_and_people(plan: Plan, sizes: Sizes) -> None:
    rng = plan.rng
    n = sizes.groups
    first_group, first_user = next_id(LocalGroup), next_id(User)
    plan.group_ids = list(range(first_group, first_group + n))
    busy = max(1, int(n * BUSY_SHARE))
    # The busiest groups come first, so group 0 is the busiest and the last one is quiet.
    plan.group_weights = [BUSY_WEIGHT if i < busy else 1.0 for i in range(n)]
    plan.counts["groups"] = write_rows(
        LocalGroup,
        ["id", "name", "town", "postal_address", "contact_email", "channel", "capacity"],
        (
            (
                gid,
                GROUP_NAME.format(i),
                f"Scaleton {i}",
                f"{i} High Street\nScaleton {i}\nSC{i % 90 + 1} 1AA",
                f"group{i}@{SCALE_DOMAIN}",
                LocalGroup.Channel.POST if i % 9 == 8 else LocalGroup.Channel.EMAIL,
                BUSY_WEIGHT if i < busy else rng.randint(1, 4),
            )
            for i, gid in enumerate(plan.group_ids)
        ),
    )
    # Everyone shares one password hash (the demo password): hashing 4,000 times would take
    # minutes and prove nothing.
    password = make_password(PASSWORD)
    users = []
    uid = first_user
    for i, gid in enumerate(plan.group_ids):
        people = []
        for j in range(3 if i < busy else 2):
            if i == 0 and j == 0:
                email = BUSY_LOGIN
            elif i == n - 1 and j == 0:
                email = QUIET_LOGIN
            else:
                email = f"member{i}.{j}@{SCALE_DOMAIN}"
            users.append((uid, email, f"Scale Member {i} {chr(65 + j)}", password))
            people.append(uid)
            uid += 1
        plan.members[gid] = people
    plan.counts["users"] = write_rows(User, ["id", "email", "full_name", "password"], users)
    first_membership = next_id(Membership)
    plan.counts["memberships"] = write_rows(
        Membership,
        ["id", "user_id", "group_id", "role", "joined_on"],
        (
            (
                mid,
                uid,
                gid,
                Membership.Role.ADMIN if j == 0 else Membership.Role.MEMBER,
                plan.today - timedelta(days=rng.randint(30, 365 * YEARS)),
            )
            for mid, (gid, j, uid) in enumerate(
                ((g, j, u) for g, us in plan.members.items() for j, u in enumerate(us)),
                start=first_membership,
            )
        ),
    )


def _cases(plan: Plan, sizes: Sizes) -> list[CaseRow]:
    """Cases across every country, each with its country's coordinator; (id, status, opened_on,
    closed_at) for the allocations."""
    rng = plan.rng
    countries = list(Country.objects.order_by("pk").values_list("pk", flat=True))
    coordinator_of = dict(
        CountryCoordinator.countries.through.objects.values_list(
            "country_id", "countrycoordinator_id"
        )
    )
    start = plan.today - timedelta(days=365 * YEARS)
    first = next_id(Case)
    cases: list[CaseRow] = []
    rows: list[tuple[Any, ...]] = []
    statuses = [Case.Status.OPEN] * 15 + [Case.Status.CLOSED] * 3 + [Case.Status.PAUSED]
    statuses += [Case.Status.DRAFT]
    for i in range(sizes.cases):
        cid = first + i
        country = countries[i % len(countries)]
        status = rng.choice(statuses)
        opened = _between(rng, start - timedelta(days=365 * 3), plan.today - timedelta(days=20))
        closed_at = (
            _at(_between(rng, opened, plan.today), rng) if status == Case.Status.CLOSED else None
        )
        confidential = i % 25 == 0
        # COPY skips the model fields' sealing: a confidential row's text is sealed here, as the
        # site stores it (one in 25 rows, so the cost stays small).
        private = crypto.seal if confidential else str
        rows.append(
            (
                cid,
                f"SC-{i:07d}",
                private(f"Scale case {i}"),
                rng.choice(Case.Kind.values),
                country,
                private("Generated for the scale data set."),
                Case.Sensitivity.CONFIDENTIAL if confidential else Case.Sensitivity.PUBLIC,
                status,
                Case.ClosingReason.RESOLVED if closed_at else "",
                closed_at,
                coordinator_of.get(country),
                2,
                opened,
            )
        )
        cases.append((cid, status, opened, closed_at, coordinator_of.get(country)))
    plan.counts["cases"] = write_rows(
        Case,
        [
            "id",
            "reference",
            "title",
            "kind",
            "country_id",
            "summary",
            "sensitivity",
            "status",
            "closing_reason",
            "closed_at",
            "coordinator_id",
            "max_groups",
            "opened_on",
        ],
        rows,
    )
    themes = list(Theme.objects.values_list("pk", flat=True))
    if themes:
        through = Case.themes.through
        first_link = next_id(through)
        links = (
            (first_link + k, cid, theme)
            for k, (cid, theme) in enumerate(
                (cid, t) for cid, *_ in cases for t in rng.sample(themes, min(2, len(themes)))
            )
        )
        write_rows(through, ["id", "case_id", "theme_id"], links)
    return cases


def _allocations(plan: Plan, cases: list[CaseRow]) -> None:
    """One or two groups on most open cases (busy groups chosen far more often), ended ones on
    closed cases and some given up over the years."""
    rng = plan.rng
    cumulative = list(itertools.accumulate(plan.group_weights))
    total = cumulative[-1]

    def pick() -> int:
        return bisect.bisect(cumulative, rng.random() * total)

    first = next_id(Allocation)
    rows = []
    aid = first
    for cid, status, opened, closed_at, _coordinator in cases:
        if status == Case.Status.DRAFT or rng.random() < 0.25:
            continue
        chosen = {pick() for _ in range(rng.choice([1, 1, 2]))}
        for index in chosen:
            gid = plan.group_ids[index]
            weight = plan.group_weights[index]
            holder = plan.members[gid][0]
            started = _between(
                rng,
                max(opened, plan.today - timedelta(days=365 * YEARS)),
                plan.today - timedelta(days=10),
            )
            if status == Case.Status.CLOSED:
                assert closed_at is not None
                ended: date | None = max(started, timezone.localdate(closed_at))
                reason: str = Allocation.EndReason.CASE_CLOSED
            elif rng.random() < 0.1:
                ended = _between(rng, started, plan.today)
                reason = Allocation.EndReason.RELINQUISHED
            else:
                ended, reason = None, ""
            state = Allocation.Status.ENDED if ended else Allocation.Status.ACTIVE
            rows.append((aid, cid, gid, state, holder, _at(started, rng), started, ended, reason))
            plan.allocations.append((aid, cid, gid, holder, started, ended, weight))
            aid += 1
    plan.counts["allocations"] = write_rows(
        Allocation,
        [
            "id",
            "case_id",
            "group_id",
            "status",
            "holder_id",
            "offered_at",
            "started_on",
            "ended_on",
            "end_reason",
        ],
        rows,
    )


def _activities(plan: Plan, sizes: Sizes) -> None:
    """`sizes.actions` actions shared among the allocations by weight and length of work."""
    rng = plan.rng
    allocs = plan.allocations
    if not allocs:
        return
    spans = [((ended or plan.today) - started).days + 1 for *_, started, ended, _w in allocs]
    cumulative = list(itertools.accumulate(w * s for (*_, w), s in zip(allocs, spans, strict=True)))
    total = cumulative[-1]
    kinds = [k for k, _ in KIND_WEIGHTS]
    kind_cum = list(itertools.accumulate(w for _, w in KIND_WEIGHTS))
    outcomes = [Activity.Outcome.REPLY, Activity.Outcome.IMPROVEMENT, Activity.Outcome.OTHER]
    first = next_id(Activity)
    random, bisect_ = rng.random, bisect.bisect
    kind_total = kind_cum[-1]

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(sizes.actions):
            k = bisect_(cumulative, random() * total)
            aid, _cid, gid, holder, started, _ended, _w = allocs[k]
            day = started + timedelta(days=int(random() * spans[k]))
            kind = kinds[bisect_(kind_cum, random() * kind_total)]
            outcome = outcomes[i % 3] if i % 40 == 0 else ""
            recorder = plan.members[gid][i % len(plan.members[gid])] if i % 2 else holder
            yield (
                first + i,
                aid,
                kind,
                day,
                1 + int(random() * 12),
                outcome,
                recorder,
                _at(day, rng),
            )

    plan.counts["actions"] = write_rows(
        Activity,
        ["id", "allocation_id", "kind", "date", "count", "outcome", "recorded_by_id", "created_at"],
        rows(),
    )


def _reports(plan: Plan) -> None:
    """A report for most finished years of each allocation; the latest sometimes not yet read."""
    rng = plan.rng
    first = next_id(AnnualReport)
    rows: list[tuple[Any, ...]] = []
    for aid, _cid, _gid, holder, started, ended, weight in plan.allocations:
        last = ended or plan.today
        year = 0
        while add_years(started, year + 1) <= last:
            start, end = add_years(started, year), add_years(started, year + 1)
            year += 1
            if rng.random() > (0.97 if weight > 1 else 0.8):
                continue  # never sent: the sweep reminds, the coordinator chases
            submitted = _at(min(end + timedelta(days=rng.randint(-20, 40)), plan.today), rng)
            acknowledged = rng.random() < 0.85 or end < plan.today - timedelta(days=120)
            rows.append(
                (
                    first + len(rows),
                    aid,
                    start,
                    end,
                    AnnualReport.Status.ACKNOWLEDGED
                    if acknowledged
                    else AnnualReport.Status.SUBMITTED,
                    "Letters every month and a stall in the summer.",
                    submitted,
                    holder,
                    submitted + timedelta(days=rng.randint(1, 30)) if acknowledged else None,
                )
            )
    plan.counts["reports"] = write_rows(
        AnnualReport,
        [
            "id",
            "allocation_id",
            "period_start",
            "period_end",
            "status",
            "what_worked",
            "submitted_at",
            "submitted_by_id",
            "acknowledged_at",
        ],
        rows,
    )


def _updates(plan: Plan, cases: list[CaseRow]) -> None:
    """A few updates a year on allocated cases, each noticed by the groups then working on it."""
    rng = plan.rng
    author_of = dict(CountryCoordinator.objects.values_list("pk", "user_id"))
    coordinator = {c[0]: c[4] for c in cases}
    by_case: dict[int, list[tuple[int, date, date | None, int]]] = {}
    for aid, cid, _gid, holder, started, ended, _w in plan.allocations:
        by_case.setdefault(cid, []).append((aid, started, ended, holder))
    first_update, first_notice = next_id(CaseUpdate), next_id(CaseUpdateNotice)
    updates: list[tuple[Any, ...]] = []
    notices: list[tuple[Any, ...]] = []
    for cid, allocs in by_case.items():
        begin = min(a[1] for a in allocs)
        for _ in range(rng.randint(1, 2) * max(1, (plan.today - begin).days // 365)):
            day = _between(rng, begin, plan.today)
            published = _at(day, rng)
            uid = first_update + len(updates)
            updates.append(
                (
                    uid,
                    cid,
                    rng.choice([CaseUpdate.Kind.DEVELOPMENT, CaseUpdate.Kind.ACTION_NEEDED]),
                    "News from the case",
                    "The authorities replied to the groups' letters.",
                    CaseUpdate.Status.PUBLISHED,
                    author_of.get(coordinator.get(cid) or 0),
                    published,
                    published,
                )
            )
            for aid, started, ended, holder in allocs:
                if started <= day and (ended is None or day <= ended):
                    read = published + timedelta(days=rng.randint(0, 20))
                    seen = read.date() < plan.today and rng.random() < 0.8
                    notices.append(
                        (
                            first_notice + len(notices),
                            uid,
                            aid,
                            published,
                            read if seen else None,
                            holder if seen else None,
                        )
                    )
    plan.counts["updates"] = write_rows(
        CaseUpdate,
        [
            "id",
            "case_id",
            "kind",
            "title",
            "body",
            "status",
            "author_id",
            "created_at",
            "published_at",
        ],
        updates,
    )
    plan.counts["notices"] = write_rows(
        CaseUpdateNotice,
        ["id", "update_id", "allocation_id", "created_at", "read_at", "read_by_id"],
        notices,
    )


def seed_scale(
    sizes: Sizes, *, today: date, seed: int = 14, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Write the scale data set in one transaction; the rows made per table."""
    if scale_data_present():
        raise ScaleDataPresent(
            "This database already holds the scale data set (Scale Group 00000 exists). "
            "Use a fresh database, e.g. dropdb and createdb, then migrate and seed_demo."
        )
    say = progress or (lambda _text: None)
    plan = Plan(today=today, now=timezone.now(), rng=Random(seed))
    with transaction.atomic():
        _groups_and_people(plan, sizes)
        say(f"groups and people: {plan.counts['groups']:,} groups, {plan.counts['users']:,} people")
        cases = _cases(plan, sizes)
        say(f"cases: {plan.counts['cases']:,}")
        _allocations(plan, cases)
        say(f"allocations: {plan.counts['allocations']:,}")
        _activities(plan, sizes)
        say(f"actions: {plan.counts.get('actions', 0):,}")
        _reports(plan)
        say(f"yearly reports: {plan.counts['reports']:,}")
        _updates(plan, cases)
        say(f"updates: {plan.counts['updates']:,}, notices: {plan.counts['notices']:,}")
        write_messages(plan, cases)
        say(f"messages: {plan.counts['messages']:,}, read markers: {plan.counts['read_markers']:,}")
        # COPY passes the services that keep the cases' counters: recount them from the rows.
        refresh_all_counters()
        say("case counters recounted")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a live site
    return plan.counts
