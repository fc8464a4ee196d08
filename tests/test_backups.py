"""make backup / make restore-check: the row-count comparison, the SQLite skip, and on PostgreSQL
a real dump restored into a new database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from iar_site.backups import (
    Target,
    create_database,
    differences,
    drop_database,
    dump,
    restore,
    row_counts,
)

from .conftest import require_postgres


def test_differences_name_each_table_that_differs():
    assert differences({"a": 1, "b": 2}, {"a": 1, "b": 2}) == []
    assert differences({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 0}) == [
        "b: 2 → 3",
        "c: missing → 0",
    ]


def test_on_sqlite_the_check_says_it_was_skipped():
    if settings.USING_POSTGRES:
        pytest.skip("the SQLite message only")
    out = StringIO()
    call_command("restore_check", stdout=out)
    assert "skipped" in out.getvalue() and "SQLite" in out.getvalue()
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("backup", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_with_the_same_rows(tmp_path):
    require_postgres()
    from tests import factories as f

    f.AllocationFactory()
    source = Target.from_settings()
    copy = source.with_name(f"{source.name}_restore_test")
    drop_database(copy)
    create_database(copy)
    try:
        restore(dump(source, tmp_path / "t.dump"), copy)
        before, after = row_counts(source), row_counts(copy)
    finally:
        drop_database(copy)
    assert before["cases_allocation"] >= 1
    assert differences(before, after) == []
