"""The scale data set's plumbing: the plan its steps share, and the writer that puts rows in.

Rows are written with PostgreSQL's COPY (batched inserts on SQLite, for the tests), with ids
chosen up front so that no row has to be read back; the plan keeps the facts later steps need.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from random import Random
from typing import Any

from django.db import connection, models
from django.utils import timezone

# id, status, opened on, closed at, coordinator id
type CaseRow = tuple[int, str, date, datetime | None, int | None]


@dataclass
class Plan:
    """Ids and the facts later tables need, kept in memory instead of read back."""

    today: date
    now: datetime
    rng: Random
    group_ids: list[int] = field(default_factory=list)
    group_weights: list[float] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)  # group id → user ids
    # allocation id → (case id, group id, holder id, started_on, ended_on or None, weight)
    allocations: list[tuple[int, int, int, int, date, date | None, float]] = field(
        default_factory=list
    )
    counts: dict[str, int] = field(default_factory=dict)


def next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def write_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (values for `columns`, plus every other column's default) into the model's
    table: COPY on PostgreSQL, batched inserts elsewhere."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    given = list(columns)
    now = timezone.now()
    extra: list[str] = []
    extra_values: list[Any] = []
    for name, f in fields.items():
        if name in given:
            continue
        if f.primary_key:
            raise ValueError(f"{model.__name__}: ids are chosen here, give {name}")
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value: Any = now
        else:
            value = f.get_default()
        extra.append(str(f.column))
        extra_values.append(f.get_db_prep_save(value, connection))
    cols = [str(fields[c].column) for c in given] + extra
    table = connection.ops.quote_name(model._meta.db_table)
    col_sql = ", ".join(connection.ops.quote_name(c) for c in cols)
    written = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3: COPY FROM STDIN through the driver
            with raw.copy(f"COPY {table} ({col_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *extra_values))
                    written += 1
            # Table names come from the models, never from input.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {table}))"
            )
        return written
    prepped = [fields[c] for c in given]
    marks = ", ".join(["%s"] * len(cols))
    sql = f"INSERT INTO {table} ({col_sql}) VALUES ({marks})"  # noqa: S608 (names from models)
    with connection.cursor() as cursor:
        for batch in batched(rows, 2000):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(v, connection) for f, v in zip(prepped, row, strict=True)]
                    + extra_values
                    for row in batch
                ],
            )
            written += len(batch)
    return written


def batched(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    it = iter(rows)
    while batch := list(itertools.islice(it, size)):
        yield batch
