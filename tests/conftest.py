"""Personas shared by every test, and switches for tests that need real services.

Personas: staff; coordinator A (covers country A) and coordinator B (covers country B); holder and
member of group X (working on a case in country A); member of group Y (a case in country B); an
outsider with a login but no role; an anonymous visitor.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.test import Client

from cases.models import Case
from iar_site.celery import app as celery_app

from . import factories as f


def _in_ci() -> bool:
    return bool(os.environ.get("CI"))


def require_postgres() -> None:
    """Skip without PostgreSQL, except in CI where a missing service must fail the run."""
    if settings.USING_POSTGRES:
        return
    if _in_ci():
        pytest.fail("CI is set but DATABASE_URL does not point at PostgreSQL")
    pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


def require_redis() -> None:
    if settings.REDIS_URL:
        return
    if _in_ci():
        pytest.fail("CI is set but REDIS_URL is not set")
    pytest.skip("needs Redis: set REDIS_URL=redis://...")


@receiver(setting_changed)
def _celery_follows_eager_setting(setting, value, **kwargs) -> None:
    # Celery reads Django's settings once, when its configuration is first used: a test that turns
    # eager mode on with the `settings` fixture must reach the running app, and be undone with it,
    # whichever test happened to touch Celery first.
    if setting == "CELERY_TASK_ALWAYS_EAGER":
        celery_app.conf.task_always_eager = bool(value)


@pytest.fixture(autouse=True)
def _no_real_broker(settings, tmp_path):
    # Unit tests never publish to a real broker: on-commit task calls run in-process only when a
    # test asks (django_capture_on_commit_callbacks). Integration tests opt back in.
    settings.CELERY_BROKER_URL = "memory://"
    # Django's test runner already swaps every mailer for the in-memory one (mail.outbox).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MFA_REQUIRED_FOR_STAFF = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class World:
    staff: object
    coordinator_a: object
    coordinator_b: object
    holder_x: object
    member_x: object
    member_y: object
    outsider: object
    country_a: object
    country_b: object
    group_x: object
    group_y: object
    case_x: Case
    case_y: Case
    case_unallocated_a: Case
    case_confidential_x: Case
    allocation_x: object
    allocation_y: object
    allocation_confidential_x: object


@pytest.fixture
def world(db) -> World:
    country_a = f.CountryFactory(name="Country A")
    country_b = f.CountryFactory(name="Country B")
    staff = f.StaffFactory(email="staff@example.org", full_name="Sam Staff")
    coordinator_a = f.CoordinatorFactory(
        user__email="coord.a@example.org",
        user__full_name="Ada Coordinator",
        countries=[country_a],
    )
    coordinator_b = f.CoordinatorFactory(
        user__email="coord.b@example.org",
        user__full_name="Ben Coordinator",
        countries=[country_b],
    )
    group_x = f.GroupFactory(name="Group X")
    group_y = f.GroupFactory(name="Group Y")
    holder_x = f.MembershipFactory(
        group=group_x, user__email="holder.x@example.org", user__full_name="Hana Holder"
    ).user
    member_x = f.MembershipFactory(
        group=group_x, user__email="member.x@example.org", user__full_name="Max Member"
    ).user
    member_y = f.MembershipFactory(
        group=group_y, user__email="member.y@example.org", user__full_name="Yara Member"
    ).user
    outsider = f.UserFactory(email="outsider@example.org", full_name="Otto Outsider")
    case_x = f.CaseFactory(
        reference="IAR-2026-101",
        title="Case of X",
        country=country_a,
        coordinator=coordinator_a,
        summary="Narrative of case X.",
    )
    case_y = f.CaseFactory(
        reference="IAR-2026-102",
        title="Case of Y",
        country=country_b,
        coordinator=coordinator_b,
        summary="Narrative of case Y.",
    )
    case_unallocated_a = f.CaseFactory(
        reference="IAR-2026-103",
        title="Unallocated in A",
        country=country_a,
        sensitivity=Case.Sensitivity.RESTRICTED,
        summary="Narrative of unallocated case.",
    )
    case_confidential_x = f.CaseFactory(
        reference="IAR-2026-104",
        title="Confidential of X",
        country=country_a,
        sensitivity=Case.Sensitivity.CONFIDENTIAL,
        summary="Secret narrative of X.",
    )
    f.TargetFactory(case=case_x, authority="Minister of Justice of A")
    allocation_x = f.AllocationFactory(case=case_x, group=group_x, holder=holder_x)
    allocation_y = f.AllocationFactory(case=case_y, group=group_y, holder=member_y)
    allocation_confidential_x = f.AllocationFactory(
        case=case_confidential_x, group=group_x, holder=holder_x
    )
    return World(
        staff=staff,
        coordinator_a=coordinator_a.user,
        coordinator_b=coordinator_b.user,
        holder_x=holder_x,
        member_x=member_x,
        member_y=member_y,
        outsider=outsider,
        country_a=country_a,
        country_b=country_b,
        group_x=group_x,
        group_y=group_y,
        case_x=case_x,
        case_y=case_y,
        case_unallocated_a=case_unallocated_a,
        case_confidential_x=case_confidential_x,
        allocation_x=allocation_x,
        allocation_y=allocation_y,
        allocation_confidential_x=allocation_confidential_x,
    )


PERSONAS = [
    "staff",
    "coordinator_a",
    "coordinator_b",
    "holder_x",
    "member_x",
    "member_y",
    "outsider",
    "anonymous",
]


@pytest.fixture
def client_for(world):
    """client_for("member_x") → a test client logged in as that persona (anonymous: none)."""

    def make(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(getattr(world, persona))
        return client

    return make
