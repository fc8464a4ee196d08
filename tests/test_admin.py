"""The admin, as IAR staff use it: every model reachable by non-superuser staff, nobody else let
in, changelists whose query count does not grow with rows, and an audit row for every change."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from cases import services
from cases.models import (
    Allocation,
    CampaignTarget,
    Case,
    CasefileDocument,
    HolderChange,
    SavedView,
)
from coordinators.models import (
    CaseUpdate,
    CaseUpdateAttachment,
    CaseUpdateNotice,
    CountryCoordinator,
    StopRequest,
)
from groups.models import (
    Activity,
    AnnualReport,
    CaseRequest,
    InterimReport,
    LocalGroup,
    Membership,
)
from iar_site.models import AuditEntry, Heartbeat
from notifications.models import OutboundMessage, PrintBatch

from . import factories as f

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "cases", "groups", "coordinators", "notifications", "iar_site")
PROJECT_MODELS = sorted(
    model._meta.label_lower
    for app in PROJECT_APPS
    for model in apps.get_app_config(app).get_models()
)


_references = itertools.count(1)


def new_case(**kwargs) -> Case:
    # The factory's sequence would reach the world's IAR-2026-1xx references.
    return f.CaseFactory(reference=f"IAR-2099-{next(_references):04d}", **kwargs)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Dozens of logins are made per test here; the real hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


@pytest.fixture
def one_of_each(world):
    """At least one row of every model, so every change page can be opened."""
    f.CasePersonFactory(case=world.case_x, name="Person of X")
    f.ThemeFactory(name="Prisoner of conscience", slug="prisoner-of-conscience")
    CasefileDocument.objects.create(case=world.case_x, version=1, title="Casefile")
    HolderChange.objects.create(
        allocation=world.allocation_x,
        from_user=None,
        to_user=world.holder_x,
        changed_by=world.staff,
    )
    f.ActivityFactory(allocation=world.allocation_x, recorded_by=world.holder_x)
    today = timezone.localdate()
    AnnualReport.objects.create(
        allocation=world.allocation_x, period_start=today - timedelta(days=365), period_end=today
    )
    now = timezone.now()
    Invitation.objects.create(
        email="new@example.org",
        full_name="New Person",
        role=Invitation.Role.GROUP_MEMBER,
        group=world.group_x,
        invited_by=world.staff,
        expires_at=now + Invitation.VALID_FOR,
    )
    AuditEntry.objects.create(
        action="test", object_type="cases.case", object_id=str(world.case_x.pk), actor=world.staff
    )
    OutboundMessage.objects.create(
        idempotency_key="test:1", template="invitation", to_email="someone@example.org"
    )
    Heartbeat.objects.create(name="worker", at=now)
    update = CaseUpdate.objects.create(
        case=world.case_x,
        title="Released on bail",
        body="Narrative.",
        status=CaseUpdate.Status.PUBLISHED,
        published_at=now,
        author=world.coordinator_a,
    )
    CaseUpdateAttachment.objects.create(
        update=update,
        file="updates/1/a.pdf",
        original_name="statement.pdf",
        content_type="application/pdf",
        size=10,
    )
    CaseUpdateNotice.objects.create(update=update, allocation=world.allocation_x)
    CaseRequest.objects.create(group=world.group_x, requested_by=world.member_x, meeting_date=today)
    batch = PrintBatch.objects.create(created_by=world.staff)
    OutboundMessage.objects.create(
        idempotency_key="test:2",
        template="case-update",
        channel="post",
        postal_address="1 High Street",
        print_batch=batch,
    )
    SavedView.objects.create(user=world.staff, list_name="cases", name="Open cases", query="?s=o")
    StopRequest.objects.create(
        case=world.case_x,
        reason=Case.ClosingReason.choices[0][0],
        explanation="Released.",
        requested_by=world.coordinator_a,
    )
    InterimReport.objects.create(
        allocation=world.allocation_x, news="A reply came.", submitted_by=world.member_x
    )
    return world


def test_every_project_model_is_registered():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert set(PROJECT_MODELS) <= registered


@pytest.mark.parametrize("label", PROJECT_MODELS)
def test_staff_open_every_changelist_add_and_change_page(staff_client, one_of_each, label):
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    request = type("R", (), {"user": one_of_each.staff})()

    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    obj = model._default_manager.first()
    assert obj is not None
    assert staff_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    expected_add = 200 if model_admin.has_add_permission(request) else 403
    assert staff_client.get(admin_url(model, "add")).status_code == expected_add


def test_admin_index_lists_the_apps_for_staff(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    app_labels = {app["app_label"] for app in response.context["app_list"]}
    assert set(PROJECT_APPS) <= app_labels
    # Django's permission groups are not used here and are not offered.
    assert "auth" not in app_labels


def test_member_is_kept_out_of_the_admin(client, world):
    client.force_login(world.member_x)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(response["Location"]).status_code == 403
    assert client.get(admin_url(Case, "changelist")).status_code == 302
    assert client.get(admin_url(Case, "change", world.case_x.pk)).status_code == 302


def test_anonymous_visitor_is_sent_to_the_site_login(client, world):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


# Query budgets: measured with a few rows, then held with many more.


def _make_cases(world, n: int) -> list[str]:
    theme = f.ThemeFactory()
    references = []
    for _ in range(n):
        coordinator = f.CoordinatorFactory(countries=[world.country_a])
        case = new_case(coordinator=coordinator, country=f.CountryFactory())
        case.themes.add(theme)
        f.CasePersonFactory(case=case)
        f.AllocationFactory(case=case, group=f.GroupFactory())
        references.append(case.reference)
    return references


def _make_allocations(world, n: int) -> list[str]:
    references = []
    for _ in range(n):
        membership = f.MembershipFactory()
        allocation = f.AllocationFactory(
            case=new_case(),
            group=membership.group,
            holder=membership.user,
            allocated_by=world.staff,
        )
        references.append(allocation.case.reference)
    return references


def _make_groups(world, n: int) -> list[str]:
    names = []
    for _ in range(n):
        membership = f.MembershipFactory()
        f.AllocationFactory(case=new_case(), group=membership.group)
        names.append(membership.group.name)
    return names


def _make_coordinators(world, n: int) -> list[str]:
    return [
        f.CoordinatorFactory(countries=[world.country_a, f.CountryFactory()]).user.email
        for _ in range(n)
    ]


def _make_holder_changes(world, n: int) -> list[str]:
    references = []
    for _ in range(n):
        membership = f.MembershipFactory()
        allocation = f.AllocationFactory(case=new_case(), group=membership.group)
        HolderChange.objects.create(
            allocation=allocation, to_user=membership.user, changed_by=world.staff
        )
        references.append(allocation.case.reference)
    return references


def _make_activities(world, n: int) -> list[str]:
    references = []
    for _ in range(n):
        allocation = f.AllocationFactory(case=new_case(), group=f.GroupFactory())
        f.ActivityFactory(allocation=allocation, recorded_by=f.UserFactory())
        references.append(allocation.case.reference)
    return references


def _make_reports(world, n: int) -> list[str]:
    today = timezone.localdate()
    references = []
    for _ in range(n):
        allocation = f.AllocationFactory(case=new_case(), group=f.GroupFactory())
        AnnualReport.objects.create(
            allocation=allocation, period_start=today - timedelta(days=365), period_end=today
        )
        references.append(allocation.case.reference)
    return references


def _make_memberships(world, n: int) -> list[str]:
    return [f.MembershipFactory().user.email for _ in range(n)]


def _make_documents(world, n: int) -> list[str]:
    references = []
    for _ in range(n):
        case = new_case()
        CasefileDocument.objects.create(
            case=case, version=1, title="Casefile", uploaded_by=f.UserFactory()
        )
        references.append(case.reference)
    return references


def _make_targets(world, n: int) -> list[str]:
    return [f.TargetFactory(case=new_case()).case.reference for _ in range(n)]


def _make_invitations(world, n: int) -> list[str]:
    emails = []
    for i in range(n):
        inviter = f.StaffFactory()
        invitation = Invitation.objects.create(
            email=f"invited{i}.{inviter.pk}@example.org",
            full_name="Invited",
            role=Invitation.Role.GROUP_MEMBER,
            group=f.GroupFactory(),
            invited_by=inviter,
            expires_at=timezone.now() + Invitation.VALID_FOR,
        )
        emails.append(invitation.email)
    return emails


def _make_audit_entries(world, n: int) -> list[str]:
    reprs = []
    for _ in range(n):
        case = new_case()
        AuditEntry.objects.create(
            actor=f.UserFactory(),
            action="test",
            object_type="cases.case",
            object_id=str(case.pk),
            object_repr=case.reference,
        )
        reprs.append(case.reference)
    return reprs


def _make_updates(world, n: int) -> list[str]:
    references = []
    for _ in range(n):
        case = new_case()
        CaseUpdate.objects.create(case=case, title="News", body="x", author=f.UserFactory())
        references.append(case.reference)
    return references


def _make_notices(world, n: int) -> list[str]:
    references = []
    for _ in range(n):
        allocation = f.AllocationFactory(case=new_case(), group=f.GroupFactory())
        update = CaseUpdate.objects.create(case=allocation.case, title="News", body="x")
        CaseUpdateNotice.objects.create(update=update, allocation=allocation)
        references.append(allocation.case.reference)
    return references


def _make_case_requests(world, n: int) -> list[str]:
    names = []
    for _ in range(n):
        group = f.GroupFactory()
        CaseRequest.objects.create(group=group, meeting_date=timezone.localdate())
        names.append(group.name)
    return names


def _make_messages(world, n: int) -> list[str]:
    references = []
    for _ in range(n):
        case = new_case()
        OutboundMessage.objects.create(
            idempotency_key=f"test:{case.pk}",
            template="case-update",
            to_email="group@example.org",
            case=case,
            recipient_user=f.UserFactory(),
        )
        references.append(case.reference)
    return references


BUDGETS = {
    "case": (Case, _make_cases),
    "allocation": (Allocation, _make_allocations),
    "group": (LocalGroup, _make_groups),
    "coordinator": (CountryCoordinator, _make_coordinators),
    "holder_change": (HolderChange, _make_holder_changes),
    "activity": (Activity, _make_activities),
    "annual_report": (AnnualReport, _make_reports),
    "membership": (Membership, _make_memberships),
    "casefile_document": (CasefileDocument, _make_documents),
    "campaign_target": (CampaignTarget, _make_targets),
    "invitation": (Invitation, _make_invitations),
    "audit_entry": (AuditEntry, _make_audit_entries),
    "outbound_message": (OutboundMessage, _make_messages),
    "case_update": (CaseUpdate, _make_updates),
    "case_update_notice": (CaseUpdateNotice, _make_notices),
    "case_request": (CaseRequest, _make_case_requests),
}


@pytest.mark.parametrize("name", list(BUDGETS))
def test_changelist_queries_do_not_grow_with_rows(
    staff_client, world, django_assert_max_num_queries, name
):
    model, make = BUDGETS[name]
    url = admin_url(model, "changelist")
    shown = make(world, 5)
    staff_client.get(url)  # warm per-process caches (content types, site)
    with CaptureQueriesContext(connection) as few:
        response = staff_client.get(url)
    assert response.status_code == 200
    assert all(text in response.content.decode() for text in shown)
    assert len(few) <= 25, [q["sql"] for q in few.captured_queries]

    shown += make(world, 30)
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(url)
    assert response.status_code == 200
    assert all(text in response.content.decode() for text in shown)


# Search


def test_search_finds_a_case_by_reference(staff_client, world):
    response = staff_client.get(admin_url(Case, "changelist"), {"q": world.case_x.reference})
    assert response.status_code == 200
    found = list(response.context["cl"].result_list)
    assert found == [world.case_x]


def test_search_finds_a_case_by_a_person_named_in_it_once(staff_client, world):
    f.CasePersonFactory(case=world.case_y, name="Zaynab Qadir")
    f.CasePersonFactory(case=world.case_y, name="Zaynab Qadir Junior")
    response = staff_client.get(admin_url(Case, "changelist"), {"q": "Zaynab"})
    assert list(response.context["cl"].result_list) == [world.case_y]


def test_autocomplete_finds_users_for_staff(staff_client, world):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "hana",
            "app_label": "cases",
            "model_name": "allocation",
            "field_name": "holder",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(world.holder_x.pk)]


# Changing through the admin


def form_data(response) -> dict:
    """The POST a browser would send for the change form as rendered (inline forms included)."""
    data: dict = {}

    def add(form) -> None:
        for bound in form:
            widget = getattr(bound.field.widget, "widget", bound.field.widget)
            value = bound.value()
            # Fields with a callable default also send their initial value in a hidden input.
            names = [bound.html_name]
            if bound.field.show_hidden_initial:
                names.append(bound.html_initial_name)
            for name in names:
                if isinstance(widget, forms.MultiWidget):
                    parts = value if isinstance(value, list) else widget.decompress(value)
                    for i, part in enumerate(parts):
                        data[f"{name}_{i}"] = "" if part is None else part
                elif isinstance(widget, forms.CheckboxInput):
                    if value:
                        data[name] = "on"
                elif value is not None:
                    data[name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
        for form in formset.initial_forms:
            add(form)
    return data


def test_changing_a_case_in_the_admin_is_audited_without_its_narrative(staff_client, world):
    url = admin_url(Case, "change", world.case_x.pk)
    data = form_data(staff_client.get(url))
    data.update(title="Case of X, renamed", summary="New and sensitive narrative.")

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    world.case_x.refresh_from_db()
    assert world.case_x.title == "Case of X, renamed"
    entry = AuditEntry.objects.get(action="admin.changed", object_id=str(world.case_x.pk))
    assert entry.actor == world.staff
    assert entry.object_type == "cases.case"
    assert entry.changes["title"] == "Case of X, renamed"
    assert "summary" in entry.changes
    assert "sensitive narrative" not in str(entry.changes)


def test_opening_a_confidential_case_in_the_admin_is_logged(staff_client, world):
    staff_client.get(admin_url(Case, "change", world.case_confidential_x.pk))
    assert AuditEntry.objects.filter(
        action="case.viewed_confidential",
        object_id=str(world.case_confidential_x.pk),
        actor=world.staff,
    ).exists()


def test_stopping_a_case_in_the_admin_is_refused_with_the_way_to_do_it(staff_client, world):
    # Stopping must end allocations, cancel messages and tell every group: only the staff page
    # (and its service) does that, so the admin refuses and says where to go.
    url = admin_url(Case, "change", world.case_x.pk)
    for status in ("closed", "paused"):
        data = form_data(staff_client.get(url))
        data.update(status=status, closing_reason="resolved")
        response = staff_client.post(url, data)
        assert response.status_code == 200
        assert "from its staff page" in response.content.decode()
        world.case_x.refresh_from_db()
        assert world.case_x.status == "open"
    data = form_data(staff_client.get(url))
    data.update(status="draft")
    assert staff_client.post(url, data).status_code == 302
    world.case_x.refresh_from_db()
    assert world.case_x.status == "draft"


def test_adding_a_target_through_the_case_is_audited(staff_client, world):
    url = admin_url(Case, "change", world.case_y.pk)
    data = form_data(staff_client.get(url))
    data.update(
        {
            "targets-TOTAL_FORMS": 1,
            "targets-0-case": world.case_y.pk,
            "targets-0-authority": "Prosecutor General of B",
            "targets-0-postal_address": "1 Court Street",
            "targets-0-salutation": "Dear Prosecutor",
            "targets-0-valid_from": timezone.localdate().isoformat(),
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    target = world.case_y.targets.get()
    assert target.created_by == world.staff
    # Through the targets service: its audit row, which never copies the address.
    entry = AuditEntry.objects.get(action="target.added", object_type="cases.campaigntarget")
    assert entry.object_id == str(target.pk)
    assert entry.actor == world.staff
    assert entry.changes["authority"] == "Prosecutor General of B"
    assert "1 Court Street" not in str(entry.changes)


def test_changing_the_holder_in_the_admin_records_a_holder_change(staff_client, world):
    url = admin_url(Allocation, "change", world.allocation_x.pk)
    data = form_data(staff_client.get(url))
    data["holder"] = world.member_x.pk
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = HolderChange.objects.get(allocation=world.allocation_x)
    assert (change.from_user, change.to_user, change.changed_by) == (
        world.holder_x,
        world.member_x,
        world.staff,
    )
    entry = AuditEntry.objects.get(
        action="admin.changed", object_type="cases.allocation", actor=world.staff
    )
    assert entry.changes == {"holder": str(world.member_x)}


def test_a_holder_named_in_the_admin_goes_through_the_holder_service(staff_client, world):
    allocation = world.allocation_confidential_x
    url = admin_url(Allocation, "change", allocation.pk)
    data = form_data(staff_client.get(url))
    data["holder"] = world.member_x.pk
    assert staff_client.post(url, data).status_code == 302
    allocation.refresh_from_db()
    assert allocation.holder == world.member_x  # IAR staff may approve, so it applies at once
    change = HolderChange.objects.get(allocation=allocation)
    assert (change.status, change.decided_by) == ("approved", world.staff)
    grant = AuditEntry.objects.get(action="allocation.holder_changed", actor=world.staff)
    assert grant.changes["holder"] == [world.holder_x.pk, world.member_x.pk]
    assert OutboundMessage.objects.filter(template="holder-changed").exists()


def test_the_admin_leaves_a_waiting_holder_request_to_be_decided(staff_client, world):
    allocation = world.allocation_confidential_x
    services.change_holder(allocation, to_user=world.member_x, actor=world.holder_x)
    url = admin_url(Allocation, "change", allocation.pk)
    data = form_data(staff_client.get(url))
    data["holder"] = world.member_x.pk
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "waiting for approval" in response.content.decode()
    allocation.refresh_from_db()
    assert allocation.holder == world.holder_x


def test_holder_from_another_group_is_refused(staff_client, world):
    url = admin_url(Allocation, "change", world.allocation_x.pk)
    data = form_data(staff_client.get(url))
    data["holder"] = world.member_y.pk
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "must be a member of Group X" in response.content.decode()
    assert not HolderChange.objects.exists()


def test_allocating_in_the_admin_is_refused_with_the_way_to_do_it(staff_client, world):
    # Allocating checks capacity under a lock and tells the group and the coordinator: only the
    # case's staff page (and its service) does that, so the admin offers no add form and links
    # each allocation to that page.
    world.case_x.max_groups = 1
    world.case_x.save()
    url = admin_url(Allocation, "add")
    assert staff_client.get(url).status_code == 403
    response = staff_client.post(
        url,
        {
            "case": world.case_x.pk,
            "group": world.group_y.pk,
            "status": "offered",
            "offered_at_0": timezone.localdate().isoformat(),
            "offered_at_1": "10:00:00",
        },
    )
    assert response.status_code == 403
    assert world.case_x.allocations.count() == 1
    page = staff_client.get(admin_url(Allocation, "change", world.allocation_x.pk))
    assert reverse("staff:case", args=[world.case_x.reference]) in page.content.decode()


def test_deleting_a_membership_is_audited(staff_client, world):
    membership = Membership.objects.get(user=world.member_x)
    url = admin_url(Membership, "delete", membership.pk)
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # Through the group service, which records the removal under its own name.
    entry = AuditEntry.objects.get(action="membership.removed")
    assert (entry.object_type, entry.object_id, entry.actor) == (
        "groups.membership",
        str(membership.pk),
        world.staff,
    )


def test_bulk_delete_action_is_audited(staff_client, world):
    themes = [f.ThemeFactory(), f.ThemeFactory()]
    response = staff_client.post(
        reverse("admin:cases_theme_changelist"),
        {"action": "delete_selected", "_selected_action": [t.pk for t in themes], "post": "yes"},
    )
    assert response.status_code == 302
    assert (
        AuditEntry.objects.filter(
            action="admin.deleted", object_type="cases.theme", actor=world.staff
        ).count()
        == 2
    )


# Users


def test_staff_add_a_user_by_email(staff_client, world):
    response = staff_client.post(
        admin_url(User, "add"),
        {
            "email": "New.Person@Example.org",
            "full_name": "New Person",
            "usable_password": "true",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "New Person"
    assert user.check_password("a-long-and-unusual-passphrase")
    assert not user.is_staff
    entry = AuditEntry.objects.get(action="admin.created", object_type="accounts.user")
    assert "passphrase" not in str(entry.changes)


def test_staff_cannot_make_anyone_a_superuser(staff_client, world):
    url = admin_url(User, "change", world.outsider.pk)
    data = form_data(staff_client.get(url))
    data.update(is_superuser="on", is_staff="on")
    assert staff_client.post(url, data).status_code == 302
    world.outsider.refresh_from_db()
    assert world.outsider.is_staff
    assert not world.outsider.is_superuser


def test_staff_cannot_change_a_superusers_login(staff_client, world):
    boss = f.UserFactory(is_staff=True, is_superuser=True)
    response = staff_client.get(admin_url(User, "change", boss.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    password_url = reverse("admin:auth_user_password_change", args=[boss.pk])
    assert staff_client.get(password_url).status_code == 403


# Read-only records


@pytest.mark.parametrize(
    "model", [AuditEntry, OutboundMessage, Heartbeat, HolderChange, CaseUpdateNotice, PrintBatch]
)
def test_records_cannot_be_added_changed_or_deleted(staff_client, one_of_each, model):
    obj = model._default_manager.first()
    assert staff_client.get(admin_url(model, "add")).status_code == 403
    assert staff_client.post(admin_url(model, "add"), {}).status_code == 403
    assert staff_client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    response = staff_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert staff_client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    changelist = staff_client.get(admin_url(model, "changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert model._default_manager.filter(pk=obj.pk).exists()


def test_cancel_action_only_cancels_queued_messages(staff_client, world):
    def message(key, status, **extra):
        return OutboundMessage.objects.create(
            idempotency_key=key, template="t", to_email="x@example.org", status=status, **extra
        )

    queued = message("a", "queued")
    sending = message("b", "sending")
    sent = message("c", "sent", sent_at=timezone.now())
    response = staff_client.post(
        admin_url(OutboundMessage, "changelist"),
        {"action": "cancel_queued", "_selected_action": [queued.pk, sending.pk, sent.pk]},
    )
    assert response.status_code == 302
    statuses = dict(OutboundMessage.objects.values_list("idempotency_key", "status"))
    assert statuses == {"a": "cancelled", "b": "sending", "c": "sent"}
    assert AuditEntry.objects.filter(action="outbox.cancelled", actor=world.staff).count() == 1


def test_revoking_an_invitation_stops_its_email(staff_client, world):
    now = timezone.now()
    pending = Invitation.objects.create(
        email="p@example.org",
        full_name="P",
        role=Invitation.Role.COORDINATOR,
        invited_by=world.staff,
        expires_at=now + Invitation.VALID_FOR,
    )
    accepted = Invitation.objects.create(
        email="a@example.org",
        full_name="A",
        role=Invitation.Role.COORDINATOR,
        invited_by=world.staff,
        expires_at=now + Invitation.VALID_FOR,
        accepted_at=now,
    )
    email = OutboundMessage.objects.create(
        idempotency_key=f"invitation:{pending.pk}", template="invitation", to_email=pending.email
    )
    assert staff_client.get(admin_url(Invitation, "add")).status_code == 403
    response = staff_client.post(
        admin_url(Invitation, "changelist"),
        {"action": "revoke", "_selected_action": [pending.pk, accepted.pk]},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    accepted.refresh_from_db()
    email.refresh_from_db()
    assert pending.revoked_at is not None
    assert not pending.is_pending
    assert accepted.revoked_at is None
    assert email.status == "cancelled"
    assert AuditEntry.objects.filter(action="invitation.revoked", actor=world.staff).count() == 1


def test_adding_a_member_on_the_groups_page_is_audited(staff_client, world):
    url = admin_url(LocalGroup, "change", world.group_y.pk)
    page = staff_client.get(url)
    data = form_data(page)
    add_prefix = page.context["inline_admin_formsets"][1].formset.prefix
    data.update(
        {
            f"{add_prefix}-TOTAL_FORMS": 1,
            f"{add_prefix}-0-user": world.outsider.pk,
            f"{add_prefix}-0-role": "admin",
            f"{add_prefix}-0-joined_on": timezone.localdate().isoformat(),
            f"initial-{add_prefix}-0-joined_on": timezone.localdate().isoformat(),
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.outsider, group=world.group_y)
    assert membership.role == "admin"
    entry = AuditEntry.objects.get(action="membership.created", object_type="groups.membership")
    assert entry.object_id == str(membership.pk)
    assert entry.changes["role"] == "admin"


def test_a_second_membership_in_the_same_group_is_refused(staff_client, world):
    url = admin_url(LocalGroup, "change", world.group_y.pk)
    page = staff_client.get(url)
    data = form_data(page)
    add_prefix = page.context["inline_admin_formsets"][1].formset.prefix
    data.update(
        {
            f"{add_prefix}-TOTAL_FORMS": 1,
            f"{add_prefix}-0-user": world.member_y.pk,
            f"{add_prefix}-0-role": "member",
            f"{add_prefix}-0-joined_on": timezone.localdate().isoformat(),
            f"initial-{add_prefix}-0-joined_on": timezone.localdate().isoformat(),
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Membership.objects.filter(user=world.member_y, group=world.group_y).count() == 1


def test_a_new_casefile_version_is_numbered_and_its_name_not_logged(staff_client, world):
    CasefileDocument.objects.create(case=world.case_x, version=1, title="First")
    upload = SimpleUploadedFile(
        "Name-of-the-person.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "application/pdf",
    )
    response = staff_client.post(
        admin_url(CasefileDocument, "add"),
        {
            "case": world.case_x.pk,
            "title": "Second",
            "file": upload,
            "uploaded_at_0": timezone.localdate().isoformat(),
            "uploaded_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    document = CasefileDocument.objects.get(case=world.case_x, title="Second")
    assert document.version == 2
    assert document.uploaded_by == world.staff
    assert "Name-of-the-person" not in document.file.name
    # Through the casefile service: its audit row names the version, never the uploaded name.
    entry = AuditEntry.objects.get(action="casefile.uploaded", object_type="cases.casefiledocument")
    assert entry.object_id == str(document.pk)
    assert entry.changes["version"] == 2
    assert "Name-of-the-person" not in str(entry.changes)


def test_a_casefile_that_is_not_a_document_is_refused(staff_client, world):
    upload = SimpleUploadedFile("casefile.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = staff_client.post(
        admin_url(CasefileDocument, "add"),
        {
            "case": world.case_x.pk,
            "title": "Disguised",
            "file": upload,
            "uploaded_at_0": timezone.localdate().isoformat(),
            "uploaded_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "This type of file is not accepted." in response.content.decode()
    assert not CasefileDocument.objects.exists()
