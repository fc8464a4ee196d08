"""The readable audit: a History page per case, allocation, group, membership and person, and the
log of who opened a confidential case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.models import Case
from groups import services as group_services
from groups.models import Membership
from iar_site.models import AuditEntry
from privacy import services as privacy_services
from tests import factories as f
from tests.test_admin import admin_url, form_data


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_case_history_shows_who_changed_what_before_and_after(world, client_for):
    case_services.pause_case(world.case_x, actor=world.staff)

    html = page(client_for("staff"), reverse("privacy:case_history", args=["IAR-2026-101"]))

    assert "Case paused" in html
    assert "Sam Staff" in html
    assert "<td>Status</td><td>open</td><td>paused</td>" in html


def test_case_history_includes_its_allocations_changes(world, client_for):
    allocation = world.allocation_x
    case_services.request_relinquish(allocation, reason="We are too few", actor=world.holder_x)

    html = page(client_for("staff"), reverse("privacy:case_history", args=["IAR-2026-101"]))

    assert "Allocation relinquish requested" in html
    assert "Hana Holder" in html


def test_a_change_in_the_admin_shows_the_value_before_and_after(world, client_for):
    staff = client_for("staff")
    url = admin_url(Case, "change", world.case_x.pk)
    data = form_data(staff.get(url))
    data.update(title="Case of X, renamed")
    assert staff.post(url, data).status_code == 302

    entry = AuditEntry.objects.get(action="admin.changed", object_id=str(world.case_x.pk))
    assert entry.before["title"] == "Case of X"
    html = page(staff, reverse("privacy:case_history", args=["IAR-2026-101"]))
    assert "Changed in the administration pages" in html
    assert "<td>Title</td><td>Case of X</td><td>Case of X, renamed</td>" in html


def test_group_history_keeps_a_removed_members_history(world, client_for):
    admin = f.MembershipFactory(group=world.group_x, role=Membership.Role.ADMIN).user
    membership = Membership.objects.get(user=world.member_x, group=world.group_x)
    group_services.change_member_role(membership, role="admin", actor=admin)
    group_services.remove_member(membership, actor=admin)

    staff = client_for("staff")
    group_html = page(staff, reverse("privacy:group_history", args=[world.group_x.pk]))
    membership_html = page(staff, reverse("privacy:membership_history", args=[membership.pk]))
    person_html = page(staff, reverse("privacy:person_history", args=[world.member_x.pk]))

    for html in (group_html, membership_html, person_html):
        assert "Membership role changed" in html
        assert "<td>Role</td><td>member</td><td>admin</td>" in html
        assert "Membership removed" in html


def test_group_settings_changed_by_a_service_show_before_and_after(world, client_for):
    admin = f.MembershipFactory(group=world.group_x, role=Membership.Role.ADMIN).user
    group_services.update_group_settings(world.group_x, values={"capacity": 5}, actor=admin)

    html = page(client_for("staff"), reverse("privacy:group_history", args=[world.group_x.pk]))

    assert "Group settings changed" in html
    assert f"<td>Capacity</td><td>{world.group_x.capacity}</td><td>5</td>" in html


def test_allocation_history_lists_holder_changes(world, client_for):
    case_services.change_holder(world.allocation_x, to_user=world.member_x, actor=world.staff)

    html = page(
        client_for("staff"),
        reverse("privacy:allocation_history", args=[world.allocation_x.pk]),
    )

    assert "Allocation holder changed" in html
    assert "Sam Staff" in html


def test_person_history_shows_what_they_did(world, client_for):
    case_services.pause_case(world.case_x, actor=world.staff)

    html = page(client_for("staff"), reverse("privacy:person_history", args=[world.staff.pk]))

    assert "What they did" in html
    assert "Case paused" in html


@pytest.mark.parametrize("persona", ["coordinator_a", "holder_x", "member_x", "outsider"])
def test_history_and_view_log_are_for_staff_only(world, client_for, persona):
    membership = Membership.objects.get(user=world.member_x, group=world.group_x)
    urls = [
        reverse("privacy:case_history", args=["IAR-2026-101"]),
        reverse("privacy:case_view_log", args=["IAR-2026-104"]),
        reverse("privacy:allocation_history", args=[world.allocation_x.pk]),
        reverse("privacy:group_history", args=[world.group_x.pk]),
        reverse("privacy:membership_history", args=[membership.pk]),
        reverse("privacy:person_history", args=[world.member_x.pk]),
        reverse("privacy:erase", args=[world.member_x.pk]),
    ]
    client = client_for(persona)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(world, client_for):
    response = client_for("anonymous").get(reverse("privacy:case_history", args=["IAR-2026-101"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_pages_link_to_the_history(world, client_for):
    staff = client_for("staff")
    case_html = page(staff, reverse("staff:case", args=["IAR-2026-104"]))
    assert reverse("privacy:case_history", args=["IAR-2026-104"]) in case_html
    assert reverse("privacy:case_view_log", args=["IAR-2026-104"]) in case_html
    assert (
        reverse("privacy:allocation_history", args=[world.allocation_confidential_x.pk])
        in case_html
    )
    group_html = page(staff, reverse("staff:group", args=[world.group_x.pk]))
    assert reverse("privacy:group_history", args=[world.group_x.pk]) in group_html
    user_html = page(staff, reverse("admin:accounts_user_change", args=[world.member_x.pk]))
    assert reverse("privacy:person_history", args=[world.member_x.pk]) in user_html


# ---- The view log of a confidential case ----------------------------------------------------


def test_opening_and_downloading_a_confidential_case_is_listed_for_staff(world, client_for):
    target = f.TargetFactory(case=world.case_confidential_x, authority="Prosecutor of A")
    holder = client_for("holder_x")
    reference = world.case_confidential_x.reference
    assert holder.get(reverse("groups:case", args=[reference])).status_code == 200
    letter = holder.post(
        reverse("groups:letters", args=[reference]),
        {"target": target.pk, "text": "Please act.", "action": "pdf"},
    )
    assert letter["Content-Type"] == "application/pdf"
    labels = holder.get(reverse("groups:labels", args=[reference]))
    assert labels["Content-Type"] == "application/pdf"
    client_for("coordinator_a").get(reverse("coordinators:case", args=[reference]))
    client_for("staff").get(reverse("staff:case", args=[reference]))

    staff = client_for("staff")
    log_html = page(staff, reverse("privacy:case_view_log", args=[reference]))
    history_html = page(staff, reverse("privacy:case_history", args=[reference]))

    for line in (
        "Opened the case",
        "Downloaded an appeal letter",
        "Downloaded address labels",
    ):
        assert line in log_html
        assert line not in history_html
    assert "Hana Holder" in log_html and "Ada Coordinator" in log_html
    assert AuditEntry.objects.filter(action="case.viewed_confidential", actor=world.staff).exists()
    # The log never stores the person's name (the title of a confidential case is often it).
    stored = list(AuditEntry.objects.values_list("object_repr", "changes"))
    assert "Confidential of X" not in str(stored)


def test_reading_a_case_that_is_not_confidential_is_not_logged(world, client_for):
    client_for("holder_x").get(reverse("groups:case", args=["IAR-2026-101"]))
    client_for("member_x").get(reverse("groups:labels", args=["IAR-2026-101"]))

    assert not AuditEntry.objects.filter(case_id=world.case_x.pk).exists()
    html = page(client_for("staff"), reverse("privacy:case_view_log", args=["IAR-2026-101"]))
    assert "not confidential" in html


def test_view_log_rows_belong_to_their_case(world, client_for):
    reference = world.case_confidential_x.reference
    client_for("holder_x").get(reverse("groups:case", args=[reference]))

    entry = AuditEntry.objects.get(action="case.viewed_confidential")
    assert entry.case_id == world.case_confidential_x.pk
    assert entry.actor == world.holder_x


def test_retention_sweep_is_in_the_history_as_the_system(world, client_for, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.VIEW_LOG_RETENTION_DAYS = 30
    client_for("holder_x").get(reverse("groups:case", args=["IAR-2026-104"]))
    AuditEntry.objects.filter(action="case.viewed_confidential").update(
        at=timezone.now() - timedelta(days=31)
    )
    privacy_services.apply_retention()

    sweep = AuditEntry.objects.get(action="retention.applied")
    assert sweep.actor is None
    assert sweep.changes["view_log_entries_deleted"] == 1


def test_a_person_changed_in_the_admin_shows_before_and_after(world, client_for):
    staff = client_for("staff")
    url = reverse("admin:accounts_user_change", args=[world.member_x.pk])
    data = form_data(staff.get(url))
    data.update(full_name="Max Member-Smith")
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    html = page(staff, reverse("privacy:person_history", args=[world.member_x.pk]))

    assert "Changed in the administration pages" in html
    assert "<td>Full name</td><td>Max Member</td><td>Max Member-Smith</td>" in html
