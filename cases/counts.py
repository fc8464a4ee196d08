"""How many open allocations a case or a group has, and the counters a case keeps of its rows.

`open_count` is the subquery the staff lists and matching annotate on groups. A case keeps two
counters of its own rows in columns, `Case.open_allocations` and `Case.latest_update_at`, so the
home pages, the silent cases and the lists filter and sort on a column rather than aggregate
every open case's allocations and updates. Every service that offers, answers, ends or imports an
allocation, or publishes an update, calls `refresh_case_counters` in its own transaction;
`counter_mismatches` (the `check_case_counters` command and its weekly task) recounts them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
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


def _update_model() -> type[models.Model]:
    return Case._meta.get_field("updates").related_model


def latest_published_update() -> Subquery:
    """When the outer case's latest published update was published, from the update rows (one
    step down the (case, status, published_at) index)."""
    updates = _update_model()._default_manager.filter(case=OuterRef("pk"), status=UPDATE_PUBLISHED)
    return Subquery(updates.order_by("-published_at").values("published_at")[:1])


def _recounted() -> dict[str, Any]:
    return {"open_allocations": open_count("case"), "latest_update_at": latest_published_update()}


def refresh_case_counters(case_ids: Iterable[int]) -> int:
    """Recount the counters of the given cases from their rows, in one UPDATE. Call it in the
    transaction that changed the rows: a recount (not +1/-1) cannot drift, and the case row it
    writes is locked until that transaction ends, so two changes to one case take turns."""
    ids = sorted({pk for pk in case_ids if pk is not None})
    # QuerySet.update writes only these two columns (no save(), so updated_at stays as it was);
    # a long list goes in chunks, within the bound parameters every database accepts.
    return sum(
        Case.objects.filter(pk__in=ids[i : i + CHUNK]).update(**_recounted())
        for i in range(0, len(ids), CHUNK)
    )


def _batches(batch_size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            Case.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def refresh_all_case_counters(batch_size: int = 5000) -> int:
    """Recount every case's counters, a batch of cases per UPDATE (each its own short lock)."""
    return sum(refresh_case_counters(ids) for ids in _batches(batch_size))


@dataclass(frozen=True)
class Mismatch:
    """A case whose counters differ from a recount of its rows."""

    case_id: int
    reference: str
    open_allocations: int
    counted_open_allocations: int
    latest_update_at: datetime | None
    counted_latest_update_at: datetime | None


def counter_mismatches(batch_size: int = 5000) -> list[Mismatch]:
    """Every case whose stored counters differ from a recount of its rows, a batch at a time."""
    found = []
    for ids in _batches(batch_size):
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
                found.append(
                    Mismatch(
                        pk, reference, stored_open, counted_open, stored_latest, counted_latest
                    )
                )
    return found
