"""Who reaches which page: another group's pages are not found, a missing role is forbidden."""

from __future__ import annotations

import pytest

from actions.models import UASubscription

from .. import factories as f
from .helpers import draft_ua, make_admin, published_ua

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/urgent-actions/staff/",
    "/urgent-actions/staff/new/",
    "/urgent-actions/staff/bundles/new/",
    "/urgent-actions/staff/one-off/new/",
]


@pytest.mark.parametrize("url", STAFF_PAGES)
@pytest.mark.parametrize(
    "persona,status",
    [
        ("staff", 200),
        ("coordinator_a", 403),
        ("member_x", 403),
        ("outsider", 403),
        ("anonymous", 302),
    ],
)
def test_staff_pages(world, client_for, url, persona, status):
    assert client_for(persona).get(url).status_code == status


def test_a_draft_is_not_found_for_anyone_but_staff(world, client_for):
    ua = draft_ua(world.staff, country=world.country_a)
    assert client_for("staff").get(f"/urgent-actions/{ua.pk}/").status_code == 200
    for persona in ("coordinator_a", "member_x", "outsider"):
        assert client_for(persona).get(f"/urgent-actions/{ua.pk}/").status_code == 404
    assert client_for("member_x").post(f"/urgent-actions/staff/{ua.pk}/publish/").status_code == 403
    ua.refresh_from_db()
    assert ua.status == "draft"


def test_every_signed_in_person_sees_a_published_ua(world, client_for):
    ua = published_ua(world.staff, country=world.country_a, title="Seen by all")
    for persona in ("coordinator_b", "member_y", "outsider"):
        assert "Seen by all" in client_for(persona).get("/urgent-actions/").content.decode()
    assert client_for("anonymous").get(f"/urgent-actions/{ua.pk}/").status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/urgent-actions/groups/{}/meeting/",
        "/urgent-actions/groups/{}/meeting/pack.pdf",
        "/urgent-actions/groups/{}/sign-up/",
        "/urgent-actions/groups/{}/log/",
        "/urgent-actions/groups/{}/log.csv",
    ],
)
def test_another_groups_pages_are_not_found(world, client_for, url):
    assert client_for("member_y").get(url.format(world.group_x.pk)).status_code == 404
    assert client_for("coordinator_a").get(url.format(world.group_x.pk)).status_code == 404


def test_only_a_group_administrator_changes_sign_ups_and_the_meeting_date(world, client_for):
    url = f"/urgent-actions/groups/{world.group_x.pk}/sign-up/"
    data = {"which": "all"}
    assert client_for("member_x").get(url).status_code == 200
    assert client_for("member_x").post(url, data).status_code == 403
    assert not UASubscription.objects.exists()
    meeting = f"/urgent-actions/groups/{world.group_x.pk}/meeting/"
    assert client_for("member_x").post(meeting, {"next_meeting": "2099-01-01"}).status_code == 403

    make_admin(world.member_x, world.group_x)
    assert client_for("member_x").post(url, data).status_code == 302
    assert UASubscription.objects.get(group=world.group_x).all_actions


def test_only_coordinators_of_the_regions_countries_post_bulletins(world, client_for):
    other_region = f.RegionFactory(name="Elsewhere", code="elsewhere")
    url = f"/urgent-actions/regions/{world.country_a.region.code}/bulletin/"
    assert client_for("coordinator_a").get(url).status_code == 200
    same_region = world.country_b.region_id == world.country_a.region_id
    assert client_for("coordinator_b").get(url).status_code == (200 if same_region else 403)
    assert client_for("member_x").get(url).status_code == 403
    assert (
        client_for("coordinator_a")
        .get(f"/urgent-actions/regions/{other_region.code}/bulletin/")
        .status_code
        == 403
    )
    assert client_for("member_x").get("/urgent-actions/regions/no-such-region/").status_code == 404


def test_recording_needs_membership_of_a_group(world, client_for):
    ua = published_ua(world.staff, country=world.country_a)
    assert client_for("outsider").get(f"/urgent-actions/record/ua/{ua.pk}/").status_code == 403
    assert client_for("member_x").get("/urgent-actions/record/nonsense/1/").status_code == 404
    # A member cannot record for another group by changing the form.
    response = client_for("member_x").post(
        f"/urgent-actions/record/ua/{ua.pk}/",
        {"group": world.group_y.pk, "kind": "letters", "count": 3, "date": "2026-01-05"},
    )
    assert response.status_code == 200
    assert "Choose one of your groups" in response.content.decode()
    assert not world.group_y.action_records.exists()
