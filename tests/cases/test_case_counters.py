"""A case's counters (its open allocations, when its latest update was published) follow every
flow that changes those rows; the check finds a case whose counters differ and `--fix` recounts
it; and the pages that now read the counters pick the same cases as the rules counted from rows."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from io import StringIO
from random import Random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from cases import services
from cases.counts import counter_mismatches, open_count, refresh_case_counters
from cases.filters import CaseFilter
from cases.models import Allocation, Case
from cases.services.loose_ends import expire_offer, withdraw_group
from cases.tasks import check_case_counters
from coordinators import querysets as coordinator_reads
from coordinators import services as coordinator_services
from coordinators.models import CaseUpdate
from groups.matching import candidate_cases
from groups.models import LocalGroup
from iar_site.celery import app as celery_app
from reporting import dashboard
from reporting import services as imports
from tests import factories as f
from tests.coordinators.helpers import make_update

OPEN = ("offered", "active")


def recount(case: Case) -> tuple[int, object]:
    """The counters as the rows say them, counted here without the code under test."""
    open_ = Allocation.objects.filter(case=case, status__in=OPEN).count()
    latest = (
        CaseUpdate.objects.filter(case=case, status=CaseUpdate.Status.PUBLISHED)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return open_, latest


def stored(case: Case) -> tuple[int, object]:
    return Case.objects.filter(pk=case.pk).values_list("open_allocations", "latest_update_at").get()


def assert_every_case_agrees() -> None:
    for case in Case.objects.order_by("pk"):
        assert stored(case) == recount(case), case.reference
    # The same services keep the groups' counters (tests/groups/test_group_counters.py).
    for group_id, open_cases in LocalGroup.objects.values_list("pk", "open_cases"):
        counted = Allocation.objects.filter(group_id=group_id, status__in=OPEN).count()
        assert open_cases == counted, group_id
    assert counter_mismatches() == []


# ---- The flows ------------------------------------------------------------------------------


def test_offer_accept_decline_relinquish_withdraw_expire_and_stop(world, settings):
    case = world.case_unallocated_a
    case.max_groups = 3
    case.save(update_fields=["max_groups"])
    group_z = f.GroupFactory(name="Group Z")
    assert stored(case) == (0, None)

    offer = services.allocate_case(case, world.group_y, actor=world.staff)
    assert stored(case)[0] == 1
    services.accept_offer(offer, holder=world.member_y, actor=world.staff)
    assert stored(case)[0] == 1  # offered and active are both open

    second = services.allocate_case(case, world.group_x, actor=world.staff)
    assert stored(case)[0] == 2
    services.decline_offer(second, reason="We are full this year", actor=world.staff)
    assert stored(case)[0] == 1

    services.request_relinquish(offer, reason="Too few members", actor=world.member_y)
    assert stored(case)[0] == 1  # only asked: still theirs until IAR confirm
    services.confirm_relinquish(offer, actor=world.staff)
    assert stored(case)[0] == 0

    direct = services.allocate_case(case, world.group_x, direct=True, actor=world.staff)
    assert stored(case)[0] == 1
    withdraw_group(direct, reason="The group has closed", actor=world.staff)
    assert stored(case)[0] == 0

    unanswered = services.allocate_case(case, group_z, actor=world.staff)
    assert stored(case)[0] == 1
    later = timezone.localdate() + timedelta(days=settings.OFFER_EXPIRY_DAYS)
    assert expire_offer(unanswered, today=later)
    assert stored(case)[0] == 0

    assert stored(world.case_x)[0] == 1
    services.stop_case(world.case_x, reason="resolved", actor=world.staff)
    assert stored(world.case_x)[0] == 0
    assert_every_case_agrees()


def test_a_refused_allocation_leaves_the_counter_as_it_was(world):
    case = world.case_x
    case.max_groups = 1
    case.save(update_fields=["max_groups"])
    with pytest.raises(services.CaseError):
        services.allocate_case(case, world.group_y, actor=world.staff)
    assert stored(case)[0] == 1
    assert_every_case_agrees()


def test_publishing_an_update_sets_the_latest_update(world):
    case = world.case_x
    draft = make_update(case, world.coordinator_a)
    assert stored(case)[1] is None  # a draft is not news to the groups
    coordinator_services.publish_update(draft, actor=world.coordinator_a)
    draft.refresh_from_db()
    assert stored(case)[1] == draft.published_at

    newer = make_update(case, world.coordinator_a, title="More news")
    coordinator_services.publish_update(newer, actor=world.coordinator_a)
    newer.refresh_from_db()
    assert stored(case)[1] == newer.published_at > draft.published_at
    # Publishing again changes nothing; another draft neither.
    coordinator_services.publish_update(draft, actor=world.coordinator_a)
    make_update(case, world.coordinator_a, title="Not yet")
    assert stored(case)[1] == newer.published_at
    assert_every_case_agrees()


def allocations_file(*rows: tuple[str, ...]) -> SimpleUploadedFile:
    header = "case,group,status,started_on,ended_on,end_reason,holder"
    text = "\n".join([header, *(",".join(row) for row in rows)]) + "\n"
    return SimpleUploadedFile("allocations.csv", text.encode(), content_type="text/csv")


def import_allocations(upload, staff, capture):
    with capture(execute=True):
        job = imports.start_import("allocations", upload, actor=staff)
    with capture(execute=True):
        imports.confirm_import(job, actor=staff)
    job.refresh_from_db()
    assert job.status == job.Status.DONE, job.rows
    return job


def test_an_allocation_import_recounts_the_cases_it_touched(
    world, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    case = world.case_unallocated_a
    started = "2025-04-01"
    row = (case.reference, world.group_y.name, "active", started, "", "", "")
    import_allocations(allocations_file(row), world.staff, django_capture_on_commit_callbacks)
    assert stored(case)[0] == 1

    ended = (case.reference, world.group_y.name, "ended", started, "2026-01-31", "relinquished", "")
    import_allocations(allocations_file(ended), world.staff, django_capture_on_commit_callbacks)
    assert stored(case)[0] == 0
    assert_every_case_agrees()


def test_the_demo_seed_leaves_every_counter_agreeing(db):
    call_command("seed_demo", stdout=StringIO())
    assert Case.objects.filter(open_allocations__gt=0).exists()
    assert Case.objects.filter(latest_update_at__isnull=False).exists()
    assert_every_case_agrees()


# ---- The check ------------------------------------------------------------------------------


def test_the_check_names_the_cases_that_differ_and_fix_recounts_them(world):
    out = StringIO()
    call_command("check_case_counters", stdout=out)
    assert "agree" in out.getvalue()

    Case.objects.filter(pk=world.case_x.pk).update(open_allocations=5)
    Case.objects.filter(pk=world.case_y.pk).update(latest_update_at=timezone.now())
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("check_case_counters", stdout=out)
    assert failed.value.returncode == 1
    listed = out.getvalue()
    assert world.case_x.reference in listed and world.case_y.reference in listed
    assert world.case_unallocated_a.reference not in listed
    assert world.case_x.title not in listed  # references only

    out = StringIO()
    call_command("check_case_counters", "--fix", "--batch-size", "1", stdout=out)
    assert "Recounted the counters of 4 cases and 2 groups" in out.getvalue()
    assert stored(world.case_x) == (1, None)
    assert stored(world.case_y) == (1, None)
    call_command("check_case_counters", stdout=StringIO())  # agrees again: no error
    assert_every_case_agrees()


def test_the_weekly_task_logs_references_only(world, caplog):
    assert "cases.tasks.check_case_counters" in {
        entry["task"] for entry in celery_app.conf.beat_schedule.values()
    }
    with caplog.at_level(logging.INFO, logger="cases.tasks"):
        assert check_case_counters.apply().get() == 0
    Case.objects.filter(pk=world.case_confidential_x.pk).update(open_allocations=0)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="cases.tasks"):
        assert check_case_counters.apply().get() == 1
    assert world.case_confidential_x.reference in caplog.text
    assert world.case_confidential_x.title not in caplog.text


# ---- The same cases as the rules counted from rows -----------------------------------------


@pytest.fixture
def varied(world):
    """Cases of every status with none, some or all of their places taken, and updates old,
    recent and in draft: written as rows, then counted, as a seed would."""
    rng = Random(14)
    groups = [f.GroupFactory() for _ in range(4)]
    now = timezone.now()
    today = timezone.localdate()
    for i in range(40):
        status = rng.choice(["open", "open", "open", "paused", "draft"])
        case = f.CaseFactory(
            reference=f"IAR-V-{i:03d}",
            country=rng.choice([world.country_a, world.country_b]),
            status=status,
            max_groups=rng.randint(1, 3),
            opened_on=today - timedelta(days=rng.randint(0, 900)),
        )
        for group in rng.sample(groups, rng.randint(0, 3)):
            state = rng.choice(["offered", "active", "ended"])
            Allocation.objects.create(
                case=case,
                group=group,
                status=state,
                started_on=None if state == "offered" else today - timedelta(days=400),
                ended_on=today if state == "ended" else None,
                end_reason="declined" if state == "ended" else "",
            )
        for _ in range(rng.randint(0, 3)):
            published = rng.random() < 0.7
            CaseUpdate.objects.create(
                case=case,
                title="News",
                body="News",
                status="published" if published else "draft",
                published_at=now - timedelta(days=rng.randint(0, 800)) if published else None,
            )
    refresh_case_counters(Case.objects.values_list("pk", flat=True))
    return world


def _refs(queryset) -> list[str]:
    return list(queryset.values_list("reference", flat=True))


def test_silent_cases_are_the_same_cases_in_the_same_order(varied, settings):
    today = timezone.localdate()
    days = 90
    cutoff, cutoff_day = timezone.now() - timedelta(days=days), today - timedelta(days=days)
    last = Max("updates__published_at", filter=Q(updates__status="published"))
    before = (
        Case.objects.open()
        .annotate(last=last)
        .filter(Q(last__lt=cutoff) | Q(last__isnull=True, opened_on__lt=cutoff_day))
        .order_by("last", "opened_on", "reference")
    )
    settings.COORDINATOR_SILENCE_DAYS = days
    silent = _refs(coordinator_reads.silent_cases(today))
    assert silent == _refs(before) and silent

    for months in dashboard.SILENCE_MONTHS:
        day = dashboard.silence_cutoff(months, today)
        moment = timezone.make_aware(datetime.combine(day, time.min))
        recent = Case.objects.annotate(last=last).filter(
            Q(last__gte=moment) | Q(last__isnull=True, opened_on__gte=day)
        )
        old = Case.objects.open().exclude(pk__in=recent.values("pk"))
        assert set(_refs(dashboard.silent_cases(months, today))) == set(_refs(old)), months


def test_allocation_filters_staff_home_and_dashboard_pick_the_same_cases(varied, client_for):
    counted = Case.objects.annotate(open_groups=open_count("case"))
    column = Case.objects.annotate(open_groups=F("open_allocations"))
    for choice in ("allocated", "under", "unallocated"):
        old = CaseFilter({"allocation": choice}, queryset=counted).qs.order_by("reference")
        new = CaseFilter({"allocation": choice}, queryset=column).qs.order_by("reference")
        assert _refs(new) == _refs(old) and _refs(old), choice

    joined = (
        Case.objects.filter(status="open")
        .annotate(n=Count("allocations", filter=Q(allocations__status__in=OPEN)))
        .filter(n__lt=F("max_groups"))
    )
    response = client_for("staff").get("/")
    assert response.context["cases_needing_total"] == joined.count()

    old_open = Case.objects.filter(status="open").annotate(n=open_count("case"))
    figures = dashboard.counts(dashboard.Params(today=timezone.localdate()))
    assert figures["unallocated"] == old_open.filter(n=0).count()
    assert figures["under_allocated"] == old_open.filter(n__gt=0, n__lt=F("max_groups")).count()

    group = f.GroupFactory()
    assert set(_refs(candidate_cases(group))) == set(_refs(old_open.filter(n__lt=F("max_groups"))))
