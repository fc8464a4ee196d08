"""`manage.py seed_demo`: a fictional data set that keeps every rule, four working demo logins, and
a second run that adds nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from cases.models import (
    Allocation,
    CampaignTarget,
    Case,
    CasefileDocument,
    Country,
    HolderChange,
    Region,
    Theme,
)
from coordinators.models import CaseUpdate, CaseUpdateNotice, CountryCoordinator
from groups.models import Activity, AnnualReport, LocalGroup, Membership

PASSWORD = "iar-demo-2026"
SECRET = "JBSWY3DPEHPK3PXP"
LOGINS = [
    "staff@demo.example",
    "coordinator@demo.example",
    "holder@demo.example",
    "member@demo.example",
]

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def model_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def seeded() -> str:
    return seed()


def test_counts_and_coverage(seeded):
    assert Region.objects.count() == 5
    assert Country.objects.count() >= 35
    assert all(len(iso) == 2 for iso in Country.objects.values_list("iso_code", flat=True))
    assert Theme.objects.count() >= 12

    cases = Case.objects.all()
    assert cases.count() >= 100
    assert set(cases.values_list("kind", flat=True)) == set(Case.Kind.values)
    assert set(cases.values_list("status", flat=True)) == set(Case.Status.values)
    assert set(cases.values_list("sensitivity", flat=True)) == set(Case.Sensitivity.values)
    assert all(
        re.fullmatch(r"IAR-\d{4}-\d{3}", r) for r in cases.values_list("reference", flat=True)
    )
    assert not cases.filter(people__isnull=True).exists()
    assert not cases.filter(themes__isnull=True).exists()
    assert not cases.filter(Q(summary="") | Q(suggested_letter="")).exists()
    assert not cases.filter(coordinator__isnull=True).exists()
    assert set(cases.values_list("max_groups", flat=True)) <= {1, 2, 3}
    assert not cases.exclude(targets__valid_to__isnull=True).exists()  # each has a current target
    retired = CampaignTarget.objects.filter(valid_to__isnull=False)
    assert retired.exists()
    assert not retired.filter(replaced_by__isnull=True).exists()
    assert CasefileDocument.objects.filter(version=2).exists()
    assert not CasefileDocument.objects.exclude(file="").exists()

    groups = LocalGroup.objects.all()
    assert groups.count() >= 50
    assert set(groups.values_list("channel", flat=True)) == {"email", "post"}
    assert not groups.filter(channel="email", contact_email="").exists()
    assert all(name.endswith(" Amnesty Group") for name in groups.values_list("name", flat=True))
    assert set(groups.values_list("capacity", flat=True)) <= {1, 2, 3, 4}
    assert groups.filter(next_meeting__gt=timezone.localdate()).count() >= 40
    assert Membership.objects.filter(role=Membership.Role.ADMIN).exists()

    assert CountryCoordinator.objects.count() >= 10
    covered = Country.objects.annotate(n=Count("coordinators"))
    assert set(covered.values_list("n", flat=True)) == {1}

    allocations = Allocation.objects.all()
    assert set(allocations.values_list("status", flat=True)) == set(Allocation.Status.values)
    assert allocations.filter(status="active", holder__isnull=True).exists()
    assert AnnualReport.objects.filter(status="submitted").exists()
    assert AnnualReport.objects.filter(status="acknowledged").exists()
    assert Activity.objects.count() > 1000
    assert Activity.objects.exclude(outcome="").exclude(outcome_notes="").exists()


def test_rules_hold(seeded):
    today = timezone.localdate()
    assert not Activity.objects.filter(date__gt=today).exists()
    now = timezone.now()
    assert not Activity.objects.filter(created_at__gt=now).exists()
    assert not Allocation.objects.filter(
        Q(offered_at__gt=now) | Q(started_on__gt=today) | Q(ended_on__gt=today)
    ).exists()
    assert not HolderChange.objects.filter(changed_at__gt=now).exists()
    assert not CasefileDocument.objects.filter(uploaded_at__gt=now).exists()
    assert not AnnualReport.objects.filter(
        Q(submitted_at__gt=now) | Q(acknowledged_at__gt=now)
    ).exists()
    assert not Case.objects.filter(Q(opened_on__gt=today) | Q(closed_at__gt=now)).exists()

    for case in Case.objects.annotate(
        n_open=Count("allocations", filter=Q(allocations__status__in=["offered", "active"]))
    ):
        assert case.n_open <= case.max_groups, case.reference
    assert (
        not Allocation.objects.filter(status="active")
        .exclude(case__status__in=["open", "paused"])
        .exists()
    )
    closed = Allocation.objects.filter(case__status="closed")
    assert closed.exists()
    assert set(closed.values_list("status", "end_reason")) == {("ended", "case_closed")}
    assert not Allocation.objects.filter(case__status="draft").exists()

    # Active work started one to six years ago.
    earliest, latest = today - timedelta(days=6 * 366), today - timedelta(days=365)
    for allocation in Allocation.objects.filter(status="active").select_related("holder"):
        assert earliest <= allocation.started_on <= latest
        if allocation.holder is not None:
            assert Membership.objects.filter(
                user=allocation.holder, group=allocation.group_id
            ).exists()
    for activity in Activity.objects.select_related("allocation").filter(recorded_by__isnull=False)[
        :500
    ]:
        assert Membership.objects.filter(
            user=activity.recorded_by_id, group=activity.allocation.group_id
        ).exists()

    others = User.objects.exclude(email__in=LOGINS)
    assert others.exists()
    assert all(email.endswith("@demo.example") for email in others.values_list("email", flat=True))
    assert not any(user.has_usable_password() for user in others)


def test_demo_logins(seeded):
    for email in LOGINS:
        assert authenticate(email=email, password=PASSWORD) is not None, email
        assert email in seeded
    assert PASSWORD in seeded and SECRET in seeded

    staff = User.objects.get(email="staff@demo.example")
    assert staff.is_staff and staff.is_superuser
    assert staff.full_name == "Sam Patel"
    for email in ("staff@demo.example", "coordinator@demo.example"):
        totp = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
        assert decrypt(totp.data["secret"]) == SECRET

    coordinator = User.objects.get(email="coordinator@demo.example")
    countries = coordinator.coordinator_profile.countries.all()
    assert countries.count() >= 2
    with_work = countries.filter(cases__allocations__status="active").distinct()
    assert with_work.count() >= 2

    holder = User.objects.get(email="holder@demo.example")
    held = Allocation.objects.filter(holder=holder, status="active", case__status="open")
    per_group = held.values("group").annotate(n=Count("id")).order_by("-n")
    assert per_group[0]["n"] >= 2
    holder_group = per_group[0]["group"]
    assert Membership.objects.filter(user=holder, group=holder_group).exists()

    member = User.objects.get(email="member@demo.example")
    member_groups = list(Membership.objects.filter(user=member).values_list("group", flat=True))
    assert member_groups and holder_group not in member_groups
    assert Allocation.objects.filter(
        group__in=member_groups, status="active", case__status="open"
    ).exists()


def test_second_run_adds_nothing(seeded):
    before = model_counts()
    assert before["cases.Case"] >= 100
    output = seed()
    assert "nothing added" in output
    assert PASSWORD in output and SECRET in output
    assert model_counts() == before


def test_coordinators_updates_reach_only_groups_active_when_published(seeded):
    assert CaseUpdate.objects.filter(status="published").count() >= 30
    for notice in CaseUpdateNotice.objects.select_related("update", "allocation"):
        assert notice.allocation.started_on <= notice.update.published_at.date()
        assert notice.update.case_id == notice.allocation.case_id
    unread = CaseUpdateNotice.objects.filter(
        allocation__holder__email="holder@demo.example", read_at__isnull=True
    )
    assert unread.exists()  # the demo holder sees how unread news looks
