"""Matching groups and cases on the groups' preferences, both ways.

A score is the sum of named parts, each shown to staff so they can see why a group or a case is
near the top. Groups that gave a case up, or were withdrawn from it, are never proposed for it
again. Every weight is here, in WEIGHTS; the README ("Allocating cases") explains them.

Both rankings run a fixed number of queries whatever the number of groups or cases, and score
in the database: each part is an SQL expression, the score their sum, and only the rows a page
shows are read (`limit`); the count of candidates is a separate, unscored query. A group's
fairness is read from its own row, its counters `open_cases` and `last_new_case_at` (kept by
cases.counts), so ranking groups reads no allocations but the case's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Case as SqlCase
from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest, Least
from django.utils import timezone

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
    "open_cases",
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
    capacity: int,
    open_cases: int,
    last_new: datetime | None,
    has_request: bool,
    now: datetime | None = None,
) -> dict[str, int]:
    spare = min(max(capacity - open_cases, 0), MAX_SPARE_PLACES)
    if last_new is None:
        months = MAX_WAITING_MONTHS
    else:
        now = now or timezone.now()
        months = min(max((now - last_new).days // 30, 0), MAX_WAITING_MONTHS)
    return {
        "spare_capacity": spare * WEIGHTS["spare_capacity"],
        "waiting": months * WEIGHTS["waiting"],
        "open_request": WEIGHTS["open_request"] if has_request else 0,
    }


class GroupFacts(TypedDict):
    """What `rank_cases_for_group` annotates on a group (its open cases and last new case are its own
    counters, `LocalGroup.open_cases` and `LocalGroup.last_new_case_at`)."""

    has_request: bool


def _has_request() -> Exists:
    return Exists(CaseRequest.objects.filter(group=OuterRef("pk"), status=CaseRequest.Status.OPEN))


def _points(condition: Q | Exists, name: str) -> SqlCase:
    return SqlCase(When(condition, then=Value(WEIGHTS[name])), default=Value(0))


def _waiting_points(now: datetime) -> Any:
    """`_fairness`'s waiting part in SQL, exactly: `(now - last_new).days // 30` is at least k
    exactly when last_new <= now - 30k days, so the group's `last_new_case_at` is compared with
    thresholds computed here rather than by date arithmetic that differs between databases; a
    group that never had a case waited the most."""
    thresholds = [
        When(last_new_case_at__lte=now - timedelta(days=30 * months), then=Value(months))
        for months in range(MAX_WAITING_MONTHS, 0, -1)
    ]
    never = When(last_new_case_at__isnull=True, then=Value(MAX_WAITING_MONTHS))
    return SqlCase(never, *thresholds, default=Value(0), output_field=IntegerField()) * Value(
        WEIGHTS["waiting"]
    )


def _spare_points() -> Any:
    spare = Least(Greatest(F("capacity") - F("open_cases"), Value(0)), Value(MAX_SPARE_PLACES))
    return spare * Value(WEIGHTS["spare_capacity"])


PARTS = ("region", "theme", "gender", "kind", "spare_capacity", "waiting", "open_request")


def _scored(queryset: QuerySet[Any], parts: dict[str, Any]) -> QuerySet[Any]:
    """`queryset` with each part as `part_<name>` and their sum as `score`, all in SQL."""
    queryset = queryset.annotate(**{f"part_{name}": parts[name] for name in PARTS})
    total: Any = F(f"part_{PARTS[0]}")
    for name in PARTS[1:]:
        total = total + F(f"part_{name}")
    return queryset.annotate(score=ExpressionWrapper(total, output_field=IntegerField()))


def _matches(rows: QuerySet[Any]) -> list[Match]:
    return [Match(row, {name: getattr(row, f"part_{name}") for name in PARTS}) for row in rows]


def candidate_groups(case: Case) -> QuerySet[LocalGroup]:
    """Active groups that may be offered `case`: not on it now, and never one that gave it up."""
    barred = Allocation.objects.filter(case=case).filter(
        Q(status__in=OPEN) | Q(end_reason__in=NEVER_AGAIN)
    )
    return LocalGroup.objects.filter(is_active=True).exclude(pk__in=barred.values("group_id"))


def _groups_for_case(case: Case, groups: QuerySet[LocalGroup] | None) -> QuerySet[LocalGroup]:
    queryset = candidate_groups(case)
    if groups is not None:
        queryset = queryset.filter(pk__in=groups.values("pk"))
    return queryset


def count_groups_for_case(case: Case, groups: QuerySet[LocalGroup] | None = None) -> int:
    """How many groups `rank_groups_for_case` would rank, counted without scoring them."""
    return _groups_for_case(case, groups).count()


def rank_groups_for_case(
    case: Case, groups: QuerySet[LocalGroup] | None = None, limit: int | None = None
) -> list[Match]:
    """Groups for `case`, best first: the `limit` best, or all. `groups` narrows the candidates
    (e.g. a name search). One query: every part is scored and summed in the database, which
    returns only the rows asked for; the case's region, issues and genders are subqueries."""
    region_through = LocalGroup.preferred_regions.through
    theme_through = LocalGroup.preferred_themes.through
    case_region = Case.objects.filter(pk=case.pk).values("country__region_id")
    case_themes = Case.themes.through.objects.filter(case_id=case.pk).values("theme_id")
    # A group with no preferred gender never matches: the blank gender is left out.
    case_genders = CasePerson.objects.filter(case_id=case.pk).exclude(gender="").values("gender")
    parts = {
        "region": _points(
            Exists(
                region_through.objects.filter(
                    localgroup_id=OuterRef("pk"), region_id__in=case_region
                )
            ),
            "region",
        ),
        "theme": _points(
            Exists(
                theme_through.objects.filter(localgroup_id=OuterRef("pk"), theme_id__in=case_themes)
            ),
            "theme",
        ),
        "gender": _points(Q(preferred_gender__in=case_genders), "gender"),
        "kind": _points(Q(preferred_kind=case.kind), "kind"),
        "spare_capacity": _spare_points(),
        "waiting": _waiting_points(timezone.now()),
        "open_request": _points(_has_request(), "open_request"),
    }
    queryset = _scored(_groups_for_case(case, groups).only(*RANKED_GROUP_FIELDS), parts).order_by(
        "-score", "name", "pk"
    )
    return _matches(queryset if limit is None else queryset[:limit])


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


def count_cases_for_group(group: LocalGroup) -> int:
    """How many cases `rank_cases_for_group` would rank, counted without scoring them."""
    return candidate_cases(group).count()


def rank_cases_for_group(
    group: LocalGroup, case_request: CaseRequest | None = None, limit: int | None = None
) -> list[Match]:
    """Cases for `group`, best first: the `limit` best, or all. A case request adds its own
    regions and issues to the group's standing preferences. The preference parts are scored
    and summed in the database; the fairness parts are the group's own, the same for every
    case, so they are worked out once here."""
    region_ids = set(group.preferred_regions.values_list("pk", flat=True))
    theme_ids = set(group.preferred_themes.values_list("pk", flat=True))
    if case_request is not None:
        region_ids |= set(case_request.preferred_regions.values_list("pk", flat=True))
        theme_ids |= set(case_request.preferred_themes.values_list("pk", flat=True))
    facts = cast(
        "WithAnnotations[LocalGroup, GroupFacts]",
        LocalGroup.objects.filter(pk=group.pk).annotate(has_request=_has_request()).get(),
    )
    fairness = _fairness(
        facts.capacity, facts.open_cases, facts.last_new_case_at, facts.has_request
    )
    none = Value(0)
    parts = {
        "region": _points(Q(country__region_id__in=region_ids), "region") if region_ids else none,
        "theme": _points(
            Exists(
                Case.themes.through.objects.filter(case_id=OuterRef("pk"), theme_id__in=theme_ids)
            ),
            "theme",
        )
        if theme_ids
        else none,
        "gender": _points(
            Exists(CasePerson.objects.filter(case=OuterRef("pk"), gender=group.preferred_gender)),
            "gender",
        )
        if group.preferred_gender
        else none,
        "kind": _points(Q(kind=group.preferred_kind), "kind"),
        **{name: Value(points) for name, points in fairness.items()},
    }
    queryset = _scored(
        candidate_cases(group).select_related("country", "country__region"), parts
    ).order_by("-score", "opened_on", "reference")
    return _matches(queryset if limit is None else queryset[:limit])
