"""Publishing an Urgent Action reaches the groups signed up for it, by their channel; a follow-up
reaches exactly the groups the original reached."""

from __future__ import annotations

import pytest

from actions import services
from actions.models import UADelivery, UrgentAction
from groups.models import LocalGroup
from notifications import outbox, printqueue
from notifications.models import OutboundMessage

from .. import factories as f
from .helpers import draft_ua, published_ua, region_country, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return {
        "africa": region_country("Africa", "africa"),
        "americas": region_country("Americas", "americas"),
    }


def _groups_sent(ua):
    return set(
        OutboundMessage.objects.filter(idempotency_key__startswith=f"ua:{ua.pk}:").values_list(
            "recipient_group__name", flat=True
        )
    )


def test_a_group_signed_up_for_africa_gets_an_africa_ua_and_not_an_americas_one(places):
    staff = f.StaffFactory()
    africa_group = f.GroupFactory(name="Africa Group")
    americas_group = f.GroupFactory(name="Americas Group")
    everything_group = f.GroupFactory(name="Everything Group")
    f.GroupFactory(name="Not Signed Up Group")
    subscribe(africa_group, regions=[places["africa"].region])
    subscribe(americas_group, regions=[places["americas"].region])
    subscribe(everything_group, all_actions=True)

    africa_ua = published_ua(staff, country=places["africa"], reference="UA 1/26")
    americas_ua = published_ua(staff, country=places["americas"], reference="UA 2/26")

    assert _groups_sent(africa_ua) == {"Africa Group", "Everything Group"}
    assert _groups_sent(americas_ua) == {"Americas Group", "Everything Group"}


def test_a_theme_sign_up_gets_only_uas_on_that_theme(places):
    staff = f.StaffFactory()
    death_penalty = f.ThemeFactory(name="Death penalty", slug="death-penalty")
    torture = f.ThemeFactory(name="Torture", slug="torture")
    group = f.GroupFactory(name="Theme Group")
    subscribe(group, themes=[death_penalty])
    on_theme = published_ua(
        staff, country=places["americas"], reference="UA 3/26", themes=[death_penalty]
    )
    off_theme = published_ua(
        staff, country=places["americas"], reference="UA 4/26", themes=[torture]
    )
    assert _groups_sent(on_theme) == {"Theme Group"}
    assert _groups_sent(off_theme) == set()


def test_a_follow_up_reaches_exactly_the_groups_the_original_reached(places):
    staff = f.StaffFactory()
    first = f.GroupFactory(name="First Group")
    second = f.GroupFactory(name="Second Group")
    subscribe(first, regions=[places["africa"].region])
    subscribe(second, all_actions=True)
    original = published_ua(staff, country=places["africa"], reference="UA 5/26")

    # After the original went out: one group leaves, another joins. Neither changes who hears
    # the rest of the story.
    second.ua_subscription.delete()
    latecomer = f.GroupFactory(name="Latecomer Group")
    subscribe(latecomer, all_actions=True)

    follow_up = published_ua(
        staff,
        country=places["africa"],
        reference="UA 5/26",
        follow_up_of=original,
        follow_up_kind=UrgentAction.FollowUpKind.FURTHER_INFORMATION,
    )
    assert follow_up.reference == "UA 5/26"
    assert _groups_sent(follow_up) == {"First Group", "Second Group"}
    assert set(
        UADelivery.objects.filter(urgent_action=follow_up).values_list("group__name", flat=True)
    ) == {"First Group", "Second Group"}


def test_a_stop_action_closes_the_original(places):
    staff = f.StaffFactory()
    subscribe(f.GroupFactory(), all_actions=True)
    original = published_ua(staff, country=places["africa"], reference="UA 6/26")
    published_ua(
        staff,
        country=places["africa"],
        follow_up_of=original,
        follow_up_kind=UrgentAction.FollowUpKind.STOP_ACTION,
    )
    original.refresh_from_db()
    assert original.status == UrgentAction.Status.CLOSED


def test_publishing_twice_sends_nothing_more(places):
    staff = f.StaffFactory()
    subscribe(f.GroupFactory(), all_actions=True)
    ua = published_ua(staff, country=places["africa"])
    count = OutboundMessage.objects.count()
    assert services.publish_urgent_action(ua, actor=staff) == 0
    assert OutboundMessage.objects.count() == count


def test_a_post_group_gets_the_full_ua_text_in_the_print_queue(places):
    staff = f.StaffFactory()
    group = f.GroupFactory(
        name="Post Group",
        channel=LocalGroup.Channel.POST,
        contact_email="",
        postal_address="5 Church Lane\nOldtown\nOT1 1AA",
    )
    subscribe(group, all_actions=True)
    ua = published_ua(
        staff, country=places["africa"], letter="Your Excellency, release Amina Diallo now."
    )
    item = OutboundMessage.objects.get(recipient_group=group)
    assert item.channel == OutboundMessage.Channel.POST
    assert item.postal_address.startswith("5 Church Lane")
    assert item in set(printqueue.waiting_items())
    subject, text, _html = outbox.render(item)
    assert ua.reference in subject
    assert "Your Excellency, release Amina Diallo now." in text
    # The address lines as they go on an envelope, each on its own line.
    assert "Ministry of the Interior\n12 Avenue of the Republic\nCapital City\nCC 1001" in text
    assert "Write in English or French." in text


def test_email_groups_get_an_email_by_template(places, mailoutbox):
    staff = f.StaffFactory()
    group = f.GroupFactory(contact_email="group@example.org")
    subscribe(group, all_actions=True)
    ua = published_ua(staff, country=places["africa"])
    message = OutboundMessage.objects.get(recipient_group=group)
    assert message.template == "urgent-action"
    assert outbox.deliver(message.pk) == "sent"
    sent = [m for m in mailoutbox if "group@example.org" in m.to[0]]
    assert len(sent) == 1
    assert ua.reference in sent[0].subject
    assert "Please release the journalist" in sent[0].body
    assert "Please release the journalist" in sent[0].alternatives[0][0]


def test_a_ua_with_nobody_to_write_to_cannot_be_published(places):
    staff = f.StaffFactory()
    ua = draft_ua(staff, country=places["africa"])
    ua.targets.all().delete()
    with pytest.raises(services.ActionsError, match="person to write to"):
        services.publish_urgent_action(ua, actor=staff)


def test_the_reference_must_look_like_a_ua_reference(client, places):
    staff = f.StaffFactory()
    client.force_login(staff)
    response = client.post(
        "/urgent-actions/staff/new/",
        {
            "reference": "123/26",
            "title": "T",
            "country": places["africa"].pk,
            "issued_on": "2026-11-01",
            "deadline": "2026-10-01",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "for example UA 123/26" in html
    assert "The deadline cannot be before the issue date." in html
    assert not UrgentAction.objects.exists()
