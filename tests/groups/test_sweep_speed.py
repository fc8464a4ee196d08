"""The sweep's fast paths agree with the slow ones: links built once per URL name equal reverse(),
and the outbox's bulk insert skips keys already queued (COPY on PostgreSQL, bulk_create else)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from groups.yearly import _Paths
from notifications.models import OutboundMessage
from notifications.outbox import queue_many

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "reference", ["IAR-2026-014", "SC-0000001", "A&B 1", "Ünï-7", "9000000007"]
)
def test_paths_equal_reverse(reference):
    paths = _Paths()
    for name in ("groups:case", "staff:case", "coordinators:case"):
        assert paths(name, reference) == reverse(name, args=[reference])
    assert paths("groups:report", 12, "2025-03-01") == reverse(
        "groups:report", args=[12, "2025-03-01"]
    )


def row(key, **extra):
    return {
        "idempotency_key": key,
        "template": "report-reminder",
        "context": {"case_reference": "IAR-1", "n": 1},
        "to_email": f"{key}@example.org",
        "to_name": "Someone",
        "routine": False,
        **extra,
    }


def test_queue_many_inserts_and_skips_keys_already_queued():
    queue_many([row("a"), row("b")])
    queue_many([row("b", to_name="Changed"), row("c")])
    messages = {m.idempotency_key: m for m in OutboundMessage.objects.all()}
    assert sorted(messages) == ["a", "b", "c"]
    assert messages["b"].to_name == "Someone"  # the first one queued stays
    assert messages["a"].status == OutboundMessage.Status.QUEUED
    assert messages["a"].context == {"case_reference": "IAR-1", "n": 1}
    assert messages["a"].created_at is not None
    queue_many([])
    assert OutboundMessage.objects.count() == 3
