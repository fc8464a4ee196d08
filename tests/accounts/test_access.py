"""The access module: every predicate for every persona, and the 403-or-404 policy of its
decorators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts import access
from groups.models import Membership

from .. import factories as f

pytestmark = pytest.mark.django_db

PEOPLE = ["staff", "coordinator_a", "coordinator_b", "holder_x", "member_x", "member_y", "outsider"]


def person(world, name):
    return AnonymousUser() if name == "anonymous" else getattr(world, name)


def expect(allowed):
    return [(name, name in allowed) for name in [*PEOPLE, "anonymous"]]


@pytest.fixture
def admin_x(world):
    Membership.objects.filter(user=world.member_x, group=world.group_x).update(role="admin")
    return world.member_x


@pytest.mark.parametrize(("name", "allowed"), expect({"staff"}))
def test_is_staff(world, name, allowed):
    assert access.is_staff(person(world, name)) is allowed


@pytest.mark.parametrize(("name", "allowed"), expect({"coordinator_a"}))
def test_coordinates_a_case_and_its_country(world, name, allowed):
    user = person(world, name)
    assert access.coordinates(user, world.case_x) is allowed
    assert access.coordinates(user, world.country_a) is allowed


@pytest.mark.parametrize(("name", "allowed"), expect({"staff", "coordinator_a"}))
def test_manages(world, name, allowed):
    assert access.manages(person(world, name), world.case_x) is allowed


@pytest.mark.parametrize(("name", "allowed"), expect({"holder_x", "member_x"}))
def test_is_member(world, name, allowed):
    user = person(world, name)
    assert access.is_member(user, world.group_x) is allowed
    assert access.is_member(user, world.group_x.pk) is allowed


@pytest.mark.parametrize(("name", "allowed"), expect({"member_x"}))
def test_is_group_admin(world, admin_x, name, allowed):
    assert access.is_group_admin(person(world, name), world.group_x) is allowed


@pytest.mark.parametrize(("name", "allowed"), expect({"staff", "coordinator_a", "holder_x"}))
def test_may_read_confidential(world, name, allowed):
    user = person(world, name)
    assert access.may_read_confidential(user, world.case_confidential_x) is allowed
    assert access.may_read_case(user, world.case_confidential_x) is allowed


def test_a_case_that_is_not_confidential_is_read_by_whoever_sees_it(world):
    assert access.may_read_case(world.member_x, world.case_x)


@pytest.mark.parametrize(("name", "allowed"), expect({"staff", "member_x"}))
def test_may_answer_offer(world, admin_x, name, allowed):
    assert access.may_answer_offer(person(world, name), world.allocation_x) is allowed


@pytest.mark.parametrize(("name", "allowed"), expect({"staff", "holder_x", "member_x"}))
def test_may_change_holder(world, admin_x, name, allowed):
    assert access.may_change_holder(person(world, name), world.allocation_x) is allowed


@pytest.mark.parametrize(("name", "allowed"), expect({"staff", "coordinator_a"}))
def test_may_approve_holder_change(world, name, allowed):
    assert access.may_approve_holder_change(person(world, name), world.case_x) is allowed


ROLES = {
    "staff": {access.STAFF},
    "coordinator_a": {access.COORDINATOR},
    "coordinator_b": {access.COORDINATOR},
    "holder_x": {access.MEMBER},
    "member_x": {access.MEMBER},
    "member_y": {access.MEMBER},
    "outsider": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize(("name", "roles"), list(ROLES.items()))
def test_roles_primary_role_and_mfa(world, name, roles):
    user = person(world, name)
    assert access.roles_of(user) == roles
    assert access.primary_role(user) == (next(iter(roles)) if roles else None)
    assert access.needs_mfa(user) is bool({access.STAFF, access.COORDINATOR} & roles)


def test_a_deactivated_user_holds_nothing(world, admin_x):
    for user in (world.staff, world.coordinator_a, world.holder_x, world.member_x):
        user.is_active = False
        user.save()
        user.refresh_from_db()
        assert access.roles_of(user) == set()
        assert not access.is_staff(user)
        assert not access.coordinates(user, world.case_x)
        assert not access.is_member(user, world.group_x)
        assert not access.may_read_confidential(user, world.case_confidential_x)
        assert not access.may_change_holder(user, world.allocation_x)
        assert not access.may_approve_holder_change(user, world.case_x)
    assert not access.is_group_admin(world.member_x, world.group_x)


def test_a_deactivated_group_gives_its_members_nothing(world, admin_x):
    world.group_x.is_active = False
    world.group_x.save()
    for user in (world.holder_x, world.member_x):
        assert not access.is_member(user, world.group_x)
        assert access.MEMBER not in access.roles_of(user)
        assert not access.may_change_holder(user, world.allocation_x)
        assert not access.may_answer_offer(user, world.allocation_x)
    assert not access.is_group_admin(world.member_x, world.group_x)
    assert not access.may_read_confidential(world.holder_x, world.case_confidential_x)


def test_an_admin_of_another_group_is_not_this_groups_admin(world):
    Membership.objects.filter(user=world.member_y).update(role="admin")
    assert access.is_group_admin(world.member_y, world.group_y)
    assert not access.is_group_admin(world.member_y, world.group_x)
    assert not access.may_answer_offer(world.member_y, world.allocation_x)


def _call(decorator, user):
    request = RequestFactory().get("/")
    request.user = user
    return decorator(lambda request: HttpResponse("ok"))(request)


@pytest.mark.parametrize("name", [*PEOPLE, "anonymous"])
def test_staff_required_forbids_every_other_role(world, name):
    user = person(world, name)
    if name == "staff":
        assert _call(access.staff_required, user).status_code == 200
    else:
        with pytest.raises(PermissionDenied):
            _call(access.staff_required, user)


@pytest.mark.parametrize("name", [*PEOPLE, "anonymous"])
def test_coordinator_required_forbids_every_other_role(world, name):
    user = person(world, name)
    if name in {"staff", "coordinator_a", "coordinator_b"}:
        assert _call(access.coordinator_required, user).status_code == 200
    else:
        with pytest.raises(PermissionDenied):
            _call(access.coordinator_required, user)


def test_a_function_the_role_lacks_is_403_and_another_countrys_object_is_404(world, client_for):
    # A function page: the staff case list, forbidden to a coordinator.
    assert client_for("coordinator_a").get(reverse("staff:case_list")).status_code == 403
    # An object page: another country's case in the coordinator's workspace, not found.
    path = f"/coordinator/cases/{world.case_y.reference}/"
    assert client_for("coordinator_a").get(path).status_code == 404
    assert client_for("coordinator_b").get(path).status_code == 200


def test_a_new_deactivated_login_is_refused_staff_pages(world):
    former = f.StaffFactory(is_active=False)
    with pytest.raises(PermissionDenied):
        _call(access.staff_required, former)
