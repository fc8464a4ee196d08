"""Each role lands on its own work, showing exactly what that person may see."""

from __future__ import annotations

import pytest

from . import factories as f

pytestmark = pytest.mark.django_db


def page(client_for, persona: str) -> str:
    response = client_for(persona).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_staff_home_lists_cases_needing_groups_and_groups_waiting(world, client_for):
    html = page(client_for, "staff")
    assert "Cases needing groups" in html
    assert world.case_unallocated_a.reference in html  # 0 of 2 groups
    assert world.case_x.reference in html  # 1 of 2 groups
    assert "Groups waiting for cases" in html
    assert "Group X" not in html.split("Groups waiting for cases")[1].split("Holder needed")[0]
    assert "Group Y" in html  # 1 of 2


def test_staff_home_flags_active_allocations_without_holder(world, client_for):
    world.allocation_y.holder = None
    world.allocation_y.save()
    html = page(client_for, "staff")
    holder_section = html.split("Holder needed")[1]
    assert world.case_y.reference in holder_section
    assert world.case_x.reference not in holder_section


def test_coordinator_home_shows_only_their_countries(world, client_for):
    html = page(client_for, "coordinator_a")
    assert world.case_x.reference in html
    assert world.case_unallocated_a.reference in html
    assert world.case_y.reference not in html
    assert "Group X" in html and "Hana Holder" in html
    assert "Group Y" not in html


def test_member_home_is_my_cases_with_only_their_groups_cases(world, client_for):
    f.ActivityFactory(allocation=world.allocation_x, kind="stall", count=1)
    html = page(client_for, "member_x")
    assert "My cases" in html
    assert "Case of X" in html
    # The confidential case is on the list by its reference: its name is for the holder only.
    assert world.case_confidential_x.reference in html
    assert "Confidential of X" not in html
    assert "Case of Y" not in html
    assert "Record an action" in html
    assert "Stall" in html  # last action shown on the card
    assert "Hana Holder" in html  # the casefile holder


def test_member_of_other_group_sees_only_their_case(world, client_for):
    html = page(client_for, "member_y")
    assert "Case of Y" in html
    assert "Case of X" not in html


def test_outsider_is_told_how_to_get_cases(world, client_for):
    html = page(client_for, "outsider")
    assert "not yet part of a local group" in html
    assert "Case of" not in html


def test_confidential_summary_only_for_holder_not_other_members(world, client_for):
    url = f"/groups/cases/{world.case_confidential_x.reference}/"
    from iar_site.models import AuditEntry

    holder_html = client_for("holder_x").get(url).content.decode()
    member_html = client_for("member_x").get(url).content.decode()
    assert "Secret narrative of X." in holder_html
    assert "Secret narrative of X." not in member_html
    assert "confidential" in member_html.lower()
    # Views of confidential cases are logged.
    assert AuditEntry.objects.filter(
        action="case.viewed_confidential", actor=world.holder_x
    ).exists()


def test_case_page_shows_targets_with_addresses_and_holder(world, client_for):
    html = client_for("member_x").get(f"/groups/cases/{world.case_x.reference}/").content.decode()
    assert "Minister of Justice of A" in html
    assert "1 Government Square" in html
    assert "Hana Holder" in html


@pytest.mark.parametrize("persona", ["staff", "coordinator_a", "member_x"])
def test_home_queries_do_not_grow_with_rows(
    world, client_for, persona, django_assert_max_num_queries
):
    client = client_for(persona)
    client.get("/")  # warm the session
    with django_assert_max_num_queries(20) as small:
        client.get("/")
    for _ in range(15):
        case = f.CaseFactory(country=world.country_a)
        allocation = f.AllocationFactory(case=case, group=world.group_x, holder=world.member_x)
        f.ActivityFactory.create_batch(2, allocation=allocation)
        f.GroupFactory()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/")
