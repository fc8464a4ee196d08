"""Groups read and acknowledge updates; the coordinator sees who has."""

from __future__ import annotations

import pytest

from coordinators.models import CaseUpdateNotice
from coordinators.services import publish_update

from .helpers import make_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    update = make_update(world.case_x, world.coordinator_a, title="Released on bail")
    publish_update(update, actor=world.coordinator_a)
    return update


def test_a_member_reading_the_update_marks_it_read_for_the_group(world, client_for, published):
    coordinator = client_for("coordinator_a")
    before = coordinator.get(f"/coordinator/updates/{published.pk}/").content.decode()
    assert "<strong>Not yet</strong>" in before
    home = coordinator.get("/").content.decode()
    assert "Not yet read by the group" in home and "Released on bail" in home

    page = client_for("member_x").get(f"/coordinator/updates/{published.pk}/")
    assert page.status_code == 200
    assert "<strong>secret</strong>" in page.content.decode()

    notice = CaseUpdateNotice.objects.get(update=published)
    assert notice.read_by == world.member_x and notice.read_at is not None
    assert notice.acknowledged_at is None
    after = coordinator.get(f"/coordinator/updates/{published.pk}/").content.decode()
    assert "by Max Member" in after
    assert "Not yet read by the group" not in coordinator.get("/").content.decode()


def test_a_second_reader_does_not_overwrite_the_first(world, client_for, published):
    client_for("member_x").get(f"/coordinator/updates/{published.pk}/")
    client_for("holder_x").get(f"/coordinator/updates/{published.pk}/")
    assert CaseUpdateNotice.objects.get(update=published).read_by == world.member_x


def test_acknowledging_is_recorded_and_shown_to_the_coordinator(world, client_for, published):
    response = client_for("holder_x").post(
        f"/coordinator/updates/{published.pk}/acknowledge/", follow=True
    )
    assert "Your coordinator can see your group has read it" in response.content.decode()
    notice = CaseUpdateNotice.objects.get(update=published)
    assert notice.acknowledged_by == world.holder_x and notice.read_by == world.holder_x
    workspace = client_for("coordinator_a").get("/coordinator/cases/IAR-2026-101/")
    assert workspace.content.decode().count("1 of 1") == 2  # read 1 of 1, acknowledged 1 of 1


def test_another_group_cannot_read_or_acknowledge(world, client_for, published):
    client = client_for("member_y")
    assert client.get(f"/coordinator/updates/{published.pk}/").status_code == 404
    assert client.post(f"/coordinator/updates/{published.pk}/acknowledge/").status_code == 404
    notice = CaseUpdateNotice.objects.get(update=published)
    assert notice.read_at is None and notice.acknowledged_at is None


def test_drafts_are_not_shown_to_groups(world, client_for):
    draft = make_update(world.case_x, world.coordinator_a)
    assert client_for("member_x").get(f"/coordinator/updates/{draft.pk}/").status_code == 404
    assert (
        "News on the case"
        not in client_for("member_x").get("/groups/cases/IAR-2026-101/").content.decode()
    )


def test_case_page_lists_updates_with_new_badge_until_read(world, client_for, published):
    client = client_for("member_x")
    page = client.get("/groups/cases/IAR-2026-101/").content.decode()
    assert "Released on bail" in page
    assert "New</span>" in page
    client.get(f"/coordinator/updates/{published.pk}/")
    assert "New</span>" not in client.get("/groups/cases/IAR-2026-101/").content.decode()
