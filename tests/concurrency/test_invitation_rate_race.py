"""One person sending many invitations at once, on PostgreSQL with real threads.

The control run takes the inviter lock away and shows the race is real: more invitations than
INVITATIONS_PER_HOUR get through. The guarded run shows the lock holds: exactly the limit go
through, everyone else gets the clear message, and nothing else is written."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from accounts import invitations
from accounts.models import Invitation
from notifications import tasks
from notifications.models import OutboundMessage

from .. import factories as f
from ..conftest import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20
LIMIT = 3


@pytest.fixture
def setup(settings, monkeypatch):
    require_postgres()
    settings.INVITATIONS_PER_HOUR = LIMIT
    # What is sent is not under test here: keep the broker out of it.
    monkeypatch.setattr(tasks.send_message, "delay_on_commit", lambda *args, **kwargs: None)
    # The same widened gap between counting and writing in both runs: the lock, not luck,
    # keeps the count right.
    monkeypatch.setattr(invitations, "_race_window_hook", lambda: time.sleep(0.2))
    return f.StaffFactory(), f.GroupFactory()


def race(staff, group) -> tuple[list, list]:
    barrier = threading.Barrier(THREADS)
    successes, errors, unexpected = [], [], []

    def work(n: int):
        try:
            barrier.wait()
            successes.append(
                invitations.invite_person(
                    email=f"invited.{n}@example.org",
                    full_name=f"Invited Person {n}",
                    role=Invitation.Role.GROUP_MEMBER,
                    group=group,
                    actor=staff,
                )
            )
        except invitations.AccountError as exc:
            errors.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            unexpected.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not unexpected
    return successes, errors


def test_without_the_lock_more_invitations_than_allowed_go_out(setup, monkeypatch):
    staff, group = setup
    monkeypatch.setattr(invitations, "_lock_inviter", lambda actor: None)

    successes, _errors = race(staff, group)

    assert len(successes) > LIMIT
    assert Invitation.objects.filter(invited_by=staff).count() > LIMIT


def test_with_the_lock_exactly_the_limit_go_out(setup):
    staff, group = setup

    successes, errors = race(staff, group)

    assert len(successes) == LIMIT
    assert len(errors) == THREADS - LIMIT
    assert all(f"You have sent {LIMIT} invitations in the last hour" in e for e in errors)
    assert Invitation.objects.filter(invited_by=staff).count() == LIMIT
    assert OutboundMessage.objects.filter(template="invitation").count() == LIMIT
