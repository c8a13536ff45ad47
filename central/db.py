"""SQL layer of the reference server: SQLite (WAL, one writer) or PostgreSQL (a pool).

All SQL in central/ is written once with ``?`` placeholders and portable statements
(``INSERT ... ON CONFLICT ... DO UPDATE ... RETURNING`` works in SQLite >= 3.35 and PostgreSQL).
Writes go through :meth:`Database.write`, a transaction that is serialised for SQLite (one
writer connection under a lock, ``BEGIN IMMEDIATE``) and row-locked by PostgreSQL itself, so
queue numbers never repeat or skip under concurrent kiosks, however many servers share it.

Connections are bounded on both engines: PostgreSQL through a ``psycopg_pool`` of
``pool_size`` connections (the event listener borrows one of them, so the server never holds
more than ``pool_size``), SQLite through one writer plus at most ``pool_size`` readers.

The schema is upgraded at start by :mod:`central.migrations` under a lock, so several
instances starting at once on one empty database agree on one upgrade.
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from central.problems import Problem

DEFAULT_POOL_SIZE = 10


class DatabaseUrlError(ValueError):
    """A --database value that is neither a SQLite path/URL nor a postgresql:// URL."""


@dataclass(frozen=True)
class DatabaseUrl:
    """A parsed --database value: ``engine`` is "sqlite" or "postgresql"."""

    engine: str
    target: str  # SQLite: a file path or ":memory:"; PostgreSQL: the full conninfo URL

    @property
    def redacted(self) -> str:
        """Safe to print or log: a PostgreSQL URL without its password."""
        if self.engine == "sqlite":
            return self.target
        return redact_url(self.target)


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def parse_database_url(value: str | Path) -> DatabaseUrl:
    """``sqlite:///abs/path``, ``sqlite:///:memory:``, a plain path, or ``postgresql://...``.

    Anything else (``mysql://``, ``sqlite://relative``, an empty value) raises
    :class:`DatabaseUrlError` with one line naming what is accepted, never echoing a password.
    """
    text = str(value).strip()
    if not text:
        raise DatabaseUrlError("--database is empty: give a file path, sqlite:///abs/path "
                               "or postgresql://user@host/dbname")
    if text in (":memory:", "sqlite:///:memory:", "sqlite://"):
        return DatabaseUrl("sqlite", ":memory:")
    if text.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(text)
        if not parts.path.strip("/") and "dbname=" not in parts.query:
            raise DatabaseUrlError(f"{redact_url(text)}: name the database, "
                                   "postgresql://user@host/dbname")
        return DatabaseUrl("postgresql", text)
    if text.startswith("sqlite:"):
        rest = text.removeprefix("sqlite:")
        if not rest.startswith("///"):
            raise DatabaseUrlError(f"{text}: a SQLite URL is sqlite:///absolute/path "
                                   "(three slashes), or give a plain file path")
        return DatabaseUrl("sqlite", "/" + rest.removeprefix("///").lstrip("/"))
    if "://" in text or (":" in text.split("/")[0] and not Path(text).drive):
        scheme = text.split(":", 1)[0]
        raise DatabaseUrlError(f"unsupported database {scheme!r}: give a file path, "
                               "sqlite:///abs/path or postgresql://user@host/dbname")
    return DatabaseUrl("sqlite", text)


def check_storable(params: Sequence[Any]) -> None:
    """Text PostgreSQL refuses (NUL, lone surrogates) is a 422 on both engines, same answer."""
    for value in params:
        if isinstance(value, str) and ("\x00" in value or not _encodable(value)):
            raise Problem("request.invalid",
                          "text contains a character that cannot be stored (NUL or an "
                          "unpaired surrogate)")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Database:
    """A SQLite file or PostgreSQL URL with one transaction API for both."""

    def __init__(self, url: str | Path, *, synchronous: str = "FULL",
                 pool_size: int = DEFAULT_POOL_SIZE, migrate: bool = True) -> None:
        self.parsed = parse_database_url(url)
        self.url = self.parsed.target
        self.is_postgres = self.parsed.engine == "postgresql"
        self.pool_size = pool_size
        self._synchronous = synchronous
        self._write_lock = threading.Lock()
        self._closed = False
        if self.is_postgres:
            self._path = ""
            self._writer: sqlite3.Connection | None = None
            self._pool = self._open_pool()
        else:
            self._pool = None
            self._path = self.url
            self._uri = False
            if self._path == ":memory:":
                # Shared-cache memory: readers are their own connections to the same data.
                self._path = f"file:central-memory-{id(self)}?mode=memory&cache=shared"
                self._uri = True
            else:
                Path(self._path).parent.mkdir(parents=True, exist_ok=True)
            self._writer = self._connect_sqlite()
            # Readers are made on first need and reused, never more than pool_size of them.
            self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
            self._reader_slots = threading.BoundedSemaphore(pool_size)
            self._reader_conns: list[sqlite3.Connection] = []
            # Checkpoints (copying the WAL into the database, with fsync) run on their own
            # thread and connection, so a request never waits for one: p99 without 10-30 ms
            # stalls every thousand pages.
            self._writer.execute("PRAGMA wal_autocheckpoint=0")
            self._stop = threading.Event()
            self._checkpointer: threading.Thread | None = None
            if not self._uri:
                self._checkpointer = threading.Thread(target=self._checkpoint_loop,
                                                      name="sqlite-checkpoint", daemon=True)
                self._checkpointer.start()
        if migrate:
            from central.migrations import upgrade

            upgrade(self)

    @property
    def redacted_url(self) -> str:
        return self.parsed.redacted

    # -- connections -------------------------------------------------------------------------
    def _open_pool(self) -> Any:
        from psycopg_pool import ConnectionPool  # pip install 'hall-kiosk[postgres]'

        # No check on checkout (a round trip per request): a connection broken by a server
        # restart fails its one request with a 503 the kiosk retries, and the pool drops it.
        pool = ConnectionPool(self.url, min_size=1, max_size=self.pool_size, timeout=30,
                              kwargs={"autocommit": True}, open=False, name="central")
        pool.open(wait=True, timeout=30)
        return pool

    def _connect_sqlite(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self._path, timeout=30, isolation_level=None,
                               check_same_thread=False, uri=self._uri)
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: every commit is fsynced before the answer goes out, so an acknowledged report
        # or number survives a power cut (NORMAL in WAL mode may lose the last commits).
        conn.execute(f"PRAGMA synchronous={self._synchronous}")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA cache_size=-32000")  # 32 MB: a day's queue stays in memory
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

    @contextmanager
    def _sqlite_reader(self) -> Iterator[sqlite3.Connection]:
        """A reader from the pool of at most ``pool_size`` (made on first need, then reused)."""
        if not self._reader_slots.acquire(timeout=30):
            raise Problem("server.unavailable", "all database readers are busy")
        try:
            try:
                conn = self._readers.get_nowait()
            except queue.Empty:
                conn = self._connect_sqlite()
                self._reader_conns.append(conn)
            try:
                yield conn
            finally:
                self._readers.put(conn)
        finally:
            self._reader_slots.release()

    @contextmanager
    def _pooled(self) -> Iterator[Any]:
        """A pooled PostgreSQL connection; none free within 30 s (or no server) is a 503."""
        from psycopg import OperationalError
        from psycopg_pool import PoolTimeout

        try:
            conn = self._pool.getconn()
        except (PoolTimeout, OperationalError):
            raise Problem("server.unavailable", "the database is busy or unreachable; "
                                                "try again") from None
        try:
            yield conn
        except OperationalError:  # connection lost mid-request: nothing was committed
            raise Problem("server.unavailable", "the database connection was lost; "
                                                "try again") from None
        finally:
            self._pool.putconn(conn)

    def borrow(self) -> Any:
        """Take a pooled PostgreSQL connection until :meth:`give_back` (the event listener)."""
        return self._pool.getconn()

    def give_back(self, conn: Any) -> None:
        if self._pool is not None and not self._closed:
            self._pool.putconn(conn)

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """A read-write transaction; commits on success, rolls back on any exception."""
        if self.is_postgres:
            with self._pooled() as conn, conn.transaction():
                yield Transaction(conn, postgres=True)
            return
        with self._write_lock:
            conn = self._writer
            assert conn is not None  # SQLite's writer is made in __init__
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(conn, postgres=False)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """Reads on a pooled connection (readers never block writers).

        PostgreSQL: autocommit, no BEGIN/ROLLBACK round trips; under READ COMMITTED every
        statement sees its own snapshot inside a transaction too, so nothing is lost.
        """
        if self.is_postgres:
            with self._pooled() as conn:
                yield Transaction(conn, postgres=True)
            return
        with self._sqlite_reader() as conn:
            conn.execute("BEGIN")
            try:
                yield Transaction(conn, postgres=False)
            finally:
                conn.execute("COMMIT")

    @contextmanager
    def autocommit(self) -> Iterator[Transaction]:
        """PostgreSQL only: a pooled connection where each statement is its own transaction.

        For work written as one statement (the ticket's ``WITH ... INSERT ...``): it commits
        (on disk, ``synchronous_commit``) before returning, all or nothing, without the two
        extra round trips of BEGIN and COMMIT."""
        if not self.is_postgres:
            raise RuntimeError("autocommit statements are a PostgreSQL path; SQLite writes "
                               "go through write()")
        with self._pooled() as conn:
            yield Transaction(conn, postgres=True)

    def notify(self, tx: Transaction, channel: str, payload: str) -> None:
        """Tell every server on this PostgreSQL database (delivered at commit); SQLite: no-op."""
        if self.is_postgres:
            tx.execute("SELECT pg_notify(?, ?)", (channel, payload))

    def close(self) -> None:
        self._closed = True
        checkpointer = getattr(self, "_checkpointer", None)
        if checkpointer is not None:
            self._stop.set()
            checkpointer.join(timeout=5)
            self._checkpointer = None
        if self._pool is not None:
            self._pool.close(timeout=5)
            return
        assert self._writer is not None  # SQLite's writer is made in __init__
        for conn in [*self._reader_conns, self._writer]:
            with contextlib.suppress(Exception):  # closing is best effort at shutdown
                conn.close()
        self._reader_conns.clear()

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
        check_storable(params)
        if self._postgres:
            sql = sql.replace("?", "%s")
            cur = self._conn.cursor()
            cur.execute(sql, tuple(params) if params else None)
            return cur
        return self._conn.execute(sql, tuple(params))

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
