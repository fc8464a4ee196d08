"""The outbox: written with the change that causes it, sent once, never about a stopped case."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import outbox
from notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def queue(world, key="k1", case=None):
    return outbox.queue_message(
        key=key,
        template="invitation",
        to_email="someone@example.org",
        to_name="Some One",
        context={"invitation_id": make_invitation(world).pk, "role": "Group member"},
        case=case,
    )


def make_invitation(world):
    from accounts.models import Invitation

    now = timezone.now()
    return Invitation.objects.create(
        email="someone@example.org",
        full_name="Some One",
        role="group_member",
        group=world.group_x,
        invited_by=world.staff,
        created_at=now,
        expires_at=now + Invitation.VALID_FOR,
    )


def test_a_rolled_back_transaction_leaves_no_message(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(world)
        raise RuntimeError("the change failed")
    assert OutboundMessage.objects.count() == 0


def test_the_same_key_queues_once(world):
    first = queue(world, key="same")
    second = queue(world, key="same")
    assert first.pk == second.pk
    assert OutboundMessage.objects.count() == 1


def test_sent_after_commit_once_with_text_and_html(
    world, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from iar_site.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = queue(world)
        assert len(mail.outbox) == 1
    finally:
        app.conf.task_always_eager = False
    sent = mail.outbox[0]
    assert sent.extra_headers["X-IAR-Idempotency-Key"] == "k1"
    assert sent.alternatives[0].mimetype == "text/html"
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1
    assert outbox.deliver(message.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_nothing_is_sent_about_a_stopped_case(world):
    message = queue(world, case=world.case_x)
    world.case_x.status = "closed"
    world.case_x.closing_reason = "ethical_concern"
    world.case_x.closed_at = timezone.now()
    world.case_x.save()
    assert outbox.deliver(message.pk) == "skipped"
    message.refresh_from_db()
    assert message.status == "cancelled"
    assert mail.outbox == []


def test_a_paused_case_holds_its_messages_until_it_resumes(world):
    message = queue(world, case=world.case_x)
    world.case_x.status = "paused"
    world.case_x.save()
    assert outbox.deliver(message.pk) == "skipped"
    assert message.pk not in outbox.due_ids()
    world.case_x.status = "open"
    world.case_x.save()
    assert message.pk in outbox.due_ids()
    assert outbox.deliver(message.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_later_then_given_up(world, monkeypatch):
    message = queue(world)

    def broken(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert outbox.deliver(message.pk) == "queued"
    message.refresh_from_db()
    assert message.status == "queued" and message.not_before > timezone.now()
    assert message.last_error == "OSError"
    assert message.pk not in outbox.due_ids()  # backing off
    for _ in range(outbox.MAX_ATTEMPTS):
        OutboundMessage.objects.filter(pk=message.pk).update(not_before=timezone.now())
        outbox.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.attempts == outbox.MAX_ATTEMPTS


def test_a_row_left_sending_is_never_resent_automatically(world):
    message = queue(world)
    OutboundMessage.objects.filter(pk=message.pk).update(status="sending")
    assert message.pk not in outbox.due_ids()
    assert outbox.deliver(message.pk) == "skipped"
    assert mail.outbox == []


def test_relay_picks_up_what_was_queued_while_the_broker_was_down(world, monkeypatch):
    from notifications import tasks

    message = queue(world)  # the on-commit send never ran (as if the broker was down)
    sent = []
    monkeypatch.setattr(tasks.send_message, "delay", lambda pk: sent.append(pk))
    assert tasks.relay_outbox.apply().get() == 1
    assert sent == [message.pk]


def test_notify_group_uses_the_groups_channel(world):
    from notifications.services import notify_group

    email_msgs = notify_group(
        world.group_x, key="t:1", template="invitation", context={}, holder=world.holder_x
    )
    assert sorted(m.to_email for m in email_msgs) == sorted(
        [world.holder_x.email, world.group_x.contact_email]
    )
    world.group_y.channel = "post"
    world.group_y.save()
    post_msgs = notify_group(world.group_y, key="t:1", template="invitation", context={})
    assert [(m.channel, m.postal_address) for m in post_msgs] == [
        ("post", world.group_y.postal_address)
    ]
    # The same cause again queues nothing new.
    notify_group(world.group_x, key="t:1", template="invitation", context={}, holder=world.holder_x)
    assert OutboundMessage.objects.count() == 3


def test_a_name_with_a_comma_is_quoted_not_broken(world):
    # Group names such as "Amnesty Leeds, North" go in the To line: unquoted, the comma would
    # split the address and the send would fail on every retry.
    message = queue(world, key="comma")
    OutboundMessage.objects.filter(pk=message.pk).update(to_name="Group, Leeds (North)")
    assert outbox.deliver(message.pk) == "sent"
    assert mail.outbox[-1].to == ['"Group, Leeds (North)" <someone@example.org>']


def test_the_beat_schedule_names_the_relay_and_the_digest_tasks():
    from iar_site.celery import app
    from notifications import tasks

    schedule = app.conf.beat_schedule
    assert schedule["relay-outbox"]["task"] == tasks.relay_outbox.name
    assert schedule["weekly-digest"]["task"] == tasks.send_weekly_digests.name
    assert {tasks.relay_outbox.name, tasks.send_weekly_digests.name} <= set(app.tasks)
