"""Outcomes reach people: the coordinator hears at once, a release tells IAR too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from groups.models import Activity
from groups.services import edit_activity, record_activity
from notifications.models import OutboundMessage
from notifications.outbox import render

pytestmark = pytest.mark.django_db


def _told(activity):
    return OutboundMessage.objects.filter(idempotency_key__startswith=f"outcome:{activity.pk}:")


def test_a_reply_tells_the_coordinator_only(world):
    activity = record_activity(
        world.allocation_x,
        kind=Activity.Kind.APPEAL_LETTER,
        on=timezone.localdate(),
        outcome=Activity.Outcome.REPLY,
        outcome_notes="The ministry wrote back",
        actor=world.member_x,
    )
    told = list(_told(activity))
    assert [m.to_email for m in told] == ["coord.a@example.org"]
    subject, text, html = render(told[0])
    assert "reply from the authorities" in subject and "Group X" in subject
    assert "The ministry wrote back" in text and "/coordinator/cases/IAR-2026-101/" in html


def test_a_release_tells_iar_too_without_a_confidential_name(world):
    world.case_confidential_x.coordinator = world.coordinator_a.coordinator_profile
    world.case_confidential_x.save()
    activity = record_activity(
        world.allocation_confidential_x,
        kind=Activity.Kind.OTHER,
        on=timezone.localdate(),
        outcome=Activity.Outcome.RELEASE,
        outcome_notes="Confidential of X is free",
        actor=world.holder_x,
    )
    told = list(_told(activity))
    assert {m.to_name for m in told} == {"Ada Coordinator", "IAR programme"}
    for message in told:
        _, text, html = render(message)
        assert "Release" in text
        assert "Confidential of X" not in text + html + str(message.context)


def test_no_outcome_tells_nobody_and_an_edit_that_adds_one_does(world):
    activity = record_activity(
        world.allocation_x, kind=Activity.Kind.STALL, on=timezone.localdate(), actor=world.member_x
    )
    assert not _told(activity).exists()
    edit_activity(
        activity,
        kind=Activity.Kind.STALL,
        on=timezone.localdate(),
        count=1,
        outcome=Activity.Outcome.IMPROVEMENT,
        actor=world.member_x,
    )
    assert _told(activity).count() == 1
    # Saving the same outcome again tells nobody again.
    edit_activity(
        activity,
        kind=Activity.Kind.STALL,
        on=timezone.localdate() - timedelta(days=1),
        count=1,
        outcome=Activity.Outcome.IMPROVEMENT,
        actor=world.member_x,
    )
    assert _told(activity).count() == 1


def test_an_outcome_on_a_case_without_coordinator_goes_to_iar(world):
    case = world.case_x
    case.coordinator = None
    case.sensitivity = Case.Sensitivity.RESTRICTED
    case.save()
    activity = record_activity(
        world.allocation_x,
        kind=Activity.Kind.APPEAL_LETTER,
        on=timezone.localdate(),
        outcome=Activity.Outcome.REPLY,
        outcome_notes="Details",
        actor=world.member_x,
    )
    told = list(_told(activity))
    assert [m.to_name for m in told] == ["IAR programme"]
    _, text, _ = render(told[0])
    assert "Details" not in text and "/staff/cases/IAR-2026-101/" in text
