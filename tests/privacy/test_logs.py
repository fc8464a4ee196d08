"""No personal data in logs: canary names and emails are planted, the main flows run with every
logger at DEBUG, and no captured line may carry a canary."""

from __future__ import annotations

import logging

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.utils import timezone

from coordinators.models import CaseUpdate
from notifications.models import OutboundMessage
from notifications.tasks import send_message
from privacy import services as privacy_services
from tests import factories as f

pytestmark = pytest.mark.django_db

CANARIES = [
    "Quentin Canaryfield",
    "quentin.canary@example.org",
    "Wilhelmina Canarytoe",
    "w.canarytoe@example.org",
    "Ophelia Canarybird",
    "07700 900123",
]
APP_LOGGERS = [
    "",
    "accounts",
    "cases",
    "groups",
    "coordinators",
    "notifications",
    "privacy",
    "iar_site",
    "conversations",
    "actions",
    "reporting",
    "django.request",
    "django.security",
    "allauth",
    "celery",
]


@pytest.fixture
def first_send_fails(monkeypatch):
    """The first email fails, as a mail server that hangs up does: the failure path logs too."""
    original = EmailMultiAlternatives.send
    calls = []

    def send(self, *args, **kwargs):
        calls.append(self.to)
        if len(calls) == 1:
            raise ConnectionError(f"mail server hung up on {self.to}")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    return calls


@pytest.fixture
def debug_logs(caplog):
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    yield caplog
    for name in APP_LOGGERS[1:]:
        logging.getLogger(name).setLevel(logging.NOTSET)


def lines(records: list[logging.LogRecord]) -> list[str]:
    found = []
    for record in records:
        found.append(record.getMessage())
        found.append(repr(record.args))
        if record.exc_text:
            found.append(record.exc_text)
    return found


def test_no_canary_reaches_a_log_line(world, client_for, debug_logs, first_send_fails):
    canary = f.MembershipFactory(
        group=world.group_x,
        user__full_name="Quentin Canaryfield",
        user__email="quentin.canary@example.org",
        user__phone="07700 900123",
    ).user
    f.CasePersonFactory(case=world.case_x, name="Ophelia Canarybird")
    debug_logs.clear()  # the test's own set-up (factory_boy narrates at DEBUG) is not the app

    # Log in (once wrongly first), as the canary.
    visitor = Client()
    visitor.post("/accounts/login/", {"login": canary.email, "password": "wrong-words-1"})
    visitor.post("/accounts/login/", {"login": canary.email, "password": f.PASSWORD})
    assert "_auth_user_id" in visitor.session
    # Staff invite someone.
    invited = client_for("staff").post(
        "/invitations/new/",
        {
            "full_name": "Wilhelmina Canarytoe",
            "email": "w.canarytoe@example.org",
            "role": "group_member",
            "group": world.group_x.pk,
        },
    )
    assert invited.status_code == 302
    # The canary records an action, naming people in the notes.
    recorded = visitor.post(
        f"/groups/allocations/{world.allocation_x.pk}/record/",
        {
            "kind": "appeal_letter",
            "date": timezone.localdate().isoformat(),
            "count": "3",
            "notes": "Quentin Canaryfield wrote about Ophelia Canarybird",
        },
    )
    assert recorded.status_code in (200, 302)
    # The coordinator publishes an update about the person.
    coordinator = client_for("coordinator_a")
    coordinator.post(
        "/coordinator/cases/IAR-2026-101/updates/new/",
        {"kind": "development", "title": "News", "body": "Ophelia Canarybird was moved."},
    )
    update = CaseUpdate.objects.get()
    assert coordinator.post(f"/coordinator/updates/{update.pk}/publish/").status_code == 302
    # The outbox sends everything queued (the first send fails and is retried).
    queued = list(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED).values_list(
            "pk", flat=True
        )
    )
    assert queued
    for pk in queued:
        send_message.apply(args=[pk])
    OutboundMessage.objects.filter(status="queued").update(not_before=timezone.now())
    for pk in queued:
        send_message.apply(args=[pk])
    assert OutboundMessage.objects.filter(status=OutboundMessage.Status.SENT).exists()
    assert len(first_send_fails) > 1
    # A page that is not found, and the retention sweep, log too.
    visitor.get("/groups/cases/IAR-2026-999/")
    privacy_services.apply_retention()

    captured = lines(debug_logs.records)
    # The flows did log (the failed send, the not-found page...): the search below is not empty.
    assert any("failed" in line for line in captured), captured[:50]
    for line in captured:
        for planted in CANARIES:
            assert planted.casefold() not in line.casefold(), (planted, line)
