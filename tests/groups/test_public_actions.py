"""Public and non-public actions: on a case IAR keeps out of the public eye, the recording steps
offer only private actions, the service refuses public ones whatever sends them, letters say
"please do not publicise this case", and staff change the setting with a reason (audited)."""

from __future__ import annotations

from datetime import date

import pytest

from cases import services as case_services
from groups.models import Activity
from groups.services import GroupError, edit_activity, record_activity
from iar_site.models import AuditEntry

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def private_case(world):
    world.case_x.public_action_allowed = False
    world.case_x.save()
    return world.case_x


@pytest.mark.parametrize("kind", ["stall", "local_media", "demonstration", "petition", "event"])
def test_the_service_refuses_public_kinds_on_a_non_public_case(world, private_case, kind):
    with pytest.raises(GroupError, match="Please do not publicise this case"):
        record_activity(world.allocation_x, kind=kind, on=TODAY, actor=world.member_x)
    assert not Activity.objects.filter(allocation=world.allocation_x).exists()


@pytest.mark.parametrize("kind", ["appeal_letter", "solidarity", "official_meeting"])
def test_private_kinds_are_recorded_on_a_non_public_case(world, private_case, kind):
    activity = record_activity(world.allocation_x, kind=kind, on=TODAY, actor=world.member_x)
    assert activity.kind == kind


def test_an_entry_cannot_be_edited_into_a_public_kind(world, private_case):
    activity = record_activity(
        world.allocation_x, kind="appeal_letter", on=TODAY, count=3, actor=world.member_x
    )
    with pytest.raises(GroupError):
        edit_activity(activity, kind="stall", on=TODAY, count=3, actor=world.member_x)
    activity.refresh_from_db()
    assert activity.kind == "appeal_letter"


def test_public_kinds_stay_open_on_a_public_case(world):
    assert record_activity(world.allocation_x, kind="stall", on=TODAY, actor=world.member_x)


def test_the_recording_steps_offer_only_private_kinds(world, private_case, client_for):
    client = client_for("member_x")
    url = f"/groups/allocations/{world.allocation_x.pk}/record/"
    page = client.get(url).content.decode()
    assert "Please do not publicise this case" in page
    assert 'value="appeal_letter"' in page and 'value="solidarity"' in page
    assert 'value="stall"' not in page and 'value="local_media"' not in page
    typed = client.get(url, {"kind": "stall"})
    assert (
        typed.status_code == 200 and "Choose what you did from the list" in typed.content.decode()
    )
    # The last step posted by hand is refused by the service, with the reason shown.
    posted = client.post(
        url, {"kind": "demonstration", "date": TODAY.isoformat(), "count": 1, "outcome": ""}
    )
    assert posted.status_code == 200 and "Please do not publicise" in posted.content.decode()
    assert not Activity.objects.filter(allocation=world.allocation_x).exists()
    public = client_for("member_y").get(f"/groups/allocations/{world.allocation_y.pk}/record/")
    assert 'value="stall"' in public.content.decode()


def test_the_letters_page_says_do_not_publicise(world, private_case, client_for):
    page = client_for("member_x").get(f"/groups/cases/{private_case.reference}/letters/")
    assert "Please do not publicise this case." in page.content.decode()
    other = client_for("member_y").get(f"/groups/cases/{world.case_y.reference}/letters/")
    assert "Please do not publicise" not in other.content.decode()


def test_staff_change_the_setting_with_a_reason(world, client_for):
    client = client_for("staff")
    url = f"/staff/cases/{world.case_x.reference}/public-action/"
    assert client.get(url).status_code == 200
    missing = client.post(url, {"allowed": "no", "reason": "  "})
    assert missing.status_code == 200 and "Say why" in missing.content.decode()
    response = client.post(url, {"allowed": "no", "reason": "Family asked for no publicity."})
    assert response.status_code == 302
    world.case_x.refresh_from_db()
    assert world.case_x.public_action_allowed is False
    entry = AuditEntry.objects.get(action="case.public_action_changed")
    assert entry.actor == world.staff
    assert entry.changes == {
        "public_action_allowed": [True, False],
        "reason": "Family asked for no publicity.",
    }
    assert "private only" in client.get(f"/staff/cases/{world.case_x.reference}/").content.decode()


def test_only_staff_change_it(world, client_for):
    for persona in ("coordinator_a", "holder_x", "member_x"):
        url = f"/staff/cases/{world.case_x.reference}/public-action/"
        assert client_for(persona).post(url, {"allowed": "no", "reason": "x"}).status_code == 403
    with pytest.raises(case_services.CaseError):
        case_services.set_public_action(
            world.case_x, allowed=False, reason="x", actor=world.coordinator_a
        )
    world.case_x.refresh_from_db()
    assert world.case_x.public_action_allowed is True
