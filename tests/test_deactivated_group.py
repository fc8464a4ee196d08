"""Deactivating a group ends its members' access at once: every scoped read, every member page and
every write a member makes for the group."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from accounts import access
from accounts.access import is_group_admin, may_read_confidential
from cases.models import Allocation, Case
from groups.models import Activity, AnnualReport, LocalGroup, Membership
from groups.services import GroupError, record_activity

from . import factories as f

pytestmark = pytest.mark.django_db


def deactivate(group: LocalGroup) -> None:
    LocalGroup.objects.filter(pk=group.pk).update(is_active=False)


def _report(world) -> AnnualReport:
    return AnnualReport.objects.create(
        allocation=world.allocation_x,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )


# Each check answers "does member_x / holder_x of group X still reach group X's work?".
SCOPED_READS = {
    "cases": lambda w: Case.objects.visible_to(w.member_x).filter(pk=w.case_x.pk).exists(),
    "allocations": lambda w: (
        Allocation.objects.visible_to(w.member_x).filter(pk=w.allocation_x.pk).exists()
    ),
    "groups": lambda w: LocalGroup.objects.visible_to(w.member_x).filter(pk=w.group_x.pk).exists(),
    "activities": lambda w: (
        Activity.objects.visible_to(w.member_x).filter(allocation=w.allocation_x).exists()
    ),
    "annual reports": lambda w: (
        AnnualReport.objects.visible_to(w.member_x).filter(allocation=w.allocation_x).exists()
    ),
    "confidential case to its holder": lambda w: may_read_confidential(
        w.holder_x, w.case_confidential_x
    ),
    "membership": lambda w: access.is_member(w.member_x, w.group_x.pk),
    "member role": lambda w: access.MEMBER in access.roles_of(w.member_x),
}


@pytest.mark.parametrize("check", SCOPED_READS.values(), ids=SCOPED_READS.keys())
def test_every_scoped_read_drops_a_deactivated_groups_work(world, check):
    f.ActivityFactory(allocation=world.allocation_x, recorded_by=world.member_x)
    _report(world)
    assert check(world)
    deactivate(world.group_x)
    for user in (world.member_x, world.holder_x):
        user._iar_roles = None  # roles are cached per request object
    assert not check(world)


def test_group_admin_rights_end_with_the_group(world):
    Membership.objects.filter(user=world.member_x, group=world.group_x).update(role="admin")
    assert is_group_admin(world.member_x, world.group_x)
    deactivate(world.group_x)
    assert not is_group_admin(world.member_x, world.group_x)


def test_another_active_group_is_untouched(world):
    deactivate(world.group_x)
    assert Case.objects.visible_to(world.member_y).filter(pk=world.case_y.pk).exists()
    assert Case.objects.visible_to(world.coordinator_a).filter(pk=world.case_x.pk).exists()


def member_pages(world) -> dict[str, str]:
    activity = f.ActivityFactory(allocation=world.allocation_x, recorded_by=world.member_x)
    return {
        "case page": f"/groups/cases/{world.case_x.reference}/",
        "group case page": f"/groups/cases/{world.case_x.reference}/",
        "letters": f"/groups/cases/{world.case_x.reference}/letters/",
        "record action": f"/groups/allocations/{world.allocation_x.pk}/record/",
        "edit action": f"/groups/actions/{activity.pk}/edit/",
        "reports": f"/groups/allocations/{world.allocation_x.pk}/reports/",
        "export csv": f"/groups/{world.group_x.pk}/actions.csv",
        "export xlsx": f"/groups/{world.group_x.pk}/actions.xlsx",
        "settings": f"/groups/{world.group_x.pk}/settings/",
        "settings index": "/groups/settings/",
    }


PAGE_NAMES = [
    "case page",
    "group case page",
    "letters",
    "record action",
    "edit action",
    "reports",
    "export csv",
    "export xlsx",
    "settings",
    "settings index",
]


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_member_pages_of_a_deactivated_group_are_not_found(world, client_for, page):
    url = member_pages(world)[page]
    client = client_for("member_x")
    assert client.get(url).status_code in (200, 302)  # the settings index redirects to the one
    deactivate(world.group_x)
    assert client.get(url).status_code == 404


def test_my_cases_and_home_show_nothing_of_a_deactivated_group(world, client_for):
    client = client_for("holder_x")
    assert world.case_x.reference in client.get("/groups/my-cases/").content.decode()
    deactivate(world.group_x)
    my_cases = client.get("/groups/my-cases/").content.decode()
    assert world.case_x.reference not in my_cases
    assert world.case_confidential_x.reference not in my_cases
    home = client.get("/")
    assert [t.name for t in home.templates][0] == "home_no_role.html"
    assert world.case_x.reference not in home.content.decode()


def test_a_deactivated_group_records_no_action(world, client_for):
    deactivate(world.group_x)
    response = client_for("member_x").post(
        f"/groups/allocations/{world.allocation_x.pk}/record/",
        {"kind": "appeal_letter", "date": timezone.localdate().isoformat(), "count": "3"},
    )
    assert response.status_code == 404
    with pytest.raises(GroupError, match="Only members"):
        record_activity(
            world.allocation_x, kind="appeal_letter", on=timezone.localdate(), actor=world.member_x
        )
    assert not Activity.objects.exists()


def test_a_deactivated_groups_admin_changes_no_setting(world, client_for):
    Membership.objects.filter(user=world.member_x, group=world.group_x).update(role="admin")
    deactivate(world.group_x)
    response = client_for("member_x").post(
        f"/groups/{world.group_x.pk}/settings/", {"channel": "post", "capacity": "5"}
    )
    assert response.status_code == 404
    assert LocalGroup.objects.get(pk=world.group_x.pk).capacity == world.group_x.capacity


def test_a_stopped_case_of_a_deactivated_group_asks_nothing_more(world, client_for):
    Allocation.objects.filter(pk=world.allocation_x.pk).update(
        status=Allocation.Status.ENDED,
        end_reason=Allocation.EndReason.CASE_CLOSED,
        ended_on=timezone.localdate(),
    )
    url = f"/cases/{world.case_x.reference}/confirm-stop/"
    client = client_for("member_x")
    assert client.get(url).status_code == 200
    deactivate(world.group_x)
    assert client.get(url).status_code == 404
