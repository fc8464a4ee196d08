"""The admin is not a second write path: each change that has a service either goes through it
(its audit row written, its notices queued) or is read-only in the admin, with a link to the site
page that makes it, and a POST trying it leaves the row as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation, CampaignTarget, Case, CasefileDocument, HolderChange
from coordinators.models import CaseUpdate, CaseUpdateAttachment
from groups.models import AnnualReport, CaseRequest, LocalGroup, Membership
from iar_site.models import AuditEntry
from notifications.models import OutboundMessage, PrintBatch

from . import factories as f
from .test_admin import admin_url, form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def assert_view_only(client, model, obj, data: dict | None = None, *, can_add=False) -> str:
    """No change, no delete (and no add unless a service does it); the change page shows the
    row. Returns the page."""
    assert client.get(admin_url(model, "add")).status_code == (200 if can_add else 403)
    assert client.post(admin_url(model, "change", obj.pk), data or {}).status_code == 403
    assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    response = client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    return response.content.decode()


# Allocations: state read-only, creation and deletion refused, the holder through its service.


def test_an_allocations_state_is_read_only_and_links_to_the_staff_page(staff_client, world):
    allocation = world.allocation_x
    url = admin_url(Allocation, "change", allocation.pk)
    page = staff_client.get(url)
    form = page.context["adminform"].form
    assert list(form.fields) == ["holder"]
    assert reverse("staff:case", args=[world.case_x.reference]) in page.content.decode()

    data = form_data(page)
    data.update(
        status="ended",
        ended_on=timezone.localdate().isoformat(),
        end_reason="withdrawn",
        group=world.group_y.pk,
    )
    assert staff_client.post(url, data).status_code == 302
    allocation.refresh_from_db()
    assert (allocation.status, allocation.group, allocation.end_reason) == (
        "active",
        world.group_x,
        "",
    )
    assert not AuditEntry.objects.filter(object_type="cases.allocation").exists()


def test_allocations_cannot_be_added_or_deleted_in_the_admin(staff_client, world):
    assert staff_client.get(admin_url(Allocation, "add")).status_code == 403
    delete_url = admin_url(Allocation, "delete", world.allocation_x.pk)
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = staff_client.get(admin_url(Allocation, "changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert Allocation.objects.filter(pk=world.allocation_x.pk).exists()


def test_a_holder_named_in_the_admin_is_audited_and_notified_by_the_service(staff_client, world):
    url = admin_url(Allocation, "change", world.allocation_x.pk)
    data = form_data(staff_client.get(url))
    data["holder"] = world.member_x.pk
    assert staff_client.post(url, data).status_code == 302
    world.allocation_x.refresh_from_db()
    assert world.allocation_x.holder == world.member_x
    change = HolderChange.objects.get(allocation=world.allocation_x)
    assert (change.from_user, change.to_user, change.status) == (
        world.holder_x,
        world.member_x,
        "approved",
    )
    assert AuditEntry.objects.filter(
        action="allocation.holder_changed", object_id=str(world.allocation_x.pk)
    ).exists()
    assert OutboundMessage.objects.filter(template="holder-changed").exists()


def test_the_holder_cannot_be_removed_or_named_on_an_offer(staff_client, world):
    url = admin_url(Allocation, "change", world.allocation_x.pk)
    data = form_data(staff_client.get(url))
    data["holder"] = ""
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "cannot be removed" in response.content.decode()
    world.allocation_x.refresh_from_db()
    assert world.allocation_x.holder == world.holder_x

    offer = f.AllocationFactory(case=world.case_y, group=world.group_x, status="offered")
    url = admin_url(Allocation, "change", offer.pk)
    data = form_data(staff_client.get(url))
    data["holder"] = world.member_x.pk
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "only on an active allocation" in response.content.decode()
    offer.refresh_from_db()
    assert offer.holder is None
    assert not HolderChange.objects.exists()


def test_holder_changes_are_records(staff_client, world):
    change = HolderChange.objects.create(
        allocation=world.allocation_x, to_user=world.holder_x, changed_by=world.staff
    )
    assert_view_only(staff_client, HolderChange, change)
    assert HolderChange.objects.filter(pk=change.pk).exists()


# Cases: the stop/pause flow and the pages that change targets and casefiles are linked.


def test_the_case_page_links_to_the_flows_on_the_site(staff_client, world):
    page = staff_client.get(admin_url(Case, "change", world.case_x.pk)).content.decode()
    reference = world.case_x.reference
    for name in ("staff:case", "casefile:upload", "casefile:target_add"):
        assert reverse(name, args=[reference]) in page
    target = world.case_x.targets.get()
    assert reverse("casefile:target_edit", args=[target.pk]) in page
    assert reverse("casefile:target_retire", args=[target.pk]) in page


def test_pausing_a_case_in_the_admin_leaves_it_and_its_allocations_alone(staff_client, world):
    url = admin_url(Case, "change", world.case_x.pk)
    data = form_data(staff_client.get(url))
    data["status"] = "paused"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "from its staff page" in response.content.decode()
    world.case_x.refresh_from_db()
    world.allocation_x.refresh_from_db()
    assert (world.case_x.status, world.allocation_x.status) == ("open", "active")
    assert not OutboundMessage.objects.exists()


def test_an_existing_target_is_read_only_on_the_case_page(staff_client, world):
    target = world.case_x.targets.get()
    url = admin_url(Case, "change", world.case_x.pk)
    page = staff_client.get(url)
    data = form_data(page)
    data.update({"targets-0-id": target.pk, "targets-0-authority": "Somebody else"})
    assert staff_client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.authority == "Minister of Justice of A"
    assert world.case_x.targets.count() == 1


def test_a_target_added_on_the_case_page_tells_the_groups(staff_client, world):
    url = admin_url(Case, "change", world.case_x.pk)
    data = form_data(staff_client.get(url))
    data.update(
        {
            "targets-TOTAL_FORMS": 2,
            "targets-1-case": world.case_x.pk,
            "targets-1-authority": "Prosecutor General of A",
            "targets-1-postal_address": "1 Court Street",
            "targets-1-salutation": "Dear Prosecutor",
            "targets-1-valid_from": timezone.localdate().isoformat(),
        }
    )
    assert staff_client.post(url, data).status_code == 302
    target = world.case_x.targets.get(authority="Prosecutor General of A")
    assert AuditEntry.objects.filter(action="target.added", object_id=str(target.pk)).exists()
    update = CaseUpdate.objects.get(case=world.case_x, kind=CaseUpdate.Kind.TARGETS_CHANGED)
    assert update.status == CaseUpdate.Status.PUBLISHED
    assert OutboundMessage.objects.filter(
        idempotency_key__startswith=f"update:{update.pk}", recipient_group=world.group_x
    ).exists()


# Targets on their own admin: added through the service; changed and retired on the site.


def test_a_target_added_in_the_admin_goes_through_the_service(staff_client, world):
    response = staff_client.post(
        admin_url(CampaignTarget, "add"),
        {
            "case": world.case_x.pk,
            "authority": "Chief of Police of A",
            "postal_address": "2 Station Road",
            "salutation": "Dear Chief",
            "valid_from": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    target = CampaignTarget.objects.get(authority="Chief of Police of A")
    assert target.created_by == world.staff
    entry = AuditEntry.objects.get(action="target.added", object_id=str(target.pk))
    assert entry.actor == world.staff
    assert CaseUpdate.objects.filter(
        case=world.case_x, kind=CaseUpdate.Kind.TARGETS_CHANGED
    ).exists()
    assert OutboundMessage.objects.filter(recipient_group=world.group_x).exists()


def test_a_refused_target_is_explained_and_nothing_is_written(staff_client, world):
    response = staff_client.post(
        admin_url(CampaignTarget, "add"),
        {
            "case": world.case_x.pk,
            "authority": "Chief of Police of A",
            "postal_address": "2 Station Road",
            "salutation": "Dear Chief",
            "valid_from": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not CampaignTarget.objects.filter(authority="Chief of Police of A").exists()
    assert not AuditEntry.objects.filter(action="target.added").exists()
    assert not CaseUpdate.objects.exists()


def test_a_recorded_target_is_read_only_and_links_to_its_change_page(staff_client, world):
    target = world.case_x.targets.get()
    page = assert_view_only(
        staff_client,
        CampaignTarget,
        target,
        {"authority": "Somebody else", "case": target.case_id},
        can_add=True,
    )
    assert reverse("casefile:target_edit", args=[target.pk]) in page
    assert reverse("casefile:target_retire", args=[target.pk]) in page
    target.refresh_from_db()
    assert (target.authority, target.valid_to) == ("Minister of Justice of A", None)


# Casefile documents: a new version through the service; versions are history.


def test_a_casefile_version_added_in_the_admin_goes_through_the_service(staff_client, world):
    response = staff_client.post(
        admin_url(CasefileDocument, "add"),
        {
            "case": world.case_x.pk,
            "title": "Casefile",
            "file": SimpleUploadedFile("casefile.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    document = CasefileDocument.objects.get(case=world.case_x)
    assert (document.version, document.uploaded_by) == (1, world.staff)
    entry = AuditEntry.objects.get(action="casefile.uploaded", object_id=str(document.pk))
    assert (entry.actor, entry.changes["type"]) == (world.staff, "pdf")


def test_a_casefile_for_a_closed_case_is_refused(staff_client, world):
    Case.objects.filter(pk=world.case_y.pk).update(
        status=Case.Status.CLOSED, closing_reason="resolved", closed_at=timezone.now()
    )
    response = staff_client.post(
        admin_url(CasefileDocument, "add"),
        {
            "case": world.case_y.pk,
            "title": "Too late",
            "file": SimpleUploadedFile("casefile.pdf", PDF, "application/pdf"),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "the casefile is final" in response.content.decode()
    assert not CasefileDocument.objects.exists()
    assert not AuditEntry.objects.filter(action="casefile.uploaded").exists()


def test_a_casefile_version_is_never_changed_or_deleted_in_the_admin(staff_client, world):
    document = CasefileDocument.objects.create(case=world.case_x, version=1, title="First")
    assert_view_only(staff_client, CasefileDocument, document, {"title": "Renamed"}, can_add=True)
    document.refresh_from_db()
    assert document.title == "First"


# Case updates: written and published on the site.


def test_case_updates_are_read_only_and_link_to_their_page(staff_client, world):
    update = CaseUpdate.objects.create(
        case=world.case_x, title="Draft news", body="x", author=world.coordinator_a
    )
    page = assert_view_only(
        staff_client, CaseUpdate, update, {"title": "Published news", "status": "published"}
    )
    assert reverse("coordinators:update_detail", args=[update.pk]) in page
    update.refresh_from_db()
    assert (update.title, update.status) == ("Draft news", "draft")
    assert not OutboundMessage.objects.exists()


def _attachment(world, status: str) -> CaseUpdateAttachment:
    published = status == CaseUpdate.Status.PUBLISHED
    update = CaseUpdate.objects.create(
        case=world.case_x,
        title="News",
        body="x",
        author=world.coordinator_a,
        status=status,
        published_at=timezone.now() if published else None,
    )
    return CaseUpdateAttachment.objects.create(
        update=update,
        file=f"updates/{update.pk}/a.pdf",
        original_name="statement.pdf",
        content_type="application/pdf",
        size=10,
    )


def test_removing_a_draft_attachment_goes_through_the_service(staff_client, world):
    attachment = _attachment(world, CaseUpdate.Status.DRAFT)
    url = admin_url(CaseUpdateAttachment, "delete", attachment.pk)
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert not CaseUpdateAttachment.objects.exists()
    assert AuditEntry.objects.filter(
        action="case_update.attachment_removed", object_id=str(attachment.update_id)
    ).exists()


def test_a_published_updates_attachment_stays(staff_client, world):
    attachment = _attachment(world, CaseUpdate.Status.PUBLISHED)
    url = admin_url(CaseUpdateAttachment, "delete", attachment.pk)
    response = staff_client.post(url, {"post": "yes"}, follow=True)
    assert "stay with it" in response.content.decode()
    assert CaseUpdateAttachment.objects.filter(pk=attachment.pk).exists()
    assert not AuditEntry.objects.filter(action__startswith="admin.").exists()


# Yearly reports and case requests: their state moves on the site.


def test_a_reports_state_is_read_only_and_links_to_the_report_page(staff_client, world):
    today = timezone.localdate()
    report = AnnualReport.objects.create(
        allocation=world.allocation_x,
        period_start=today - timedelta(days=365),
        period_end=today,
    )
    url = admin_url(AnnualReport, "change", report.pk)
    page = staff_client.get(url)
    assert reverse("coordinators:report_detail", args=[report.pk]) in page.content.decode()
    assert "status" not in page.context["adminform"].form.fields
    data = form_data(page)
    data.update(status="acknowledged", acknowledged_by=world.staff.pk)
    assert staff_client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.acknowledged_by) == ("draft", None)
    assert staff_client.get(admin_url(AnnualReport, "add")).status_code == 403
    assert (
        staff_client.post(admin_url(AnnualReport, "delete", report.pk), {"post": "yes"}).status_code
        == 403
    )


def test_a_case_requests_answer_is_read_only_and_links_to_the_staff_page(staff_client, world):
    request = CaseRequest.objects.create(
        group=world.group_x, requested_by=world.member_x, meeting_date=timezone.localdate()
    )
    url = admin_url(CaseRequest, "change", request.pk)
    page = staff_client.get(url)
    assert reverse("case_requests:case_request", args=[request.pk]) in page.content.decode()
    data = form_data(page)
    data.update(status="fulfilled", response="Sent two cases")
    assert staff_client.post(url, data).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.response, request.fulfilled_at) == ("open", "", None)
    assert not OutboundMessage.objects.exists()
    assert staff_client.get(admin_url(CaseRequest, "add")).status_code == 403


# The outbox: cancelling goes through the outbox service; batches are made on the print page.


def test_cancelling_a_queued_message_goes_through_the_outbox_service(staff_client, world):
    message = OutboundMessage.objects.create(
        idempotency_key="k", template="t", to_email="x@example.org"
    )
    response = staff_client.post(
        admin_url(OutboundMessage, "changelist"),
        {"action": "cancel_queued", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("cancelled", "cancelled by IAR staff")
    entry = AuditEntry.objects.get(action="outbox.cancelled")
    assert (entry.object_id, entry.actor) == (str(message.pk), world.staff)


def test_print_batches_are_read_only_and_link_to_the_print_page(staff_client, world):
    batch = PrintBatch.objects.create(created_by=world.staff)
    page = assert_view_only(staff_client, PrintBatch, batch, {"posted_by": world.staff.pk})
    assert reverse("notifications:print_batch", args=[batch.pk]) in page
    batch.refresh_from_db()
    assert batch.posted_at is None


# Cases: how sensitive a case is and opening a draft go through their services.


def test_sensitivity_and_opening_a_draft_go_through_the_case_services(staff_client, world):
    case = world.case_unallocated_a
    Case.objects.filter(pk=case.pk).update(status="draft")
    url = admin_url(Case, "change", case.pk)
    data = form_data(staff_client.get(url))
    data.update(sensitivity="confidential", status="open", title="Renamed")
    assert staff_client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert (case.sensitivity, case.status, case.title) == ("confidential", "open", "Renamed")
    entries = {e.action: e.changes for e in AuditEntry.objects.filter(object_id=str(case.pk))}
    assert entries["case.sensitivity_changed"] == {"sensitivity": ["restricted", "confidential"]}
    assert entries["case.opened"] == {"status": ["draft", "open"]}
    # The plain admin entry names only the other fields the form changed.
    assert set(entries["admin.changed"]) == {"title"}


def test_a_draft_without_a_summary_is_not_opened_and_nothing_is_saved(staff_client, world):
    case = world.case_unallocated_a
    Case.objects.filter(pk=case.pk).update(status="draft")
    url = admin_url(Case, "change", case.pk)
    data = form_data(staff_client.get(url))
    data.update(status="open", summary="", title="Renamed")
    response = staff_client.post(url, data, follow=True)
    assert "Write a summary before opening the case" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.title) == ("draft", "Unallocated in A")
    assert not AuditEntry.objects.filter(object_id=str(case.pk)).exists()


# Groups: settings and members go through the group services.


def _group_post(client, group, **changes):
    url = admin_url(LocalGroup, "change", group.pk)
    page = client.get(url)
    data = form_data(page)
    data.update(changes)
    return page, data, url


def test_group_settings_changed_in_the_admin_go_through_the_service(staff_client, world):
    _page, data, url = _group_post(staff_client, world.group_x, capacity=4, town="Newtown")
    assert staff_client.post(url, data).status_code == 302
    world.group_x.refresh_from_db()
    assert (world.group_x.capacity, world.group_x.town) == (4, "Newtown")
    settings_entry = AuditEntry.objects.get(action="group.settings_changed")
    assert settings_entry.changes == {"capacity": ["2", "4"]}
    assert settings_entry.actor == world.staff
    assert AuditEntry.objects.get(action="admin.changed").changes == {"town": "Newtown"}


def test_a_setting_against_the_groups_rules_is_refused_and_nothing_is_saved(staff_client, world):
    _page, data, url = _group_post(
        staff_client, world.group_x, channel="email", contact_email="", town="Newtown"
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert response.context["errors"]
    world.group_x.refresh_from_db()
    assert world.group_x.contact_email and world.group_x.town != "Newtown"
    assert not AuditEntry.objects.exists()


def test_member_roles_and_notices_on_the_groups_page_go_through_the_services(staff_client, world):
    page, data, url = _group_post(staff_client, world.group_x)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    rows = {
        f.instance.user_id: i
        for i, f in enumerate(page.context["inline_admin_formsets"][0].formset.forms)
    }
    row = rows[world.member_x.pk]
    data[f"{prefix}-{row}-role"] = "admin"
    data[f"{prefix}-{row}-notices"] = "weekly"
    assert staff_client.post(url, data).status_code == 302
    membership = Membership.objects.get(user=world.member_x, group=world.group_x)
    assert (membership.role, membership.notices) == ("admin", "weekly")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"membership.role_changed", "membership.notices"} <= actions
    assert "admin.changed" not in actions


def test_the_last_administrator_cannot_be_removed_in_the_admin(staff_client, world):
    membership = Membership.objects.get(user=world.member_y)
    Membership.objects.filter(pk=membership.pk).update(role="admin")
    response = staff_client.post(
        admin_url(Membership, "delete", membership.pk), {"post": "yes"}, follow=True
    )
    assert "The group needs at least one administrator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    # A change of role from the membership's own page is checked the same way.
    url = admin_url(Membership, "change", membership.pk)
    data = form_data(staff_client.get(url))
    data["role"] = "member"
    response = staff_client.post(url, data, follow=True)
    assert "The group needs at least one administrator" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == "admin"
    assert not AuditEntry.objects.exists()


def test_a_casefile_holder_is_not_removed_by_the_bulk_delete(staff_client, world):
    holder = Membership.objects.get(user=world.holder_x)
    member = Membership.objects.get(user=world.member_x)
    response = staff_client.post(
        admin_url(Membership, "changelist"),
        {"action": "delete_selected", "_selected_action": [holder.pk, member.pk], "post": "yes"},
        follow=True,
    )
    assert "holds a casefile" in response.content.decode()
    assert Membership.objects.filter(pk=holder.pk).exists()
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert AuditEntry.objects.get(action="membership.removed").object_id == str(member.pk)


def test_memberships_are_not_added_or_moved_on_their_own_page(staff_client, world):
    membership = Membership.objects.get(user=world.member_x)
    assert staff_client.get(admin_url(Membership, "add")).status_code == 403
    url = admin_url(Membership, "change", membership.pk)
    data = form_data(staff_client.get(url))
    data.update(group=world.group_y.pk, user=world.outsider.pk)
    assert staff_client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert (membership.group, membership.user) == (world.group_x, world.member_x)
