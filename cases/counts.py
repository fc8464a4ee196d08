"""How many open allocations a case or a group has, as a subquery: the staff lists and the
matching of groups and cases all annotate it, so it is written once here."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Allocation
from .querysets import OPEN


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
