"""Scoring in the database gives what the rule written in Python gives: the same parts, the same
order, the waiting months to the day; pages read only their top rows and count the rest."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from cases.models import Allocation, Case, CasePerson
from groups import matching
from groups.models import CaseRequest, LocalGroup

from .. import factories as f

pytestmark = pytest.mark.django_db
W = matching.WEIGHTS
NOW = datetime(2026, 6, 15, 12, 0, 0, 500000, tzinfo=timezone.UTC)


def _last_new(group: LocalGroup) -> datetime | None:
    return (
        Allocation.objects.filter(group=group)
        .exclude(end_reason=Allocation.EndReason.DECLINED)
        .order_by("-offered_at")
        .values_list("offered_at", flat=True)
        .first()
    )


def reference_groups_for_case(case: Case) -> list[tuple[str, dict[str, int]]]:
    """The ranking as the rule reads, row by row in Python."""
    region = case.country.region_id
    themes = set(case.themes.values_list("pk", flat=True))
    genders = set(CasePerson.objects.filter(case=case).values_list("gender", flat=True))
    rows = []
    for group in matching.candidate_groups(case):
        parts = {
            "region": W["region"] if group.preferred_regions.filter(pk=region).exists() else 0,
            "theme": W["theme"]
            if themes & set(group.preferred_themes.values_list("pk", flat=True))
            else 0,
            "gender": W["gender"]
            if group.preferred_gender and group.preferred_gender in genders
            else 0,
            "kind": W["kind"] if group.preferred_kind == case.kind else 0,
            **matching._fairness(
                group.capacity,
                group.open_cases,
                _last_new(group),
                CaseRequest.objects.filter(group=group, status="open").exists(),
                timezone.now(),
            ),
        }
        rows.append((group.name, parts))
    rows.sort(key=lambda row: (-sum(row[1].values()), row[0]))
    return rows


@pytest.fixture
def varied(world):
    """Groups meeting every mix of preferences, loads, histories and requests."""
    case = f.CaseFactory(kind="community", country=world.country_a)
    theme = f.ThemeFactory(slug="torture", name="Torture")
    case.themes.add(theme)
    f.CasePersonFactory(case=case, gender="female")
    f.CasePersonFactory(case=case, gender="")
    other_region = f.RegionFactory(code="other", name="Other")
    for i in range(24):
        group = f.GroupFactory(
            name=f"Varied {i:02d}",
            capacity=i % 5,
            preferred_gender=["", "female", "male"][i % 3],
            preferred_kind=["", "community", "individual", "group"][i % 4],
        )
        if i % 2:
            group.preferred_regions.add(case.country.region)
        if i % 7 == 0:
            group.preferred_regions.add(other_region)
        if i % 3 == 0:
            group.preferred_themes.add(theme)
        for n in range(i % 4):
            f.AllocationFactory(group=group, offered_at=NOW - timedelta(days=17 * i + n))
        if i % 5 == 0:
            f.AllocationFactory(
                group=group,
                offered_at=NOW,
                status="ended",
                end_reason="declined",
                started_on=NOW.date(),
                ended_on=NOW.date(),
            )
        if i % 4 == 1:
            CaseRequest.objects.create(group=group, number=1, meeting_date=NOW.date())
    return case


def test_groups_scored_in_sql_match_the_python_rule(varied):
    with time_machine.travel(NOW, tick=False):
        ranked = matching.rank_groups_for_case(varied)
        expected = reference_groups_for_case(varied)
    assert [(m.obj.name, m.parts) for m in ranked] == expected
    assert list(ranked[0].parts) == list(matching.LABELS)


def test_a_limit_reads_the_top_rows_and_the_count_is_all_of_them(varied):
    with time_machine.travel(NOW, tick=False):
        everything = matching.rank_groups_for_case(varied)
        top = matching.rank_groups_for_case(varied, limit=5)
        total = matching.count_groups_for_case(varied)
        searched = LocalGroup.objects.filter(name__startswith="Varied 1")
        some = matching.rank_groups_for_case(varied, searched, limit=3)
        some_total = matching.count_groups_for_case(varied, searched)
    assert [(m.obj, m.parts) for m in top] == [(m.obj, m.parts) for m in everything[:5]]
    assert total == len(everything)
    assert some_total == 10 and len(some) == 3
    assert [m.obj for m in some] == [m.obj for m in everything if m.obj in set(searched)][:3]


def test_equal_scores_are_ordered_by_name(world):
    case = f.CaseFactory()
    for name in ("Charlie", "Delta", "Bravo", "Alpha"):
        f.GroupFactory(name=name)
    ranked = [m.obj.name for m in matching.rank_groups_for_case(case)]
    tied = [name for name in ranked if name in {"Charlie", "Delta", "Bravo", "Alpha"}]
    assert tied == sorted(tied)


@pytest.mark.parametrize(
    "age",
    [
        None,
        timedelta(days=-3),
        timedelta(0),
        timedelta(days=29, hours=23, minutes=59, seconds=59, microseconds=999999),
        timedelta(days=30),
        timedelta(days=59, hours=23),
        timedelta(days=60),
        timedelta(days=359, microseconds=999999),
        timedelta(days=360),
        timedelta(days=361),
        timedelta(days=4000),
    ],
)
def test_waiting_months_are_the_python_rule_to_the_microsecond(world, age):
    case = f.CaseFactory()
    group = f.GroupFactory(name="Waiting")
    if age is not None:
        f.AllocationFactory(group=group, offered_at=NOW - age)
    with time_machine.travel(NOW, tick=False):
        (match,) = matching.rank_groups_for_case(case, LocalGroup.objects.filter(pk=group.pk))
        by_rule = matching._fairness(0, 0, None if age is None else NOW - age, False, NOW)
    assert match.parts["waiting"] == by_rule["waiting"]
    if age is not None and age >= timedelta(0):
        assert match.parts["waiting"] == min(age.days // 30, 12) * W["waiting"]


def test_cases_scored_in_sql_match_the_python_rule(world):
    group = f.GroupFactory(preferred_gender="male", preferred_kind="group", capacity=3)
    region = f.RegionFactory(code="mena", name="Middle East")
    theme = f.ThemeFactory(slug="death-penalty", name="Death penalty")
    group.preferred_regions.add(region)
    group.preferred_themes.add(theme)
    f.AllocationFactory(group=group, offered_at=NOW - timedelta(days=65))
    for i in range(12):
        case = f.CaseFactory(
            kind=["group", "individual", "community"][i % 3],
            country=f.CountryFactory(region=region) if i % 2 else world.country_a,
            opened_on=NOW.date() - timedelta(days=i % 4),
        )
        if i % 3 == 0:
            case.themes.add(theme)
        if i % 4 == 0:
            f.CasePersonFactory(case=case, gender="male")
    with time_machine.travel(NOW, tick=False):
        ranked = matching.rank_cases_for_group(group)
        top = matching.rank_cases_for_group(group, limit=4)
        total = matching.count_cases_for_group(group)
    fairness = matching._fairness(3, 1, NOW - timedelta(days=65), False, NOW)
    cases = matching.candidate_cases(group).annotate(
        male=Subquery(
            CasePerson.objects.filter(case=OuterRef("pk"), gender="male").values("pk")[:1]
        )
    )
    expected = []
    for case in cases:
        parts = {
            "region": W["region"] if case.country.region_id == region.pk else 0,
            "theme": W["theme"] if case.themes.filter(pk=theme.pk).exists() else 0,
            "gender": W["gender"] if case.male else 0,
            "kind": W["kind"] if case.kind == "group" else 0,
            **fairness,
        }
        expected.append((case, parts))
    expected.sort(key=lambda row: (-sum(row[1].values()), row[0].opened_on, row[0].reference))
    assert [(m.obj, m.parts) for m in ranked] == expected
    assert [m.obj for m in top] == [m.obj for m in ranked[:4]]
    assert total == len(ranked) >= 12


@pytest.mark.parametrize("size", [20, 2000])
def test_the_page_reads_one_query_to_rank_and_one_to_count(world, size, django_assert_num_queries):
    case = f.CaseFactory()
    LocalGroup.objects.bulk_create(
        LocalGroup(
            name=f"Bulk group {i}",
            town="Town",
            postal_address="1 Street",
            contact_email=f"bulk{i}@example.org",
        )
        for i in range(size)
    )
    with django_assert_num_queries(2) as queries:
        top = matching.rank_groups_for_case(case, limit=matching.MATCH_LIMIT)
        total = matching.count_groups_for_case(case)
    # The groups' fairness is read from their own rows (their counters): the one read of the
    # allocations is the case's own, the groups already on it.
    assert queries.captured_queries[0]["sql"].count('"cases_allocation"') == 1
    assert len(top) == min(size + 2, matching.MATCH_LIMIT)  # the world's two groups too
    assert total == size + 2
