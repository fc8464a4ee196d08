"""Backups of the PostgreSQL database and the check that a backup restores.

`make backup` dumps the database (pg_dump's custom format) under var/backups/. `make
restore-check` dumps it, restores the dump into a new database, compares the row count of every
table, and drops the new database: a backup nobody has restored is a hope, not a backup. The
PostgreSQL client programs (pg_dump, pg_restore) must be on the PATH.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from psycopg import sql


@dataclass(frozen=True)
class Target:
    """Where a database is, as the PostgreSQL client programs take it."""

    name: str
    host: str
    port: str
    user: str
    password: str

    @classmethod
    def from_settings(cls, name: str | None = None) -> Target:
        db: dict[str, Any] = settings.DATABASES["default"]
        return cls(
            name=name or db["NAME"],
            host=str(db.get("HOST") or ""),
            port=str(db.get("PORT") or ""),
            user=str(db.get("USER") or ""),
            password=str(db.get("PASSWORD") or ""),
        )

    def with_name(self, name: str) -> Target:
        return Target(name, self.host, self.port, self.user, self.password)

    def args(self) -> list[str]:
        args = []
        for flag, value in (("-h", self.host), ("-p", self.port), ("-U", self.user)):
            if value:
                args += [flag, value]
        return args

    def env(self) -> dict[str, str]:
        return {**os.environ, **({"PGPASSWORD": self.password} if self.password else {})}

    def connect(self, dbname: str | None = None) -> psycopg.Connection[Any]:
        return psycopg.connect(
            dbname=dbname or self.name,
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
            autocommit=True,
        )


def dump(target: Target, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", *target.args(), "-f", str(path), target.name],
        check=True,
        env=target.env(),
    )
    return path


def backup_path(target: Target) -> Path:
    return settings.VAR_DIR / "backups" / f"{target.name}-{datetime.now():%Y%m%d-%H%M%S}.dump"


def create_database(target: Target) -> None:
    with target.connect("postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))


def drop_database(target: Target) -> None:
    with target.connect("postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target.name)))


def restore(path: Path, target: Target) -> None:
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            *target.args(),
            "-d",
            target.name,
            str(path),
        ],
        check=True,
        env=target.env(),
    )


def row_counts(target: Target) -> dict[str, int]:
    """Rows in every table of the public schema."""
    with target.connect() as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            row = conn.execute(query).fetchone()
            counts[table] = int(row[0]) if row else 0
        return counts


def differences(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """What differs between two row counts, one line a table; empty when they agree."""
    lines = []
    for table in sorted(before.keys() | after.keys()):
        if before.get(table) != after.get(table):
            lines.append(f"{table}: {before.get(table, 'missing')} → {after.get(table, 'missing')}")
    return lines
