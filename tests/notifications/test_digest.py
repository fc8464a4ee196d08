"""The weekly digest of routine notices, and members choosing it on their notices page."""

from __future__ import annotations

import pytest
from django.core import mail

from groups.models import Membership
from iar_site.models import AuditEntry
from notifications import digest, outbox
from notifications.models import OutboundMessage
from notifications.services import notify_group


def routine_notice(world, key="update:1"):
    return notify_group(
        world.group_x,
        key=key,
        template="report-overdue",
        context={"case_reference": "IAR-2026-101", "audience": "coordinator", "days_overdue": 3},
        holder=world.holder_x,
        routine=True,
    )


@pytest.mark.django_db
def test_a_member_who_chose_weekly_gets_routine_notices_in_one_digest(
    world, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=world.holder_x).update(notices="weekly")
    with django_capture_on_commit_callbacks() as callbacks:
        routine_notice(world, "update:1")
        routine_notice(world, "update:2")
    held = OutboundMessage.objects.filter(recipient_user=world.holder_x, routine=True)
    assert [m.held_for_digest for m in held] == [True, True]
    assert all(m.pk not in outbox.due_ids() for m in held)
    # Only the group's contact address (no choice to make) was handed to a worker.
    assert len(callbacks) == 2
    assert digest.send_weekly_digests() == 1
    assert digest.send_weekly_digests() == 0  # run twice: still one digest
    (sent,) = OutboundMessage.objects.filter(template="digest")
    assert sent.to_email == world.holder_x.email and len(sent.context["items"]) == 2
    assert set(held.values_list("status", flat=True)) == {"sent"}
    subject, text, html = outbox.render(sent)
    assert "2 notices" in subject
    assert "/account/notices/" in text and "/account/notices/" in html
    assert outbox.deliver(sent.pk) == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_member_chooses_the_digest_on_the_notices_page(world, client_for):
    client = client_for("holder_x")
    page = client.get("/account/notices/")
    assert page.status_code == 200
    assert b"Routine notices from Group X" in page.content
    assert b'href="/account/notices/"' in page.content  # linked from the account area
    field = f"group_{world.group_x.pk}"
    response = client.post("/account/notices/", {field: "weekly"})
    assert response.status_code == 302
    assert Membership.objects.get(user=world.holder_x).notices == "weekly"
    assert AuditEntry.objects.filter(action="membership.notices").count() == 1
    bad = client.post("/account/notices/", {field: "hourly"})
    assert bad.status_code == 200 and b"There is a problem" in bad.content
    assert Membership.objects.get(user=world.holder_x).notices == "weekly"


@pytest.mark.django_db
def test_switching_back_to_immediate_releases_held_notices(
    world, client_for, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=world.holder_x).update(notices="weekly")
    routine_notice(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for("holder_x").post("/account/notices/", {f"group_{world.group_x.pk}": "immediate"})
    held = OutboundMessage.objects.get(recipient_user=world.holder_x)
    assert not held.held_for_digest and held.pk in outbox.due_ids()
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_the_notices_page_for_someone_in_no_group(client_for):
    page = client_for("outsider").get("/account/notices/")
    assert page.status_code == 200 and b"not a member of a local group" in page.content
    assert client_for("anonymous").get("/account/notices/").status_code == 302
