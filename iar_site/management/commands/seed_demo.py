"""Fill a database with a realistic, entirely fictional data set for demonstrations and manual tests.

    python manage.py seed_demo [--today YYYY-MM-DD]

Deterministic (one `random.Random(2026)`, dates relative to "today") and idempotent: the run writes
an audit entry as its marker, and a database that already has it is left alone. Everything is
written in one transaction with bulk inserts, so it takes seconds on SQLite and PostgreSQL.

A seed is not a business operation: it writes rows directly rather than through the services
(which would send notifications and audit every row), but it respects every rule the database
and the services enforce: one open allocation per case and group, no more open allocations than
a case allows, active work only on open or paused cases, closed cases with their allocations
ended, no activity in the future.
"""

from __future__ import annotations

import time as clock
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import (
    Allocation,
    CampaignTarget,
    Case,
    CasefileDocument,
    CasePerson,
    CaseUpdate,
    CaseUpdateNotice,
    Country,
    Gender,
    HolderChange,
    Region,
    Theme,
)
from coordinators.models import CountryCoordinator
from groups.models import Activity, AnnualReport, LocalGroup, Membership
from groups.services import add_years
from iar_site import audit
from iar_site import demo_data as d
from iar_site.models import AuditEntry

SEED = 2026
DEMO_DOMAIN = "demo.example"
GROUP_COUNT = 60
CASE_COUNT = 120
COORDINATOR_CHUNKS = [4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3]  # 43 countries, 12 coordinators

SINGULAR = {"was": "was", "is": "is", "has": "has", "remain": "remains"}
PLURAL = {"was": "were", "is": "are", "has": "have", "remain": "remain"}
PRONOUNS = {
    "female": {"they": "she", "them": "her", "their": "her"},
    "male": {"they": "he", "them": "him", "their": "his"},
    "plural": {"they": "they", "them": "them", "their": "their"},
}


def ascii_slug(text: str, sep: str = ".") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return sep.join(words)


def article(word: str) -> str:
    return "an" if word[0].lower() in "aeio" or word.startswith(("NGO", "LGBTI")) else "a"


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
    obj: Case | None = None
    open_groups: set[int] = field(default_factory=set)


@dataclass
class AllocationPlan:
    obj: Allocation
    spec: CaseSpec
    group: int


class Seeder:
    def __init__(self, today: date) -> None:
        self.today = today
        self.yesterday = today - timedelta(days=1)
        self.rng = Random(SEED)
        self.created: Counter[str] = Counter()
        self.used_names: set[str] = set()
        self.used_emails: set[str] = set()

    # Helpers -------------------------------------------------------------------------------

    def between(self, lo: date, hi: date) -> date:
        if hi < lo:
            hi = lo
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def at(self, day: date) -> datetime:
        # Office hours only: never inside a clock change, never after "now" for a past day.
        moment = time(self.rng.randint(9, 20), self.rng.randrange(0, 60, 5))
        return timezone.make_aware(datetime.combine(day, moment))

    def bulk(self, model: type, rows: list[Any], **kwargs: Any) -> list[Any]:
        created = model.objects.bulk_create(rows, batch_size=500, **kwargs)
        self.created[str(model._meta.verbose_name_plural)] += len(rows)
        return created

    def uk_person(self, gender: str | None = None) -> tuple[str, str]:
        while True:
            g = gender or self.rng.choice(["female", "male"])
            name = f"{self.rng.choice(d.UK_FIRST[g])} {self.rng.choice(d.UK_LAST)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name, g

    def email_for(self, name: str) -> str:
        base = ascii_slug(name)
        email, n = f"{base}@{DEMO_DOMAIN}", 1
        while email in self.used_emails:
            n += 1
            email = f"{base}{n}@{DEMO_DOMAIN}"
        self.used_emails.add(email)
        return email

    def foreign_name(self, pool: str, gender: str) -> str:
        names = d.NAME_POOLS[pool]
        first = self.rng.choice(names["female" if gender == "female" else "male"])
        if gender not in ("female", "male"):
            first = self.rng.choice(names[self.rng.choice(["female", "male"])])
        return f"{first} {self.rng.choice(names['last'])}".strip()

    # Steps ---------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self.reference_data()
        self.check_empty()
        self.users()
        self.coordinators()
        self.groups()
        self.cases()
        self.allocations()
        self.activities()
        self.reports()
        self.updates()
        self.verify()
        return dict(self.created)

    def reference_data(self) -> None:
        # Reference rows may already exist (entered by hand): reuse them by natural key.
        have = set(Region.objects.values_list("code", flat=True))
        self.bulk(Region, [Region(code=c, name=n) for c, n in d.REGIONS if c not in have])
        self.regions = {r.code: r for r in Region.objects.all()}
        have = set(Country.objects.values_list("iso_code", flat=True))
        self.bulk(
            Country,
            [
                Country(iso_code=iso, name=name, region=self.regions[region])
                for iso, name, region, _capital, _pool in d.COUNTRIES
                if iso not in have
            ],
        )
        by_iso = {c.iso_code: c for c in Country.objects.all()}
        self.countries = [by_iso[row[0]] for row in d.COUNTRIES]
        self.country_info = {row[0]: row for row in d.COUNTRIES}
        have = set(Theme.objects.values_list("slug", flat=True))
        self.bulk(Theme, [Theme(slug=s, name=n) for s, n, _w in d.THEMES if s not in have])
        self.themes = {t.slug: t for t in Theme.objects.filter(slug__in=[t[0] for t in d.THEMES])}

    def check_empty(self) -> None:
        names = [f"{town} Amnesty Group" for town, _ in d.UK_TOWNS[:GROUP_COUNT]]
        if (
            User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}").exists()
            or LocalGroup.objects.filter(name__in=names).exists()
        ):
            raise CommandError(
                "The database already holds demo users or groups but no record of a seed: "
                "run seed_demo on an empty database."
            )

    def users(self) -> None:
        password = make_password(d.PASSWORD)  # hashed once: the slow part of making a login
        for email, name, _ in (d.STAFF_LOGIN, d.COORDINATOR_LOGIN, d.HOLDER_LOGIN, d.MEMBER_LOGIN):
            self.used_emails.add(email)
            self.used_names.add(name)
        self.staff = User(
            email=d.STAFF_LOGIN[0],
            full_name=d.STAFF_LOGIN[1],
            is_staff=True,
            is_superuser=True,
            password=password,
        )
        self.coordinator_user = User(
            email=d.COORDINATOR_LOGIN[0], full_name=d.COORDINATOR_LOGIN[1], password=password
        )
        self.holder = User(email=d.HOLDER_LOGIN[0], full_name=d.HOLDER_LOGIN[1], password=password)
        self.member = User(email=d.MEMBER_LOGIN[0], full_name=d.MEMBER_LOGIN[1], password=password)
        users = [self.staff, self.coordinator_user, self.holder, self.member]

        self.other_coordinators = []
        for _ in range(len(COORDINATOR_CHUNKS) - 1):
            name, _g = self.uk_person()
            self.other_coordinators.append(self.unusable_user(name))
        users += self.other_coordinators

        # Members of each group; the two demo members go into the first two groups.
        self.members: list[list[tuple[User, str]]] = []
        for index in range(GROUP_COUNT):
            people = []
            size = self.rng.randint(4, 9)
            admins = 1 if self.rng.random() < 0.6 else 2
            for position in range(size):
                name, _g = self.uk_person()
                role = Membership.Role.ADMIN if position < admins else Membership.Role.MEMBER
                people.append((self.unusable_user(name), role))
            if index == 0:
                people.insert(admins, (self.holder, Membership.Role.MEMBER))
            if index == 1:
                people.insert(admins, (self.member, Membership.Role.MEMBER))
            self.members.append(people)
            users += [u for u, _ in people if u not in (self.holder, self.member)]
        self.bulk(User, users)

        self.bulk(
            Authenticator,
            [
                Authenticator(
                    user=user,
                    type=Authenticator.Type.TOTP,
                    data={"secret": encrypt(d.TOTP_SECRET)},
                )
                for user in (self.staff, self.coordinator_user)
            ],
        )

    def unusable_user(self, name: str) -> User:
        user = User(email=self.email_for(name), full_name=name)
        user.set_unusable_password()
        return user

    def coordinators(self) -> None:
        users = [self.coordinator_user, *self.other_coordinators]
        profiles = []
        for user in users:
            public = ""
            if user is not self.coordinator_user and self.rng.random() < 0.3:
                public = f"iar.{ascii_slug(user.full_name)}@{DEMO_DOMAIN}"
            phone = f"07700 900{self.rng.randint(0, 999):03d}"  # Ofcom's range for drama
            profiles.append(CountryCoordinator(user=user, public_email=public, phone=phone))
        self.bulk(CountryCoordinator, profiles)
        # Every country has exactly one coordinator; chunks follow the region order.
        self.coordinator_of: dict[int, CountryCoordinator] = {}
        links = []
        start = 0
        for profile, size in zip(profiles, COORDINATOR_CHUNKS, strict=True):
            for country in self.countries[start : start + size]:
                self.coordinator_of[country.pk] = profile
                links.append(
                    CountryCoordinator.countries.through(
                        countrycoordinator_id=profile.pk, country_id=country.pk
                    )
                )
            start += size
        self.bulk(CountryCoordinator.countries.through, links)
        self.coordinator_countries = self.countries[: COORDINATOR_CHUNKS[0]]

    def groups(self) -> None:
        groups = []
        self.capacity: list[int] = []
        self.group_regions: list[set[str]] = []
        self.group_themes: list[set[str]] = []
        region_codes = [code for code, _ in d.REGIONS]
        theme_slugs = [slug for slug, _, _ in d.THEMES]
        for index, (town, area) in enumerate(d.UK_TOWNS[:GROUP_COUNT]):
            secretary = self.members[index][0][0].full_name
            channel = LocalGroup.Channel.EMAIL
            if index > 1 and self.rng.random() < 0.25:
                channel = LocalGroup.Channel.POST
            email = f"{ascii_slug(town, '-')}-group@{DEMO_DOMAIN}"
            if channel == LocalGroup.Channel.POST and self.rng.random() < 0.5:
                email = ""
            postcode = (
                f"{area}{self.rng.randint(1, 19)} {self.rng.randint(1, 9)}"
                f"{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            )
            if self.rng.random() < 0.5:
                first_line = f"c/o {secretary}"
            else:
                first_line = f"Amnesty group, {self.rng.choice(d.MEETING_PLACES)}"
            address = (
                f"{first_line}\n{self.rng.randint(2, 140)} {self.rng.choice(d.UK_STREETS)}\n"
                f"{town}\n{postcode}"
            )
            capacity = {0: 3, 1: 2}.get(index) or self.rng.choices([1, 2, 3, 4], [25, 40, 25, 10])[
                0
            ]
            regions = set()
            if self.rng.random() < 0.6:
                regions = set(self.rng.sample(region_codes, self.rng.randint(1, 2)))
            themes = set()
            if self.rng.random() < 0.7:
                themes = set(self.rng.sample(theme_slugs, self.rng.randint(1, 3)))
            gender = ""
            if self.rng.random() < 0.15:
                gender = self.rng.choice([Gender.FEMALE, Gender.MALE])
            kind = ""
            if self.rng.random() < 0.2:
                kind = self.rng.choice(Case.Kind.values)
            next_meeting = None
            if self.rng.random() < 0.9:
                next_meeting = self.today + timedelta(days=self.rng.randint(3, 40))
            groups.append(
                LocalGroup(
                    name=f"{town} Amnesty Group",
                    town=town,
                    postal_address=address,
                    contact_email=email,
                    channel=channel,
                    preferred_gender=gender,
                    preferred_kind=kind,
                    capacity=capacity,
                    next_meeting=next_meeting,
                )
            )
            self.capacity.append(capacity)
            self.group_regions.append(regions)
            self.group_themes.append(themes)
        self.group_objs = self.bulk(LocalGroup, groups)
        self.load = [0] * len(groups)

        region_links, theme_links, memberships = [], [], []
        for index, group in enumerate(self.group_objs):
            region_links += [
                LocalGroup.preferred_regions.through(
                    localgroup_id=group.pk, region_id=self.regions[code].pk
                )
                for code in sorted(self.group_regions[index])
            ]
            theme_links += [
                LocalGroup.preferred_themes.through(
                    localgroup_id=group.pk, theme_id=self.themes[slug].pk
                )
                for slug in sorted(self.group_themes[index])
            ]
            for user, role in self.members[index]:
                joined = self.today - timedelta(days=self.rng.randint(400, 3650))
                memberships.append(Membership(user=user, group=group, role=role, joined_on=joined))
        self.bulk(LocalGroup.preferred_regions.through, region_links)
        self.bulk(LocalGroup.preferred_themes.through, theme_links)
        self.bulk(Membership, memberships)

    # Cases ---------------------------------------------------------------------------------

    def cases(self) -> None:
        theme_slugs = [slug for slug, _, _ in d.THEMES]
        theme_weights = [w for _, _, w in d.THEMES]
        # One open, well-established case per country first, so every coordinator has work and
        # every country appears; then a mix of every status.
        rest = (
            [Case.Status.OPEN] * 36
            + [Case.Status.DRAFT] * 8
            + [Case.Status.PAUSED] * 11
            + [Case.Status.CLOSED] * 22
        )
        self.rng.shuffle(rest)
        statuses = [Case.Status.OPEN] * len(self.countries) + rest
        specs: list[CaseSpec] = []
        for index, status in enumerate(statuses[:CASE_COUNT]):
            anchor = index < len(self.countries)
            country = self.countries[index] if anchor else self.rng.choice(self.countries)
            _iso, _name, region_code, capital, pool = self.country_info[country.iso_code]
            kind = self.rng.choices(Case.Kind.values, [70, 18, 12])[0]
            primary = self.rng.choices(theme_slugs, theme_weights)[0]
            related = d.RELATED_THEMES[primary]
            themes = [primary, *self.rng.sample(related, self.rng.randint(0, min(2, len(related))))]
            if status == Case.Status.DRAFT:
                opened = self.today - timedelta(days=self.rng.randint(5, 120))
            elif status == Case.Status.CLOSED:
                opened = self.today - timedelta(days=self.rng.randint(700, 3200))
            elif status == Case.Status.OPEN and not anchor and self.rng.random() < 0.15:
                opened = self.today - timedelta(days=self.rng.randint(30, 330))
            else:
                opened = self.today - timedelta(days=self.rng.randint(550, 2900))
            spec = CaseSpec(
                index=index,
                country=country,
                region_code=region_code,
                pool=pool,
                capital=capital,
                kind=kind,
                status=status,
                sensitivity=self.rng.choices(Case.Sensitivity.values, [65, 25, 10])[0],
                max_groups=self.rng.choices([1, 2, 3], [30, 45, 25])[0],
                opened_on=opened,
                themes=themes,
            )
            if status == Case.Status.CLOSED:
                spec.closed_on = self.between(
                    opened + timedelta(days=365), self.today - timedelta(days=10)
                )
                spec.closing_reason = self.rng.choices(
                    Case.ClosingReason.values, [50, 10, 15, 15, 10]
                )[0]
            specs.append(spec)

        # References number the cases of each year in the order they were opened.
        per_year: Counter[int] = Counter()
        references = {}
        for spec in sorted(specs, key=lambda s: (s.opened_on, s.index)):
            per_year[spec.opened_on.year] += 1
            references[spec.index] = (
                f"IAR-{spec.opened_on.year}-{per_year[spec.opened_on.year]:03d}"
            )
        taken = Case.objects.filter(reference__in=references.values()).exists()
        if taken:
            raise CommandError("Case references of the demo set are already in use.")

        cases = []
        self.old_targets: list[CampaignTarget] = []
        self.current_targets: list[CampaignTarget] = []
        self.documents: list[CasefileDocument] = []
        for spec in specs:
            title, summary, solidarity = self.case_text(spec)
            spec.obj = Case(
                reference=references[spec.index],
                title=title,
                kind=spec.kind,
                country=spec.country,
                summary=summary,
                sensitivity=spec.sensitivity,
                status=spec.status,
                closing_reason=spec.closing_reason,
                closed_at=self.at(spec.closed_on) if spec.closed_on else None,
                coordinator=self.coordinator_of[spec.country.pk],
                solidarity_address=solidarity,
                max_groups=spec.max_groups,
                opened_on=spec.opened_on,
            )
            self.plan_targets_and_documents(spec)
            cases.append(spec.obj)
        self.bulk(Case, cases)
        self.specs = specs
        # Targets are versioned: the retired rows go in first, so the current ones can point at
        # the row they replace.
        self.bulk(CampaignTarget, self.old_targets)
        self.bulk(CampaignTarget, self.current_targets)
        self.bulk(CasefileDocument, self.documents)

        people, theme_links = [], []
        for spec in specs:
            people += [
                CasePerson(case=spec.obj, name=name, gender=gender, role=role)
                for name, gender, role in spec.people
            ]
            theme_links += [
                Case.themes.through(case_id=spec.obj.pk, theme_id=self.themes[slug].pk)
                for slug in spec.themes
            ]
        self.bulk(CasePerson, people)
        self.bulk(Case.themes.through, theme_links)

    def case_text(self, spec: CaseSpec) -> tuple[str, str, str]:
        text = d.THEME_TEXT[spec.themes[0]]
        roles: list[str] = text["roles"]  # type: ignore[assignment]
        year = spec.opened_on.year - self.rng.randint(0, 2)
        solidarity = ""
        if spec.kind == Case.Kind.INDIVIDUAL:
            gender = self.rng.choices(Gender.values, [45, 48, 3, 4])[0]
            name = self.foreign_name(spec.pool, gender)
            role = self.rng.choice(roles)
            spec.people = [(name, gender, role)]
            title = name
            subject = f"{name}, {article(role)} {role},"
            verbs = SINGULAR
            pronoun_key = gender if gender in ("female", "male") else "plural"
            about = name
            if spec.status != Case.Status.DRAFT and self.rng.random() < 0.5:
                solidarity = (
                    f"{name}\nc/o the family's lawyer\nPO Box {self.rng.randint(100, 9999)}\n"
                    f"{spec.capital}\n{spec.country.name}"
                )
        elif spec.kind == Case.Kind.GROUP:
            size = self.rng.randint(3, 9)
            place = self.rng.choice(d.PLACES)
            label: str = text["group"]  # type: ignore[assignment]
            for _ in range(size):
                gender = self.rng.choice([Gender.FEMALE, Gender.MALE])
                spec.people.append(
                    (self.foreign_name(spec.pool, gender), gender, self.rng.choice(roles))
                )
            word = d.NUMBER_WORDS[size]
            title = f"The {place} {word}"
            subject = f"{word} {label}, known as the {place} {word},"
            verbs = PLURAL
            pronoun_key = "plural"
            about = f"the {word.lower()} {label} known as the {place} {word}"
        else:
            place = self.rng.choice(d.PLACES)
            label = text["community"]  # type: ignore[assignment]
            for _ in range(self.rng.randint(1, 3)):
                gender = self.rng.choice([Gender.FEMALE, Gender.MALE])
                spec.people.append(
                    (
                        self.foreign_name(spec.pool, gender),
                        gender,
                        self.rng.choice(d.COMMUNITY_ROLES),
                    )
                )
            title = f"{place} {label}"
            subject = f"Members of the {place} {label}"
            verbs = PLURAL
            pronoun_key = "plural"
            about = f"members of the {place} {label}"
        pronouns = PRONOUNS[pronoun_key]
        pronoun_verbs = {
            f"p_{k}": v for k, v in (PLURAL if pronoun_key == "plural" else SINGULAR).items()
        }
        words = {
            "S": subject,
            "year": year,
            "They": pronouns["they"].capitalize(),
            **verbs,
            **pronouns,
            **pronoun_verbs,
        }
        event = str(text["event"]).format(**words)
        now = str(text["now"]).format(**words)
        ask = str(text["ask"]).format(**words)
        summary = (
            f"{event} {now} This case and everyone in it are fictional, for demonstration only."
        )
        spec.about, spec.now, spec.ask = about, now, ask
        return title, summary, solidarity

    def official(self, spec: CaseSpec, key: str) -> tuple[str, str, str, str, str]:
        authority, office, salutation, local, ministry = d.AUTHORITIES[key]
        iso = spec.country.iso_code
        if key in ("king", "human_rights", "pardons"):
            title = ""
        else:
            # An official never shares a family name with the people the case is about.
            family = {word for person in spec.people for word in person[0].split()[-1:]}
            for _attempt in range(20):
                gender = self.rng.choice(["female", "male"])
                name = self.foreign_name(spec.pool, gender)
                if not family & set(name.split()[-1:]):
                    break
            if iso == "US":
                title = f"{'Governor' if key == 'governor' else 'Hon.'} {name}"
            elif key in ("president", "justice", "interior", "housing", "environment", "labour"):
                title = f"H.E. {name}"
            else:
                title = f"{'Ms' if gender == 'female' else 'Mr'} {name}"
        domain = "state-gov.example" if iso == "US" else f"gov-{iso.lower()}.example"
        address_lines = [
            title,
            office,
            f"{self.rng.randint(1, 120)} {self.rng.choice(d.OFFICIAL_STREETS)}",
            spec.capital,
            spec.country.name,
        ]
        address = "\n".join(line for line in address_lines if line)
        return authority, title, address, f"{local}@{ministry}.{domain}", salutation

    def plan_targets_and_documents(self, spec: CaseSpec) -> None:
        case = spec.obj
        keys = (
            d.COUNTRY_AUTHORITIES.get(spec.country.iso_code) or d.THEME_AUTHORITIES[spec.themes[0]]
        )
        keys = self.rng.sample(keys, 1 if self.rng.random() < 0.6 else min(2, len(keys)))
        end = spec.closed_on or self.yesterday
        changed_on = None
        reshuffled = self.rng.random() < 0.3
        if reshuffled and spec.status != Case.Status.DRAFT and (end - spec.opened_on).days > 200:
            changed_on = self.between(spec.opened_on + timedelta(days=90), end - timedelta(days=30))
        salutations = []
        for position, key in enumerate(keys):
            authority, title, address, email, salutation = self.official(spec, key)
            salutations.append(salutation)
            target = CampaignTarget(
                case=case,
                authority=authority,
                title=title,
                postal_address=address,
                email=email,
                salutation=salutation,
                valid_from=spec.opened_on,
                created_by=self.staff,
            )
            if changed_on and position == 0:
                # A reshuffle: the old office-holder is retired and the new one replaces them.
                old_authority, old_title, old_address, old_email, _s = self.official(spec, key)
                old = CampaignTarget(
                    case=case,
                    authority=old_authority,
                    title=old_title,
                    postal_address=old_address,
                    email=old_email,
                    salutation=salutation,
                    valid_from=spec.opened_on,
                    valid_to=changed_on,
                    created_by=self.staff,
                )
                self.old_targets.append(old)
                target.replaces = old
                target.valid_from = changed_on
            self.current_targets.append(target)
        case.suggested_letter = (
            f"{salutations[0]},\n\n"
            "I am writing as a supporter of Amnesty International in the United Kingdom "
            f"to express my concern for {spec.about}. {spec.now}\n\n"
            f"I respectfully urge you to {spec.ask}.\n\n"
            "Yours sincerely,"
        )
        if spec.status == Case.Status.DRAFT and self.rng.random() < 0.5:
            return  # a draft whose casefile is still being written
        title = f"Casefile {case.reference}: {case.title}"
        self.documents.append(
            CasefileDocument(
                case=case,
                version=1,
                title=title,
                notes="First issue of the casefile.",
                uploaded_by=self.staff,
                uploaded_at=self.at(spec.opened_on),
            )
        )
        revised = changed_on or (self.rng.random() < 0.2 and (end - spec.opened_on).days > 90)
        if spec.status != Case.Status.DRAFT and revised:
            on = changed_on or self.between(spec.opened_on + timedelta(days=60), end)
            self.documents.append(
                CasefileDocument(
                    case=case,
                    version=2,
                    title=title,
                    notes=(
                        "Updated with the new campaign target."
                        if changed_on
                        else "Updated after new information from the researcher."
                    ),
                    uploaded_by=self.staff,
                    uploaded_at=self.at(on),
                )
            )

    # Allocations ---------------------------------------------------------------------------

    def pick_group(self, spec: CaseSpec, *, exclude: set[int], need_room: bool) -> int | None:
        candidates, weights = [], []
        for index in range(len(self.group_objs)):
            if index in exclude or (need_room and self.load[index] >= self.capacity[index]):
                continue
            weight = 1.0
            regions, themes = self.group_regions[index], self.group_themes[index]
            if regions:
                weight *= 4 if spec.region_code in regions else 0.3
            if themes & set(spec.themes):
                weight *= 3
            group = self.group_objs[index]
            if group.preferred_kind:
                weight *= 2 if group.preferred_kind == spec.kind else 0.5
            if group.preferred_gender and spec.kind == Case.Kind.INDIVIDUAL:
                weight *= 2 if group.preferred_gender == spec.people[0][1] else 0.5
            candidates.append(index)
            weights.append(weight)
        if not candidates:
            return None
        return self.rng.choices(candidates, weights)[0]

    def holder_candidates(self, group: int) -> list[User]:
        # The demo member stays a plain member; the demo holder holds only what is planned or
        # what falls to them by lot in their own group.
        return [u for u, _ in self.members[group] if u is not self.member]

    def active_start(self, spec: CaseSpec) -> date | None:
        earliest = max(spec.opened_on + timedelta(days=14), self.today - timedelta(days=6 * 365))
        latest = self.today - timedelta(days=365)
        if earliest > latest:
            return None
        return self.between(earliest, latest)

    def add_open(
        self,
        spec: CaseSpec,
        group: int,
        *,
        status: str,
        holder: User | None,
        started_on: date | None = None,
    ) -> None:
        if status == Allocation.Status.ACTIVE:
            started_on = started_on or self.active_start(spec)
            offered_at = self.at(started_on - timedelta(days=self.rng.randint(3, 30)))
        else:
            offered_at = self.at(self.today - timedelta(days=self.rng.randint(1, 21)))
        allocation = Allocation(
            case=spec.obj,
            group=self.group_objs[group],
            status=status,
            holder=holder,
            offered_at=offered_at,
            started_on=started_on if status == Allocation.Status.ACTIVE else None,
            allocated_by=self.staff,
        )
        self.plans.append(AllocationPlan(allocation, spec, group))
        spec.open_groups.add(group)
        self.load[group] += 1

    def add_ended(
        self, spec: CaseSpec, group: int, *, reason: str, start: date | None, end: date
    ) -> None:
        holder = None
        if start is not None:
            holder = self.rng.choice(self.holder_candidates(group))
        offered = (start or end) - timedelta(days=self.rng.randint(3, 30))
        stop_confirmed = None
        if reason == Allocation.EndReason.CASE_CLOSED and self.rng.random() < 0.85:
            confirmed = end + timedelta(days=self.rng.randint(1, 21))
            if confirmed <= self.yesterday:
                stop_confirmed = self.at(confirmed)
        allocation = Allocation(
            case=spec.obj,
            group=self.group_objs[group],
            status=Allocation.Status.ENDED,
            holder=holder,
            offered_at=self.at(offered),
            started_on=start,
            ended_on=end,
            end_reason=reason,
            end_notes=d.GROUP_ALLOCATION_END_NOTES.get(reason, ""),
            stop_confirmed_at=stop_confirmed,
            allocated_by=self.staff,
        )
        self.plans.append(AllocationPlan(allocation, spec, group))

    def allocations(self) -> None:
        self.plans: list[AllocationPlan] = []
        by_country = defaultdict(list)
        for spec in self.specs:
            by_country[spec.country.pk].append(spec)
        # The demo logins first: the holder's group works on two cases of the demo coordinator's
        # countries, both held by the demo holder; the member's group on two others, one of them
        # without a holder (staff see "holder needed").
        anchors = [self.specs[i] for i in range(len(self.coordinator_countries))]
        self.add_open(anchors[0], 0, status=Allocation.Status.ACTIVE, holder=self.holder)
        self.add_open(anchors[1], 0, status=Allocation.Status.ACTIVE, holder=self.holder)
        self.add_open(
            anchors[2],
            1,
            status=Allocation.Status.ACTIVE,
            holder=self.rng.choice(self.holder_candidates(1)),
        )
        self.add_open(anchors[3], 1, status=Allocation.Status.ACTIVE, holder=None)

        order = list(self.specs)
        self.rng.shuffle(order)
        for spec in order:
            if spec.status == Case.Status.DRAFT:
                continue
            if spec.status == Case.Status.CLOSED:
                self.closed_case_allocations(spec)
                continue
            established = self.active_start(spec) is not None
            if spec.status == Case.Status.OPEN and established:
                wanted = 0 if self.rng.random() < 0.08 else self.rng.randint(1, spec.max_groups)
            elif spec.status == Case.Status.PAUSED and established:
                wanted = 1 if self.rng.random() < 0.65 else 0
            else:
                wanted = 0
            while len(spec.open_groups) < min(wanted, spec.max_groups):
                group = self.pick_group(spec, exclude=spec.open_groups, need_room=True)
                if group is None:
                    break
                holder = None
                if self.rng.random() > 0.08:
                    holder = self.rng.choice(self.holder_candidates(group))
                self.add_open(spec, group, status=Allocation.Status.ACTIVE, holder=holder)
            offer = self.rng.random() < (0.2 if established else 0.6)
            if (
                offer
                and spec.status == Case.Status.OPEN
                and len(spec.open_groups) < spec.max_groups
            ):
                group = self.pick_group(spec, exclude=spec.open_groups, need_room=True)
                if group is not None:
                    self.add_open(spec, group, status=Allocation.Status.OFFERED, holder=None)
            self.past_allocations(spec)
        self.bulk(Allocation, [plan.obj for plan in self.plans])
        self.holder_changes()

    def closed_case_allocations(self, spec: CaseSpec) -> None:
        closed_on = spec.closed_on or self.yesterday
        used: set[int] = set()
        for _ in range(self.rng.randint(1, min(2, spec.max_groups))):
            group = self.pick_group(spec, exclude=used, need_room=False)
            if group is None:
                break
            used.add(group)
            start = self.between(
                spec.opened_on + timedelta(days=14), closed_on - timedelta(days=120)
            )
            self.add_ended(
                spec, group, reason=Allocation.EndReason.CASE_CLOSED, start=start, end=closed_on
            )

    def past_allocations(self, spec: CaseSpec) -> None:
        # Earlier groups that gave the case back, were withdrawn, or declined the offer.
        latest_end = self.today - timedelta(days=20)
        earliest_start = spec.opened_on + timedelta(days=14)
        roll = self.rng.random()
        if roll < 0.2 and (latest_end - earliest_start).days > 400:
            group = self.pick_group(spec, exclude=spec.open_groups, need_room=False)
            if group is None:
                return
            start = self.between(earliest_start, latest_end - timedelta(days=200))
            end = self.between(start + timedelta(days=180), latest_end)
            reason = self.rng.choice(
                [Allocation.EndReason.RELINQUISHED] * 3 + [Allocation.EndReason.WITHDRAWN]
            )
            self.add_ended(spec, group, reason=reason, start=start, end=end)
        elif roll < 0.28 and (latest_end - earliest_start).days > 30:
            group = self.pick_group(spec, exclude=spec.open_groups, need_room=False)
            if group is None:
                return
            self.add_ended(
                spec,
                group,
                reason=Allocation.EndReason.DECLINED,
                start=None,
                end=self.between(earliest_start, latest_end),
            )

    def holder_changes(self) -> None:
        changes = []
        for position, plan in enumerate(self.plans):
            allocation = plan.obj
            if allocation.status != Allocation.Status.ACTIVE:
                continue
            others = [u for u in self.holder_candidates(plan.group) if u != allocation.holder]
            started = allocation.started_on
            if allocation.holder is not None:
                # The demo holder took over their first case from another member.
                if position == 0 or (self.rng.random() < 0.25 and others):
                    previous = self.rng.choice(others)
                    on = self.between(started + timedelta(days=60), self.yesterday)
                    changes.append(
                        HolderChange(
                            allocation=allocation,
                            from_user=previous,
                            to_user=allocation.holder,
                            changed_by=previous,
                            changed_at=self.at(on),
                        )
                    )
            elif others and self.rng.random() < 0.8:
                # The holder stepped down and nobody has taken the casefile on yet.
                on = self.between(max(started, self.today - timedelta(days=150)), self.yesterday)
                previous = self.rng.choice(others)
                changes.append(
                    HolderChange(
                        allocation=allocation,
                        from_user=previous,
                        to_user=None,
                        changed_by=previous,
                        changed_at=self.at(on),
                    )
                )
        self.bulk(HolderChange, changes)

    # Work of the groups --------------------------------------------------------------------

    def activities(self) -> None:
        kinds = [k for k, _w, _c, _n in d.ACTIVITY_KINDS]
        weights = [w for _k, w, _c, _n in d.ACTIVITY_KINDS]
        details = {k: (c, n) for k, _w, c, n in d.ACTIVITY_KINDS}
        window_floor = self.today - timedelta(days=3 * 365)
        rows = []
        self.totals: dict[int, list[tuple[date, str, int]]] = defaultdict(list)
        for position, plan in enumerate(self.plans):
            allocation = plan.obj
            if allocation.started_on is None:
                continue
            last = self.yesterday
            if allocation.status == Allocation.Status.ENDED:
                last = min(allocation.ended_on, self.yesterday)
            first = max(allocation.started_on, window_floor)
            members = [u for u, _ in self.members[plan.group]]
            pace = self.rng.choice([0.6, 1.0, 1.5, 2.2])
            month_start = first
            while month_start <= last:
                month_end = min(month_start + timedelta(days=29), last)
                n = int(pace) + (1 if self.rng.random() < pace - int(pace) else 0)
                n = max(0, n + self.rng.choice([-1, 0, 0, 1]))
                for _ in range(n):
                    kind = self.rng.choices(kinds, weights)[0]
                    (low, high), notes = details[kind]
                    on = self.between(month_start, month_end)
                    outcome, outcome_notes = "", ""
                    if kind in ("appeal_letter", "official_meeting", "other"):
                        roll = self.rng.random()
                        if roll < 0.04:
                            outcome = Activity.Outcome.REPLY
                            outcome_notes = self.rng.choice(d.REPLY_NOTES)
                        elif roll < 0.05:
                            outcome = Activity.Outcome.IMPROVEMENT
                            outcome_notes = self.rng.choice(d.IMPROVEMENT_NOTES)
                        elif roll < 0.056:
                            outcome = Activity.Outcome.OTHER
                            outcome_notes = self.rng.choice(d.OTHER_OUTCOME_NOTES)
                    recorder = allocation.holder
                    if recorder is None or self.rng.random() < 0.5:
                        recorder = self.rng.choice(members)
                    count = self.rng.randint(low, high)
                    rows.append(
                        Activity(
                            allocation=allocation,
                            kind=kind,
                            date=on,
                            count=count,
                            notes=self.rng.choice(notes),
                            outcome=outcome,
                            outcome_notes=outcome_notes,
                            recorded_by=recorder,
                            created_at=self.at(on),
                        )
                    )
                    self.totals[position].append((on, kind, count))
                month_start = month_end + timedelta(days=1)
            spec = plan.spec
            if (
                allocation.end_reason == Allocation.EndReason.CASE_CLOSED
                and spec.closing_reason == Case.ClosingReason.RESOLVED
                and spec.closed_on >= window_floor
            ):
                on = self.between(max(first, spec.closed_on - timedelta(days=20)), spec.closed_on)
                rows.append(
                    Activity(
                        allocation=allocation,
                        kind=Activity.Kind.OTHER,
                        date=min(on, self.yesterday),
                        count=1,
                        notes="News from the coordinator.",
                        outcome=Activity.Outcome.RELEASE,
                        outcome_notes=d.CLOSING_NOTES["resolved"],
                        recorded_by=self.rng.choice(members),
                        created_at=self.at(min(on, self.yesterday)),
                    )
                )
        self.bulk(Activity, rows)

    def reports(self) -> None:
        rows = []
        for position, plan in enumerate(self.plans):
            allocation = plan.obj
            if allocation.status != Allocation.Status.ACTIVE:
                continue
            start = allocation.started_on
            members = self.holder_candidates(plan.group)
            coordinator = plan.spec.obj.coordinator.user
            periods = 0
            while add_years(start, periods + 1) <= self.yesterday:
                periods += 1
            for k in range(periods):
                period_start, period_end = add_years(start, k), add_years(start, k + 1)
                is_last = k == periods - 1
                if is_last and (
                    self.rng.random() < 0.2 or period_end > self.today - timedelta(days=5)
                ):
                    break  # overdue, or only just due
                submitted_on = min(
                    period_end + timedelta(days=self.rng.randint(3, 45)), self.yesterday
                )
                submitted_at = self.at(submitted_on)
                status = AnnualReport.Status.SUBMITTED
                acknowledged_at = None
                if not is_last or self.rng.random() < 0.55:
                    ack_on = min(
                        submitted_on + timedelta(days=self.rng.randint(2, 30)), self.yesterday
                    )
                    candidate = self.at(ack_on)
                    if candidate > submitted_at:
                        status, acknowledged_at = AnnualReport.Status.ACKNOWLEDGED, candidate
                done = [
                    (kind, count)
                    for on, kind, count in self.totals[position]
                    if period_start <= on < period_end
                ]
                letters = sum(c for kind, c in done if kind == "appeal_letter")
                signatures = sum(c for kind, c in done if kind in ("petition", "stall"))
                what_worked = self.rng.choice(d.REPORT_TEXT["what_worked"])
                if done:
                    what_worked = (
                        f"We sent {letters} letters and gathered {signatures} signatures. "
                        + what_worked
                    )
                rows.append(
                    AnnualReport(
                        allocation=allocation,
                        period_start=period_start,
                        period_end=period_end,
                        status=status,
                        what_worked=what_worked,
                        media_coverage=self.rng.choice(d.REPORT_TEXT["media"]),
                        plans=self.rng.choice(d.REPORT_TEXT["plans"]),
                        concerns=self.rng.choice(d.REPORT_TEXT["concerns"]),
                        submitted_at=submitted_at,
                        submitted_by=allocation.holder or self.rng.choice(members),
                        acknowledged_at=acknowledged_at,
                        acknowledged_by=coordinator if acknowledged_at else None,
                        acknowledgement=(
                            self.rng.choice(d.REPORT_TEXT["acknowledgement"])
                            if acknowledged_at
                            else ""
                        ),
                    )
                )
            else:
                # Every report so far is in; some groups have started the next one.
                due = add_years(start, periods + 1)
                if (due - self.today).days <= 45 and self.rng.random() < 0.6:
                    rows.append(
                        AnnualReport(
                            allocation=allocation,
                            period_start=add_years(start, periods),
                            period_end=due,
                            status=AnnualReport.Status.DRAFT,
                            what_worked=self.rng.choice(d.REPORT_TEXT["what_worked"]),
                        )
                    )
        self.bulk(AnnualReport, rows)

    # Checks --------------------------------------------------------------------------------

    def updates(self) -> None:
        """Coordinators' published updates on most cases with groups, each group's notice of
        them, and whether the group has read and acknowledged it. A random stream of its own
        keeps every row before this step as it was."""
        rng = Random(SEED + 1)
        by_case: dict[int, list[AllocationPlan]] = defaultdict(list)
        for plan in self.plans:
            if plan.obj.status == Allocation.Status.ACTIVE:
                by_case[plan.spec.obj.pk].append(plan)
        updates, notice_plans = [], []
        for plans in by_case.values():
            case = plans[0].spec.obj
            if case.coordinator is None or rng.random() < 0.25:
                continue
            start = max(min(p.obj.started_on for p in plans), self.today - timedelta(days=330))
            for _ in range(rng.randint(1, 3)):
                kind, title, body = rng.choice(d.UPDATE_TEXTS)
                published = self.at(self.between(start, self.yesterday))
                update = CaseUpdate(
                    case=case,
                    kind=kind,
                    title=title,
                    body=body,
                    status=CaseUpdate.Status.PUBLISHED,
                    author=case.coordinator.user,
                    created_at=published - timedelta(hours=2),
                    published_at=published,
                )
                updates.append(update)
                notice_plans.append((update, plans))
        self.bulk(CaseUpdate, updates)
        notices = []
        for update, plans in notice_plans:
            for plan in plans:
                if plan.obj.started_on > update.published_at.date():
                    continue
                notice = CaseUpdateNotice(
                    update=update, allocation=plan.obj, created_at=update.published_at
                )
                readers = self.holder_candidates(plan.group)
                if readers and rng.random() < 0.6:
                    reader = plan.obj.holder or rng.choice(readers)
                    read = min(
                        update.published_at + timedelta(days=rng.randint(0, 20)),
                        self.at(self.yesterday),
                    )
                    notice.read_at, notice.read_by = read, reader
                    if rng.random() < 0.5:
                        notice.acknowledged_at, notice.acknowledged_by = read, reader
                notices.append(notice)
        # The demo holder's group has the newest update on one of its cases still to read, so
        # a newcomer sees how unread news looks.
        own = [n for n in notices if n.allocation.holder is self.holder]
        if own:
            newest = max(own, key=lambda n: n.created_at)
            newest.read_at = newest.read_by = newest.acknowledged_at = None
            newest.acknowledged_by = None
        self.bulk(CaseUpdateNotice, notices)

    def verify(self) -> None:
        """The promises the demo logins make, checked against the database, not the plan."""
        problems = []
        active_open = Allocation.objects.filter(status="active", case__status="open")
        held = active_open.filter(holder=self.holder, group=self.group_objs[0])
        if held.count() < 2:
            problems.append("the demo holder holds fewer than two active cases")
        if not active_open.filter(group__memberships__user=self.member).exists():
            problems.append("the demo member's group has no active case")
        covered = Country.objects.filter(coordinators__user=self.coordinator_user)
        if not active_open.filter(case__country__in=covered).exists():
            problems.append("the demo coordinator has no allocated case")
        demo_cases = Case.objects.filter(pk__in=[s.obj.pk for s in self.specs])
        for name, choices in (
            ("kind", Case.Kind.values),
            ("status", Case.Status.values),
            ("sensitivity", Case.Sensitivity.values),
        ):
            present = set(demo_cases.values_list(name, flat=True))
            if set(choices) - present:
                problems.append(f"no demo case of {name} {sorted(set(choices) - present)}")
        if Activity.objects.filter(date__gt=self.today).exists():
            problems.append("an activity is dated in the future")
        if problems:
            raise CommandError("Demo data failed its checks: " + "; ".join(problems))


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
        marker = AuditEntry.objects.filter(action=d.SENTINEL_ACTION).first()
        if marker is not None:
            self.stdout.write(
                f"Demo data already loaded on {timezone.localtime(marker.at):%d %b %Y %H:%M}; "
                "nothing added."
            )
            self.print_logins()
            return
        started = clock.monotonic()
        with transaction.atomic():
            seeder = Seeder(today or timezone.localdate())
            created = seeder.run()
            audit.record(
                d.SENTINEL_ACTION, seeder.staff, changes={"created": created, "seed": SEED}
            )
        elapsed = clock.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s:"))
        for label, count in sorted(created.items()):
            if count:
                self.stdout.write(f"  {count:6d}  {label}")
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write(f"\nLogins (password {d.PASSWORD}):")
        for email, name, what in (
            d.STAFF_LOGIN,
            d.COORDINATOR_LOGIN,
            d.HOLDER_LOGIN,
            d.MEMBER_LOGIN,
        ):
            self.stdout.write(f"  {email:26s} {name}, {what}")
        self.stdout.write(
            f"TOTP secret for staff and coordinator: {d.TOTP_SECRET} "
            "(add it to any authenticator app)."
        )
