"""The confidential-name check is one query a page: My cases and the group's case page ask it in
bulk for all their cards, and the bulk rule answers exactly as the rule asked one case at a time
did (holder of an open allocation of an active group, coordinator of the country, IAR staff)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import access
from cases.models import Allocation, Case
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "Secret Person"


def _queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # sessions and the like settle on the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _confidential_cards(world, count: int, *, held_by) -> list[Case]:
    cases = []
    for _ in range(count):
        case = f.CaseFactory(
            country=world.country_a, sensitivity=Case.Sensitivity.CONFIDENTIAL, title=SECRET
        )
        f.AllocationFactory(case=case, group=world.group_x, holder=held_by)
        cases.append(case)
    return cases


@pytest.mark.parametrize("persona", ["holder_x", "member_x"])
def test_my_cases_asks_the_name_once_however_many_confidential_cards(
    world, client_for, persona, django_assert_max_num_queries
):
    client = client_for(persona)
    _confidential_cards(world, 1, held_by=world.holder_x)
    _confidential_cards(world, 1, held_by=world.member_x)
    few, _ = _queries(client, "/groups/my-cases/")
    _confidential_cards(world, 6, held_by=world.holder_x)
    _confidential_cards(world, 6, held_by=world.member_x)
    with django_assert_max_num_queries(few):
        response = client.get("/groups/my-cases/")
    html = response.content.decode()
    # Each member sees the name on exactly the cards they hold (7 here, and the world's own).
    assert html.count(SECRET) == 7
    assert "Confidential of X" in html if persona == "holder_x" else "Confidential of X" not in html


def test_the_group_case_page_asks_the_name_once(world, client_for, monkeypatch):
    """The heading's name and the summary shown or not: one answer, asked once."""
    import cases.models

    asked = []
    rule = access.confidential_readable_ids

    def spy(user, cases_):
        asked.append(user)
        return rule(user, cases_)

    monkeypatch.setattr(access, "confidential_readable_ids", spy)
    monkeypatch.setattr(cases.models, "confidential_readable_ids", spy)
    url = f"/groups/cases/{world.case_confidential_x.reference}/"
    html = client_for("holder_x").get(url).content.decode()
    assert "Confidential of X" in html
    assert "Secret narrative of X." in html
    assert len(asked) == 1
    asked.clear()
    html = client_for("member_x").get(url).content.decode()
    assert "Confidential of X" not in html
    assert "Secret narrative of X." not in html
    assert world.case_confidential_x.reference in html
    assert len(asked) == 1


def _old_rule(user, case) -> bool:
    """The rule as it was asked one case at a time, two queries a case."""
    if access.is_staff(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    if access.coordinates(user, case):
        return True
    return case.allocations.filter(
        status__in=access.OPEN, holder=user, group__is_active=True
    ).exists()


def test_the_bulk_rule_answers_as_the_rule_one_case_at_a_time(world):
    # Every way an allocation can stand: open, offered, ended; active and deactivated groups.
    inactive = f.GroupFactory(name="Gone", is_active=False)
    f.AllocationFactory(case=world.case_y, group=inactive, holder=world.member_x)
    ended = f.CaseFactory(country=world.country_b, sensitivity=Case.Sensitivity.CONFIDENTIAL)
    f.AllocationFactory(
        case=ended,
        group=world.group_x,
        holder=world.member_x,
        status=Allocation.Status.ENDED,
        ended_on=timezone.localdate(),
        end_reason=Allocation.EndReason.RELINQUISHED,
    )
    offered = f.CaseFactory(country=world.country_b, sensitivity=Case.Sensitivity.CONFIDENTIAL)
    f.AllocationFactory(
        case=offered, group=world.group_y, holder=world.member_y, status=Allocation.Status.OFFERED
    )
    cases = list(Case.objects.select_related("country"))
    users = [
        world.staff,
        world.coordinator_a,
        world.coordinator_b,
        world.holder_x,
        world.member_x,
        world.member_y,
        world.outsider,
    ]
    for user in users:
        expected = {case.pk for case in cases if _old_rule(user, case)}
        assert access.confidential_readable_ids(user, cases) == expected, user.email
        for case in cases:
            assert access.may_read_confidential(user, case) is (case.pk in expected)
    assert access.confidential_readable_ids(None, cases) == set()
    assert access.confidential_readable_ids(world.holder_x, []) == set()


def test_the_bulk_rule_is_one_query(world, django_assert_num_queries):
    cases = _confidential_cards(world, 5, held_by=world.holder_x)
    with django_assert_num_queries(1):
        readable = access.confidential_readable_ids(world.holder_x, cases)
    assert readable == {case.pk for case in cases}
    with django_assert_num_queries(1):
        Case.ask_names_for(cases, world.member_x)
    with django_assert_num_queries(0):
        for case in cases:
            assert case.display_name_for(world.member_x) == case.label_without_name()
