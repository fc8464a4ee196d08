"""Paper that carries everything: a post group's batch PDF, read back as text, holds the
coordinator's update in full, the targets with their addresses, the suggested letter and the
casefile's own pages; never "log in"; a confidential case is named only to its holder."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from cases import services as case_services
from cases.models import Case, CasefileDocument
from coordinators import services as coordinator_services
from notifications import paper, printqueue
from notifications.models import OutboundMessage
from notifications.services import notify_group

from .. import factories as f

pytestmark = pytest.mark.django_db

CASEFILE_MARKER = "Casefile page marker for Ada Okoro"


def pdf_pages(data: bytes) -> list[str]:
    reader = PdfReader(BytesIO(data))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def casefile_pdf() -> bytes:
    from weasyprint import HTML

    html = f"<p>{CASEFILE_MARKER}, page one.</p><p style='page-break-before: always'>Page two.</p>"
    return HTML(string=html).write_pdf()


def post_group(world):
    world.group_x.channel = "post"
    world.group_x.save()
    return world.group_x


def batch_of_everything_waiting(world):
    ids = list(printqueue.waiting_items().values_list("pk", flat=True))
    return printqueue.create_print_batch(actor=world.staff, message_ids=ids)


def test_the_batch_pdf_carries_the_update_targets_letter_and_casefile_pages(world):
    group = post_group(world)
    case = world.case_x
    case.suggested_letter = "I urge you to free the prisoner."
    case.save()
    case_services.upload_casefile(
        case,
        title="Casefile IAR-2026-101",
        notes="",
        upload=SimpleUploadedFile("casefile.pdf", casefile_pdf(), "application/pdf"),
        actor=world.coordinator_a,
    )
    update = coordinator_services.create_update(
        case,
        kind="targets_changed",
        title="A new minister",
        body="The minister was replaced on Monday. Please write to the new one.",
        actor=world.coordinator_a,
    )
    coordinator_services.publish_update(update, actor=world.coordinator_a)
    (item,) = OutboundMessage.objects.filter(channel="post", template="case-update")
    assert item.recipient_group == group and "body" not in item.context

    batch = batch_of_everything_waiting(world)
    pages = pdf_pages(printqueue.batch_pdf(batch))
    text = " ".join(pages)
    assert "The minister was replaced on Monday. Please write to the new one." in text
    target = case.current_targets().get()
    for line in target.address_lines():
        assert line in text
    assert "Begin your letter: Dear Minister," in text
    assert "I urge you to free the prisoner." in text
    assert "log in" not in text.lower() and "http" not in text
    # The casefile's own pages follow the group's letter, then the label sheet comes last.
    assert CASEFILE_MARKER in pages[-3] and pages[-2] == "Page two."
    assert pages[-1].startswith("Group X")
    assert pages[0].count("Group X") >= 1 and "1 High Street" in pages[0]


def test_offers_enclose_the_casefile_or_name_what_cannot_be_printed(world):
    post_group(world)
    case = f.CaseFactory(
        reference="IAR-2026-201",
        country=world.country_a,
        title="Open case",
        summary="A teacher held for a speech.",
    )
    f.TargetFactory(case=case, authority="Attorney General", title="Ms Ana Ruiz")
    CasefileDocument.objects.create(case=case, version=1, title="Casefile IAR-2026-201")
    case_services.allocate_case(case, world.group_x, actor=world.staff)
    batch = batch_of_everything_waiting(world)
    (envelope,) = printqueue.letters(batch)
    (item,) = envelope.items
    assert item.offer_slip and item.casefile is not None and item.casefile.pdf is None
    text = " ".join(pdf_pages(printqueue.batch_pdf(batch)))
    assert "Reply slip: your answer to this offer" in text
    assert "Our casefile holder will be" in text
    assert "cannot be printed here" in text and "Casefile IAR-2026-201" in text
    assert "Ms Ana Ruiz" in text and "Attorney General" in text
    assert "About the case A teacher held for a speech." in text


def test_a_report_reminder_brings_a_form_and_a_stop_notice_a_reply_slip(world):
    post_group(world)
    notify_group(
        world.group_x,
        key="reminder:1",
        template="report-reminder",
        context={
            "case_reference": world.case_x.reference,
            "case_path": "/groups/cases/IAR-2026-101/",
            "due_on": "1 December 2026",
            "period_start": "1 December 2025",
            "step": "due",
        },
        case=world.case_x,
    )
    case_services.stop_case(world.case_x, reason="resolved", actor=world.staff)
    # The reminder about the now stopped case is cancelled; the stop notice is what prints.
    batch = batch_of_everything_waiting(world)
    text = " ".join(pdf_pages(printqueue.batch_pdf(batch)))
    assert "Reply slip: we have stopped" in text
    assert "Our group has stopped all work on this case" in text
    assert "IAR-2026-101" in text and "log in" not in text.lower()

    notify_group(
        world.group_x,
        key="reminder:2",
        template="report-reminder",
        context={
            "case_reference": world.case_y.reference,
            "case_path": "/groups/cases/IAR-2026-102/",
            "due_on": "1 December 2026",
            "period_start": "1 December 2025",
            "step": "due",
        },
        case=world.case_y,
    )
    batch = batch_of_everything_waiting(world)
    text = " ".join(pdf_pages(printqueue.batch_pdf(batch)))
    assert "Yearly report form" in text and "Your plans for the coming year" in text
    assert "fill this in by hand" in text and "open the case" not in text.lower()


def test_a_confidential_case_is_named_only_to_the_holder_in_a_private_envelope(world):
    group = post_group(world)
    case = world.case_confidential_x
    case.coordinator = world.coordinator_a.coordinator_profile
    case.save()
    update = coordinator_services.create_update(
        case,
        kind="development",
        title="News",
        body="Confidential of X was moved to another prison.",
        actor=world.coordinator_a,
    )
    coordinator_services.publish_update(update, actor=world.coordinator_a)
    notify_group(
        group,
        key="plain:1",
        template="report-reminder",
        context={
            "case_reference": world.case_x.reference,
            "case_path": "/groups/cases/IAR-2026-101/",
            "due_on": "1 December 2026",
            "period_start": "1 December 2025",
            "step": "due",
        },
        case=world.case_x,
    )
    batch = batch_of_everything_waiting(world)
    envelopes = printqueue.letters(batch)
    private = [e for e in envelopes if e.private]
    plain = [e for e in envelopes if not e.private]
    assert len(private) == 1 and len(plain) == 1
    assert private[0].name == world.holder_x.full_name
    assert private[0].window_lines[:2] == ["Private and confidential", "Hana Holder"]
    pages = pdf_pages(printqueue.batch_pdf(batch))
    named = [i for i, page in enumerate(pages) if "Confidential of X" in page]
    assert named and all("Private and confidential" in pages[i] for i in named)
    assert "Private and confidential Hana Holder c/o Group X" in pages[-1]
    # Without a holder nobody is told the name: the item carries the reference only.
    world.allocation_confidential_x.holder = None
    world.allocation_confidential_x.save()
    (envelope,) = [e for e in printqueue.letters(batch) if e.items[0].reference == case.reference]
    assert not envelope.private and envelope.items[0].update is None
    assert "Confidential of X" not in printqueue.batch_html(batch)


def test_without_a_template_of_its_own_an_item_loses_its_links(world):
    post_group(world)
    (item,) = notify_group(
        world.group_x,
        key="ack:1",
        template="coordinator-report-acknowledged",
        context={"case_reference": "IAR-2026-101", "period": "2025–2026"},
        case=world.case_x,
    )
    subject, text = paper.paper_text(item)
    assert subject and "http" not in text and "log in" not in text.lower()
    assert text.splitlines()[0].startswith("Dear Group X")


def test_envelopes_go_in_address_order():
    a = paper.Envelope(name="B group", address_lines=["1 Road", "Leeds", "LS1 1AA"])
    b = paper.Envelope(name="A group", address_lines=["2 Road", "York", "YO1 1AA"])
    c = paper.Envelope(name="C group", address_lines=["3 Road", "Bath", "BA1 1AA"])
    assert sorted([b, a, c], key=paper.address_key) == [c, a, b]


def test_a_case_that_is_not_public_says_so_on_paper(world):
    post_group(world)
    case = world.case_x
    case.public_action_allowed = False
    case.save()
    notify_group(
        world.group_x,
        key="made:1",
        template="allocation-made",
        context={"reference": case.reference, "holder_name": "Hana Holder"},
        case=case,
    )
    text = " ".join(pdf_pages(printqueue.batch_pdf(batch_of_everything_waiting(world))))
    assert "Please do not publicise this case" in text
    assert Case.objects.get(pk=case.pk).public_action_allowed is False


def test_a_private_envelope_address_fits_the_window():
    import weasyprint
    from django.template.loader import render_to_string

    from groups.letters import text_boxes

    address = ["c/o Brighton Amnesty Group", "Friends Meeting House", "12 Ship Street"]
    envelope = paper.Envelope(
        name="Hana Holder",
        address_lines=[*address, "Brighton", "BN1 1AF"],
        private=True,
        items=[paper.Item(subject="News on IAR-2026-104", text="Dear Hana Holder,")],
    )
    html = render_to_string(
        "notifications/print_envelope.html", {"batch": None, "envelope": envelope, "today": None}
    )
    boxes = {
        text: (x, y)
        for page, text, x, y in text_boxes(weasyprint.HTML(string=html).render())
        if page == 1
    }
    assert 48 <= boxes["PRIVATE AND CONFIDENTIAL"][1] <= 53
    x, y = boxes["BN1 1AF"]
    # The DL window: 20 mm from the left, 50 to 90 mm from the top; the last line ends inside.
    assert 20 <= x <= 25 and y + 5 <= 88
