"""Matching groups and cases on the groups' preferences, both ways.

A score is the sum of named parts, each shown to staff so they can see why a group or a case is
near the top. Groups that gave a case up, or were withdrawn from it, are never proposed for it
again. Every weight is here, in WEIGHTS; the README ("Allocating cases") explains them.

Both rankings run a fixed number of queries whatever the number of groups or cases: the
preference matches are computed in the database (EXISTS subqueries), not per row in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from cases.counts import open_count
from cases.models import Allocation, Case, CasePerson
from cases.querysets import OPEN

from .models import CaseRequest, LocalGroup

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

WEIGHTS: dict[str, int] = {
    # Preferences a group told us, each met or not.
    "region": 30,  # the case's country is in a region the group prefers
    "theme": 20,  # the case concerns at least one issue the group prefers
    "gender": 10,  # one of the people concerned has the gender the group prefers
    "kind": 10,  # individual, group of people or community, as the group prefers
    # Fairness between groups.
    "spare_capacity": 5,  # per free place (capacity minus open cases), at most 3 places
    "waiting": 2,  # per whole month since the group's last new case, at most 12 months
    "open_request": 25,  # the group has an open request for cases
}
MAX_SPARE_PLACES = 3
MAX_WAITING_MONTHS = 12
# How many ranked groups or cases a staff page shows.
MATCH_LIMIT = 25
NEVER_AGAIN = (Allocation.EndReason.RELINQUISHED, Allocation.EndReason.WITHDRAWN)
# What scoring and the ranking page read of a group: loading only these keeps ranking thousands
# of groups quick (addresses and notes are long and unused here).
RANKED_GROUP_FIELDS = (
    "id",
    "name",
    "town",
    "channel",
    "capacity",
    "preferred_gender",
    "preferred_kind",
)

LABELS = {
    "region": "Region preferred",
    "theme": "Issue preferred",
    "gender": "Gender preferred",
    "kind": "Kind of case preferred",
    "spare_capacity": "Spare places",
    "waiting": "Months since last new case",
    "open_request": "Has asked for cases",
}


@dataclass
class Match:
    obj: Any
    parts: dict[str, int] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return sum(self.parts.values())

    def explained(self) -> list[tuple[str, int]]:
        return [(LABELS[name], points) for name, points in self.parts.items() if points]


def _fairness(
    capacity: int, open_cases: int, last_new: datetime | None, has_request: bool
) -> dict[str, int]:
    spare = min(max(capacity - open_cases, 0), MAX_SPARE_PLACES)
    if last_new is None:
        months = MAX_WAITING_MONTHS
    else:
        months = min(max((timezone.now() - last_new).days // 30, 0), MAX_WAITING_MONTHS)
    return {
        "spare_capacity": spare * WEIGHTS["spare_capacity"],
        "waiting": months * WEIGHTS["waiting"],
        "open_request": WEIGHTS["open_request"] if has_request else 0,
    }


class GroupFacts(TypedDict):
    """What `_group_facts` annotates on a group."""

    open_cases: int
    last_new: datetime | None
    has_request: bool


class RankedGroupFacts(GroupFacts):
    region_met: bool
    theme_met: bool


def _group_facts() -> dict[str, Any]:
    """Annotations describing a group's load and history, used by both rankings."""
    return {
        "open_cases": open_count("group"),
        "last_new": Subquery(
            Allocation.objects.filter(group=OuterRef("pk"))
            .exclude(end_reason=Allocation.EndReason.DECLINED)
            .order_by("-offered_at")
            .values("offered_at")[:1]
        ),
        "has_request": Exists(
            CaseRequest.objects.filter(group=OuterRef("pk"), status=CaseRequest.Status.OPEN)
        ),
    }


def candidate_groups(case: Case) -> QuerySet[LocalGroup]:
    """Active groups that may be offered `case`: not on it now, and never one that gave it up."""
    barred = Allocation.objects.filter(case=case).filter(
        Q(status__in=OPEN) | Q(end_reason__in=NEVER_AGAIN)
    )
    return LocalGroup.objects.filter(is_active=True).exclude(pk__in=barred.values("group_id"))


def rank_groups_for_case(case: Case, groups: QuerySet[LocalGroup] | None = None) -> list[Match]:
    """Groups for `case`, best first. `groups` narrows the candidates (e.g. a name search)."""
    region_id = Case.objects.filter(pk=case.pk).values_list("country__region_id", flat=True)[0]
    theme_ids = list(case.themes.values_list("pk", flat=True))
    genders = set(CasePerson.objects.filter(case=case).values_list("gender", flat=True))
    region_through = LocalGroup.preferred_regions.through
    theme_through = LocalGroup.preferred_themes.through
    queryset = candidate_groups(case).only(*RANKED_GROUP_FIELDS)
    if groups is not None:
        queryset = queryset.filter(pk__in=groups.values("pk"))
    queryset = queryset.annotate(
        region_met=Exists(
            region_through.objects.filter(localgroup_id=OuterRef("pk"), region_id=region_id)
        ),
        theme_met=Exists(
            theme_through.objects.filter(localgroup_id=OuterRef("pk"), theme_id__in=theme_ids)
        )
        if theme_ids
        else Value(False),
        **_group_facts(),
    )
    matches = []
    # The annotations come from a dict (`**_group_facts()`), which the type checker cannot follow.
    for group in cast("QuerySet[WithAnnotations[LocalGroup, RankedGroupFacts]]", queryset):
        parts = {
            "region": WEIGHTS["region"] if group.region_met else 0,
            "theme": WEIGHTS["theme"] if group.theme_met else 0,
            "gender": WEIGHTS["gender"]
            if group.preferred_gender and group.preferred_gender in genders
            else 0,
            "kind": WEIGHTS["kind"] if group.preferred_kind == case.kind else 0,
            **_fairness(group.capacity, group.open_cases, group.last_new, group.has_request),
        }
        matches.append(Match(group, parts))
    matches.sort(key=lambda m: (-m.score, m.obj.name))
    return matches


def candidate_cases(group: LocalGroup) -> QuerySet[Case]:
    """Open cases with a free place that `group` is not on and never gave up."""
    barred = Allocation.objects.filter(group=group).filter(
        Q(status__in=OPEN) | Q(end_reason__in=NEVER_AGAIN)
    )
    return (
        Case.objects.filter(status=Case.Status.OPEN)
        .exclude(pk__in=barred.values("case_id"))
        .annotate(open_groups=F("open_allocations"))  # the case's own counter (cases.counts)
        .filter(open_groups__lt=F("max_groups"))
    )


def rank_cases_for_group(group: LocalGroup, case_request: CaseRequest | None = None) -> list[Match]:
    """Cases for `group`, best first. A case request adds its own regions and issues to the
    group's standing preferences."""
    region_ids = set(group.preferred_regions.values_list("pk", flat=True))
    theme_ids = set(group.preferred_themes.values_list("pk", flat=True))
    if case_request is not None:
        region_ids |= set(case_request.preferred_regions.values_list("pk", flat=True))
        theme_ids |= set(case_request.preferred_themes.values_list("pk", flat=True))
    facts = cast(
        "WithAnnotations[LocalGroup, GroupFacts]",
        LocalGroup.objects.filter(pk=group.pk).annotate(**_group_facts()).get(),
    )

    fairness = _fairness(facts.capacity, facts.open_cases, facts.last_new, facts.has_request)
    gender_met: Any = Value(False)
    if group.preferred_gender:
        gender_met = Exists(
            CasePerson.objects.filter(case=OuterRef("pk"), gender=group.preferred_gender)
        )
    queryset = (
        candidate_cases(group)
        .select_related("country", "country__region")
        .annotate(
            region_met=ExpressionWrapper(
                Q(country__region_id__in=region_ids), output_field=BooleanField()
            )
            if region_ids
            else Value(False),
            theme_met=Exists(
                Case.themes.through.objects.filter(case_id=OuterRef("pk"), theme_id__in=theme_ids)
            )
            if theme_ids
            else Value(False),
            gender_met=gender_met,
        )
    )
    matches = []
    for case in queryset:
        parts = {
            "region": WEIGHTS["region"] if case.region_met else 0,
            "theme": WEIGHTS["theme"] if case.theme_met else 0,
            "gender": WEIGHTS["gender"] if case.gender_met else 0,
            "kind": WEIGHTS["kind"] if group.preferred_kind == case.kind else 0,
            **fairness,
        }
        matches.append(Match(case, parts))
    matches.sort(key=lambda m: (-m.score, m.obj.opened_on, m.obj.reference))
    return matches
