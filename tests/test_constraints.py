"""The rules the database itself enforces, so no code path (admin, shell, task) can break them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases.models import Allocation, Case
from groups.models import Activity

from . import factories as f
from .conftest import require_postgres

pytestmark = pytest.mark.django_db


def test_raw_second_open_allocation_for_same_case_and_group_is_refused_on_postgres(world):
    require_postgres()
    allocation = world.allocation_x
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_allocation (case_id, group_id, status, offered_at, started_on,"
            " end_reason, end_notes) VALUES (%s, %s, 'offered', now(), NULL, '', '')",
            [allocation.case_id, allocation.group_id],
        )


def test_second_open_allocation_is_refused_by_the_orm_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(case=world.case_x, group=world.group_x, status="offered")


def test_ended_allocation_allows_a_new_one_for_the_same_pair(world):
    allocation = world.allocation_x
    allocation.status = "ended"
    allocation.end_reason = "relinquished"
    allocation.ended_on = timezone.localdate()
    allocation.save()
    Allocation.objects.create(case=world.case_x, group=world.group_x, status="offered")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "ended"},  # no reason or date
        {"status": "active", "started_on": None},
        {"status": "active", "end_reason": "withdrawn"},  # a reason but not ended
    ],
)
def test_allocation_state_must_be_consistent(world, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.AllocationFactory(**fields)


def test_allocation_cannot_end_before_it_starts(world):
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.AllocationFactory(
            status="ended",
            started_on=today,
            ended_on=today.replace(year=today.year - 1),
            end_reason="withdrawn",
        )


@pytest.mark.parametrize("count", [0, 100_001])
def test_activity_count_is_bounded(world, count):
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(allocation=world.allocation_x, kind="appeal_letter", count=count)


def test_closed_case_needs_reason_and_date(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=world.case_x.pk).update(status="closed")
    Case.objects.filter(pk=world.case_x.pk).update(
        status="closed", closing_reason="resolved", closed_at=timezone.now()
    )


def test_case_allows_between_1_and_50_groups(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=world.case_x.pk).update(max_groups=0)


def test_email_group_needs_an_email_address(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.GroupFactory(channel="email", contact_email="")
    f.GroupFactory(channel="post", contact_email="")
