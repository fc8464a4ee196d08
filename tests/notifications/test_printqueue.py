"""The print queue for groups that want post, and the staff review queue of stuck emails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iar_site.models import AuditEntry
from notifications import outbox, printqueue
from notifications.models import OutboundMessage, PrintBatch
from notifications.services import notify_group

pytestmark = pytest.mark.django_db


def postal_notice(world, key="update:1", case=None):
    world.group_y.channel = "post"
    world.group_y.save()
    (item,) = notify_group(
        world.group_y,
        key=key,
        template="report-reminder",
        context={
            "case_reference": world.case_y.reference,
            "case_path": f"/cases/{world.case_y.reference}/",
            "due_on": "1 December 2026",
            "period_start": "1 December 2025",
            "step": "due",
        },
        case=case or world.case_y,
    )
    return item


def test_staff_batch_print_and_post_postal_items(world, client_for):
    item = postal_notice(world)
    client = client_for("staff")
    page = client.get("/ops/print/")
    assert page.status_code == 200 and b"Group Y: report reminder" in page.content
    response = client.post("/ops/print/", {"items": [item.pk]})
    batch = PrintBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ops/print/batches/{batch.pk}/"
    item.refresh_from_db()
    assert item.print_batch == batch and item.status == "queued"
    detail = client.get(f"/ops/print/batches/{batch.pk}/")
    assert b"To print" in detail.content
    pdf = client.get(f"/ops/print/batches/{batch.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    client.post(f"/ops/print/batches/{batch.pk}/posted/")
    item.refresh_from_db()
    batch.refresh_from_db()
    assert item.status == "sent" and item.sent_at is not None
    assert batch.posted_by == world.staff
    assert b"Posted" in client.get(f"/ops/print/batches/{batch.pk}/").content
    again = client.post(f"/ops/print/batches/{batch.pk}/posted/", follow=True)
    assert b"already been marked as posted" in again.content
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "print_batch.created",
        "print_batch.posted",
    }


def test_the_batch_letter_has_the_address_the_notice_and_a_label(world):
    item = postal_notice(world)
    batch = printqueue.create_print_batch(actor=world.staff, message_ids=[item.pk])
    html = printqueue.batch_html(batch)
    assert 'class="window"' in html and "1 High Street" in html
    assert world.case_y.reference in html and "yearly report" in html
    assert 'class="labels"' in html
    assert world.case_y.summary not in html


def test_an_item_of_a_stopped_case_is_cancelled_never_printed(world, client_for):
    item = postal_notice(world)
    batch = printqueue.create_print_batch(actor=world.staff, message_ids=[item.pk])
    world.case_y.status = "closed"
    world.case_y.closing_reason = "resolved"
    world.case_y.closed_at = timezone.now()
    world.case_y.save()
    outbox.cancel_for_case(world.case_y)
    assert printqueue.letters(batch) == []
    page = client_for("staff").get(f"/ops/print/batches/{batch.pk}/")
    assert b"Cancelled: do not post" in page.content
    assert printqueue.mark_batch_posted(batch.pk, actor=world.staff) == 0
    item.refresh_from_db()
    assert item.status == "cancelled"


def test_a_batch_cannot_take_items_already_batched_or_bad_input(world, client_for):
    item = postal_notice(world)
    printqueue.create_print_batch(actor=world.staff, message_ids=[item.pk])
    client = client_for("staff")
    for data in ({"items": [item.pk]}, {"items": ["x"]}, {"items": ["99999999999999"]}, {}):
        response = client.post("/ops/print/", data)
        assert response.status_code == 200
    assert PrintBatch.objects.count() == 1
    with pytest.raises(printqueue.PrintError):
        printqueue.create_print_batch(actor=world.staff, message_ids=[item.pk])


@pytest.mark.parametrize("persona", ["coordinator_a", "holder_x", "outsider"])
def test_only_staff_see_the_ops_pages(world, client_for, persona):
    item = postal_notice(world)
    batch = printqueue.create_print_batch(actor=world.staff, message_ids=[item.pk])
    client = client_for(persona)
    for url in ("/ops/print/", f"/ops/print/batches/{batch.pk}/", "/ops/review/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/ops/print/batches/{batch.pk}/posted/").status_code == 403
    assert client.get(f"/ops/print/batches/{batch.pk}/pdf/").status_code == 403


def test_staff_nav_links(world, client_for):
    page = client_for("staff").get("/ops/review/")
    assert b'href="/ops/print/"' in page.content and b'href="/ops/review/"' in page.content


def test_the_print_queue_takes_the_same_queries_for_many_items(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("staff")
    postal_notice(world, "a")
    client.get("/ops/print/")
    for i in range(30):
        postal_notice(world, f"b{i}")
    with django_assert_max_num_queries(12):
        assert client.get("/ops/print/").status_code == 200


# The review queue


def stuck(world, minutes=30):
    message = outbox.queue_message(
        key="stuck:1",
        template="report-overdue",
        to_email="someone@example.org",
        context={"case_reference": "IAR-2026-101", "audience": "coordinator"},
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(minutes=minutes)
    )
    return message


def test_a_stuck_email_waits_for_staff_and_is_not_resent(world, client_for):
    message = stuck(world)
    fresh = outbox.queue_message(key="k2", template="invitation", to_email="x@example.org")
    OutboundMessage.objects.filter(pk=fresh.pk).update(status="sending", claimed_at=timezone.now())
    page = client_for("staff").get("/ops/review/")
    assert b"someone@example.org" in page.content
    assert b"x@example.org" not in page.content  # still within the grace period
    assert message.pk not in outbox.due_ids()


@pytest.mark.parametrize(
    ("action", "status"), [("sent", "sent"), ("requeue", "queued"), ("cancel", "cancelled")]
)
def test_staff_settle_a_stuck_email(
    world, client_for, action, status, django_capture_on_commit_callbacks
):
    message = stuck(world)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for("staff").post(
            "/ops/review/", {"message": message.pk, "action": action}, follow=True
        )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == status
    entry = AuditEntry.objects.get(object_id=str(message.pk))
    assert entry.actor == world.staff
    assert len(callbacks) == (1 if action == "requeue" else 0)
    assert (message.pk in outbox.due_ids()) == (action == "requeue")
    # The second decision on the same message is refused, not applied twice.
    again = client_for("staff").post(
        "/ops/review/", {"message": message.pk, "action": "requeue"}, follow=True
    )
    assert b"no longer waiting for review" in again.content


@pytest.mark.parametrize(
    "data", [{}, {"message": "x", "action": "sent"}, {"message": "5", "action": "explode"}]
)
def test_the_review_queue_survives_odd_input(world, client_for, data):
    response = client_for("staff").post("/ops/review/", data, follow=True)
    assert response.status_code == 200 and b"Choose one of the buttons" in response.content
