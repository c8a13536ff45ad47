"""Schema migrations: one SQL file per version (``NNNN_name.sql``), applied in order at start.

Why a small runner and not Alembic: the centre has no ORM, its SQL is written once for SQLite
and PostgreSQL, and a migration here is a handful of portable statements. A version table, a
lock and ``sorted(glob)`` do the job in sixty lines without a second schema language.

Several instances starting at once on one database take a lock first, so exactly one upgrades
and the others find the work done: on PostgreSQL a transaction-level advisory lock (the whole
upgrade is one transaction, DDL included), on SQLite ``BEGIN IMMEDIATE`` (the write lock).
A database made by the release before migrations (tables, no ``schema_version``) is recorded
as version 1 and upgraded from there.

Most statements are portable. What cannot be (a trigger is ``BEGIN ... END`` in SQLite and a
PL/pgSQL function in PostgreSQL) sits under a ``-- engine: sqlite`` or ``-- engine:
postgresql`` line, up to the next ``-- engine:`` line (``-- engine: all`` goes back to
portable). Statements end at a ``;`` outside strings, ``$$`` bodies and (SQLite) a
trigger's ``BEGIN ... END``, which SQLite's own ``sqlite3.complete_statement`` recognises.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from central.db import Database, Transaction

HERE = Path(__file__).parent
# Any fixed 64-bit number, the same in every instance: "the centre's schema lock".
ADVISORY_LOCK_KEY = 0x6861_6C6C_6B69_6F73 >> 1


ENGINES = ("sqlite", "postgresql")


def steps(engine: str = "sqlite") -> list[tuple[int, str, list[str]]]:
    """(version, file name, statements for ``engine``) for every migration file, in order."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    out = []
    for path in sorted(HERE.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        statements = [sql for only, sql in parse(path.read_text(encoding="utf-8"), path.name)
                      if only in (None, engine)]
        out.append((int(path.name[:4]), path.name, statements))
    versions = [v for v, _n, _s in out]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migration files must be numbered 1..n without gaps: {versions}")
    return out


def parse(text: str, name: str = "<sql>") -> list[tuple[str | None, str]]:
    """(engine or None for both, statement) for each statement of one migration file."""
    out: list[tuple[str | None, str]] = []
    only: str | None = None
    buffer = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("--"):
            marker = stripped[2:].strip()
            if marker.startswith("engine:"):
                if buffer.strip():
                    raise RuntimeError(f"{name}: a statement runs into '{stripped}'")
                wanted = marker.removeprefix("engine:").strip()
                if wanted not in (*ENGINES, "all"):
                    raise RuntimeError(f"{name}: unknown engine in '{stripped}'")
                only = None if wanted == "all" else wanted
            continue
        for part in line.split(";")[:-1]:
            buffer += part + ";"
            if _complete(buffer, only):
                out.append((only, buffer.strip().removesuffix(";").strip()))
                buffer = ""
        buffer += line.split(";")[-1] + "\n"
    if buffer.strip():  # the last statement may go without its ';'
        out.append((only, buffer.strip().removesuffix(";").strip()))
    return [(engine, sql) for engine, sql in out if sql]


def _complete(sql: str, engine: str | None) -> bool:
    """A whole statement: no open string or $$ body; for SQLite, no open trigger body either
    (``sqlite3.complete_statement``, which would also wait for a BEGIN after PostgreSQL's
    ``CREATE TRIGGER``, so it judges only SQLite's text)."""
    if sql.count("$$") % 2 or sql.count("'") % 2:
        return False
    return engine == "postgresql" or sqlite3.complete_statement(sql)


LATEST = steps()[-1][0]


def _has_table(tx: Transaction, name: str, postgres: bool) -> bool:
    if postgres:
        return tx.scalar("SELECT to_regclass(?) IS NOT NULL", (name,)) is True
    return tx.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                     (name,)) is not None


def current_version(tx: Transaction, postgres: bool) -> int:
    if _has_table(tx, "schema_version", postgres):
        return int(tx.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version") or 0)
    return 1 if _has_table(tx, "kiosks", postgres) else 0


def upgrade(db: Database, target: int | None = None) -> tuple[int, int]:
    """Bring the schema to ``target`` (default: the latest); return (before, after)."""
    target = LATEST if target is None else target
    with db.write() as tx:
        if db.is_postgres:
            tx.execute(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})")
        before = current_version(tx, db.is_postgres)
        if before > LATEST:
            raise RuntimeError(f"database schema is version {before}, newer than this "
                               f"release knows ({LATEST}): upgrade the centre")
        if not _has_table(tx, "schema_version", db.is_postgres):
            tx.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                       "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            if before == 1:  # made by the release before migrations
                tx.execute("INSERT INTO schema_version VALUES (1, ?, ?)",
                           ("0001_initial.sql (found)", _now()))
        for version, name, statements in steps("postgresql" if db.is_postgres
                                                        else "sqlite"):
            if before < version <= target:
                for statement in statements:
                    tx.execute(statement)
                tx.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                           (version, name, _now()))
        return before, max(before, target)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
