"""The demo shows paper and privacy on first sign-in: staff find postal items to print whose PDF
carries the coordinator's update in full; the demo group's pages show a case not to publicise
and a case with an address for solidarity messages."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from accounts.models import User
from cases.models import Case
from coordinators.models import CaseUpdate
from iar_site.models import AuditEntry
from notifications import printqueue

pytestmark = pytest.mark.django_db


def test_demo_paper_and_private_cases(client):
    call_command("seed_demo", verbosity=0)
    staff = User.objects.get(email="staff@demo.example")
    client.force_login(staff)
    queue = client.get("/ops/print/")
    items = list(printqueue.waiting_items())
    assert len(items) >= 2 and all(i.template == "case-update" for i in items)
    assert items[0].recipient_group.name.encode() in queue.content
    batch = printqueue.create_print_batch(actor=staff, message_ids=[i.pk for i in items])
    reader = PdfReader(BytesIO(printqueue.batch_pdf(batch)))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    for item in items:
        update = CaseUpdate.objects.get(pk=item.context["update_id"])
        assert " ".join(update.body.split())[:60] in text
    assert "log in" not in text.lower()

    private = Case.objects.get(public_action_allowed=False)
    assert AuditEntry.objects.filter(
        action="case.public_action_changed", object_id=str(private.pk)
    ).exists()
    client.force_login(User.objects.get(email="holder@demo.example"))
    page = client.get(f"/groups/cases/{private.reference}/").content.decode()
    assert "Please do not publicise this case." in page
    holder = User.objects.get(email="holder@demo.example")
    assert (
        Case.objects.filter(allocations__group__memberships__user=holder)
        .exclude(solidarity_address="")
        .exists()
    )
    member = User.objects.get(email="member@demo.example")
    with_address = Case.objects.filter(
        allocations__group__memberships__user=member, allocations__status="active"
    ).exclude(solidarity_address="")
    assert with_address.exists()
    client.force_login(member)
    page = client.get(f"/groups/cases/{with_address[0].reference}/solidarity/").content.decode()
    assert "c/o the family" in page and "Download the message to print" in page
