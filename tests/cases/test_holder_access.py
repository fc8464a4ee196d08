"""Who may name the casefile holder, who holds a confidential case while a change waits for the
coordinator, and who hears about it.

The holder reads a confidential case. A plain member must not be able to name themselves holder
(by changing the holder or by accepting an offer); on a confidential case the change waits for
the case's country coordinator (or IAR staff) before anyone new gains access.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Allocation, Case, CasefileDocument, HolderChange
from groups.models import Membership
from iar_site.models import AuditEntry
from notifications import outbox
from notifications.models import OutboundMessage

from .. import factories as f
from ..conftest import PERSONAS

pytestmark = pytest.mark.django_db

SECRET = "Secret narrative of X."


@pytest.fixture
def admin_x(world):
    """An administrator of group X who holds nothing."""
    return f.MembershipFactory(
        group=world.group_x,
        role=Membership.Role.ADMIN,
        user__email="admin.x@example.org",
        user__full_name="Alma Admin",
    ).user


@pytest.fixture
def confidential(world):
    """The confidential case of group X, coordinated by coordinator A."""
    case = world.case_confidential_x
    case.coordinator = world.coordinator_a.coordinator_profile
    case.save()
    return case


def holder_url(case: Case) -> str:
    return reverse("cases:change_holder", args=[case.reference])


def case_page(client, case: Case) -> str:
    return client.get(reverse("groups:case", args=[case.reference])).content.decode()


def decide_url(change: HolderChange) -> str:
    return reverse("coordinators:holder_change_decide", args=[change.pk])


def holder_of(allocation: Allocation):
    allocation.refresh_from_db()
    return allocation.holder


# ---- A plain member ----------------------------------------------------------------------------


def test_plain_member_cannot_make_themselves_holder_of_a_confidential_case(
    world, client_for, confidential
):
    document = CasefileDocument(case=confidential, version=1, title="Casefile")
    document.file.save("casefile.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    client = client_for("member_x")
    # The case is visible to them; the function is not.
    page = case_page(client, confidential)
    assert confidential.reference in page and SECRET not in page
    assert holder_url(confidential) not in page
    assert client.get(holder_url(confidential)).status_code == 403
    response = client.post(holder_url(confidential), {"holder": world.member_x.pk})
    assert response.status_code == 403
    assert holder_of(world.allocation_confidential_x) == world.holder_x
    assert not HolderChange.objects.exists()
    assert SECRET not in case_page(client, confidential)
    casefile = f"/groups/cases/{confidential.reference}/casefile/1/"
    assert client.get(casefile).status_code == 404
    with pytest.raises(services.CaseError, match="administrators"):
        services.change_holder(
            world.allocation_confidential_x, to_user=world.member_x, actor=world.member_x
        )
    assert holder_of(world.allocation_confidential_x) == world.holder_x


def test_plain_member_is_refused_on_a_public_case_too(world, client_for):
    client = client_for("member_x")
    assert holder_url(world.case_x) not in case_page(client, world.case_x)
    assert client.post(holder_url(world.case_x), {"holder": world.member_x.pk}).status_code == 403
    assert holder_of(world.allocation_x) == world.holder_x


# ---- Who may change it -------------------------------------------------------------------------


def test_group_admin_changes_the_holder(world, admin_x):
    client = Client()
    client.force_login(admin_x)
    assert holder_url(world.case_x) in case_page(client, world.case_x)
    response = client.post(holder_url(world.case_x), {"holder": world.member_x.pk}, follow=True)
    assert "Max Member is now the casefile holder" in response.content.decode()
    assert holder_of(world.allocation_x) == world.member_x
    change = HolderChange.objects.get(allocation=world.allocation_x)
    assert (change.status, change.changed_by, change.decided_by) == ("approved", admin_x, admin_x)
    assert AuditEntry.objects.filter(
        action="allocation.holder_changed", object_id=str(world.allocation_x.pk), actor=admin_x
    ).exists()


def test_current_holder_hands_over(world, client_for):
    client = client_for("holder_x")
    assert holder_url(world.case_x) in case_page(client, world.case_x)
    response = client.post(holder_url(world.case_x), {"holder": world.member_x.pk}, follow=True)
    assert "Max Member is now the casefile holder" in response.content.decode()
    assert holder_of(world.allocation_x) == world.member_x
    # Having handed over, they are a plain member again.
    assert client.post(holder_url(world.case_x), {"holder": world.holder_x.pk}).status_code == 403
    assert holder_of(world.allocation_x) == world.member_x


# ---- Confidential: a request the coordinator decides --------------------------------------------


def test_confidential_change_waits_for_the_coordinator(world, client_for, confidential):
    allocation = world.allocation_confidential_x
    holder = client_for("holder_x")
    response = holder.post(holder_url(confidential), {"holder": world.member_x.pk}, follow=True)
    assert "waiting for the country coordinator's approval" in response.content.decode()
    change = HolderChange.objects.get(allocation=allocation)
    assert change.status == "pending" and change.changed_by == world.holder_x
    # Until approved, the holder stays and the new holder reads nothing.
    assert holder_of(allocation) == world.holder_x
    member = client_for("member_x")
    assert SECRET not in case_page(member, confidential)
    assert SECRET in case_page(holder, confidential)
    # A second request waits for the first to be decided.
    with pytest.raises(services.CaseError, match="already waiting"):
        services.change_holder(allocation, to_user=world.holder_x, actor=world.staff)
    [notice] = OutboundMessage.objects.filter(template="holder-change-requested")
    assert notice.to_email == "coord.a@example.org"

    coordinator = client_for("coordinator_a")
    home = coordinator.get(reverse("coordinators:home")).content.decode()
    assert "Holder changes waiting for you" in home and decide_url(change) in home
    response = coordinator.post(decide_url(change), {"decision": "approve"}, follow=True)
    assert "Approved: Max Member is now casefile holder" in response.content.decode()

    assert holder_of(allocation) == world.member_x
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("approved", world.coordinator_a)
    assert SECRET in case_page(member, confidential)
    assert SECRET not in case_page(holder, confidential)
    grant = AuditEntry.objects.get(action="allocation.holder_changed", object_id=str(allocation.pk))
    assert grant.actor == world.coordinator_a
    assert grant.changes["holder"] == [world.holder_x.pk, world.member_x.pk]
    assert AuditEntry.objects.filter(action="holder_change.requested", actor=world.holder_x)
    assert AuditEntry.objects.filter(action="holder_change.approved", actor=world.coordinator_a)
    assert "Holder changes waiting for you" not in coordinator.get("/coordinator/").content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_cases_coordinator_or_staff_may_decide(world, client_for, confidential, persona):
    change = services.change_holder(
        world.allocation_confidential_x, to_user=world.member_x, actor=world.holder_x
    )
    client = client_for(persona)
    if persona not in {"staff", "coordinator_a"}:
        for decision in ("approve", "reject"):
            response = client.post(decide_url(change), {"decision": decision})
            assert response.status_code == (302 if persona == "anonymous" else 404)
        change.refresh_from_db()
        assert change.status == "pending"
        assert holder_of(world.allocation_confidential_x) == world.holder_x
        return
    response = client.post(decide_url(change), {"decision": "approve"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "approved"
    assert holder_of(world.allocation_confidential_x) == world.member_x


def test_another_countrys_coordinator_cannot_approve_through_the_service(world, confidential):
    change = services.change_holder(
        world.allocation_confidential_x, to_user=world.member_x, actor=world.holder_x
    )
    with pytest.raises(services.CaseError, match="country coordinator or IAR staff"):
        services.approve_holder_change(change, actor=world.coordinator_b)
    with pytest.raises(services.CaseError, match="country coordinator or IAR staff"):
        services.reject_holder_change(change, actor=world.member_x)
    change.refresh_from_db()
    assert change.status == "pending"
    assert holder_of(world.allocation_confidential_x) == world.holder_x


def test_rejected_request_leaves_the_holder(world, client_for, confidential, admin_x):
    change = services.change_holder(
        world.allocation_confidential_x, to_user=world.member_x, actor=admin_x
    )
    response = client_for("coordinator_a").post(
        decide_url(change), {"decision": "reject"}, follow=True
    )
    assert "Rejected" in response.content.decode()
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("rejected", world.coordinator_a)
    assert holder_of(world.allocation_confidential_x) == world.holder_x
    assert SECRET not in case_page(client_for("member_x"), confidential)
    assert AuditEntry.objects.filter(action="holder_change.rejected", actor=world.coordinator_a)
    told = OutboundMessage.objects.filter(template="holder-change-group")
    assert {(m.to_email, m.context["state"]) for m in told} == {
        ("admin.x@example.org", "pending"),
        ("admin.x@example.org", "rejected"),
    }
    # A decided request is decided: approving it afterwards changes nothing.
    with pytest.raises(services.CaseError, match="turned down"):
        services.approve_holder_change(change, actor=world.coordinator_a)
    assert holder_of(world.allocation_confidential_x) == world.holder_x


def test_coordinator_or_staff_change_needs_no_approval(world, confidential):
    change = services.change_holder(
        world.allocation_confidential_x, to_user=world.member_x, actor=world.staff
    )
    assert change.status == "approved" and change.decided_by == world.staff
    assert holder_of(world.allocation_confidential_x) == world.member_x


# ---- Who hears -----------------------------------------------------------------------------------


def test_group_admins_are_told_of_every_holder_change(world, admin_x):
    second = f.MembershipFactory(
        group=world.group_x, role=Membership.Role.ADMIN, user__email="admin2.x@example.org"
    ).user
    services.change_holder(world.allocation_x, to_user=world.member_x, actor=world.holder_x)
    told = OutboundMessage.objects.filter(template="holder-change-group")
    recipients = {m.to_email for m in told}
    # Each administrator, and the new holder; the person who made the change (the old holder)
    # too, since it was theirs to make.
    assert {"admin.x@example.org", "admin2.x@example.org"} <= recipients
    assert recipients == {
        "admin.x@example.org",
        "admin2.x@example.org",
        "member.x@example.org",
        "holder.x@example.org",
    }
    assert {m.recipient_user for m in told} >= {admin_x, second}
    subject, text, html = outbox.render(told.get(to_email="admin.x@example.org"))
    assert world.case_x.reference in subject
    assert "new casefile holder" in text and world.case_x.reference in html
    assert "Case of X" not in text + html + subject


def test_holder_change_emails_carry_reference_and_link_only(world, confidential, settings):
    settings.SITE_URL = "https://casework.example"
    Membership.objects.filter(user=world.holder_x).update(role=Membership.Role.ADMIN)
    change = services.change_holder(
        world.allocation_confidential_x, to_user=world.member_x, actor=world.holder_x
    )
    services.approve_holder_change(change, actor=world.coordinator_a)
    messages = OutboundMessage.objects.filter(
        template__in=["holder-change-requested", "holder-change-group"]
    )
    assert {m.template for m in messages} == {"holder-change-requested", "holder-change-group"}
    for message in messages:
        subject, text, html = outbox.render(message)
        assert confidential.reference in subject and confidential.reference in text
        assert "https://casework.example/" in text and 'href="https://casework.example/' in html
        for part in (subject, text, html, str(message.context)):
            assert "Confidential of X" not in part and SECRET not in part


# ---- Offers --------------------------------------------------------------------------------------


@pytest.fixture
def offer(world):
    return services.allocate_case(world.case_unallocated_a, world.group_y, actor=world.staff)


def test_plain_member_sees_the_offer_but_cannot_answer_it(world, client_for, offer):
    client = client_for("member_y")
    url = reverse("cases:respond_offer", args=[world.case_unallocated_a.reference])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "administrators answer this offer" in html and 'name="decision"' not in html
    assert "See the offer" in client.get("/").content.decode()
    assert client.post(url, {"decision": "accept", "holder": world.member_y.pk}).status_code == 403
    assert client.post(url, {"decision": "decline", "reason": "No"}).status_code == 403
    offer.refresh_from_db()
    assert offer.status == "offered" and offer.holder is None
    with pytest.raises(services.CaseError, match="administrators"):
        services.accept_offer(offer, holder=world.member_y, actor=world.member_y)
    with pytest.raises(services.CaseError, match="administrators"):
        services.decline_offer(offer, reason="No room", actor=world.member_y)


def test_admin_accepting_a_confidential_offer_asks_the_coordinator(world, client_for):
    case = f.CaseFactory(
        country=world.country_a,
        coordinator=world.coordinator_a.coordinator_profile,
        sensitivity=Case.Sensitivity.CONFIDENTIAL,
        title="Hidden person",
        summary="Hidden narrative.",
    )
    offer = services.allocate_case(case, world.group_y, actor=world.staff)
    Membership.objects.filter(user=world.member_y).update(role=Membership.Role.ADMIN)
    client = client_for("member_y")
    url = reverse("cases:respond_offer", args=[case.reference])
    response = client.post(url, {"decision": "accept", "holder": world.member_y.pk}, follow=True)
    assert "once the country coordinator approves" in response.content.decode()
    offer.refresh_from_db()
    # The group works on the case, but nobody holds it (or reads it) until approved.
    assert offer.status == "active" and offer.holder is None
    change = HolderChange.objects.get(allocation=offer)
    assert (change.status, change.to_user, change.changed_by) == (
        "pending",
        world.member_y,
        world.member_y,
    )
    assert "Hidden narrative." not in case_page(client, case)
    assert OutboundMessage.objects.filter(
        template="holder-change-requested", to_email="coord.a@example.org"
    ).exists()
    [accepted] = OutboundMessage.objects.filter(
        template="allocation-accepted", to_email="coord.a@example.org"
    )
    assert "waits for the country coordinator's approval" in outbox.render(accepted)[1]

    services.approve_holder_change(change, actor=world.coordinator_a)
    assert holder_of(offer) == world.member_y
    assert "Hidden narrative." in case_page(client, case)


def test_admin_accepting_a_public_offer_names_the_holder_at_once(world, offer):
    Membership.objects.filter(user=world.member_y).update(role=Membership.Role.ADMIN)
    services.accept_offer(offer, holder=world.member_y, actor=world.member_y)
    assert holder_of(offer) == world.member_y
    assert HolderChange.objects.get(allocation=offer).status == "approved"


def test_only_staff_name_a_holder_when_allocating(world):
    with pytest.raises(services.CaseError, match="IAR staff"):
        services.allocate_case(
            world.case_unallocated_a, world.group_y, holder=world.member_y, actor=world.member_y
        )
