"""SQL layer of the reference server: SQLite (WAL, one writer) by default, PostgreSQL optional.

All SQL in central/ is written once with ``?`` placeholders and portable statements
(``INSERT ... ON CONFLICT ... DO UPDATE ... RETURNING`` works in SQLite >= 3.35 and PostgreSQL).
Writes go through :meth:`Database.write`, a transaction that is serialised for SQLite (one
writer connection under a lock, ``BEGIN IMMEDIATE``) and row-locked by PostgreSQL itself, so
queue numbers never repeat or skip under concurrent kiosks.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS kiosks (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_auth_failure_at TEXT
);
CREATE TABLE IF NOT EXISTS counters (
    scope TEXT NOT NULL,
    day TEXT NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (scope, day)
);
CREATE TABLE IF NOT EXISTS queues (
    matter_id TEXT NOT NULL,
    day TEXT NOT NULL,
    waiting INTEGER NOT NULL,
    waiting_priority INTEGER NOT NULL,
    PRIMARY KEY (matter_id, day)
);
CREATE TABLE IF NOT EXISTS tickets (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL,
    day TEXT NOT NULL,
    number INTEGER NOT NULL,
    display TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    priority TEXT,
    appointment_code TEXT,
    id_hash TEXT,
    status TEXT NOT NULL,
    window_no TEXT,
    created_at TEXT NOT NULL,
    called_at TEXT,
    UNIQUE (matter_id, day, number)
);
CREATE INDEX IF NOT EXISTS tickets_queue ON tickets (matter_id, day, status, number);
CREATE TABLE IF NOT EXISTS appointments (
    code TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL,
    day TEXT NOT NULL,
    id_hash TEXT,
    ticket_id TEXT
);
CREATE TABLE IF NOT EXISTS idempotency (
    kiosk_id TEXT NOT NULL,
    key TEXT NOT NULL,
    operation TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, key)
);
CREATE TABLE IF NOT EXISTS reports (
    tracking_no TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    matter_id TEXT,
    situation TEXT NOT NULL,
    description TEXT NOT NULL,
    phone TEXT NOT NULL,
    id_hash TEXT,
    language TEXT NOT NULL,
    created_at TEXT NOT NULL,
    promised_date TEXT NOT NULL,
    complexity TEXT NOT NULL,
    kind TEXT,
    unit TEXT,
    resolution TEXT,
    answer TEXT,
    status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS report_steps (
    tracking_no TEXT NOT NULL,
    step TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (tracking_no, step)
);
CREATE TABLE IF NOT EXISTS evaluations (
    id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    ticket_id TEXT,
    window_no TEXT,
    tracking_no TEXT,
    comment TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS help_calls (
    id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    location TEXT NOT NULL,
    reason TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE TABLE IF NOT EXISTS heartbeats (
    kiosk_id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS configs (
    version INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL
);
"""

MIGRATIONS = (
    "ALTER TABLE appointments ADD COLUMN id_hash TEXT",
)


class Database:
    """A SQLite file or PostgreSQL URL with one transaction API for both."""

    def __init__(self, url: str | Path, *, synchronous: str = "NORMAL") -> None:
        self.url = str(url)
        self.is_postgres = self.url.startswith(("postgres://", "postgresql://"))
        self._synchronous = synchronous
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._all: list[Any] = []
        self._all_lock = threading.Lock()
        if not self.is_postgres:
            path = self.url.removeprefix("sqlite:///").removeprefix("sqlite://")
            self._path = path
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._writer = self._connect_sqlite()
            # Checkpoints (copying the WAL into the database, with fsync) run on their own
            # thread and connection, so a request never waits for one: p99 without 10-30 ms
            # stalls every thousand pages.
            self._writer.execute("PRAGMA wal_autocheckpoint=0")
            self._stop = threading.Event()
            self._checkpointer: threading.Thread | None = None
            if path != ":memory:":
                self._checkpointer = threading.Thread(target=self._checkpoint_loop,
                                                      name="sqlite-checkpoint", daemon=True)
                self._checkpointer.start()
        else:
            self._path = ""
            self._writer = None  # type: ignore[assignment]  # PostgreSQL: never read
        with self.write() as tx:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    tx.execute(statement)
        for statement in MIGRATIONS:  # columns added after a database was first created
            try:
                with self.write() as tx:
                    tx.execute(statement)
            except Exception:  # the column exists already (no IF NOT EXISTS in SQLite)
                continue

    # -- connections -------------------------------------------------------------------------
    def _connect_sqlite(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self._path, timeout=30, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={self._synchronous}")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA cache_size=-32000")  # 32 MB: a day's queue stays in memory
        with self._all_lock:
            self._all.append(conn)
        return conn

    def _checkpoint_loop(self) -> None:
        conn = sqlite3.connect(self._path, timeout=30, isolation_level=None,
                               check_same_thread=False)
        try:
            while not self._stop.wait(1.0):
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    def _connect_postgres(self) -> Any:
        import psycopg  # optional dependency: pip install 'hall-kiosk[postgres]'

        conn = psycopg.connect(self.url, autocommit=False)
        with self._all_lock:
            self._all.append(conn)
        return conn

    def _thread_connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect_postgres() if self.is_postgres else self._connect_sqlite()
            self._local.conn = conn
        return conn

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """A read-write transaction; commits on success, rolls back on any exception."""
        if self.is_postgres:
            conn = self._thread_connection()
            try:
                yield Transaction(conn, postgres=True)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            return
        with self._write_lock:
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(conn, postgres=False)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """A read-only snapshot on this thread's own connection (readers never block writers)."""
        conn = self._thread_connection()
        if self.is_postgres:
            try:
                yield Transaction(conn, postgres=True)
            finally:
                conn.rollback()
            return
        conn.execute("BEGIN")
        try:
            yield Transaction(conn, postgres=False)
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        checkpointer = getattr(self, "_checkpointer", None)
        if checkpointer is not None:
            self._stop.set()
            checkpointer.join(timeout=5)
            self._checkpointer = None
        with self._all_lock:
            for conn in self._all:
                with contextlib.suppress(Exception):  # closing is best effort at shutdown
                    conn.close()
            self._all.clear()

    def integrity_errors(self) -> tuple[type[BaseException], ...]:
        """Exception types meaning 'a UNIQUE constraint lost a race' on this backend."""
        if self.is_postgres:
            import psycopg

            return (psycopg.errors.UniqueViolation,)
        return (sqlite3.IntegrityError,)


class Transaction:
    """Thin cursor wrapper: ``?`` placeholders everywhere, rows as dicts."""

    def __init__(self, conn: Any, *, postgres: bool) -> None:
        self._conn = conn
        self._postgres = postgres

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self._postgres:
            sql = sql.replace("?", "%s")
        cur = self._conn.cursor() if self._postgres else self._conn
        result = cur.execute(sql, tuple(params))
        return cur if self._postgres else result

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        cur = self.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cur.description]
        return dict(zip(names, row, strict=True))

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]
