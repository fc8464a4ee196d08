"""`seed_scale` at a tiny size: the shape the benchmark relies on, the rules every row keeps, and
that a second run is refused. The real sizes run only under `make bench`, never in `make test`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Allocation, Case
from conversations.models import Message, ReadMarker
from conversations.querysets import readable_unread_counts
from coordinators.models import CaseUpdate, CaseUpdateNotice
from demo.scale_seed import BUSY_LOGIN, GROUP_NAME, QUIET_LOGIN
from groups.cards import latest_actions, with_card_facts
from groups.models import Activity, AnnualReport, LocalGroup, Membership

pytestmark = pytest.mark.django_db

SIZES = {"groups": 12, "cases": 60, "actions": 3000}


@pytest.fixture
def scaled(db):
    out = StringIO()
    call_command("seed_scale", **SIZES, stdout=out)
    return out.getvalue()


def scale_activities():
    return Activity.objects.filter(allocation__group__name__startswith="Scale Group")


def test_sizes_and_report(scaled):
    assert "Scale data loaded" in scaled
    assert LocalGroup.objects.filter(name__startswith="Scale Group").count() == 12
    assert Case.objects.filter(reference__startswith="SC-").count() == 60
    assert scale_activities().count() == 3000
    assert AnnualReport.objects.filter(allocation__group__name__startswith="Scale").exists()
    scale_updates = CaseUpdate.objects.filter(case__reference__startswith="SC-")
    assert scale_updates.exists()
    assert CaseUpdateNotice.objects.filter(update__in=scale_updates).exists()
    # Every group has people, the first is its administrator, and all can log in.
    for group in LocalGroup.objects.filter(name__startswith="Scale Group"):
        roles = list(group.memberships.order_by("pk").values_list("role", flat=True))
        assert roles[0] == Membership.Role.ADMIN and len(roles) >= 2
    busy = User.objects.get(email=BUSY_LOGIN)
    assert busy.check_password("iar-demo-2026")


def test_busy_group_logs_far_more_than_a_quiet_one(scaled):
    per_group = dict(
        scale_activities().values_list("allocation__group__name").annotate(n=Count("pk"))
    )
    busy = per_group.get(GROUP_NAME.format(0), 0)
    others = [n for name, n in per_group.items() if name != GROUP_NAME.format(0)]
    assert busy > 3 * (sum(others) / len(others))
    assert Allocation.objects.filter(holder__email=QUIET_LOGIN).exists()


def test_rows_keep_the_rules(scaled):
    today = timezone.localdate()
    assert not scale_activities().filter(date__gt=today).exists()
    allocations = Allocation.objects.filter(group__name__startswith="Scale Group")
    # Work happens only within an allocation's active span.
    for a in allocations.filter(status=Allocation.Status.ENDED)[:50]:
        assert not a.activities.filter(date__gt=a.ended_on).exists()
        assert not a.activities.filter(date__lt=a.started_on).exists()
    # Closed cases have no active allocation; no case has more open groups than it allows.
    assert not allocations.filter(
        case__status=Case.Status.CLOSED, status=Allocation.Status.ACTIVE
    ).exists()
    crowded = (
        Case.objects.filter(reference__startswith="SC-")
        .annotate(
            open_n=Count("allocations", filter=Q(allocations__status__in=Allocation.OPEN_STATUSES))
        )
        .filter(open_n__gt=F("max_groups"))
    )
    assert not crowded.exists()
    # Five years of work, no more.
    oldest = allocations.order_by("started_on").values_list("started_on", flat=True).first()
    assert oldest is not None and (today - oldest).days <= 5 * 365


def test_a_second_run_is_refused(scaled):
    with pytest.raises(CommandError, match="already holds the scale data"):
        call_command("seed_scale", **SIZES, stdout=StringIO())


def test_card_facts_agree_with_the_rows(scaled):
    """The latest action and unread updates My cases shows per card match a plain reading."""
    cards = list(with_card_facts(Allocation.objects.filter(group__name__startswith="Scale Group")))
    latest = latest_actions(cards)
    for card in cards:
        newest = card.activities.order_by("-date", "-id").first()
        assert card.last_action_id == (newest.pk if newest else None)
        assert card.last_action_on == (newest.date if newest else None)
        if newest:
            assert latest[card.last_action_id] == newest
        assert card.unread_updates == card.update_notices.filter(read_at__isnull=True).count()


def test_busy_holders_my_cases_queries_do_not_grow_with_actions(scaled, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    busy = User.objects.get(email=BUSY_LOGIN)
    client.force_login(busy)
    url = reverse("groups:my_cases")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    allocation = Allocation.objects.filter(holder=busy, status=Allocation.Status.ACTIVE).first()
    Activity.objects.bulk_create(
        Activity(allocation=allocation, kind=Activity.Kind.APPEAL_LETTER, date=timezone.localdate())
        for _ in range(300)
    )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.status_code == 200
    assert len(after) == len(before)


def scale_messages():
    return Message.objects.filter(allocation__group__name__startswith="Scale Group")


def test_messages_keep_the_rules(scaled):
    """Most allocations have a conversation between the group's people, the case's coordinator
    and now and then IAR staff, all written while the allocation ran."""
    assert "messages: " in scaled and "read markers: " in scaled
    allocations = Allocation.objects.filter(group__name__startswith="Scale Group")
    talked = allocations.filter(messages__isnull=False).distinct().count()
    assert talked > allocations.count() / 2
    members: dict[int, set[int]] = {}
    for group_id, user_id in Membership.objects.values_list("group_id", "user_id"):
        members.setdefault(group_id, set()).add(user_id)
    staff = set(User.objects.filter(is_staff=True).values_list("pk", flat=True))
    now, today = timezone.now(), timezone.localdate()
    sides = set()
    for m in scale_messages().select_related("allocation__case__coordinator"):
        allocation, case = m.allocation, m.allocation.case
        sides.add(m.side)
        if m.side == Message.Side.GROUP:
            assert m.author_id in members[allocation.group_id]
        elif m.side == Message.Side.COORDINATOR:
            assert case.coordinator is not None and m.author_id == case.coordinator.user_id
        else:
            assert m.author_id in staff
        day = timezone.localdate(m.created_at)
        assert allocation.started_on <= day <= (allocation.ended_on or today)
        assert m.created_at <= now
        assert "Scale case" not in m.body
    assert {Message.Side.GROUP, Message.Side.COORDINATOR} <= sides


def test_read_markers_leave_some_conversations_unread(scaled):
    markers = ReadMarker.objects.filter(allocation__group__name__startswith="Scale Group")
    pairs = list(markers.values_list("allocation_id", "user_id"))
    assert pairs and len(pairs) == len(set(pairs))
    active = Allocation.objects.filter(
        group__name__startswith="Scale Group",
        status=Allocation.Status.ACTIVE,
        messages__isnull=False,
    ).distinct()
    by_holder: dict[int, list[int]] = {}
    for pk, holder_id in active.values_list("pk", "holder_id"):
        by_holder.setdefault(holder_id, []).append(pk)
    unread: dict[int, int] = {}
    for holder in User.objects.filter(pk__in=by_holder):
        counts = readable_unread_counts(holder, by_holder[holder.pk])
        unread |= {pk: n for pk, n in counts.items() if n}
    # Some holders have the latest one or two messages to read; most have read everything.
    assert 0 < len(unread) < len(active) / 2
    assert all(n <= 2 for n in unread.values())
