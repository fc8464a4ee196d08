"""Group administrators manage members and settings; other members only read; others get 404."""

from __future__ import annotations

import pytest

from accounts.models import Invitation
from groups.models import LocalGroup, Membership
from iar_site.models import AuditEntry

from .. import factories as f
from ..conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_x(world):
    Membership.objects.filter(user=world.holder_x, group=world.group_x).update(role="admin")
    return world.holder_x


def url(group):
    return f"/groups/{group.pk}/settings/"


def settings_data(**changes):
    data = {
        "channel": "email",
        "contact_email": "new@example.org",
        "postal_address": "2 Church Lane\nTown",
        "next_meeting": "2026-12-01",
        "capacity": "3",
        "preferred_gender": "",
        "preferred_kind": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_settings_page_is_for_the_groups_members_only(world, client_for, admin_x, persona):
    response = client_for(persona).get(url(world.group_x))
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in ("holder_x", "member_x"):
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def test_admin_saves_settings_and_it_is_audited(world, client_for, admin_x):
    region = f.RegionFactory(name="Africa", code="africa")
    response = client_for("holder_x").post(
        url(world.group_x), {**settings_data(), "preferred_regions": [region.pk]}, follow=True
    )
    assert "settings are saved" in response.content.decode()
    group = LocalGroup.objects.get(pk=world.group_x.pk)
    assert (group.contact_email, group.capacity) == ("new@example.org", 3)
    assert list(group.preferred_regions.all()) == [region]
    entry = AuditEntry.objects.get(action="group.settings_changed")
    assert entry.actor == admin_x and "capacity" in entry.changes


def test_member_sees_settings_read_only_and_cannot_post(world, client_for, admin_x):
    client = client_for("member_x")
    html = client.get(url(world.group_x)).content.decode()
    assert "Only the group's administrators can change these" in html
    assert "Save settings" not in html and "Send the invitation" not in html
    assert client.post(url(world.group_x), settings_data(capacity="9")).status_code == 403
    assert LocalGroup.objects.get(pk=world.group_x.pk).capacity == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"channel": "email", "contact_email": ""}, "Give a contact email"),
        ({"capacity": "25"}, "Enter a number no larger than 20."),
        ({"capacity": "-1"}, "Enter a number of at least 0."),
        ({"next_meeting": "32/13/2026"}, "Enter a real date"),
        ({"channel": "pigeon"}, "Select a valid choice"),
        ({"postal_address": ""}, "Enter the group&#x27;s postal address."),
    ],
)
def test_bad_settings_are_explained_and_nothing_saved(world, client_for, admin_x, changes, message):
    response = client_for("holder_x").post(url(world.group_x), settings_data(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert LocalGroup.objects.get(pk=world.group_x.pk).contact_email == world.group_x.contact_email


def test_post_group_needs_no_email(world, client_for, admin_x):
    client_for("holder_x").post(url(world.group_x), settings_data(channel="post", contact_email=""))
    assert LocalGroup.objects.get(pk=world.group_x.pk).channel == "post"


def test_admin_invites_a_member_to_their_own_group(world, client_for, admin_x):
    response = client_for("holder_x").post(
        f"/groups/{world.group_x.pk}/members/invite/",
        {"full_name": "New Person", "email": "new.person@example.org", "role": "group_member"},
        follow=True,
    )
    assert "Invitation to new.person@example.org is queued" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.group == world.group_x and invitation.invited_by == admin_x


def test_invite_errors_and_non_admins(world, client_for, admin_x):
    response = client_for("holder_x").post(
        f"/groups/{world.group_x.pk}/members/invite/",
        {"full_name": "", "email": "not-an-email", "role": "coordinator"},
    )
    html = response.content.decode()
    assert "Enter their name." in html and "Enter an email address" in html
    assert "Select a valid choice" in html
    response = client_for("member_x").post(
        f"/groups/{world.group_x.pk}/members/invite/",
        {"full_name": "X", "email": "x@example.org", "role": "group_member"},
    )
    assert response.status_code == 403
    assert (
        client_for("member_y")
        .post(
            f"/groups/{world.group_x.pk}/members/invite/",
            {"full_name": "X", "email": "x@example.org", "role": "group_member"},
        )
        .status_code
        == 404
    )
    assert not Invitation.objects.exists()


def test_change_role_and_remove_with_the_last_admin_kept(world, client_for, admin_x):
    client = client_for("holder_x")
    member = Membership.objects.get(user=world.member_x, group=world.group_x)
    own = Membership.objects.get(user=admin_x, group=world.group_x)
    response = client.post(
        f"/groups/{world.group_x.pk}/members/{own.pk}/role/", {"role": "member"}, follow=True
    )
    assert "at least one administrator" in response.content.decode()
    own.refresh_from_db()
    assert own.role == "admin"

    client.post(f"/groups/{world.group_x.pk}/members/{member.pk}/role/", {"role": "admin"})
    member.refresh_from_db()
    assert member.role == "admin"
    assert AuditEntry.objects.filter(action="membership.role_changed").exists()

    response = client.post(f"/groups/{world.group_x.pk}/members/{member.pk}/remove/", follow=True)
    assert "is no longer in the group" in response.content.decode()
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert AuditEntry.objects.filter(action="membership.removed", actor=admin_x).exists()


def test_the_casefile_holder_cannot_be_removed(world, client_for, admin_x):
    Membership.objects.filter(user=world.member_x, group=world.group_x).update(role="admin")
    own = Membership.objects.get(user=admin_x, group=world.group_x)
    response = client_for("member_x").post(
        f"/groups/{world.group_x.pk}/members/{own.pk}/remove/", follow=True
    )
    assert "holds a casefile" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_another_groups_membership_is_404(world, client_for, admin_x):
    other = Membership.objects.get(user=world.member_y)
    client = client_for("holder_x")
    assert client.post(f"/groups/{world.group_x.pk}/members/{other.pk}/remove/").status_code == 404
    assert (
        client.post(
            f"/groups/{world.group_y.pk}/members/{other.pk}/role/", {"role": "admin"}
        ).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.role == "member"
