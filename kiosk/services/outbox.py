"""Durable outbox: what a citizen submitted is on disk before the kiosk says "submitted".

Reports, evaluations and help calls are committed to a local SQLite file (WAL,
``synchronous=FULL``, mode 0600) and then sent by a background thread with their idempotency key
and exponential backoff with jitter. A crash, ``kill -9`` or power cut at any moment loses
nothing: an item is marked sent only after the centre answered, and if the kiosk dies between
the centre's answer and that mark, the resend carries the same key and the centre returns the
stored answer instead of a second record. Items the centre refuses for good (a 4xx other than
auth/rate limits) are kept as "failed" for staff, never silently dropped.

Delivered means forgotten: the moment the centre acknowledges an item, its body (phone number,
report text, every other field the citizen gave) is overwritten with ``{}`` under SQLite's
``secure_delete`` and the WAL is checkpointed and truncated, so those bytes are gone from the
database file and its WAL, not merely unlisted. What stays is the *receipt*: id (the
idempotency key), kind, times, attempts and the centre's answer (tracking number, promised
date), so a repeated tap of the same action and the service menu still see it; the receipt is
deleted after ``keep_sent_s`` (``[kiosk] keep_sent_s`` in kiosk.toml, 7 days by default).

ID data never enters the outbox in clear: ``put`` refuses any text that looks like an identity
document number (ID card, passport, permits: the shapes of kiosk/privacy.py, which the log
filter uses too); only ``id_hash`` (HMAC with the hall salt) is allowed. Plain Python, no Qt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.privacy import find_document
from kiosk.services.central import CentralOffline, CentralRejected, CentralServerError
from kiosk.services.files import private_folder

log = logging.getLogger(__name__)

KINDS = ("report", "evaluation", "help_call")
KEEP_SENT_S = 7 * 86400  # how long a delivered item's receipt (no personal field) stays
ERASED_BODY = "{}"  # what a delivered item's body becomes
_FORBIDDEN_KEYS = {"id_number", "id_no", "idcard", "id_card", "name_on_card", "address"}
# Kept on a permanent 4xx? No: these mean "try later" (token fixed by staff, rate limit).
_RETRY_REJECTIONS = {401, 403, 408, 425, 429}


class Sender(Protocol):
    def post_outbox_item(self, kind: str, body: dict[str, Any], idempotency_key: str
                         ) -> dict[str, Any]: ...


class OutboxError(Exception):
    """The item could not be saved (bad content or a disk problem); ``reason`` is a kiosk.words key."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


@dataclass(frozen=True)
class OutboxItem:
    id: str  # also the Idempotency-Key sent to the centre
    kind: str
    body: dict[str, Any]
    status: str  # pending | sent | failed
    attempts: int
    created_at: float
    last_error: str | None
    result: dict[str, Any] | None


def check_private(value: Any, path: str = "body") -> None:
    """Refuse clear ID data anywhere in a payload (the only allowed form is ``id_hash``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if str(key).lower() in _FORBIDDEN_KEYS:
                raise OutboxError("outbox.private_data", f"{path}.{key}: ID card data not allowed")
            check_private(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_private(item, f"{path}[{i}]")
    elif isinstance(value, str) and (kind := find_document(value)):
        raise OutboxError("outbox.private_data",
                          f"{path}: looks like a {kind}; send only its salted hash")


class Outbox:
    """SQLite-backed queue plus a sender thread. ``put`` returns only after a durable commit."""

    def __init__(self, path: str | Path, sender: Sender | None = None, *,
                 backoff_initial_s: float = 2.0, backoff_max_s: float = 300.0,
                 on_sent: Callable[[OutboxItem], None] | None = None,
                 on_failed: Callable[[OutboxItem], None] | None = None,
                 on_retry: Callable[[OutboxItem], None] | None = None,
                 keep_sent_s: float = KEEP_SENT_S) -> None:
        self.path = Path(path)
        self.sender = sender
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self.on_sent = on_sent
        self.on_failed = on_failed
        self.on_retry = on_retry  # tried, the centre did not take it; tried again later
        self.keep_sent_s = keep_sent_s
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None
        self._wal_dirty = False  # erased bytes may still sit in the WAL: checkpoint due
        self._conn = self._open()

    # -- storage -------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        private_folder(self.path.parent)
        # Create with 0600 from the first byte; SQLite gives -wal/-shm the same mode.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        os.chmod(self.path, 0o600)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                               timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        # Delivered bodies are overwritten and receipts purged; phone numbers and texts must
        # not linger in free space. Set here, so this does not depend on how SQLite was built.
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, kind TEXT NOT NULL, "
            "body TEXT NOT NULL, status TEXT NOT NULL, created_at REAL NOT NULL, "
            "attempts INTEGER NOT NULL DEFAULT 0, next_try_at REAL NOT NULL, "
            "last_error TEXT, result TEXT, sent_at REAL)")
        conn.execute("CREATE INDEX IF NOT EXISTS items_due ON items (status, next_try_at)")
        return conn

    def close(self) -> None:
        self.stop()
        with self._lock:
            self._conn.close()

    def put(self, kind: str, body: dict[str, Any], *, item_id: str | None = None) -> OutboxItem:
        """Commit one item durably (fsync) and wake the sender; raise OutboxError if impossible.

        ``item_id`` (the citizen action's idempotency key) makes a repeated put of the same
        action return the item already stored instead of a second one.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown outbox kind {kind!r}")
        check_private(body)
        item_id = item_id or uuid.uuid4().hex
        now = time.time()
        try:
            with self._lock:
                cursor = self._conn.execute(
                    "INSERT INTO items (id, kind, body, status, created_at, next_try_at) "
                    "VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING",
                    (item_id, kind, json.dumps(body, ensure_ascii=False), now, now))
        except sqlite3.Error as exc:  # disk full, read-only, corrupted file
            log.error("outbox: could not save a %s: %s", kind, exc)
            raise OutboxError("outbox.disk_error", str(exc)) from None
        self._wake.set()
        if cursor.rowcount == 0:  # the same action again: the item stored the first time
            stored = self.get(item_id)
            if stored is not None:
                return stored
        return OutboxItem(item_id, kind, body, "pending", 0, now, None, None)

    def _row_item(self, row: tuple[Any, ...]) -> OutboxItem:
        item_id, kind, body, status, created, attempts, error, result = row
        return OutboxItem(item_id, kind, json.loads(body), status, attempts, created, error,
                          json.loads(result) if result else None)

    def items(self, status: str | None = None) -> list[OutboxItem]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, kind, body, status, created_at, attempts, last_error, result "
                "FROM items WHERE (? IS NULL OR status = ?) ORDER BY created_at",
                (status, status)).fetchall()
        return [self._row_item(r) for r in rows]

    def get(self, item_id: str) -> OutboxItem | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, kind, body, status, created_at, attempts, last_error, result "
                "FROM items WHERE id = ?", (item_id,)).fetchone()
        return self._row_item(row) if row else None

    def find_report(self, local_ref: str) -> OutboxItem | None:
        """The report whose offline receipt shows ``local_ref`` (the first 8 characters of its
        id, upper-cased), pending or with its receipt kept after delivery; None if there is
        none (or, improbably, more than one)."""
        prefix = local_ref.strip().lower()
        if len(prefix) != 8 or not all(c in "0123456789abcdef" for c in prefix):
            return None
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, kind, body, status, created_at, attempts, last_error, result "
                "FROM items WHERE kind = 'report' AND substr(id, 1, 8) = ?",
                (prefix,)).fetchall()
        return self._row_item(rows[0]) if len(rows) == 1 else None

    def count(self, status: str = "pending") -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM items WHERE status = ?",
                                          (status,)).fetchone()[0])

    @property
    def pending(self) -> int:
        return self.count("pending")

    @property
    def failed(self) -> int:
        return self.count("failed")

    # -- sending -------------------------------------------------------------------------
    def _backoff(self, attempts: int) -> float:
        base = min(self.backoff_max_s, self.backoff_initial_s * (2.0 ** max(0, attempts - 1)))
        return base * random.uniform(0.5, 1.0)

    def send_due(self) -> int:
        """Send every item that is due, oldest first; stop early if the centre is unreachable.

        Returns how many were delivered in this pass.
        """
        if self.sender is None:
            return 0
        with self._lock:
            due = self._conn.execute(
                "SELECT id, kind, body, attempts FROM items WHERE status = 'pending' "
                "AND next_try_at <= ? ORDER BY created_at LIMIT 100", (time.time(),)).fetchall()
        delivered = 0
        for item_id, kind, body, attempts in due:
            if self._stop.is_set():
                break
            try:
                result = self.sender.post_outbox_item(kind, json.loads(body), item_id)
            except (CentralOffline, CentralServerError) as exc:
                self._retry_later(item_id, attempts + 1, str(exc))
                break  # the centre is down: do not hammer it with the rest
            except CentralRejected as exc:
                if exc.status in _RETRY_REJECTIONS:
                    self._retry_later(item_id, attempts + 1, str(exc))
                    break
                self._mark_failed(item_id, attempts + 1, str(exc))
                continue
            self._mark_sent(item_id, attempts + 1, result)
            delivered += 1
        return delivered

    def _retry_later(self, item_id: str, attempts: int, error: str) -> None:
        self.last_error = error
        with self._lock:
            self._conn.execute("UPDATE items SET attempts = ?, next_try_at = ?, last_error = ? "
                               "WHERE id = ?",
                               (attempts, time.time() + self._backoff(attempts), error, item_id))
        if self.on_retry is not None:
            item = self.get(item_id)
            if item:
                self.on_retry(item)

    def _mark_failed(self, item_id: str, attempts: int, error: str) -> None:
        log.warning("outbox: centre refused item %s: %s", item_id, error)
        with self._lock:
            self._conn.execute("UPDATE items SET status = 'failed', attempts = ?, last_error = ? "
                               "WHERE id = ?", (attempts, error, item_id))
        item = self.get(item_id)
        if self.on_failed and item:
            self.on_failed(item)

    def _mark_sent(self, item_id: str, attempts: int, result: dict[str, Any]) -> None:
        self.last_error = None
        with self._lock:
            self._conn.execute(
                "UPDATE items SET status = 'sent', attempts = ?, result = ?, sent_at = ?, "
                "last_error = NULL, body = ? WHERE id = ?",
                (attempts, json.dumps(result, ensure_ascii=False), time.time(), ERASED_BODY,
                 item_id))
            self._wal_dirty = True
        self.flush_erased()
        item = self.get(item_id)
        if self.on_sent and item:
            self.on_sent(item)

    def flush_erased(self) -> bool:
        """Move erased pages out of the WAL into the (secure-deleted) database file and cut the
        WAL to zero bytes, so no older copy of a delivered body survives in either file.

        Returns False when SQLite could not finish (another reader holds an old snapshot); the
        sender tries again on its next pass.
        """
        with self._lock:
            if not self._wal_dirty:
                return True
            try:
                busy, _log_frames, _moved = self._conn.execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.Error as exc:
                log.error("outbox: could not checkpoint the WAL after erasing: %s", exc)
                return False
            if busy:
                log.warning("outbox: WAL checkpoint busy; erased data leaves the WAL next pass")
                return False
            self._wal_dirty = False
            return True

    def retry_failed(self) -> int:
        """Service menu: send refused items again (e.g. after the centre's catalogue was fixed)."""
        with self._lock:
            cur = self._conn.execute("UPDATE items SET status = 'pending', next_try_at = ? "
                                     "WHERE status = 'failed'", (time.time(),))
        self._wake.set()
        return cur.rowcount

    def purge_sent(self) -> int:
        """Delete delivered items' receipts after ``keep_sent_s`` (their personal fields were
        erased on delivery already)."""
        with self._lock:
            cur = self._conn.execute("DELETE FROM items WHERE status = 'sent' AND sent_at < ?",
                                     (time.time() - self.keep_sent_s,))
            if cur.rowcount:
                self._wal_dirty = True
        self.flush_erased()
        return cur.rowcount

    def _next_due_in(self) -> float:
        with self._lock:
            row = self._conn.execute("SELECT MIN(next_try_at) FROM items "
                                     "WHERE status = 'pending'").fetchone()
        if row[0] is None:
            return 30.0
        return max(0.0, min(30.0, float(row[0]) - time.time()))

    def _run(self) -> None:
        last_purge = 0.0
        while not self._stop.is_set():
            try:
                self.send_due()
                self.flush_erased()
                if time.monotonic() - last_purge > 3600:
                    self.purge_sent()
                    last_purge = time.monotonic()
                wait = self._next_due_in()
            except Exception:  # never let the sender die silently; retry after a pause
                log.exception("outbox sender pass failed")
                wait = 5.0
            self._wake.wait(wait)
            self._wake.clear()

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Try now (e.g. the network is back); pending backoffs are kept for failures."""
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._conn.execute("UPDATE items SET next_try_at = ? WHERE status = 'pending'",
                               (time.time(),))
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
