"""Fifty staff allocating the same case at once, on PostgreSQL with real threads.

The control run takes the case-row lock away and shows the race is real: more groups than the
case allows get it. The guarded run shows the lock holds: exactly max_groups succeed, everyone
else gets a clear CaseError, and nothing else is written."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from cases import services
from cases.models import Allocation, HolderChange
from cases.services import allocation as allocation_services
from iar_site.models import AuditEntry
from notifications import tasks
from notifications.models import OutboundMessage

from .. import factories as f
from ..conftest import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 50


@pytest.fixture
def setup(monkeypatch):
    require_postgres()
    # What is sent is not under test here: keep the broker out of it.
    monkeypatch.setattr(tasks.send_message, "delay_on_commit", lambda *args, **kwargs: None)
    staff = f.StaffFactory()
    coordinator = f.CoordinatorFactory()
    case = f.CaseFactory(max_groups=2, coordinator=coordinator)
    groups = [f.GroupFactory() for _ in range(THREADS)]
    return case, groups, staff


def race(case, groups, staff, *, lock: bool) -> tuple[list, list]:
    barrier = threading.Barrier(len(groups))
    successes, errors, unexpected = [], [], []

    def work(group):
        try:
            barrier.wait()
            successes.append(
                services.allocate_case(case, group, direct=True, actor=staff, _lock=lock)
            )
        except services.CaseError as exc:
            errors.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            unexpected.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(g,)) for g in groups]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not unexpected
    return successes, errors


def test_without_the_lock_more_groups_than_allowed_get_the_case(setup, monkeypatch):
    case, groups, staff = setup
    monkeypatch.setattr(allocation_services, "_race_window_hook", lambda: time.sleep(0.2))
    successes, errors = race(case, groups, staff, lock=False)
    assert len(successes) > case.max_groups
    assert Allocation.objects.filter(case=case).open().count() > case.max_groups


def test_with_the_lock_exactly_max_groups_succeed(setup, monkeypatch):
    case, groups, staff = setup
    # The same widened window as the control: the lock, not luck, keeps the count right.
    monkeypatch.setattr(allocation_services, "_race_window_hook", lambda: time.sleep(0.2))
    successes, errors = race(case, groups, staff, lock=True)
    assert len(successes) == 2
    assert len(errors) == THREADS - 2
    assert all("already has 2 of 2 groups: no place is free" in e for e in errors)
    assert Allocation.objects.filter(case=case).count() == 2
    winners = {a.pk for a in successes}
    assert set(Allocation.objects.filter(case=case).values_list("pk", flat=True)) == winners
    # Nothing written for the losers: only the winners' audit rows and notices exist.
    assert AuditEntry.objects.filter(action="allocation.made").count() == 2
    recipients = set(OutboundMessage.objects.values_list("recipient_group_id", flat=True))
    assert recipients - {None} == {a.group_id for a in successes}
    assert OutboundMessage.objects.filter(template="allocation-coordinator").count() == 2
    assert not HolderChange.objects.exists()
