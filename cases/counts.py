"""How many open allocations a case or a group has, and the counters a case and a group keep.

`open_count` is the subquery that counts them from the rows. A case keeps two counters of its own
rows in columns, `Case.open_allocations` and `Case.latest_update_at`, and a group one,
`LocalGroup.open_cases`, so the home pages, the silent cases and the lists filter and sort on a
column rather than aggregate every open case's allocations and updates, or every group's. A group
also keeps when it last had a new case, `LocalGroup.last_new_case_at` (`last_new_case`), so
ranking groups for a case reads the group rows alone, however many allocations there are. Every
service that offers, answers, ends or imports an allocation, or publishes an update, calls
`refresh_case_counters` in its own transaction, which recounts the cases and the groups on them;
`counter_mismatches` (the `check_case_counters` command and its weekly task) recounts them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Allocation, Case
from .querysets import OPEN

# coordinators.CaseUpdate.Status.PUBLISHED: coordinators sits above cases, so its model is reached
# through the case's `updates` relation and its status named here.
UPDATE_PUBLISHED = "published"
CHUNK = 2000


def open_count(field: str) -> Coalesce:
    """Open allocations of the outer row; `field` is "case" or "group", the allocation's
    relation to that row."""
    return Coalesce(
        Subquery(
            Allocation.objects.filter(status__in=OPEN, **{field: OuterRef("pk")})
            .order_by()
            .values(field)
            # COUNT(*), not of the id: the partial unique index of open allocations by case
            # (`allocation_one_open_per_case_group`) then answers alone (an index-only scan),
            # without reading the allocation rows, once for each case the other filters leave.
            .annotate(n=Count("*"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def last_new_case() -> Subquery:
    """When the outer group was last offered a case it did not decline (its last new case), from
    its allocations: one step down the (group, offered_at) index, past any declined ones. Any
    end_reason but DECLINED counts, so an offer still open, accepted, ended or withdrawn does."""
    return Subquery(
        Allocation.objects.filter(group=OuterRef("pk"))
        .exclude(end_reason=Allocation.EndReason.DECLINED)
        .order_by("-offered_at")
        .values("offered_at")[:1]
    )


def _recounted_group() -> dict[str, Any]:
    return {"open_cases": open_count("group"), "last_new_case_at": last_new_case()}


def _update_model() -> type[models.Model]:
    return Case._meta.get_field("updates").related_model


def _group_model() -> type[models.Model]:
    # groups sits above cases: LocalGroup is reached through the allocation's relation.
    return Allocation._meta.get_field("group").related_model


def latest_published_update() -> Subquery:
    """When the outer case's latest published update was published, from the update rows (one
    step down the (case, status, published_at) index)."""
    updates = _update_model()._default_manager.filter(case=OuterRef("pk"), status=UPDATE_PUBLISHED)
    return Subquery(updates.order_by("-published_at").values("published_at")[:1])


def _recounted() -> dict[str, Any]:
    return {"open_allocations": open_count("case"), "latest_update_at": latest_published_update()}


def _recount_groups(groups: QuerySet[Any]) -> int:
    """Lock `groups` in id order, then recount both their counters in a second statement, one
    UPDATE. The lock makes two changes to one group take turns (two imports lock in the same order, so neither deadlocks),
    and the recount, a new statement, reads the rows the other committed while this one waited:
    an UPDATE that waited on the row would count from its older snapshot and lose that change."""
    with transaction.atomic(savepoint=False):
        locked = list(groups.select_for_update().order_by("pk").values_list("pk", flat=True))
        manager = _group_model()._default_manager
        return sum(
            manager.filter(pk__in=locked[i : i + CHUNK]).update(**_recounted_group())
            for i in range(0, len(locked), CHUNK)
        )


def refresh_group_counters(group_ids: Iterable[int]) -> int:
    """Recount the open cases and the last new case of the given groups from their
    allocations."""
    ids = sorted({pk for pk in group_ids if pk is not None})
    groups = _group_model()._default_manager
    return sum(
        _recount_groups(groups.filter(pk__in=ids[i : i + CHUNK])) for i in range(0, len(ids), CHUNK)
    )


def _refresh_case_rows(ids: list[int]) -> int:
    # QuerySet.update writes only these two columns (no save(), so updated_at stays as it was);
    # a long list goes in chunks, within the bound parameters every database accepts.
    return sum(
        Case.objects.filter(pk__in=ids[i : i + CHUNK]).update(**_recounted())
        for i in range(0, len(ids), CHUNK)
    )


def refresh_case_counters(case_ids: Iterable[int]) -> int:
    """Recount the counters of the given cases from their rows, in one UPDATE, then those of the
    groups with an allocation on them. Call it in the transaction that changed the rows: a
    recount (not +1/-1) cannot drift, and the rows it writes are locked until that transaction
    ends, so two changes to one case or group take turns. The case rows are written first, then
    the groups', the order every caller (which locks its case first) keeps."""
    ids = sorted({pk for pk in case_ids if pk is not None})
    refreshed = _refresh_case_rows(ids)
    on_cases = Allocation.objects.order_by()
    if len(ids) <= CHUNK:
        # A service's one case (or an import's few): their groups found and locked at once.
        groups = _group_model()._default_manager.filter(
            pk__in=on_cases.filter(case_id__in=ids).values("group_id")
        )
        _recount_groups(groups)
    else:
        group_ids: set[int] = set()
        for i in range(0, len(ids), CHUNK):
            chunk = on_cases.filter(case_id__in=ids[i : i + CHUNK])
            group_ids.update(chunk.values_list("group_id", flat=True).distinct())
        refresh_group_counters(group_ids)
    return refreshed


def _batches(model: type[models.Model], batch_size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            model._default_manager.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def refresh_all_counters(batch_size: int = 5000) -> tuple[int, int]:
    """Recount every case's counters, then every group's, a batch of rows per UPDATE (each its
    own short lock); the numbers of cases and groups recounted."""
    cases = sum(_refresh_case_rows(ids) for ids in _batches(Case, batch_size))
    groups = sum(refresh_group_counters(ids) for ids in _batches(_group_model(), batch_size))
    return cases, groups


def _when(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else "none"


@dataclass(frozen=True)
class Mismatch:
    """A case whose counters differ from a recount of its rows."""

    case_id: int
    reference: str
    open_allocations: int
    counted_open_allocations: int
    latest_update_at: datetime | None
    counted_latest_update_at: datetime | None

    @property
    def label(self) -> str:
        return self.reference

    def describe(self) -> str:
        return (
            f"{self.reference}: open allocations {self.open_allocations} stored, "
            f"{self.counted_open_allocations} counted; latest update "
            f"{_when(self.latest_update_at)} stored, {_when(self.counted_latest_update_at)} "
            "counted"
        )


@dataclass(frozen=True)
class GroupMismatch:
    """A group whose count of open cases or last new case differs from a recount of its
    allocations. Named by its id, never its name: the check's output goes to logs."""

    group_id: int
    open_cases: int
    counted_open_cases: int
    last_new_case_at: datetime | None
    counted_last_new_case_at: datetime | None

    @property
    def label(self) -> str:
        return f"group {self.group_id}"

    def describe(self) -> str:
        return (
            f"{self.label}: open cases {self.open_cases} stored, {self.counted_open_cases} "
            f"counted; last new case {_when(self.last_new_case_at)} stored, "
            f"{_when(self.counted_last_new_case_at)} counted"
        )


def _case_mismatches(batch_size: int) -> Iterator[Mismatch]:
    for ids in _batches(Case, batch_size):
        rows = (
            Case.objects.filter(pk__in=ids)
            .annotate(counted_open=open_count("case"), counted_latest=latest_published_update())
            .order_by("pk")
            .values_list(
                "pk",
                "reference",
                "open_allocations",
                "counted_open",
                "latest_update_at",
                "counted_latest",
            )
        )
        for pk, reference, stored_open, counted_open, stored_latest, counted_latest in rows:
            if stored_open != counted_open or stored_latest != counted_latest:
                yield Mismatch(
                    pk, reference, stored_open, counted_open, stored_latest, counted_latest
                )


def _group_mismatches(batch_size: int) -> Iterator[GroupMismatch]:
    model = _group_model()
    for ids in _batches(model, batch_size):
        rows = (
            model._default_manager.filter(pk__in=ids)
            .annotate(counted_open=open_count("group"), counted_last_new=last_new_case())
            .order_by("pk")
            .values_list("pk", "open_cases", "counted_open", "last_new_case_at", "counted_last_new")
        )
        for pk, stored_open, counted_open, stored_last_new, counted_last_new in rows:
            if stored_open != counted_open or stored_last_new != counted_last_new:
                yield GroupMismatch(
                    pk, stored_open, counted_open, stored_last_new, counted_last_new
                )


def counter_mismatches(batch_size: int = 5000) -> list[Mismatch | GroupMismatch]:
    """Every case, then every group, whose stored counters differ from a recount of its rows,
    a batch at a time."""
    return [*_case_mismatches(batch_size), *_group_mismatches(batch_size)]
