"""Durable outbox: what a citizen submitted is on disk before the kiosk says "submitted".

Reports, evaluations and help calls are committed to a local SQLite file (WAL,
``synchronous=FULL``, mode 0600) and then sent by a background thread with their idempotency key
and exponential backoff with jitter. A crash, ``kill -9`` or power cut at any moment loses
nothing: an item is marked sent only after the centre answered, and if the kiosk dies between
the centre's answer and that mark, the resend carries the same key and the centre returns the
stored answer instead of a second record. Items the centre refuses for good (a 4xx other than
auth/rate limits) are kept as "failed" for staff, never silently dropped.

ID data never enters the outbox in clear: ``put`` refuses any text that looks like a Chinese
ID number; only ``id_hash`` (HMAC with the hall salt) is allowed. Plain Python, no Qt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.services.central import CentralOffline, CentralRejected, CentralServerError

log = logging.getLogger(__name__)

KINDS = ("report", "evaluation", "help_call")
_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])")
_FORBIDDEN_KEYS = {"id_number", "id_no", "idcard", "id_card", "name_on_card", "address"}
# Kept on a permanent 4xx? No: these mean "try later" (token fixed by staff, rate limit).
_RETRY_REJECTIONS = {401, 403, 408, 425, 429}

MESSAGES: dict[str, tuple[str, str]] = {
    "outbox.saved": ("已保存，将自动发送到服务中心", "Saved; it will be sent to the service centre"),
    "outbox.sent": ("已送达服务中心", "Delivered to the service centre"),
    "outbox.failed": ("服务中心未接收，请联系工作人员", "The service centre refused it; please ask staff"),
    "outbox.disk_error": ("本机存储出错，未能保存，请找工作人员",
                          "This kiosk could not save it; please ask staff"),
    "outbox.private_data": ("内容中含有身份证号码，请删除后再提交",
                            "The text contains an ID number; please remove it and submit again"),
}


class Sender(Protocol):
    def post_outbox_item(self, kind: str, body: dict[str, Any], idempotency_key: str
                         ) -> dict[str, Any]: ...


class OutboxError(Exception):
    """The item could not be saved (bad content or a disk problem); ``reason`` is a MESSAGES key."""

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
    elif isinstance(value, str) and _ID_NUMBER.search(value):
        raise OutboxError("outbox.private_data",
                          f"{path}: looks like an ID number; send only its salted hash")


class Outbox:
    """SQLite-backed queue plus a sender thread. ``put`` returns only after a durable commit."""

    def __init__(self, path: str | Path, sender: Sender | None = None, *,
                 backoff_initial_s: float = 2.0, backoff_max_s: float = 300.0,
                 on_sent: Callable[[OutboxItem], None] | None = None,
                 on_failed: Callable[[OutboxItem], None] | None = None,
                 keep_sent_s: float = 7 * 86400) -> None:
        self.path = Path(path)
        self.sender = sender
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self.on_sent = on_sent
        self.on_failed = on_failed
        self.keep_sent_s = keep_sent_s
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None
        self._conn = self._open()

    # -- storage -------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Create with 0600 from the first byte; SQLite gives -wal/-shm the same mode.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        os.chmod(self.path, 0o600)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                               timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        # Sent items are purged; their phone numbers must not linger in free pages.
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
                "last_error = NULL WHERE id = ?",
                (attempts, json.dumps(result, ensure_ascii=False), time.time(), item_id))
        item = self.get(item_id)
        if self.on_sent and item:
            self.on_sent(item)

    def retry_failed(self) -> int:
        """Service menu: send refused items again (e.g. after the centre's catalogue was fixed)."""
        with self._lock:
            cur = self._conn.execute("UPDATE items SET status = 'pending', next_try_at = ? "
                                     "WHERE status = 'failed'", (time.time(),))
        self._wake.set()
        return cur.rowcount

    def purge_sent(self) -> int:
        """Forget delivered items after ``keep_sent_s`` (they hold phone numbers)."""
        with self._lock:
            cur = self._conn.execute("DELETE FROM items WHERE status = 'sent' AND sent_at < ?",
                                     (time.time() - self.keep_sent_s,))
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
