"""Ranking groups for a case and cases for a group: preferences change the order, as the README
says, and the number of queries does not grow with the number of groups."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.models import Allocation
from groups import matching
from groups.models import CaseRequest, LocalGroup

from .. import factories as f

pytestmark = pytest.mark.django_db
W = matching.WEIGHTS


@pytest.fixture
def case():
    case = f.CaseFactory(kind="community")
    case.themes.add(f.ThemeFactory(slug="forced-eviction", name="Forced eviction"))
    f.CasePersonFactory(case=case, gender="female")
    return case


def names(matches):
    return [m.obj.name for m in matches]


def test_each_preference_met_moves_a_group_up_by_its_weight(case):
    plain = f.GroupFactory(name="A plain group")
    region = f.GroupFactory(name="B region group")
    region.preferred_regions.add(case.country.region)
    theme = f.GroupFactory(name="C theme group")
    theme.preferred_themes.add(*case.themes.all())
    gender = f.GroupFactory(name="D gender group", preferred_gender="female")
    kind = f.GroupFactory(name="E kind group", preferred_kind="community")
    wrong = f.GroupFactory(name="F wrong kind", preferred_kind="individual")
    ranked = matching.rank_groups_for_case(case)
    by_name = {m.obj.name: m for m in ranked}
    base = by_name["A plain group"].score
    assert by_name["B region group"].score - base == W["region"]
    assert by_name["C theme group"].score - base == W["theme"]
    assert by_name["D gender group"].score - base == W["gender"]
    assert by_name["E kind group"].score - base == W["kind"]
    assert by_name["F wrong kind"].score == base
    assert names(ranked)[:3] == ["B region group", "C theme group", "D gender group"]
    assert by_name["B region group"].explained()[0] == ("Region preferred", W["region"])
    assert {plain, region, theme, gender, kind, wrong} == {m.obj for m in ranked}


def test_spare_capacity_waiting_time_and_open_request_count(case, world):
    busy = f.GroupFactory(name="Busy", capacity=1)
    f.AllocationFactory(group=busy)
    f.GroupFactory(name="Free", capacity=3)
    asking = f.GroupFactory(name="Asking", capacity=1)
    CaseRequest.objects.create(group=asking, number=1, meeting_date=timezone.localdate())
    recent = f.GroupFactory(name="Recent", capacity=3)
    with time_machine.travel(timezone.now() - timedelta(days=95)):
        old = f.AllocationFactory(group=recent)
    old.status, old.end_reason, old.ended_on = "ended", "case_closed", timezone.localdate()
    old.save()
    by_name = {m.obj.name: m for m in matching.rank_groups_for_case(case)}
    assert by_name["Busy"].parts["spare_capacity"] == 0
    assert by_name["Free"].parts["spare_capacity"] == 3 * W["spare_capacity"]
    assert by_name["Asking"].parts["open_request"] == W["open_request"]
    assert by_name["Recent"].parts["waiting"] == 3 * W["waiting"]
    assert by_name["Free"].parts["waiting"] == matching.MAX_WAITING_MONTHS * W["waiting"]
    assert by_name["Asking"].score > by_name["Busy"].score


def test_groups_that_gave_the_case_up_or_are_on_it_are_not_proposed(case, world):
    gave_up = f.GroupFactory(name="Gave up")
    f.AllocationFactory(
        case=case,
        group=gave_up,
        status="ended",
        end_reason="relinquished",
        ended_on=timezone.localdate(),
    )
    withdrawn = f.GroupFactory(name="Withdrawn")
    f.AllocationFactory(
        case=case,
        group=withdrawn,
        status="ended",
        end_reason="withdrawn",
        ended_on=timezone.localdate(),
    )
    on_it = f.GroupFactory(name="On it")
    f.AllocationFactory(case=case, group=on_it)
    inactive = f.GroupFactory(name="Inactive", is_active=False)
    ranked = names(matching.rank_groups_for_case(case))
    for name in ("Gave up", "Withdrawn", "On it", inactive.name):
        assert name not in ranked
    assert "Group X" in ranked


def test_cases_ranked_for_a_group_follow_its_preferences(world):
    group = f.GroupFactory(preferred_gender="male", preferred_kind="group")
    region = f.RegionFactory(code="mena", name="Middle East")
    group.preferred_regions.add(region)
    best = f.CaseFactory(kind="group", country=f.CountryFactory(region=region))
    f.CasePersonFactory(case=best, gender="male")
    middle = f.CaseFactory(kind="group")
    full = f.CaseFactory(max_groups=1, country=f.CountryFactory(region=region))
    f.AllocationFactory(case=full)
    closed = f.CaseFactory(status="draft", country=f.CountryFactory(region=region))
    ranked = matching.rank_cases_for_group(group)
    refs = [m.obj.reference for m in ranked]
    assert refs.index(best.reference) < refs.index(middle.reference)
    assert full.reference not in refs and closed.reference not in refs
    top = ranked[0]
    assert top.obj == best
    assert top.parts["region"] == W["region"] and top.parts["gender"] == W["gender"]


def test_a_case_request_adds_its_regions(world):
    group = f.GroupFactory()
    region = f.RegionFactory(code="asia", name="Asia")
    wanted = f.CaseFactory(country=f.CountryFactory(region=region))
    request = CaseRequest.objects.create(group=group, number=1, meeting_date=timezone.localdate())
    request.preferred_regions.add(region)
    without = {m.obj: m.score for m in matching.rank_cases_for_group(group)}
    with_request = {m.obj: m.score for m in matching.rank_cases_for_group(group, request)}
    assert with_request[wanted] - without[wanted] == W["region"]


def _many_groups(n: int, case) -> None:
    groups = LocalGroup.objects.bulk_create(
        LocalGroup(
            name=f"Bulk group {i}",
            town="Town",
            postal_address="1 Street",
            contact_email=f"bulk{i}@example.org",
            preferred_gender="female" if i % 2 else "",
        )
        for i in range(n)
    )
    through = LocalGroup.preferred_regions.through
    through.objects.bulk_create(
        through(localgroup_id=g.pk, region_id=case.country.region_id) for g in groups[::3]
    )
    Allocation.objects.bulk_create(
        Allocation(case=f.CaseFactory(), group=g, status="offered") for g in groups[:5]
    )


@pytest.mark.parametrize("size", [20, 2000])
def test_ranking_runs_a_fixed_number_of_queries(case, size, django_assert_max_num_queries):
    _many_groups(size, case)
    with django_assert_max_num_queries(1):
        ranked = matching.rank_groups_for_case(case)
    assert len(ranked) == size
    assert ranked[0].parts["region"] == W["region"]


@pytest.mark.parametrize("size", [5, 200])
def test_ranking_cases_for_a_group_runs_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    group = f.GroupFactory()
    for _ in range(size):
        f.CaseFactory()
    with django_assert_max_num_queries(4):
        ranked = matching.rank_cases_for_group(group)
    assert len(ranked) >= size


def test_allocating_takes_a_group_off_the_ranking(case, world):
    services.allocate_case(case, world.group_y, actor=world.staff)
    assert "Group Y" not in names(matching.rank_groups_for_case(case))
