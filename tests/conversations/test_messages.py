"""Messages both ways: the group and its coordinator write to each other, IAR reads and joins in."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from cases.services import stop_case
from conversations.models import Message, MessageAttachment
from conversations.services import ConversationError, post_message
from notifications.models import OutboundMessage
from notifications.outbox import render
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(allocation) -> str:
    return f"/messages/{allocation.pk}/"


def test_holder_writes_and_the_coordinator_reads_and_answers(world, client_for):
    holder = client_for("holder_x")
    response = holder.post(url(world.allocation_x), {"body": "We sent 12 letters. Any reply?"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.side == Message.Side.GROUP and message.author == world.holder_x

    coordinator = client_for("coordinator_a")
    workspace = coordinator.get(f"/coordinator/cases/{world.case_x.reference}/").content.decode()
    assert "1 new message" in workspace
    page = coordinator.get(url(world.allocation_x)).content.decode()
    assert "We sent 12 letters. Any reply?" in page and "Hana Holder" in page
    # Reading it clears the count.
    workspace = coordinator.get(f"/coordinator/cases/{world.case_x.reference}/").content.decode()
    assert "new message" not in workspace

    coordinator.post(url(world.allocation_x), {"body": "Not yet: keep writing, thank you."})
    my_cases = holder.get("/groups/my-cases/").content.decode()
    assert "1 new message" in my_cases
    assert "Not yet: keep writing" in holder.get(url(world.allocation_x)).content.decode()
    assert "new message" not in holder.get("/groups/my-cases/").content.decode()
    # The other member of the group has not read either message.
    assert "2 new messages" in client_for("member_x").get("/groups/my-cases/").content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff", 200),
        ("coordinator_a", 200),
        ("holder_x", 200),
        ("member_x", 200),
        ("coordinator_b", 404),
        ("member_y", 404),
        ("outsider", 404),
    ],
)
def test_who_reaches_a_conversation(world, client_for, persona, status):
    post_message(world.allocation_x, body="Hello from the coordinator", actor=world.coordinator_a)
    client = client_for(persona)
    assert client.get(url(world.allocation_x)).status_code == status
    response = client.post(url(world.allocation_x), {"body": "Intruding?"})
    assert response.status_code == (302 if status == 200 else 404)
    assert Message.objects.filter(body="Intruding?").exists() == (status == 200)


def test_anonymous_is_sent_to_login(world, client_for):
    response = client_for("anonymous").get(url(world.allocation_x))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_plain_member_does_not_read_a_confidential_cases_messages(world, client_for):
    allocation = world.allocation_confidential_x
    post_message(allocation, body="About Confidential of X", actor=world.coordinator_a)
    assert client_for("member_x").get(url(allocation)).status_code == 403
    page = client_for("holder_x").get(url(allocation)).content.decode()
    assert "About Confidential of X" in page
    my_cases = client_for("member_x").get("/groups/my-cases/").content.decode()
    assert f"/messages/{allocation.pk}/" not in my_cases
    with pytest.raises(ConversationError):
        post_message(allocation, body="Let me in", actor=world.member_x)


def test_the_coordinators_message_reaches_an_email_group_without_the_text_when_restricted(world):
    case = world.case_x
    case.sensitivity = Case.Sensitivity.RESTRICTED
    case.save()
    message = post_message(world.allocation_x, body="Private detail", actor=world.coordinator_a)
    sent = OutboundMessage.objects.filter(idempotency_key__startswith=f"message:{message.pk}:")
    emails = {m.to_email for m in sent}
    assert emails == {"holder.x@example.org", world.group_x.contact_email}
    for outbound in sent:
        assert "Private detail" not in str(outbound.context)
        subject, text, html = render(outbound)
        assert case.reference in subject
        assert f"/messages/{world.allocation_x.pk}/" in text and "Private detail" not in html


def test_a_public_cases_email_carries_the_message(world):
    message = post_message(world.allocation_x, body="Great news today", actor=world.coordinator_a)
    outbound = OutboundMessage.objects.filter(idempotency_key__startswith=f"message:{message.pk}:")
    _, text, html = render(outbound.first())
    assert "Great news today" in text and "Great news today" in html


def test_a_post_group_gets_the_text_on_paper_without_a_confidential_name(world):
    group = world.group_x
    group.channel = group.Channel.POST
    group.save()
    f.CasePersonFactory(case=world.case_confidential_x, name="Zara Secretname")
    message = post_message(
        world.allocation_confidential_x,
        body="Zara Secretname was moved to another prison. Please write again.",
        actor=world.coordinator_a,
    )
    item = OutboundMessage.objects.get(idempotency_key__startswith=f"message:{message.pk}:")
    assert item.channel == OutboundMessage.Channel.POST
    _, text, _ = render(item)
    assert "was moved to another prison. Please write again." in text
    assert "Zara Secretname" not in text and "Confidential of X" not in text
    assert "log in" not in text.lower() and "Ada Coordinator" in text


def test_the_groups_message_tells_the_coordinator_or_iar_when_there_is_none(world):
    message = post_message(world.allocation_x, body="Question", actor=world.member_x)
    told = OutboundMessage.objects.filter(idempotency_key__startswith=f"message:{message.pk}:")
    assert [m.to_email for m in told] == ["coord.a@example.org"]

    world.case_x.coordinator = None
    world.case_x.save()
    message = post_message(world.allocation_x, body="Anyone?", actor=world.member_x)
    told = OutboundMessage.objects.filter(idempotency_key__startswith=f"message:{message.pk}:")
    assert [m.to_name for m in told] == ["IAR programme"]


def test_staff_join_in_and_both_sides_hear(world):
    message = post_message(world.allocation_x, body="IAR here", actor=world.staff)
    assert message.side == Message.Side.STAFF
    told = set(
        OutboundMessage.objects.filter(
            idempotency_key__startswith=f"message:{message.pk}:"
        ).values_list("to_email", flat=True)
    )
    assert "coord.a@example.org" in told and "holder.x@example.org" in told


def test_nothing_is_written_about_a_stopped_case(world, client_for):
    stop_case(world.case_x, reason=Case.ClosingReason.RESOLVED, actor=world.staff)
    with pytest.raises(ConversationError):
        post_message(world.allocation_x, body="Still there?", actor=world.coordinator_a)
    page = client_for("coordinator_a").get(url(world.allocation_x)).content.decode()
    assert "messages about it have stopped too" in page
    assert not Message.objects.exists()


def test_bad_input_keeps_the_text_and_gives_no_500(world, client_for):
    client = client_for("holder_x")
    empty = client.post(url(world.allocation_x), {"body": "   "})
    assert empty.status_code == 200
    assert "Write your message before sending it." in empty.content.decode()
    script = SimpleUploadedFile("notes.pdf", b"#!/bin/sh\necho hi\n", "application/pdf")
    response = client.post(url(world.allocation_x), {"body": "Kept text", "attachment": script})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kept text" in page and "error" in page.lower()
    assert not Message.objects.exists()
    too_long = client.post(url(world.allocation_x), {"body": "x" * 6000})
    assert too_long.status_code == 200 and not Message.objects.exists()


def test_an_attachment_goes_through_the_upload_checks_and_only_to_readers(world, client_for):
    upload = SimpleUploadedFile("Reply from Zara.pdf", PDF, "application/pdf")
    response = client_for("holder_x").post(
        url(world.allocation_x), {"body": "The reply", "attachment": upload}
    )
    assert response.status_code == 302
    attachment = MessageAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    link = f"/messages/attachments/{attachment.pk}/"
    assert link in client_for("coordinator_a").get(url(world.allocation_x)).content.decode()
    download = client_for("coordinator_a").get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_for("member_y").get(link).status_code == 404
    assert client_for("coordinator_b").get(link).status_code == 404


def test_posting_with_htmx_returns_the_thread_in_place(world, client_for):
    response = client_for("holder_x").post(
        url(world.allocation_x), {"body": "In place"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="thread">') and "In place" in page


def test_coordinator_sees_the_holders_and_groups_contact_details(world, client_for):
    world.holder_x.phone = "07700 900123"
    world.holder_x.save()
    page = client_for("coordinator_a").get(f"/coordinator/cases/{world.case_x.reference}/")
    text = page.content.decode()
    assert "holder.x@example.org" in text and "07700 900123" in text
    assert world.group_x.contact_email in text and "1 High Street" in text


def test_unread_counts_take_a_bounded_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    for n in range(3):
        allocation = f.AllocationFactory(group=world.group_x, case__country=world.country_a)
        post_message(allocation, body=f"Message {n}", actor=world.coordinator_a)
    client = client_for("member_x")
    client.get("/groups/my-cases/")
    with django_assert_max_num_queries(40) as few:
        client.get("/groups/my-cases/")
    for n in range(5):
        allocation = f.AllocationFactory(group=world.group_x, case__country=world.country_a)
        post_message(allocation, body=f"More {n}", actor=world.coordinator_a)
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        page = client.get("/groups/my-cases/").content.decode()
    assert page.count("1 new message") >= 8
