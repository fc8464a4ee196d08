"""Targets change with dates and history, letters use the current ones, groups are told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import CampaignTarget
from cases.services import CaseError, change_target
from coordinators.models import CaseUpdate, CaseUpdateNotice

pytestmark = pytest.mark.django_db

TARGET = {
    "authority": "Prosecutor General",
    "title": "Mr A. Example",
    "postal_address": "Office of the Prosecutor\n2 Court Road",
    "email": "pg@example.org",
    "salutation": "Dear Prosecutor General",
}


def test_editing_a_target_retires_it_and_adds_its_replacement(world, client_for):
    old = CampaignTarget.objects.get(case=world.case_x)
    old.valid_from = timezone.localdate() - timedelta(days=100)
    old.save()
    today = timezone.localdate()
    response = client_for("coordinator_a").post(
        f"/coordinator/targets/{old.pk}/edit/",
        {**TARGET, "valid_from": today.isoformat()},
        follow=True,
    )
    assert "Every group on the case has been told" in response.content.decode()
    old.refresh_from_db()
    new = CampaignTarget.objects.get(replaces=old)
    assert old.valid_to == today and new.valid_to is None and new.valid_from == today
    assert list(world.case_x.current_targets()) == [new]
    # The automatic update reaches the group and drives the highlight on the case page.
    update = CaseUpdate.objects.get(kind=CaseUpdate.Kind.TARGETS_CHANGED)
    assert update.status == "published"
    assert CaseUpdateNotice.objects.filter(update=update).count() == 1
    member = client_for("member_x")
    page = member.get("/groups/cases/IAR-2026-101/").content.decode()
    assert f"Targets changed on {today:%-d %B %Y}" in page
    assert "Prosecutor General" in page
    member.get(f"/coordinator/updates/{update.pk}/")
    assert "Targets changed on" not in member.get("/groups/cases/IAR-2026-101/").content.decode()


def test_history_shows_earlier_targets(world, client_for):
    old = CampaignTarget.objects.get(case=world.case_x)
    client = client_for("coordinator_a")
    client.post(f"/coordinator/targets/{old.pk}/retire/", {"on": timezone.localdate().isoformat()})
    old.refresh_from_db()
    assert old.valid_to == timezone.localdate()
    assert world.case_x.current_targets().count() == 0
    page = client.get("/coordinator/cases/IAR-2026-101/").content.decode()
    assert "Earlier targets (1)" in page and "Minister of Justice of A" in page
    assert "No current targets." in page


def test_adding_a_target_on_a_paused_case_keeps_the_notice_as_a_draft(world, client_for):
    case = world.case_x
    case.status = "paused"
    case.save()
    client_for("coordinator_a").post(
        "/coordinator/cases/IAR-2026-101/targets/new/",
        {**TARGET, "valid_from": timezone.localdate().isoformat()},
    )
    assert case.current_targets().count() == 2
    update = CaseUpdate.objects.get()
    assert update.status == "draft"
    assert CaseUpdateNotice.objects.count() == 0


@pytest.mark.parametrize(
    ("valid_from", "message"),
    [
        ("2999-01-01", "The date cannot be in the future."),
        ("31/02/2026", "Enter a real date"),
        ("", "Enter the date the change takes effect."),
    ],
)
def test_bad_dates_are_explained(world, client_for, valid_from, message):
    response = client_for("coordinator_a").post(
        "/coordinator/cases/IAR-2026-101/targets/new/", {**TARGET, "valid_from": valid_from}
    )
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert "Prosecutor General" in html
    assert world.case_x.targets.count() == 1


def test_a_replaced_target_cannot_be_edited_again_and_dates_cannot_go_backwards(world):
    old = CampaignTarget.objects.get(case=world.case_x)
    with pytest.raises(CaseError, match="cannot be before"):
        change_target(
            old,
            data=TARGET,
            valid_from=old.valid_from - timedelta(days=1),
            actor=world.coordinator_a,
        )
    change_target(old, data=TARGET, valid_from=old.valid_from, actor=world.coordinator_a)
    with pytest.raises(CaseError, match="already been replaced"):
        change_target(old, data=TARGET, valid_from=old.valid_from, actor=world.coordinator_a)
