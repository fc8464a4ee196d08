"""Members correct or delete their own entries for 30 days; every change is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from groups.models import Activity
from groups.services import GroupError, delete_activity, edit_activity
from iar_site.models import AuditEntry

from .. import factories as f

pytestmark = pytest.mark.django_db


def entry(world, by):
    return f.ActivityFactory(allocation=world.allocation_x, recorded_by=by, count=2, kind="stall")


def test_author_edits_within_30_days_and_it_is_audited(world, client_for):
    activity = entry(world, world.member_x)
    response = client_for("member_x").post(
        f"/groups/actions/{activity.pk}/edit/",
        {"kind": "stall", "date": activity.date.isoformat(), "count": "7", "notes": "busy day"},
        follow=True,
    )
    assert "Your changes are saved." in response.content.decode()
    activity.refresh_from_db()
    assert (activity.count, activity.notes) == (7, "busy day")
    audit = AuditEntry.objects.get(action="activity.edited")
    assert audit.actor == world.member_x
    assert audit.changes["count"] == ["2", "7"]


def test_author_deletes_and_it_is_audited(world, client_for):
    activity = entry(world, world.member_x)
    response = client_for("member_x").post(f"/groups/actions/{activity.pk}/delete/", follow=True)
    assert "The entry is deleted." in response.content.decode()
    assert not Activity.objects.exists()
    assert AuditEntry.objects.filter(action="activity.deleted", actor=world.member_x).exists()


def test_after_30_days_changes_are_refused_with_a_clear_message(world, client_for):
    activity = entry(world, world.member_x)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        client = client_for("member_x")
        response = client.post(
            f"/groups/actions/{activity.pk}/edit/",
            {"kind": "stall", "date": timezone.localdate().isoformat(), "count": "9"},
        )
        assert "only be changed for 30 days" in response.content.decode()
        response = client.post(f"/groups/actions/{activity.pk}/delete/")
        assert "only be changed for 30 days" in response.content.decode()
        with pytest.raises(GroupError, match="30 days"):
            delete_activity(activity, actor=world.member_x)
    activity.refresh_from_db()
    assert activity.count == 2
    assert not AuditEntry.objects.filter(action__in=["activity.edited", "activity.deleted"])


def test_another_members_entry_is_refused_and_another_groups_is_404(world, client_for):
    activity = entry(world, world.holder_x)
    response = client_for("member_x").post(f"/groups/actions/{activity.pk}/delete/")
    assert "entries you recorded yourself" in response.content.decode()
    with pytest.raises(GroupError, match="recorded yourself"):
        edit_activity(activity, kind="stall", on=activity.date, count=3, actor=world.member_x)
    assert client_for("member_y").get(f"/groups/actions/{activity.pk}/edit/").status_code == 404
    assert client_for("member_y").post(f"/groups/actions/{activity.pk}/delete/").status_code == 404
    assert Activity.objects.get().count == 2


def test_edit_keeps_the_same_rules_as_recording(world, client_for):
    activity = entry(world, world.member_x)
    response = client_for("member_x").post(
        f"/groups/actions/{activity.pk}/edit/",
        {
            "kind": "stall",
            "date": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "count": "0",
        },
    )
    html = response.content.decode()
    assert "The date cannot be in the future." in html
    assert "Enter a number of at least 1." in html
    activity.refresh_from_db()
    assert activity.count == 2
