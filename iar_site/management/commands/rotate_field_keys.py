"""Seal every sealed value again with the newest key of FIELD_ENCRYPTION_KEYS.

    python manage.py rotate_field_keys           re-seal what an older key sealed
    python manage.py rotate_field_keys --check   count the sealed values each key opens; no writes

The sealed columns are found from the models (fields from iar_site.fields), so this command knows
no app. Values are read and written as stored, in batches, each batch in its own transaction, and
a value is written back only if it has not changed since it was read: the site can keep running.
Running it again rewrites nothing: values the newest key opens are left alone. The steps of a
rotation are in docs/security.md.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from iar_site import crypto
from iar_site.fields import SealedMixin

BATCH = 500


def sealed_columns() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, SealedMixin)
    ]


def _names(model: type[models.Model], field: models.Field) -> tuple[str, str, str]:
    """The table, primary key and column, quoted. They come from the models, never from input."""
    quote = connection.ops.quote_name
    return (
        quote(model._meta.db_table),
        quote(str(model._meta.pk.column)),
        quote(str(field.column)),
    )


def _stored(model: type[models.Model], field: models.Field, after: Any) -> list[tuple[Any, str]]:
    """The next batch of sealed values as stored (not unsealed), by primary key."""
    table, pk, column = _names(model, field)
    sql = (
        f"SELECT {pk}, {column} FROM {table} "  # noqa: S608
        f"WHERE {column} LIKE %s AND {pk} > %s ORDER BY {pk} LIMIT {BATCH}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [crypto.PREFIX + "%", after])
        return list(cursor.fetchall())


def _write_back(model: type[models.Model], field: models.Field, rows: list[tuple]) -> int:
    table, pk, column = _names(model, field)
    sql = (
        f"UPDATE {table} SET {column} = %s "  # noqa: S608
        f"WHERE {pk} = %s AND {column} = %s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


class Command(BaseCommand):
    help = "Re-seal confidential fields with the newest key in FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="only count the sealed values each key opens; change nothing",
        )

    def handle(self, *args: Any, check: bool, **opts: Any) -> None:
        keys = Counter[int | None]()
        rewritten = 0
        for model, field in sealed_columns():
            label = f"{model._meta.label}.{field.name}"
            after: Any = 0
            column_keys = Counter[int | None]()
            while batch := _stored(model, field, after):
                after = batch[-1][0]
                changes = []
                for pk, value in batch:
                    index = crypto.key_index(value)
                    column_keys[index] += 1
                    if not check and index:
                        changes.append((crypto.rotate(value), pk, value))
                if changes:
                    rewritten += _write_back(model, field, changes)
            keys.update(column_keys)
            self.stdout.write(f"{label}: {sum(column_keys.values())} sealed")
        for index in sorted(i for i in keys if i is not None):
            which = "the newest key" if index == 0 else f"key {index + 1}"
            self.stdout.write(f"{which} opens {keys[index]}")
        if not check:
            self.stdout.write(f"re-sealed with the newest key: {rewritten}")
        if keys[None]:
            raise CommandError(
                f"{keys[None]} sealed values open with no key in FIELD_ENCRYPTION_KEYS: add back "
                "the key they were sealed with."
            )
