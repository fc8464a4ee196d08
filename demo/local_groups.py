"""The local groups of the demo data: one per UK town, with their members, contact channel,
capacity and preferences."""

from __future__ import annotations

from datetime import timedelta

from cases.models import Case, Gender
from demo.base import DEMO_DOMAIN, GROUP_COUNT, SeederBase, ascii_slug
from demo.places import MEETING_PLACES, UK_STREETS, UK_TOWNS
from demo.reference import REGIONS, THEMES
from groups.models import LocalGroup, Membership


class LocalGroupSteps(SeederBase):
    def groups(self) -> None:
        groups = []
        self.capacity = []
        self.group_regions = []
        self.group_themes = []
        region_codes = [code for code, _ in REGIONS]
        theme_slugs = [slug for slug, _, _ in THEMES]
        for index, (town, area) in enumerate(UK_TOWNS[:GROUP_COUNT]):
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
                first_line = f"Amnesty group, {self.rng.choice(MEETING_PLACES)}"
            address = (
                f"{first_line}\n{self.rng.randint(2, 140)} {self.rng.choice(UK_STREETS)}\n"
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
