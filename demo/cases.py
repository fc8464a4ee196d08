"""The demo cases: one open case per country first, then a mix of every kind, status and
sensitivity, with their people, themes, targets and casefiles."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.core.management.base import CommandError

from cases.models import CampaignTarget, Case, CasefileDocument, CasePerson
from demo.base import CaseSpec
from demo.case_text import CaseTextSteps
from demo.reference import RELATED_THEMES, THEMES
from demo.targets import TargetSteps

CASE_COUNT = 120


class CaseSteps(CaseTextSteps, TargetSteps):
    def cases(self) -> None:
        theme_slugs = [slug for slug, _, _ in THEMES]
        theme_weights = [w for _, _, w in THEMES]
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
            related = RELATED_THEMES[primary]
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
        self.old_targets = []
        self.current_targets = []
        self.documents = []
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
