"""A person's own data (JSON and PDF), erasing a former member, and the retention sweep."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from cases.models import Allocation
from groups import letters
from groups.models import Activity, Membership
from iar_site.celery import app as celery_app
from iar_site.models import AuditEntry
from notifications.models import OutboundMessage
from privacy import export, services, tasks
from tests import factories as f

pytestmark = pytest.mark.django_db


# ---- A person's own data --------------------------------------------------------------------


@pytest.fixture
def member_with_history(world):
    f.ActivityFactory(
        allocation=world.allocation_x, recorded_by=world.member_x, notes="Wrote to the minister"
    )
    f.ActivityFactory(
        allocation=world.allocation_confidential_x,
        recorded_by=world.member_x,
        notes="Secret note naming Confidential of X",
    )
    f.ActivityFactory(allocation=world.allocation_x, recorded_by=world.holder_x, notes="Not mine")
    OutboundMessage.objects.create(
        idempotency_key="digest-1",
        template="digest",
        to_email=world.member_x.email,
        recipient_user=world.member_x,
    )
    return world.member_x


def test_a_member_downloads_their_data_as_json(world, client_for, member_with_history):
    response = client_for("member_x").post(reverse("privacy:my_data_json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["name"] == "Max Member"
    assert data["account"]["email"] == "member.x@example.org"
    assert [m["group"] for m in data["memberships"]] == ["Group X"]
    notes = [a["notes"] for a in data["actions_recorded"]]
    assert "Wrote to the minister" in notes
    assert export.CONFIDENTIAL_NOTE in notes
    assert [m["what"] for m in data["messages_sent_to_you"]] == ["digest"]
    text = response.content.decode()
    # Nobody else's data, and never the name of a confidential case.
    assert "Not mine" not in text and "holder.x@example.org" not in text
    assert "Confidential of X" not in text
    assert "IAR-2026-104 (Country A)" in text


def test_a_member_downloads_a_readable_pdf(world, client_for, member_with_history):
    response = client_for("member_x").post(reverse("privacy:my_data_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

    text = " ".join(letters.document_text(export.pdf_document(world.member_x)).split())
    for expected in ("Max Member", "member.x@example.org", "Your groups", "Group X", "29 Nov"):
        assert expected in text
    assert "Confidential of X" not in text


def test_the_account_page_leads_to_the_data_page(world, client_for, member_with_history):
    client = client_for("member_x")
    account = client.get(reverse("account_email")).content.decode()
    assert reverse("privacy:my_data") in account
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "Wrote to the minister" in page
    assert "Download as PDF" in page and "Download as JSON" in page


def test_downloads_need_a_post_and_a_login(world, client_for):
    assert client_for("member_x").get(reverse("privacy:my_data_json")).status_code == 405
    anonymous = client_for("anonymous").post(reverse("privacy:my_data_json"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


# ---- Erasing a former member ----------------------------------------------------------------


@pytest.fixture
def former_member(world):
    """Max Member, who recorded actions, was invited, and got messages."""
    admin = f.MembershipFactory(group=world.group_x, role=Membership.Role.ADMIN).user
    f.ActivityFactory(allocation=world.allocation_x, recorded_by=world.member_x, count=7)
    Invitation.objects.create(
        email="member.x@example.org",
        full_name="Max Member",
        role=Invitation.Role.GROUP_MEMBER,
        group=world.group_x,
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=7),
        token_hash="x" * 64,
    )
    OutboundMessage.objects.create(
        idempotency_key="sent-1",
        template="digest",
        to_email="member.x@example.org",
        to_name="Max Member",
        recipient_user=world.member_x,
        context={"name": "Max Member"},
        status=OutboundMessage.Status.SENT,
        sent_at=timezone.now(),
    )
    membership = Membership.objects.get(user=world.member_x, group=world.group_x)
    from groups import services as group_services

    group_services.change_member_role(membership, role="admin", actor=admin)
    return world.member_x


def erase(client: Client, user: User, email: str) -> str:
    response = client.post(
        reverse("privacy:erase", args=[user.pk]),
        {"confirm_email": email, "understood": "on"},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_staff_erase_a_former_member_and_the_groups_counts_stay(world, client_for, former_member):
    letters_before = Activity.objects.filter(allocation__group=world.group_x).count()
    mentions_before = AuditEntry.objects.filter(object_repr__contains="Max Member").count()
    assert mentions_before > 0

    html = erase(client_for("staff"), former_member, "Member.X@example.org")

    assert f"Former member {former_member.pk}" in html
    former_member.refresh_from_db()
    assert former_member.full_name == f"Former member {former_member.pk}"
    assert former_member.email == f"erased-{former_member.pk}@erased.invalid"
    assert not former_member.is_active and not former_member.has_usable_password()
    assert not Membership.objects.filter(user=former_member).exists()
    assert Activity.objects.filter(allocation__group=world.group_x).count() == letters_before
    assert Activity.objects.filter(recorded_by=former_member, count=7).exists()
    # The name and email are gone from everything stored about them.
    for entry in AuditEntry.objects.all():
        stored = f"{entry.object_repr} {entry.changes} {entry.before}"
        assert "Max Member" not in stored and "member.x@example.org" not in stored
    assert (
        AuditEntry.objects.filter(object_repr__contains=f"Former member {former_member.pk}").count()
        >= mentions_before
    )
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.full_name) == (
        former_member.email,
        former_member.full_name,
    )
    message = OutboundMessage.objects.get(idempotency_key="sent-1")
    assert (message.to_email, message.to_name, message.context) == (
        former_member.email,
        former_member.full_name,
        {},
    )
    assert AuditEntry.objects.filter(action="person.erased", actor=world.staff).exists()
    # They can no longer sign in.
    login = Client().post(
        "/accounts/login/", {"login": "member.x@example.org", "password": f.PASSWORD}
    )
    assert login.status_code == 200 and "_auth_user_id" not in login.wsgi_request.session


def test_erasing_needs_the_email_typed_and_changes_nothing_otherwise(
    world, client_for, former_member
):
    html = erase(client_for("staff"), former_member, "someone.else@example.org")

    assert "does not match" in html
    assert 'value="someone.else@example.org"' in html
    former_member.refresh_from_db()
    assert former_member.full_name == "Max Member" and former_member.is_active


def test_erasing_a_casefile_holder_is_refused_with_what_to_do_first(world, client_for):
    html = client_for("staff").get(reverse("privacy:erase", args=[world.holder_x.pk]))
    assert "They hold a casefile" in html.content.decode()
    with pytest.raises(services.PrivacyError, match="holds? a casefile"):
        services.erase_person(
            world.holder_x, confirm_email="holder.x@example.org", actor=world.staff
        )
    world.holder_x.refresh_from_db()
    assert world.holder_x.is_active


def test_erasing_someone_whose_email_is_a_groups_contact_address_is_refused(
    world, client_for, former_member
):
    world.group_y.contact_email = "Member.X@example.org"
    world.group_y.save(update_fields=["contact_email"])

    html = client_for("staff").get(reverse("privacy:erase", args=[former_member.pk]))

    assert f"contact address of {world.group_y.name}" in html.content.decode()
    with pytest.raises(services.PrivacyError, match="another contact address"):
        services.erase_person(
            former_member, confirm_email="member.x@example.org", actor=world.staff
        )
    former_member.refresh_from_db()
    assert former_member.is_active and former_member.email == "member.x@example.org"


def test_only_staff_erase_and_erasing_twice_changes_nothing(world, former_member):
    with pytest.raises(services.PrivacyError, match="Only IAR staff"):
        services.erase_person(
            former_member, confirm_email=former_member.email, actor=world.coordinator_a
        )
    services.erase_person(former_member, confirm_email=former_member.email, actor=world.staff)
    entries = AuditEntry.objects.count()
    again = services.erase_person(former_member, confirm_email="anything", actor=world.staff)
    assert again.full_name == f"Former member {former_member.pk}"
    assert AuditEntry.objects.count() == entries


def test_a_name_with_accents_is_erased_from_the_audit_too(world):
    person = f.UserFactory(full_name="Zoë Ångström", email="zoe@example.org")
    group = f.GroupFactory(name="Group Z")
    membership = f.MembershipFactory(user=person, group=group)
    from iar_site import audit

    audit.record(
        "membership.created", membership, actor=world.staff, changes={"who": "Zoë Ångström"}
    )

    services.erase_person(person, confirm_email="zoe@example.org", actor=world.staff)

    stored = str(list(AuditEntry.objects.values_list("object_repr", "changes")))
    assert "Zoë" not in stored and "Ångström" not in stored


# ---- Retention ------------------------------------------------------------------------------


def message(world, key: str, *, allocation, days_old: int, status="sent") -> OutboundMessage:
    created = timezone.now() - timedelta(days=days_old)
    return OutboundMessage.objects.create(
        idempotency_key=key,
        template="case-update",
        to_email="group@example.org",
        to_name="Group contact",
        recipient_group=allocation.group,
        case=allocation.case,
        context={"title": "News", "body": "What happened"},
        status=status,
        created_at=created,
        sent_at=created if status == "sent" else None,
    )


def test_retention_clears_old_bodies_of_ended_work_and_old_view_logs(world, settings):
    settings.MESSAGE_RETENTION_DAYS = 90
    settings.VIEW_LOG_RETENTION_DAYS = 30
    Allocation.objects.filter(pk=world.allocation_y.pk).update(
        status=Allocation.Status.ENDED,
        end_reason=Allocation.EndReason.RELINQUISHED,
        ended_on=timezone.localdate(),
    )
    ended_old = message(world, "ended-old", allocation=world.allocation_y, days_old=100)
    ended_new = message(world, "ended-new", allocation=world.allocation_y, days_old=10)
    active_old = message(world, "active-old", allocation=world.allocation_x, days_old=100)
    queued_old = message(
        world, "queued-old", allocation=world.allocation_y, days_old=100, status="queued"
    )
    old_view = AuditEntry.objects.create(
        action="case.viewed_confidential", object_type="cases.case", object_id="1",
        case_id=world.case_confidential_x.pk, at=timezone.now() - timedelta(days=31),
    )  # fmt: skip
    new_view = AuditEntry.objects.create(
        action="case.viewed_confidential", object_type="cases.case", object_id="1",
        case_id=world.case_confidential_x.pk, at=timezone.now() - timedelta(days=29),
    )  # fmt: skip
    old_change = AuditEntry.objects.create(
        action="case.paused", object_type="cases.case", object_id="1",
        at=timezone.now() - timedelta(days=400),
    )  # fmt: skip

    result = tasks.enforce_retention.apply().get()

    assert tuple(result) == (1, 1)
    for kept in (ended_new, active_old, queued_old):
        kept.refresh_from_db()
        assert kept.context == {"title": "News", "body": "What happened"}
    ended_old.refresh_from_db()
    assert ended_old.context == {} and ended_old.to_name == ""
    assert not AuditEntry.objects.filter(pk=old_view.pk).exists()
    assert AuditEntry.objects.filter(pk__in=[new_view.pk, old_change.pk]).count() == 2
    # Running it again finds nothing more to do.
    assert services.apply_retention() == services.RetentionResult(0, 0)


def test_retention_runs_daily_from_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "privacy.tasks.enforce_retention" in tasks_scheduled


def test_retention_periods_have_defaults(settings):
    del settings.VIEW_LOG_RETENTION_DAYS
    del settings.MESSAGE_RETENTION_DAYS
    assert services.view_log_retention_days() == services.DEFAULT_VIEW_LOG_RETENTION_DAYS
    assert services.message_retention_days() == services.DEFAULT_MESSAGE_RETENTION_DAYS
