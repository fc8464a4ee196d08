"""A group's counters, of open cases and of its last new case, follow every flow that changes its
allocations; the check finds a group whose counters differ (naming its id, never its name) and
`--fix` recounts them; a save of a group read a moment before never writes them back; and the
pages that now read the counters pick the same groups as the rule counted from the allocations."""

from __future__ import annotations

import importlib
import logging
import threading
import time
from datetime import datetime, timedelta
from io import StringIO
from random import Random

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F, Max
from django.utils import timezone

from cases import counts, services
from cases.counts import counter_mismatches, open_count, refresh_group_counters
from cases.models import Allocation, Case
from cases.services import allocation as allocation_services
from cases.services.loose_ends import expire_offer, withdraw_group
from cases.tasks import check_case_counters
from groups import matching
from groups.models import LocalGroup
from groups.services_manage import deactivate_group
from notifications import tasks
from reporting import dashboard
from reporting.views import HOME_LIST_LIMIT
from tests import factories as f
from tests.cases.test_case_counters import allocations_file, import_allocations
from tests.conftest import require_postgres

OPEN = ("offered", "active")


def recount(group: LocalGroup) -> int:
    """The counter as the rows say it, counted here without the code under test."""
    return Allocation.objects.filter(group=group, status__in=OPEN).count()


def recount_last_new(group: LocalGroup) -> datetime | None:
    """The group's last new case as the rows say it: its latest offer it did not decline."""
    offers = Allocation.objects.filter(group=group).exclude(end_reason="declined")
    return offers.aggregate(latest=Max("offered_at"))["latest"]


def stored(group: LocalGroup) -> int:
    return LocalGroup.objects.values_list("open_cases", flat=True).get(pk=group.pk)


def last_new(group: LocalGroup) -> datetime | None:
    return LocalGroup.objects.values_list("last_new_case_at", flat=True).get(pk=group.pk)


def assert_every_group_agrees() -> None:
    for group in LocalGroup.objects.order_by("pk"):
        assert stored(group) == recount(group), group.pk
        assert last_new(group) == recount_last_new(group), group.pk
    assert counter_mismatches() == []


# ---- The flows ------------------------------------------------------------------------------


def test_offer_accept_decline_relinquish_withdraw_expire_and_stop(world, settings):
    case = world.case_unallocated_a
    case.max_groups = 3
    case.save(update_fields=["max_groups"])
    group_z = f.GroupFactory(name="Group Z")
    assert (stored(world.group_x), stored(world.group_y), stored(group_z)) == (2, 1, 0)
    assert last_new(group_z) is None
    x_before = last_new(world.group_x)
    assert x_before == recount_last_new(world.group_x) is not None

    offer = services.allocate_case(case, world.group_y, actor=world.staff)
    assert stored(world.group_y) == 2
    assert last_new(world.group_y) == offer.offered_at
    services.accept_offer(offer, holder=world.member_y, actor=world.staff)
    assert stored(world.group_y) == 2  # offered and active are both open
    assert last_new(world.group_y) == offer.offered_at

    second = services.allocate_case(case, world.group_x, actor=world.staff)
    assert stored(world.group_x) == 3
    assert last_new(world.group_x) == second.offered_at
    services.decline_offer(second, reason="We are full this year", actor=world.staff)
    assert stored(world.group_x) == 2
    assert last_new(world.group_x) == x_before  # a declined offer was never a new case

    services.request_relinquish(offer, reason="Too few members", actor=world.member_y)
    assert stored(world.group_y) == 2  # only asked: still theirs until IAR confirm
    services.confirm_relinquish(offer, actor=world.staff)
    assert stored(world.group_y) == 1
    assert last_new(world.group_y) == offer.offered_at  # given up, but it was a new case

    direct = services.allocate_case(case, world.group_x, direct=True, actor=world.staff)
    assert stored(world.group_x) == 3
    assert last_new(world.group_x) == direct.offered_at
    withdraw_group(direct, reason="The group has closed", actor=world.staff)
    assert stored(world.group_x) == 2
    assert last_new(world.group_x) == direct.offered_at

    unanswered = services.allocate_case(case, group_z, actor=world.staff)
    assert stored(group_z) == 1
    assert last_new(group_z) == unanswered.offered_at
    later = timezone.localdate() + timedelta(days=settings.OFFER_EXPIRY_DAYS)
    assert expire_offer(unanswered, today=later)
    assert stored(group_z) == 0
    assert last_new(group_z) == unanswered.offered_at  # expired, not declined

    services.stop_case(world.case_x, reason="resolved", actor=world.staff)
    assert stored(world.group_x) == 1  # its confidential case remains
    assert last_new(world.group_x) == direct.offered_at
    assert_every_group_agrees()


def test_a_refused_allocation_leaves_the_counter_as_it_was(world):
    case = world.case_x
    case.max_groups = 1
    case.save(update_fields=["max_groups"])
    before = last_new(world.group_y)
    with pytest.raises(services.CaseError):
        services.allocate_case(case, world.group_y, actor=world.staff)
    assert stored(world.group_y) == 1
    assert last_new(world.group_y) == before
    assert_every_group_agrees()


def test_closing_a_group_hands_back_its_cases_and_counts_none(world):
    assert stored(world.group_x) == 2
    before = last_new(world.group_x)
    deactivate_group(world.group_x, actor=world.staff)
    assert stored(world.group_x) == 0
    assert last_new(world.group_x) == before  # handed back, not declined
    assert_every_group_agrees()


def test_an_allocation_import_recounts_the_groups_it_touched(
    world, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    case = world.case_unallocated_a
    started = "2025-04-01"
    row = (case.reference, world.group_y.name, "active", started, "", "", "")
    import_allocations(allocations_file(row), world.staff, django_capture_on_commit_callbacks)
    assert stored(world.group_y) == 2
    imported = Allocation.objects.get(case=case, group=world.group_y)
    assert last_new(world.group_y) == imported.offered_at

    ended = (case.reference, world.group_y.name, "ended", started, "2026-01-31", "relinquished", "")
    import_allocations(allocations_file(ended), world.staff, django_capture_on_commit_callbacks)
    assert stored(world.group_y) == 1
    assert last_new(world.group_y) == imported.offered_at
    assert_every_group_agrees()

    # A later offer imported as declined was never a new case: the last one stays.
    declined = (case.reference, world.group_y.name, "ended", "", "2026-01-31", "declined", "")
    import_allocations(allocations_file(declined), world.staff, django_capture_on_commit_callbacks)
    latest = Allocation.objects.filter(group=world.group_y).latest("offered_at")
    assert latest.end_reason == "declined" and latest.offered_at > imported.offered_at
    assert last_new(world.group_y) == imported.offered_at
    assert_every_group_agrees()


def test_the_demo_seed_leaves_every_group_counter_agreeing(db):
    call_command("seed_demo", stdout=StringIO())
    assert LocalGroup.objects.filter(open_cases__gt=0).exists()
    assert LocalGroup.objects.filter(last_new_case_at__isnull=False).exists()
    assert_every_group_agrees()


def test_a_save_of_a_group_read_before_a_change_keeps_the_new_count(world):
    # An edit form or an import reads the group, an allocation changes meanwhile, then the
    # edit is saved: the count it read must not be written back.
    stale = LocalGroup.objects.get(pk=world.group_y.pk)
    offer = services.allocate_case(world.case_unallocated_a, world.group_y, actor=world.staff)
    stale.town = "Elsewhere"
    stale.save()
    assert stored(world.group_y) == 2
    assert last_new(world.group_y) == offer.offered_at
    assert LocalGroup.objects.get(pk=world.group_y.pk).town == "Elsewhere"
    # A new group is written whole, its counter at zero.
    fresh = f.GroupFactory()
    assert (stored(fresh), last_new(fresh)) == (0, None)
    assert_every_group_agrees()


def test_the_migration_fills_the_counter_from_the_rows(world):
    LocalGroup.objects.update(open_cases=7)
    migration = importlib.import_module("groups.migrations.0006_group_open_cases")
    migration.backfill(apps, None)
    assert stored(world.group_x) == recount(world.group_x) == 2


def test_the_migration_fills_the_last_new_case_from_the_rows(world):
    # A declined offer later than the group's last new case, and a group with none at all.
    f.AllocationFactory(
        group=world.group_x,
        offered_at=timezone.now() + timedelta(days=1),
        status="ended",
        end_reason="declined",
        started_on=None,
        ended_on=timezone.localdate(),
    )
    f.GroupFactory(name="Never offered")
    LocalGroup.objects.update(last_new_case_at=timezone.now() - timedelta(days=999))
    migration = importlib.import_module("groups.migrations.0007_group_last_new_case")
    migration.backfill(apps, None)
    assert LocalGroup.objects.get(name="Never offered").last_new_case_at is None
    assert last_new(world.group_x) < timezone.now()
    assert_every_group_agrees()


# ---- The check ------------------------------------------------------------------------------


def test_the_check_names_the_groups_that_differ_by_id_and_fix_recounts_them(world):
    LocalGroup.objects.filter(pk=world.group_y.pk).update(open_cases=5)
    LocalGroup.objects.filter(pk=world.group_x.pk).update(last_new_case_at=None)
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("check_case_counters", stdout=out)
    assert failed.value.returncode == 1
    listed = out.getvalue()
    counted = recount_last_new(world.group_x)
    assert (
        f"group {world.group_x.pk}: open cases 2 stored, 2 counted; last new case none stored, "
        f"{counted.isoformat()} counted"
    ) in listed
    assert f"group {world.group_y.pk}: open cases 5 stored, 1 counted; last new case" in listed
    assert world.group_y.name not in listed  # ids only, never a name
    assert world.group_x.name not in listed

    out = StringIO()
    call_command("check_case_counters", "--fix", "--batch-size", "1", stdout=out)
    assert "Recounted the counters of 4 cases and 2 groups" in out.getvalue()
    assert stored(world.group_y) == 1
    assert last_new(world.group_x) == counted
    call_command("check_case_counters", stdout=StringIO())  # agrees again: no error
    assert_every_group_agrees()


def test_the_weekly_task_logs_group_ids_only(world, caplog):
    LocalGroup.objects.filter(pk=world.group_x.pk).update(open_cases=0)
    with caplog.at_level(logging.INFO, logger="cases.tasks"):
        assert check_case_counters.apply().get() == 1
    assert f"group {world.group_x.pk}" in caplog.text
    assert world.group_x.name not in caplog.text


def test_refresh_group_counters_recounts_the_groups_given(world):
    LocalGroup.objects.update(open_cases=9, last_new_case_at=None)
    assert refresh_group_counters([world.group_x.pk, world.group_y.pk, None]) == 2
    assert_every_group_agrees()


# ---- The same groups as the rule counted from rows ------------------------------------------


@pytest.fixture
def varied(world):
    """More groups than the home lists, of every capacity and load, some closed: written as
    rows, then counted, as a seed would."""
    rng = Random(14)
    today = timezone.localdate()
    groups = [
        f.GroupFactory(
            name=f"Group {i:03d}", capacity=rng.randint(1, 4), is_active=rng.random() < 0.85
        )
        for i in range(60)
    ]
    for i in range(50):
        case = f.CaseFactory(reference=f"IAR-G-{i:03d}", max_groups=3)
        for group in rng.sample(groups, rng.randint(0, 3)):
            state = rng.choice(["offered", "active", "active", "ended"])
            Allocation.objects.create(
                case=case,
                group=group,
                status=state,
                started_on=None if state == "offered" else today - timedelta(days=400),
                ended_on=today if state == "ended" else None,
                end_reason="declined" if state == "ended" else "",
            )
    refresh_group_counters(LocalGroup.objects.values_list("pk", flat=True))
    return world


def _counted():
    return LocalGroup.objects.annotate(n=open_count("group"))


def _names(queryset) -> list[str]:
    return list(queryset.values_list("name", flat=True))


def test_staff_home_lists_the_same_groups_in_the_same_order(varied, client_for):
    before = _counted().filter(is_active=True, n__lt=F("capacity")).order_by("n", "name")
    assert before.count() > HOME_LIST_LIMIT
    response = client_for("staff").get("/")
    listed = [group.name for group in response.context["groups_waiting"]]
    assert listed == _names(before[:HOME_LIST_LIMIT])
    assert response.context["groups_waiting_total"] == before.count()


def test_group_list_filters_dashboard_and_ranking_read_the_same_loads(varied, client_for):
    client = client_for("staff")
    rules = {
        "allocated": {"n__gte": F("capacity")},
        "under": {"n__lt": F("capacity")},
        "unallocated": {"n": 0},
    }
    for choice, rule in rules.items():
        response = client.get("/staff/groups/", {"allocation": choice, "per_page": 100})
        listed = {row.record.name for row in response.context["table"].page.object_list}
        assert listed == set(_names(_counted().filter(**rule))) and listed, choice

    figures = dashboard.counts(dashboard.Params(today=timezone.localdate()))
    active = _counted().filter(is_active=True)
    assert figures["no_case"] == active.filter(n=0).count()
    assert figures["spare_capacity"] == active.filter(n__gt=0, n__lt=F("capacity")).count()

    counted = dict(_counted().values_list("pk", "n"))
    case = Case.objects.get(reference="IAR-G-000")
    for match in matching.rank_groups_for_case(case):
        assert match.obj.open_cases == counted[match.obj.pk]


# ---- Two changes to one group at once (PostgreSQL, real threads) ----------------------------


def _allocate_at_once(group: LocalGroup, cases: list[Case], staff) -> None:
    barrier = threading.Barrier(len(cases))
    unexpected = []

    def work(case):
        try:
            barrier.wait()
            services.allocate_case(case, group, direct=True, actor=staff)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            unexpected.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not unexpected


def _recount_without_the_lock(groups) -> int:
    ids = list(groups.order_by("pk").values_list("pk", flat=True))
    return LocalGroup.objects.filter(pk__in=ids).update(open_cases=open_count("group"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lock", [True, False])
def test_many_cases_allocated_to_one_group_at_once_count_every_one(monkeypatch, lock):
    """The control run recounts without locking the group first and shows the race is real: an
    UPDATE that waited for the other's row counts from the snapshot it started with."""
    require_postgres()
    monkeypatch.setattr(tasks.send_message, "delay_on_commit", lambda *args, **kwargs: None)
    # Each allocation waits a moment before its recount, so the transactions overlap.
    monkeypatch.setattr(allocation_services, "_race_window_hook", lambda: time.sleep(0.1))
    if not lock:
        monkeypatch.setattr(counts, "_recount_groups", _recount_without_the_lock)
    staff = f.StaffFactory()
    group = f.GroupFactory(capacity=20)
    cases = [f.CaseFactory(coordinator=f.CoordinatorFactory()) for _ in range(12)]
    _allocate_at_once(group, cases, staff)
    assert recount(group) == len(cases)
    if lock:
        assert stored(group) == len(cases)
    else:
        assert stored(group) < len(cases)
