"""A confidential case's person is named only to its casefile holder, its country coordinator and
IAR staff: never on a page a plain member of the group (or of a group only offered the case) can
reach, nor in an email, a postal item, a PDF, an export, a stored message context or the audit
log. The case title is often the person's name, so it is searched for everywhere they can reach.
"""

from __future__ import annotations

import io
import json
from types import SimpleNamespace
from urllib.parse import unquote

import openpyxl
import pytest
from django.core import mail
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Allocation, CasePerson, HolderChange
from coordinators import services as coordinator_services
from coordinators.models import CaseUpdateAttachment
from groups import letters
from groups.models import LocalGroup, Membership
from groups.reports import report_summary
from groups.yearly import report_periods
from iar_site import audit
from iar_site.models import AuditEntry
from notifications import digest, outbox, printqueue
from notifications.models import OutboundMessage

from . import factories as f
from .coordinators.helpers import PDF_BYTES, upload

pytestmark = pytest.mark.django_db

NAME = "Zainab Okonkwo-Haddad"
# Parts of the name, so a page that prints only a piece of it (or escapes it) is caught too.
NAME_PARTS = (NAME, "Zainab", "Okonkwo")


def leaks(text: str, where: str) -> list[str]:
    return [f"{part!r} in {where}" for part in NAME_PARTS if part in text]


def assert_unnamed(text: str, where: str) -> None:
    found = leaks(text, where)
    assert not found, found


@pytest.fixture
def secret(world, settings):
    """The confidential case of group X, named after its person, with everything a member can
    reach on it: a target, a casefile, a published update with an attachment, an action, and a
    second group (Z) that has only been offered it."""
    settings.SITE_URL = "https://casework.example"
    case = world.case_confidential_x
    case.title = NAME
    case.coordinator = world.coordinator_a.coordinator_profile
    case.max_groups = 5
    case.save()
    f.CasePersonFactory(case=case, name=NAME, role="journalist")
    f.TargetFactory(case=case, authority="Minister of the Interior of A", title="Mr Minister")
    case.suggested_letter = "Your Excellency, we write about a journalist detained in A."
    case.save(update_fields=["suggested_letter"])
    admin_x = f.MembershipFactory(
        group=world.group_x,
        role=Membership.Role.ADMIN,
        user__email="admin.x@example.org",
        user__full_name="Abe Admin",
    ).user
    group_z = f.GroupFactory(name="Group Z")
    member_z = f.MembershipFactory(
        group=group_z, user__email="member.z@example.org", user__full_name="Zoe Member"
    ).user
    offer_z = f.AllocationFactory(
        case=case, group=group_z, status=Allocation.Status.OFFERED, started_on=None
    )
    activity = f.ActivityFactory(
        allocation=world.allocation_confidential_x, recorded_by=world.member_x, count=3
    )
    services.upload_casefile(
        case,
        title="Casefile, May 2026",
        notes="First version",
        upload=upload("casefile.pdf", PDF_BYTES),
        actor=world.coordinator_a,
    )
    update = coordinator_services.create_update(
        case,
        kind="development",
        title="News from the ministry",
        body=f"**{NAME}** has been moved to another prison.",
        attachments=[upload(f"{NAME} statement.pdf", PDF_BYTES)],
        actor=world.coordinator_a,
    )
    coordinator_services.publish_update(update, actor=world.coordinator_a)
    return SimpleNamespace(
        case=case,
        admin_x=admin_x,
        group_z=group_z,
        member_z=member_z,
        offer_z=offer_z,
        activity=activity,
        update=update,
        attachment=CaseUpdateAttachment.objects.get(update=update),
    )


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def response_text(response) -> str:
    """Everything the browser receives: headers (a download's file name) and the body."""
    headers = "\n".join(f"{k}: {unquote(v)}" for k, v in response.headers.items())
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ]
        return headers + "\n" + "\n".join(cells)
    if getattr(response, "streaming", False):
        return headers + "\n" + b"".join(response.streaming_content).decode("latin-1")
    return headers + "\n" + response.content.decode("utf-8", "replace")


def member_pages(world, secret) -> list[tuple[str, int]]:
    """Every page about the case a plain member of group X can open, with the status expected."""
    case, allocation = secret.case, world.allocation_confidential_x
    ref = case.reference
    record = reverse("groups:record_action", args=[allocation.pk])
    period = report_periods(allocation)[0]
    return [
        ("/", 200),
        (reverse("groups:my_cases"), 200),
        (reverse("groups:case", args=[ref]), 200),
        (reverse("cases:detail", args=[ref]), 301),
        (record, 200),
        (record + "?kind=appeal_letter", 200),
        (record + "?kind=appeal_letter&when=today", 200),
        (reverse("groups:edit_action", args=[secret.activity.pk]), 200),
        (reverse("groups:delete_action", args=[secret.activity.pk]), 200),
        (reverse("cases:relinquish", args=[ref]), 200),
        (reverse("groups:letters", args=[ref]), 200),
        (reverse("groups:labels", args=[ref]), 200),
        (reverse("groups:reports", args=[allocation.pk]), 200),
        (reverse("groups:report", args=[allocation.pk, period.start.isoformat()]), 200),
        (reverse("groups:report_pdf", args=[allocation.pk, period.start.isoformat()]), 200),
        (reverse("coordinators:case_updates", args=[ref]), 200),
        (reverse("coordinators:update_detail", args=[secret.update.pk]), 200),
        (reverse("casefile:history", args=[ref]), 200),
        (reverse("coordinators:attachment", args=[secret.attachment.pk]), 404),
        (reverse("groups:export_actions", args=[world.group_x.pk, "csv"]), 200),
        (reverse("groups:export_actions", args=[world.group_x.pk, "xlsx"]), 200),
    ]


def test_a_plain_member_of_the_group_never_sees_the_name(world, secret, client_for):
    client = client_for("member_x")
    found = []
    for url, status in member_pages(world, secret):
        found += leaks(response_text(get(client, url, status)), url)
    assert not found, found
    # The plain-text letter the member can copy.
    response = client.post(
        reverse("groups:letters", args=[secret.case.reference]),
        {
            "target": secret.case.current_targets().get().pk,
            "text": "We ask for the release of the journalist.",
            "action": "text",
        },
    )
    assert response.status_code == 200
    assert_unnamed(response_text(response), "the letter as text")


def test_the_group_administrator_who_is_not_the_holder_never_sees_the_name(
    world, secret, client_for
):
    client = _client_for_user(client_for, secret.admin_x)
    for url in (
        reverse("cases:change_holder", args=[secret.case.reference]),
        reverse("cases:relinquish", args=[secret.case.reference]),
        reverse("groups:case", args=[secret.case.reference]),
    ):
        assert_unnamed(response_text(get(client, url)), url)


def test_a_member_of_a_group_only_offered_the_case_never_sees_the_name(world, secret, client_for):
    client = _client_for_user(client_for, secret.member_z)
    ref = secret.case.reference
    found = []
    for url, status in [
        ("/", 200),
        (reverse("groups:my_cases"), 200),
        (reverse("groups:case", args=[ref]), 200),
        (reverse("cases:detail", args=[ref]), 301),
        (reverse("cases:respond_offer", args=[ref]), 200),
        (reverse("coordinators:case_updates", args=[ref]), 200),
        (reverse("coordinators:update_detail", args=[secret.update.pk]), 200),
        (reverse("casefile:history", args=[ref]), 200),
        (reverse("coordinators:attachment", args=[secret.attachment.pk]), 404),
    ]:
        found += leaks(response_text(get(client, url, status)), url)
    assert not found, found


def _client_for_user(client_for, user):
    client = client_for("anonymous")
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["holder_x", "coordinator_a", "staff"])
def test_holder_coordinator_and_staff_do_see_the_name(world, secret, client_for, persona):
    client = client_for(persona)
    detail = client.get(reverse("cases:detail", args=[secret.case.reference]), follow=True)
    assert detail.status_code == 200
    assert NAME in detail.content.decode()
    update = get(client, reverse("coordinators:update_detail", args=[secret.update.pk]))
    html = update.content.decode()
    assert "has been moved to another prison" in html
    assert f"{NAME} statement.pdf" in html  # the attachment, listed for those who may read it


def test_the_holder_sees_the_name_on_the_group_pages(world, secret, client_for):
    client = client_for("holder_x")
    assert NAME in get(client, reverse("groups:my_cases")).content.decode()
    assert (
        NAME in get(client, reverse("groups:case", args=[secret.case.reference])).content.decode()
    )
    record = reverse("groups:record_action", args=[world.allocation_confidential_x.pk])
    assert NAME in get(client, record).content.decode()


def test_update_body_is_explained_not_shown_to_a_plain_member(world, secret, client_for):
    html = get(
        client_for("member_x"), reverse("coordinators:update_detail", args=[secret.update.pk])
    ).content.decode()
    assert "News from the ministry" in html  # the member knows there is news
    assert "moved to another prison" not in html
    assert "for your casefile holder" in html
    assert reverse("coordinators:attachment", args=[secret.attachment.pk]) not in html


def test_attachments_are_served_under_a_generated_name(world, secret, client_for):
    response = get(
        client_for("holder_x"), reverse("coordinators:attachment", args=[secret.attachment.pk])
    )
    disposition = response["Content-Disposition"]
    expected = f"{secret.case.reference}-update-{secret.attachment.pk}.pdf"
    assert f'filename="{expected}"' in disposition
    assert_unnamed(unquote(disposition), "Content-Disposition")
    assert "statement" not in disposition
    assert b"".join(response.streaming_content) == PDF_BYTES
    # The download of a confidential attachment is audited.
    assert AuditEntry.objects.filter(
        action="case.attachment_downloaded", actor=world.holder_x
    ).exists()


def test_attachment_of_a_public_case_is_served_under_a_generated_name_too(world, client_for):
    update = coordinator_services.create_update(
        world.case_x,
        kind="development",
        title="News",
        body="Text",
        attachments=[upload("Letter from the family.pdf", PDF_BYTES)],
        actor=world.coordinator_a,
    )
    coordinator_services.publish_update(update, actor=world.coordinator_a)
    attachment = update.attachments.get()
    response = get(client_for("member_x"), reverse("coordinators:attachment", args=[attachment.pk]))
    assert f'filename="IAR-2026-101-update-{attachment.pk}.pdf"' in response["Content-Disposition"]
    assert "family" not in response["Content-Disposition"]


def test_printouts_name_the_case_by_reference_only(world, secret):
    allocation = world.allocation_confidential_x
    targets = secret.case.current_targets()
    period = report_periods(allocation)[0]
    documents = {
        "letter": letters.letter_document(
            case=secret.case,
            target=targets.get(),
            group=world.group_x,
            text="We ask for the release of the journalist.",
            on=timezone.localdate(),
        ),
        "labels": letters.labels_document(targets),
        "report": letters.report_document(
            None, report_summary(allocation, period.start, period.end), allocation
        ),
    }
    for name, document in documents.items():
        assert_unnamed(letters.document_text(document), name)
    assert secret.case.reference in letters.document_text(documents["report"])
    # The control: a public case's report does carry its name.
    public = world.allocation_x
    period = report_periods(public)[0]
    text = letters.document_text(
        letters.report_document(None, report_summary(public, period.start, period.end), public)
    )
    assert "Case of X" in text


def test_one_rule_names_the_case_everywhere(world, secret):
    case = secret.case
    template = Template(
        "{% load case_tags %}[{{ case|case_name:user }}|{{ case|case_title:user }}]"
    )

    def render(user):
        return template.render(Context({"case": case, "user": user}))

    label = f"{case.reference} (Country A)"
    assert render(world.member_x) == f"[{label}|{label}]"
    assert render(secret.member_z) == f"[{label}|{label}]"
    assert render(None) == f"[{label}|{label}]"
    assert render("") == f"[{label}|{label}]"  # no user in the context
    for user in (world.holder_x, world.coordinator_a, world.staff):
        fresh = type(case).objects.get(pk=case.pk)
        assert fresh.display_name_for(user) == f"{case.reference} {NAME}"
        assert fresh.title_for(user) == NAME
    assert letters.case_label(case) == label
    public = world.case_x
    assert public.display_name_for(world.member_y) == "IAR-2026-101 Case of X"
    assert str(public) == "IAR-2026-101 Case of X"


def test_str_of_the_case_and_everything_about_it_never_names_the_person(world, secret):
    services.change_holder(
        world.allocation_confidential_x, to_user=world.member_x, actor=secret.admin_x
    )
    objects = [
        secret.case,
        world.allocation_confidential_x,
        secret.offer_z,
        secret.activity,
        secret.update,
        *HolderChange.objects.filter(allocation__case=secret.case),
        *secret.update.notices.all(),
        *secret.case.documents.all(),
        *secret.case.targets.all(),
    ]
    assert len(objects) > 8
    for obj in objects:
        assert_unnamed(str(obj), type(obj).__name__)
    assert str(secret.case) == secret.case.reference


def drive_every_message(world, secret):
    """Offer, allocate, accept, change the holder, and publish news on the confidential case:
    every notice those send, by email and by post, for digest readers too."""
    case = secret.case
    staff, coordinator = world.staff, world.coordinator_a
    # Group V answers by email; group W asked for post.
    group_v = f.GroupFactory(name="Group V")
    admin_v = f.MembershipFactory(group=group_v, role=Membership.Role.ADMIN).user
    group_w = f.GroupFactory(name="Group W", channel=LocalGroup.Channel.POST)
    holder_w = f.MembershipFactory(group=group_w, role=Membership.Role.ADMIN).user
    offer = services.allocate_case(case, group_v, actor=staff)
    services.accept_offer(offer, holder=admin_v, actor=admin_v)
    services.allocate_case(case, group_w, holder=holder_w, direct=True, actor=staff)
    # A holder who takes news as a weekly digest.
    Membership.objects.filter(user=world.holder_x, group=world.group_x).update(
        notices=Membership.Notices.WEEKLY
    )
    update = coordinator_services.create_update(
        case,
        kind="development",
        title=f"{NAME} moved",
        body=f"{NAME} has been moved.",
        actor=coordinator,
    )
    coordinator_services.publish_update(update, actor=coordinator)
    change = services.change_holder(
        world.allocation_confidential_x, to_user=world.member_x, actor=secret.admin_x
    )
    if change is not None and change.status == HolderChange.Status.PENDING:
        services.approve_holder_change(change, actor=coordinator)
    digest.send_weekly_digests()
    for message in OutboundMessage.objects.filter(
        channel=OutboundMessage.Channel.EMAIL, status=OutboundMessage.Status.QUEUED
    ).order_by("pk"):
        outbox.deliver(message.pk)
    posted = list(
        OutboundMessage.objects.filter(channel=OutboundMessage.Channel.POST).values_list(
            "pk", flat=True
        )
    )
    return printqueue.create_print_batch(actor=staff, message_ids=posted)


def test_no_message_context_or_audit_text_carries_the_name(world, secret):
    mail.outbox.clear()
    batch = drive_every_message(world, secret)
    templates = set(
        OutboundMessage.objects.filter(case=secret.case).values_list("template", flat=True)
    )
    assert {
        "allocation-offered",
        "allocation-made",
        "allocation-coordinator",
        "allocation-accepted",
        "holder-changed",
        "case-update",
    } <= templates
    assert OutboundMessage.objects.filter(template="digest").exists()
    assert len(mail.outbox) >= 8
    for email in mail.outbox:
        assert_unnamed(email.subject, f"subject of {email.subject}")
        assert_unnamed(email.body, f"text of {email.subject}")
        for content, _mimetype in email.alternatives:
            assert_unnamed(content, f"HTML of {email.subject}")
    # On paper the name goes only to group W's casefile holder, by name, in an envelope of
    # their own marked "Private and confidential"; every other envelope and label is unnamed.
    holder_w = Allocation.objects.get(case=secret.case, group__name="Group W").holder
    envelopes = printqueue.letters(batch)
    assert [e.name for e in envelopes if e.private] == [holder_w.full_name]
    for envelope in envelopes:
        html = render_to_string(
            "notifications/print_envelope.html", {"batch": batch, "envelope": envelope}
        )
        assert secret.case.reference in html
        if envelope.private:
            assert "Private and confidential" in html and NAME in html
        else:
            assert_unnamed(html, "an envelope of the print batch")
    for message in OutboundMessage.objects.all():
        assert_unnamed(json.dumps(message.context, ensure_ascii=False), message.template)
    entries = list(AuditEntry.objects.all())
    assert len(entries) > 10
    for entry in entries:
        assert_unnamed(entry.object_repr, f"audit {entry.action}")
        assert_unnamed(json.dumps(entry.changes, ensure_ascii=False), f"audit {entry.action}")


def test_messages_about_a_case_that_is_not_confidential_do_carry_its_name(world):
    # The control: the same notices name a case that is not confidential.
    case = world.case_unallocated_a
    case.coordinator = world.coordinator_a.coordinator_profile
    case.save()
    services.allocate_case(case, world.group_y, actor=world.staff)
    for message in OutboundMessage.objects.filter(case=case):
        outbox.deliver(message.pk)
    assert mail.outbox
    for email in mail.outbox:
        assert "Unallocated in A" in email.body
        assert "Unallocated in A" in email.alternatives[0][0]


def test_audit_text_of_a_confidential_case_keeps_field_names_not_the_name(world, secret):
    case = secret.case
    entry = audit.record(
        "admin.changed",
        case,
        actor=world.staff,
        changes={"title": NAME, "status": "open", "people": [f"{NAME}, journalist"]},
    )
    assert entry.object_repr == case.reference
    assert entry.changes == {"title": None, "status": "open", "people": [None]}
    person = CasePerson.objects.get(case=case)
    entry = audit.record("admin.changed", person, actor=world.staff, changes={"name": NAME})
    assert entry.object_repr == f"case person on {case.reference}"
    assert entry.changes == {"name": None}
    entry = audit.record("admin.deleted", secret.attachment, actor=world.staff)
    assert_unnamed(entry.object_repr, "attachment")
    # A case that is not confidential is recorded as it is.
    entry = audit.record("admin.changed", world.case_x, changes={"title": "Case of X"})
    assert entry.object_repr == "IAR-2026-101 Case of X"
    assert entry.changes == {"title": "Case of X"}
