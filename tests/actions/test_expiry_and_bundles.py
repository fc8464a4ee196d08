"""Urgent Actions close themselves after their deadline; bundles are checked before they go out."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from actions import services, tasks
from actions.models import ActionBundle, OneOffAction, UrgentAction
from groups.models import LocalGroup
from notifications import outbox
from notifications.models import OutboundMessage

from .. import factories as f
from .helpers import one_off, published_ua

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_a_ua_closes_the_day_after_its_deadline_and_not_before():
    staff = f.StaffFactory()
    country = f.CountryFactory()
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), tick=False):
        ua = published_ua(staff, country=country, deadline=dt.date(2026, 11, 20))
    with time_machine.travel(dt.datetime(2026, 11, 20, 23, 0, tzinfo=LONDON), tick=False):
        assert tasks.close_expired_urgent_actions.apply().get() == 0
        ua.refresh_from_db()
        assert ua.status == UrgentAction.Status.PUBLISHED
    with time_machine.travel(dt.datetime(2026, 11, 21, 0, 15, tzinfo=LONDON), tick=False):
        assert tasks.close_expired_urgent_actions.apply().get() == 1
        ua.refresh_from_db()
        assert ua.status == UrgentAction.Status.CLOSED
        assert ua.closed_at is not None
        # Running it again (two beats, a retry) changes nothing.
        assert tasks.close_expired_urgent_actions.apply().get() == 0


def test_a_closed_ua_leaves_the_open_list(client):
    staff = f.StaffFactory()
    member = f.MembershipFactory().user
    country = f.CountryFactory()
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), tick=False):
        published_ua(
            staff, country=country, title="Expiring action", deadline=dt.date(2026, 11, 10)
        )
    client.force_login(member)
    with time_machine.travel(dt.datetime(2026, 11, 12, 9, 0, tzinfo=LONDON), tick=False):
        services.close_expired_urgent_actions()
        assert "Expiring action" not in client.get("/urgent-actions/").content.decode()
        assert "Expiring action" in client.get("/urgent-actions/?show=closed").content.decode()


def _bundle(staff, kind, **items):
    return services.save_bundle(None, kind=kind, title=f"Test {kind}", actor=staff, **items)


def test_a_magazine_with_fewer_than_nine_cases_or_actions_is_refused():
    staff = f.StaffFactory()
    cases = [f.CaseFactory() for _ in range(8)]
    magazine = _bundle(staff, ActionBundle.Kind.MAGAZINE, cases=cases)
    assert services.bundle_problems(magazine) == [
        "The magazine needs at least 9 cases or actions; it has 8."
    ]
    with pytest.raises(services.ActionsError, match="at least 9"):
        services.publish_bundle(magazine, actor=staff)
    magazine.refresh_from_db()
    assert magazine.status == ActionBundle.Status.DRAFT
    assert not OutboundMessage.objects.exists()


def test_a_magazine_of_eight_cases_and_one_action_goes_out():
    staff = f.StaffFactory()
    f.GroupFactory()
    magazine = _bundle(
        staff,
        ActionBundle.Kind.MAGAZINE,
        cases=[f.CaseFactory() for _ in range(8)],
        one_offs=[one_off(staff)],
    )
    assert services.bundle_problems(magazine) == []
    assert services.publish_bundle(magazine, actor=staff) == 1


def test_a_mailing_without_a_letter_writing_action_is_refused():
    staff = f.StaffFactory()
    mailing = _bundle(
        staff, ActionBundle.Kind.MAILING, one_offs=[one_off(staff, kind=OneOffAction.Kind.EMAIL)]
    )
    with pytest.raises(services.ActionsError, match="letter-writing action"):
        services.publish_bundle(mailing, actor=staff)


def test_the_staff_preview_shows_the_problem_and_no_publish_button(client):
    staff = f.StaffFactory()
    mailing = _bundle(staff, ActionBundle.Kind.MAILING)
    client.force_login(staff)
    html = client.get(f"/urgent-actions/bundles/{mailing.pk}/").content.decode()
    assert "always has a letter-writing action" in html
    assert "Publish and send" not in html


def test_a_published_mailing_reaches_every_group_by_its_channel_and_shows_this_month(client):
    staff = f.StaffFactory()
    email_group = f.GroupFactory(name="Email Group")
    post_group = f.GroupFactory(
        name="Post Group", channel=LocalGroup.Channel.POST, contact_email=""
    )
    f.GroupFactory(name="Closed Group", is_active=False)
    action = one_off(staff, title="Letters for the river defenders")
    mailing = _bundle(staff, ActionBundle.Kind.MAILING, one_offs=[action])
    assert services.publish_bundle(mailing, actor=staff) == 2
    messages = OutboundMessage.objects.filter(template="action-bundle")
    assert {m.recipient_group.name: m.channel for m in messages} == {
        "Email Group": "email",
        "Post Group": "post",
    }
    _subject, text, _html = outbox.render(messages.get(recipient_group=post_group))
    assert "Letters for the river defenders" in text
    assert "Write to the governor" in text
    member = f.MembershipFactory(group=email_group).user
    client.force_login(member)
    html = client.get("/urgent-actions/this-month/").content.decode()
    assert "Test mailing" in html and "Letters for the river defenders" in html


def test_a_confidential_case_in_the_magazine_is_named_by_reference_only():
    staff = f.StaffFactory()
    f.GroupFactory()
    secret = f.CaseFactory(title="Secret Person Name", sensitivity="confidential")
    magazine = _bundle(
        staff, ActionBundle.Kind.MAGAZINE, cases=[secret] + [f.CaseFactory() for _ in range(8)]
    )
    services.publish_bundle(magazine, actor=staff)
    message = OutboundMessage.objects.get(template="action-bundle")
    subject, text, html = outbox.render(message)
    assert secret.reference in text
    assert "Secret Person Name" not in text + html + subject + str(message.context)
