"""Business rules of the reference centre, independent of HTTP: numbers, reports, kiosks.

Every method takes plain values and returns plain dicts (the JSON that goes on the wire) or
raises :class:`central.problems.Problem`. Writes that must be exactly-once run inside one
``Database.write()`` transaction together with their idempotency record, so a retried request
with the same ``Idempotency-Key`` gets the stored answer and never a second record.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from central import ratings
from central.calling import Calling
from central.db import Database, Transaction
from central.events import CONFIG_CHANNEL, REPORTS_CHANNEL, TOKENS_CHANNEL
from central.limits import RateLimits, TokenBuckets
from central.problems import Problem
from hall.calendar import HallCalendar
from hall.catalogue import Catalogue, CatalogueError, Matter, RatingSettings

REPORT_STEPS: tuple[tuple[str, str, str], ...] = (
    ("accepted", "受理", "Accepted"),
    ("classified", "分类", "Classified"),
    ("dispatched", "转办", "Dispatched"),
    ("resolved", "办结", "Resolved"),
    ("answered", "反馈", "Answered"),
)
STEP_ORDER = [s[0] for s in REPORT_STEPS]
# A report's state in words, as the kiosk's progress screen and the desk say it.
REPORT_STATUS_NAMES = {
    "received": ("已收到，待受理", "Received, waiting to be accepted"),
    "accepted": ("已受理", "Accepted"),
    "classified": ("已分类", "Classified"),
    "dispatched": ("已转办承办单位", "Dispatched to the responsible unit"),
    "resolved": ("已办结，待答复", "Resolved, answer coming"),
    "answered": ("已答复", "Answered"),
}
# The four kinds of 办不成事 case.
REPORT_KINDS = {
    "cannot": ("不能办", "Cannot be done"),
    "hard": ("不好办", "Hard to do"),
    "refused": ("不给办", "Refused by staff"),
    "not_yet": ("暂时办不了", "Not possible for now"),
}
SITUATIONS = {
    "not_accepted": ("申请未被受理", "Application not accepted"),
    "not_approved": ("申请未获批准", "Application not approved"),
    "repeated_visits": ("多次跑腿仍未办成", "Several visits, still not done"),
    "staff_attitude": ("工作人员推诿或态度问题", "Staff passed the buck or were unhelpful"),
    "other": ("其他", "Other"),
}
DEFAULT_HALL = "default"
HALL_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
PRIORITY_REASONS = ("elderly", "disabled", "pregnant", "military", "other")
EVALUATION_LEVELS = {
    5: ("非常满意", "Very satisfied"),
    4: ("满意", "Satisfied"),
    3: ("基本满意", "Neutral"),
    2: ("不满意", "Dissatisfied"),
    1: ("非常不满意", "Very dissatisfied"),
}


def hash_token(token: str) -> str:
    """Tokens are 256-bit random, so one SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}.{secrets.token_urlsafe(32)}"


def request_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def new_tracking_no() -> str:
    """R and 12 random digits: the pattern the kiosk's keypad takes (``R\\d{12}``), never
    longer however many reports a day brings, and not guessable by counting."""
    return f"R{secrets.randbelow(10**12):012d}"


def new_check_code() -> str:
    """Four digits printed on the receipt and asked for at the kiosk's progress screen."""
    return f"{secrets.randbelow(10**4):04d}"


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


class CentralService:
    """The centre's state machine on top of a :class:`Database`."""

    def __init__(self, db: Database, *, timezone: str = "Asia/Shanghai",
                 calendar: HallCalendar | None = None,
                 clock: Callable[[], dt.datetime] | None = None,
                 silent_after_s: int = 180, limits: RateLimits | None = None) -> None:
        self.db = db
        self.limits = limits or RateLimits()
        self._ticket_rate = TokenBuckets(self.limits.tickets_per_kiosk, self.limits.window_s)
        self._lookup_rate = TokenBuckets(self.limits.lookups_per_kiosk, self.limits.window_s)
        self.tz = ZoneInfo(timezone)
        self.calendar = calendar or HallCalendar()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.silent_after_s = silent_after_s
        self._config_lock = threading.Lock()
        self._config_cache: dict[str, tuple[int, dict[str, Any], Catalogue]] = {}
        self._config_checked: dict[str, float] = {}
        # Tokens checked lately (PostgreSQL with a live listener only, see enable_token_cache).
        self._token_cache: dict[str, tuple[float, tuple[str, str | None, str]]] = {}
        self._token_cache_s = 0.0
        self._token_cache_trusted: Callable[[], bool] = lambda: False
        self._token_generation = 0  # bumped by forget_tokens: a look-up begun before is stale
        #: Told the tracking number after a report's step was committed (desk or staff API),
        #: so this instance's open progress pages of it update at once.
        self.report_listeners: list[Callable[[str], None]] = []

    @functools.cached_property
    def calling(self) -> Calling:
        """Counter calling (one per service, so its listeners hear every caller's changes)."""
        return Calling(self)

    # -- time ------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        """The hall's local time (numbers reset at the hall's midnight, not UTC's)."""
        return self._clock().astimezone(self.tz)

    # -- authentication --------------------------------------------------------------------
    def authenticate(self, token: str | None) -> tuple[str, str | None, str]:
        """Return ("staff", None, hall) or ("kiosk", kiosk_id, hall); else raise Problem.

        Every token belongs to one hall and sees only that hall's data."""
        if not token:
            raise Problem("auth.missing")
        digest = hash_token(token)
        if self._token_cache_s:
            known = self._remembered(digest)
            if known is not None:
                return known
            found_at, generation = time.monotonic(), self._token_generation
            who = self._authenticate(token, digest)
            if len(self._token_cache) > 10_000:  # a few per kiosk at most; stay bounded
                self._token_cache.clear()
            if generation == self._token_generation:  # no token changed while we looked
                self._token_cache[digest] = (found_at + self._token_cache_s, who)
            return who
        return self._authenticate(token, digest)

    def remembered_token(self, token: str | None) -> tuple[str, str | None, str] | None:
        """What :meth:`authenticate` would answer, if the token cache knows it (no database,
        so the event loop can ask); None: ask :meth:`authenticate`."""
        if not token or not self._token_cache_s:
            return None
        return self._remembered(hash_token(token))

    def _remembered(self, digest: str) -> tuple[str, str | None, str] | None:
        cached = self._token_cache.get(digest)
        if cached is None or time.monotonic() >= cached[0] or not self._token_cache_trusted():
            return None
        return cached[1]

    def enable_token_cache(self, seconds: float, trusted: Callable[[], bool]) -> None:
        """Remember a valid token for ``seconds`` (one database round trip and one worker
        thread hop less per request). Only where every change of a token reaches this
        instance at once: PostgreSQL, whose re-key, revoke and new staff token NOTIFY
        ``TOKENS_CHANNEL`` in their own transaction; ``trusted`` says the LISTEN connection
        is up (while it is down, or a moment after it is back, nothing cached is used).
        ``seconds`` bounds how long a missed notification could matter."""
        self._token_cache_s = seconds
        self._token_cache_trusted = trusted

    def forget_tokens(self, _hall: str = "") -> None:
        """Drop every remembered token (a token changed somewhere, or the listener
        reconnected and may have missed that)."""
        self._token_generation += 1
        self._token_cache.clear()

    def _authenticate(self, token: str, digest: str) -> tuple[str, str | None, str]:
        kiosk_id = token.rsplit(".", 1)[0] if "." in token else ""
        with self.db.read() as tx:
            # One round trip for both kinds of token. The staff hall is looked up by the hash
            # itself (unique index): the hash of a 256-bit random token leaks nothing.
            found = tx.one(
                "SELECT (SELECT id FROM halls WHERE staff_token_hash = ?) AS staff_hall, "
                "k.token_hash, k.revoked_at, k.hall_id FROM (SELECT 1 AS one) AS o "
                "LEFT JOIN kiosks k ON k.id = ?", (digest, kiosk_id))
        if found and found["staff_hall"] is not None:
            return "staff", None, found["staff_hall"]
        row = found if found and found["token_hash"] is not None else None
        if row is None or not hmac.compare_digest(row["token_hash"], digest):
            if row is not None:
                # A rotated or stale token: staff see it in GET /v1/kiosks.
                self._note_auth_failure(kiosk_id)
            raise Problem("auth.invalid")
        if row["revoked_at"]:
            self._note_auth_failure(kiosk_id)
            raise Problem("auth.revoked")
        return "kiosk", kiosk_id, row["hall_id"]

    def _note_auth_failure(self, kiosk_id: str) -> None:
        with self.db.write() as tx:
            tx.execute("UPDATE kiosks SET last_auth_failure_at = ? WHERE id = ?",
                       (self.now().isoformat(), kiosk_id))

    def _ensure_hall(self, tx: Transaction, hall: str) -> None:
        if not HALL_PATTERN.match(hall):
            raise ValueError(f"hall id {hall!r}: letters, digits, '-', '_' or '.', up to 64")
        tx.execute("INSERT INTO halls (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                   (hall, self.now().isoformat()))

    def add_kiosk(self, kiosk_id: str, hall: str = DEFAULT_HALL) -> str:
        """Register (or re-key) a kiosk of ``hall``; the token is returned once (hash stored).

        Kiosk ids are unique across the centre: an id already used by another hall is refused.
        """
        if kiosk_id == "staff" or kiosk_id.startswith("staff."):
            raise ValueError("'staff' and 'staff.*' are reserved for the staff's records")
        token = new_token(kiosk_id)
        with self.db.write() as tx:
            self._ensure_hall(tx, hall)
            owner = tx.scalar("SELECT hall_id FROM kiosks WHERE id = ?", (kiosk_id,))
            if owner is not None and owner != hall:
                raise ValueError(f"kiosk {kiosk_id!r} belongs to hall {owner!r}")
            tx.execute(
                "INSERT INTO kiosks (id, token_hash, created_at, hall_id) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, "
                "revoked_at = NULL",
                (kiosk_id, hash_token(token), self.now().isoformat(), hall))
            self.db.notify(tx, TOKENS_CHANNEL, hall)
        self.forget_tokens()
        return token

    def revoke_kiosk(self, kiosk_id: str, hall: str = DEFAULT_HALL) -> None:
        with self.db.write() as tx:
            if tx.one("SELECT id FROM kiosks WHERE id = ? AND hall_id = ?",
                      (kiosk_id, hall)) is None:
                raise Problem("kiosk.unknown")
            tx.execute("UPDATE kiosks SET revoked_at = ? WHERE id = ?",
                       (self.now().isoformat(), kiosk_id))
            self.db.notify(tx, TOKENS_CHANNEL, hall)
        self.forget_tokens()

    def rotate_kiosk_token(self, kiosk_id: str, hall: str = DEFAULT_HALL) -> str:
        with self.db.read() as tx:
            if tx.one("SELECT id FROM kiosks WHERE id = ? AND hall_id = ?",
                      (kiosk_id, hall)) is None:
                raise Problem("kiosk.unknown")
        return self.add_kiosk(kiosk_id, hall)

    def set_staff_token(self, hall: str = DEFAULT_HALL) -> str:
        """A new staff token for ``hall`` (made if new); the hall's old token stops working."""
        token = new_token("staff")
        with self.db.write() as tx:
            self._ensure_hall(tx, hall)
            tx.execute("UPDATE halls SET staff_token_hash = ? WHERE id = ?",
                       (hash_token(token), hall))
            self.db.notify(tx, TOKENS_CHANNEL, hall)
        self.forget_tokens()
        return token

    def halls(self) -> list[str]:
        with self.db.read() as tx:
            return [r["id"] for r in tx.all("SELECT id FROM halls ORDER BY id")]

    # -- configuration ---------------------------------------------------------------------
    def latest_config_version(self, hall: str = DEFAULT_HALL) -> int:
        with self.db.read() as tx:
            return int(tx.scalar("SELECT COALESCE(MAX(version), 0) FROM configs "
                                 "WHERE hall_id = ?", (hall,)) or 0)

    def latest_config_versions(self) -> dict[str, int]:
        """Every hall's latest config version, in one query (the event hub's poll)."""
        with self.db.read() as tx:
            return {r["hall_id"]: int(r["version"]) for r in tx.all(
                "SELECT hall_id, MAX(version) AS version FROM configs GROUP BY hall_id")}

    def store_bundle(self, bundle: dict[str, Any], hall: str = DEFAULT_HALL) -> None:
        """Store a signed bundle and tell every server on the database (PostgreSQL NOTIFY)."""
        with self.db.write() as tx:
            self._ensure_hall(tx, hall)
            tx.execute("INSERT INTO configs (hall_id, version, published_at, body, signature) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (hall, bundle["version"], bundle["published_at"], bundle["body"],
                        bundle["signature"]))
            self.db.notify(tx, CONFIG_CHANNEL, hall)

    def config_bundle(self, hall: str = DEFAULT_HALL) -> dict[str, Any]:
        with self.db.read() as tx:
            row = tx.one("SELECT version, published_at, body, signature FROM configs "
                         "WHERE hall_id = ? ORDER BY version DESC LIMIT 1", (hall,))
        if row is None:
            raise Problem("config.none")
        return row

    @staticmethod
    def bundle_etag(bundle: dict[str, Any]) -> str:
        digest = hashlib.sha256(bundle["signature"].encode()).hexdigest()[:16]
        return f'"v{bundle["version"]}-{digest}"'

    def catalogue(self, hall: str = DEFAULT_HALL) -> tuple[dict[str, Any], Catalogue]:
        """The hall's latest published catalogue, re-read at most twice a second."""
        with self._config_lock:
            cached = self._config_cache.get(hall)
            stale = time.monotonic() - self._config_checked.get(hall, 0.0) > 0.5
            if cached is None or stale:
                version = self.latest_config_version(hall)
                self._config_checked[hall] = time.monotonic()
                if cached is None or cached[0] != version:
                    if version == 0:
                        raise Problem("server.unavailable", "no configuration published yet")
                    body = json.loads(self.config_bundle(hall)["body"])
                    config = body["config"]
                    cached = (version, config, Catalogue.from_dict(config))
                    self._config_cache[hall] = cached
            return cached[1], cached[2]

    def _matter(self, matter_id: str,
                hall: str = DEFAULT_HALL) -> tuple[dict[str, Any], Catalogue, Matter]:
        config, cat = self.catalogue(hall)
        if not cat.has_matter(matter_id):
            raise Problem("matter.unknown", f"no matter {matter_id!r} in the catalogue")
        return config, cat, cat.matter(matter_id)

    # -- idempotency -----------------------------------------------------------------------
    def _idempotent(self, kiosk_id: str, key: str | None, operation: str, body: dict[str, Any],
                    create: Callable[[Transaction], dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        """Run ``create`` once per (kiosk, key); a repeat gets the stored answer with 200."""
        if not key:
            raise Problem("request.idempotency_key_missing")
        fingerprint = request_hash({"op": operation, "body": body})
        for _attempt in range(3):
            try:
                with self.db.write() as tx:
                    row = tx.one("SELECT operation, request_hash, response FROM idempotency "
                                 "WHERE kiosk_id = ? AND key = ?", (kiosk_id, key))
                    if row is not None:
                        if row["request_hash"] != fingerprint:
                            raise Problem("request.idempotency_mismatch")
                        return 200, json.loads(row["response"])
                    answer = create(tx)
                    tx.execute("INSERT INTO idempotency (kiosk_id, key, operation, request_hash,"
                               " status, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (kiosk_id, key, operation, fingerprint, 201,
                                json.dumps(answer, ensure_ascii=False),
                                self.now().isoformat()))
                    return 201, answer
            except self.db.integrity_errors():
                continue  # a concurrent twin won the race (PostgreSQL): read its answer
        raise Problem("server.unavailable", "could not record the request, try again")

    # -- tickets ---------------------------------------------------------------------------
    def _next_opening(self, matter: Matter, after: dt.datetime,
                      skip_today: bool = False) -> dt.datetime | None:
        for offset in range(0, 40):
            day = after.date() + dt.timedelta(days=offset)
            if skip_today and offset == 0:
                continue
            if not self.calendar.matter_open_on(day, matter.hours.days):
                continue
            start = dt.datetime.combine(day, matter.hours.open, tzinfo=after.tzinfo)
            if start > after or (skip_today and offset > 0):
                return start
        return None

    def _check_open(self, matter: Matter, now: dt.datetime) -> None:
        hours = matter.hours
        open_today = self.calendar.matter_open_on(now.date(), hours.days)
        if open_today and hours.open <= now.time() < hours.close:
            return
        opens = self._next_opening(matter, now)
        raise Problem(
            "ticket.closed",
            f"{matter.name_en} is served {hours.open:%H:%M}-{hours.close:%H:%M}"
            + (f"; next opening {opens:%Y-%m-%d %H:%M}" if opens else ""),
            opens_at=opens.isoformat() if opens else None,
        )

    def take_ticket(self, kiosk_id: str, body: dict[str, Any], key: str | None,
                    hall: str = DEFAULT_HALL) -> tuple[int, dict[str, Any]]:
        _config, cat, matter = self._matter(body["matter_id"], hall)
        if not matter.needs_staff:
            raise Problem("matter.no_queue")
        now = self.now()
        self._check_open(matter, now)
        day = now.date().isoformat()
        if (self.db.is_postgres and key and not body.get("appointment_code")
                and not (body.get("id_hash") and matter.appointment)):
            fast = self._take_ticket_in_one_statement(kiosk_id, body, key, hall, cat, matter,
                                                      now)
            if fast is not None:
                return fast

        def create(tx: Transaction) -> dict[str, Any]:
            self._check_ticket_limits(tx, hall, kiosk_id, matter, day, body.get("id_hash"))
            code = body.get("appointment_code")
            if not code and body.get("id_hash") and matter.appointment:
                # Check-in by ID card: the booking was made with the same salted hash.
                code = tx.scalar("SELECT code FROM appointments WHERE hall_id = ? AND "
                                 "matter_id = ? AND day = ? AND id_hash = ? AND "
                                 "ticket_id IS NULL LIMIT 1",
                                 (hall, matter.id, day, body["id_hash"]))
            slot_at = None  # the booked slot's start: the ticket is called in its place
            if code:
                if not matter.appointment:
                    raise Problem("appointment.not_offered")
                appt = tx.one("SELECT matter_id, day, ticket_id, slot_at FROM appointments "
                              "WHERE code = ? AND hall_id = ?", (code, hall))
                if appt is None:
                    raise Problem("appointment.unknown")
                if appt["matter_id"] != matter.id:
                    raise Problem("appointment.wrong_matter")
                if appt["day"] != day:
                    raise Problem("appointment.not_today", f"booked for {appt['day']}")
                slot_at = appt["slot_at"]
            number = tx.scalar(
                "INSERT INTO counters (scope, day, last_number) VALUES (?, ?, 1) "
                "ON CONFLICT (scope, day) DO UPDATE SET last_number = counters.last_number + 1 "
                "RETURNING last_number", (f"ticket:{hall}:{matter.id}", day))
            if matter.daily_quota and number > matter.daily_quota:
                raise self._quota_gone(matter, now)
            ticket_id = uuid.uuid4().hex
            display = f"{matter.prefix}{number:03d}"
            priority = "appointment" if code else body.get("priority")
            tx.execute(
                "INSERT INTO tickets (id, hall_id, matter_id, day, number, display, kiosk_id, "
                "priority, appointment_code, id_hash, status, created_at, slot_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?)",
                (ticket_id, hall, matter.id, day, number, display, kiosk_id, priority, code,
                 body.get("id_hash"), now.isoformat(), slot_at))
            if code:
                tx.execute("UPDATE appointments SET ticket_id = ? WHERE code = ?",
                           (ticket_id, code))
            # The newest ticket is behind every waiting one (or, if priority, behind every
            # waiting priority one): running counts avoid a COUNT over the day's queue.
            is_priority = 1 if priority is not None else 0
            queue = tx.one(
                "INSERT INTO queues (hall_id, matter_id, day, waiting, waiting_priority) "
                "VALUES (?, ?, ?, 1, ?) ON CONFLICT (hall_id, matter_id, day) DO UPDATE SET "
                "waiting = queues.waiting + 1, "
                "waiting_priority = queues.waiting_priority + excluded.waiting_priority "
                "RETURNING waiting, waiting_priority", (hall, matter.id, day, is_priority))
            if queue is None:  # RETURNING always yields the row; keep type checkers honest
                raise Problem("server.error")
            ahead = (queue["waiting_priority"] - 1) if is_priority else queue["waiting"] - 1
            return _ticket_answer(ticket_id, display, ahead, cat, matter, priority, now)

        return self._idempotent(kiosk_id, key, "ticket", body, create)

    def _take_ticket_in_one_statement(self, kiosk_id: str, body: dict[str, Any], key: str,
                                      hall: str, cat: Catalogue, matter: Matter,
                                      now: dt.datetime) -> tuple[int, dict[str, Any]] | None:
        """PostgreSQL: the whole ticket (idempotency look-up, per-person count, counter, ticket,
        queue count, stored answer) as one statement in autocommit, so one round trip and one
        commit instead of seven round trips; the counter's row lock is held for that statement
        and its commit only. The guarantees are the general path's: numbers come from the same
        ``INSERT ... ON CONFLICT DO UPDATE`` on the counter row (distinct and gapless across
        instances; the quota is its ``WHERE``, so a refused ticket takes no number), the
        statement is one transaction (all or nothing, on disk before the answer), and a twin
        request racing on another instance loses on the idempotency key's primary key.

        Returns None when the general path must answer: the kiosk's bucket is empty (a retry
        of a stored key must still get its answer, so it looks the key up first) or a twin
        with the same key won the race (the general path reads the twin's stored answer).
        Appointments (check-in by code or card) always take the general path.
        """
        if self._ticket_rate.take(kiosk_id):
            return None
        fingerprint = request_hash({"op": "ticket", "body": body})
        id_hash = body.get("id_hash")
        per_person = self.limits.tickets_per_person if id_hash else 0
        priority = body.get("priority")
        ticket_id = uuid.uuid4().hex
        day = now.date().isoformat()
        template = _ticket_answer(ticket_id, "", 0, cat, matter, priority, now)
        taken_sql = ("SELECT COUNT(*) AS n FROM tickets WHERE hall_id = ? AND matter_id = ? "
                     "AND day = ? AND id_hash = ?" if per_person else "SELECT 0 AS n")
        taken_params = (hall, matter.id, day, id_hash) if per_person else ()
        ahead_of = "waiting_priority" if priority is not None else "waiting"
        sql = (
            "WITH prior AS (SELECT request_hash, response FROM idempotency "
            "WHERE kiosk_id = ? AND key = ?), "
            f"taken AS ({taken_sql}), "
            "counter AS (INSERT INTO counters (scope, day, last_number) SELECT ?, ?, 1 "
            "WHERE NOT EXISTS (SELECT 1 FROM prior) AND (SELECT n FROM taken) < ? "
            "ON CONFLICT (scope, day) DO UPDATE SET last_number = counters.last_number + 1 "
            "WHERE counters.last_number < ? RETURNING last_number), "
            "ticket AS (INSERT INTO tickets (id, hall_id, matter_id, day, number, display, "
            "kiosk_id, priority, appointment_code, id_hash, status, created_at) "
            "SELECT ?, ?, ?, ?, last_number, ?::text || CASE WHEN last_number < 1000 "
            "THEN lpad(last_number::text, 3, '0') ELSE last_number::text END, ?, ?, NULL, ?, "
            "'waiting', ? FROM counter RETURNING number, display), "
            "queue AS (INSERT INTO queues (hall_id, matter_id, day, waiting, waiting_priority) "
            "SELECT ?, ?, ?, 1, ? FROM ticket ON CONFLICT (hall_id, matter_id, day) DO UPDATE "
            "SET waiting = queues.waiting + 1, "
            "waiting_priority = queues.waiting_priority + excluded.waiting_priority "
            f"RETURNING {ahead_of} - 1 AS ahead), "
            "stored AS (INSERT INTO idempotency (kiosk_id, key, operation, request_hash, status, "
            "response, created_at) SELECT ?, ?, 'ticket', ?, 201, (?::jsonb || "
            "jsonb_build_object('number', ticket.display, 'ahead', queue.ahead))::text, ? "
            "FROM ticket, queue RETURNING 1) "
            "SELECT (SELECT request_hash FROM prior) AS prior_hash, "
            "(SELECT response FROM prior) AS prior_response, (SELECT n FROM taken) AS taken, "
            "(SELECT display FROM ticket) AS display, (SELECT ahead FROM queue) AS ahead, "
            "(SELECT COUNT(*) FROM stored) AS stored")
        issued = now.isoformat()
        params = (
            kiosk_id, key, *taken_params,
            f"ticket:{hall}:{matter.id}", day, per_person or 1, matter.daily_quota or 2**31 - 1,
            ticket_id, hall, matter.id, day, matter.prefix, kiosk_id, priority, id_hash, issued,
            hall, matter.id, day, 1 if priority is not None else 0,
            kiosk_id, key, fingerprint, json.dumps(template, ensure_ascii=False), issued)
        try:
            with self.db.autocommit() as tx:
                row = tx.one(sql, params)
        except self.db.integrity_errors():
            self._ticket_rate.give_back(kiosk_id)
            return None  # a twin with this key was stored first: the general path reads it
        if row is None:  # a SELECT without FROM always yields its row; keep checkers honest
            raise Problem("server.error")
        if row["prior_hash"] is not None:  # a retry: its stored answer, no number, no token
            self._ticket_rate.give_back(kiosk_id)
            if row["prior_hash"] != fingerprint:
                raise Problem("request.idempotency_mismatch")
            return 200, json.loads(row["prior_response"])
        if row["display"] is None:
            if per_person and int(row["taken"]) >= per_person:
                raise self._person_limit(per_person)
            raise self._quota_gone(matter, now)
        template.update(number=row["display"], ahead=int(row["ahead"]))  # keys keep their order
        return 201, template

    def _check_ticket_limits(self, tx: Transaction, hall: str, kiosk_id: str, matter: Matter,
                             day: str, id_hash: str | None) -> None:
        """Inside the ticket's transaction, so a repeated Idempotency-Key still gets its stored
        answer: only new numbers count."""
        wait_s = self._ticket_rate.take(kiosk_id)
        if wait_s:
            raise Problem("ticket.rate_limited",
                          f"at most {self.limits.tickets_per_kiosk} numbers per kiosk in "
                          f"{self.limits.window_s:g} s", retry_after=max(1, round(wait_s)))
        per_person = self.limits.tickets_per_person
        if id_hash and per_person:
            taken = int(tx.scalar("SELECT COUNT(*) FROM tickets WHERE hall_id = ? AND "
                                  "matter_id = ? AND day = ? AND id_hash = ?",
                                  (hall, matter.id, day, id_hash)))
            if taken >= per_person:
                raise self._person_limit(per_person)

    def _quota_gone(self, matter: Matter, now: dt.datetime) -> Problem:
        back = self._next_opening(matter, now, skip_today=True)
        return Problem("ticket.quota_gone",
                       f"all {matter.daily_quota} numbers of today are taken"
                       + (f"; come back at {back:%Y-%m-%d %H:%M}" if back else ""),
                       come_back_at=back.isoformat() if back else None)

    @staticmethod
    def _person_limit(per_person: int) -> Problem:
        return Problem("ticket.person_limit",
                       f"at most {per_person} numbers per person for this matter a day",
                       limit=per_person)

    def ticket_status(self, ticket_id: str, hall: str = DEFAULT_HALL) -> dict[str, Any]:
        with self.db.read() as tx:
            row = tx.one("SELECT * FROM tickets WHERE id = ? AND hall_id = ?", (ticket_id, hall))
            if row is None:
                raise Problem("ticket.unknown")
            status = row["status"]
            if status == "waiting" and row["day"] != self.now().date().isoformat():
                status = "expired"
        # The same order the windows call by (pooled queues, green channel, slots).
        placed = self.calling.place(hall, ticket_id) if status == "waiting" else None
        ahead = placed[0] if placed else 0
        return {"id": row["id"], "number": row["display"], "matter_id": row["matter_id"],
                "status": status, "ahead": ahead, "window": row["window_no"],
                "called_at": row["called_at"]}

    def call_next(self, matter_id: str, window: str, hall: str = DEFAULT_HALL) -> dict[str, Any]:
        """Call the next ticket of one matter to ``window`` (see :mod:`central.calling`)."""
        called = self.calling.call_next(hall, window, [matter_id])
        return self.ticket_status(called["id"], hall)

    def add_appointment(self, matter_id: str, day: str, id_hash: str | None = None,
                        hall: str = DEFAULT_HALL, slot: str | None = None) -> dict[str, Any]:
        """Book (normally the booking system's job); ``id_hash`` allows check-in by ID card,
        ``slot`` ("HH:MM", hall time) is the booked slot's start the ticket is called at."""
        self._matter(matter_id, hall)
        code = f"{secrets.randbelow(10**8):08d}"
        slot_at = None
        if slot is not None:
            slot_at = dt.datetime.combine(dt.date.fromisoformat(day),
                                          dt.time.fromisoformat(slot),
                                          tzinfo=self.tz).isoformat()
        with self.db.write() as tx:
            tx.execute("INSERT INTO appointments (code, matter_id, day, id_hash, hall_id, "
                       "slot_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (code, matter_id, day, id_hash, hall, slot_at))
        return {"code": code, "matter_id": matter_id, "day": day, "slot_at": slot_at}

    # -- reports ---------------------------------------------------------------------------
    def _promised(self, received: dt.date, complexity: str,
                  hall: str = DEFAULT_HALL) -> dt.date:
        _config, cat = self.catalogue(hall)
        if complexity == "simple" and cat.report.simple_days == 0:
            day = received
            while not self.calendar.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        if complexity == "simple":
            return self.calendar.add_working_days(received, cat.report.simple_days)
        days = cat.report.complex_days if complexity == "complex" else cat.report.ordinary_days
        return self.calendar.add_working_days(received, days)

    def submit_report(self, kiosk_id: str, body: dict[str, Any], key: str | None,
                      hall: str = DEFAULT_HALL) -> tuple[int, dict[str, Any]]:
        if body.get("matter_id"):
            self._matter(body["matter_id"], hall)
        _config, cat = self.catalogue(hall)
        now = self.now()

        def create(tx: Transaction) -> dict[str, Any]:
            day = now.date()
            tracking_no = new_tracking_no()
            while tx.scalar("SELECT 1 FROM reports WHERE tracking_no = ?", (tracking_no,)):
                tracking_no = new_tracking_no()
            check_code = new_check_code()
            promised = self._promised(day, "ordinary", hall)
            tx.execute(
                "INSERT INTO reports (tracking_no, kiosk_id, matter_id, situation, description, "
                "phone, id_hash, language, created_at, promised_date, complexity, status, "
                "hall_id, check_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ordinary', "
                "'received', ?, ?)",
                (tracking_no, kiosk_id, body.get("matter_id"), body["situation"],
                 body["description"], body["phone"], body.get("id_hash"),
                 body.get("language", "zh"), now.isoformat(), promised.isoformat(), hall,
                 check_code))
            return {"tracking_no": tracking_no, "check_code": check_code, "status": "received",
                    "received_at": now.isoformat(), "promised_date": promised.isoformat(),
                    "tracking_url": cat.hall.tracking_link(tracking_no, check_code)}

        return self._idempotent(kiosk_id, key, "report", body, create)

    def look_up_report(self, kiosk_id: str, tracking_no: str, check_code: str | None,
                       hall: str = DEFAULT_HALL) -> dict[str, Any]:
        """A kiosk's look-up: the number and the receipt's check code, rate limited per kiosk.

        An unknown number and a wrong code answer the same ``report.unknown`` (no oracle), and
        the code is compared in constant time even when the number does not exist.
        """
        wait_s = self._lookup_rate.take(kiosk_id)
        if wait_s:
            raise Problem("report.lookup_limited",
                          f"at most {self.limits.lookups_per_kiosk} look-ups per kiosk in "
                          f"{self.limits.window_s:g} s", retry_after=max(1, round(wait_s)))
        with self.db.read() as tx:
            stored = tx.scalar("SELECT check_code FROM reports WHERE tracking_no = ? "
                               "AND hall_id = ?", (tracking_no, hall))
        # Reports filed before check codes existed have none: only staff can open them.
        expected = stored or "no code stored"
        if not hmac.compare_digest(expected.encode(), (check_code or "").encode()) or not stored:
            raise Problem("report.unknown")
        return self.report(tracking_no, hall=hall)

    def reports_by_card(self, kiosk_id: str, id_hash: str, limit: int = 5,
                        hall: str = DEFAULT_HALL) -> list[dict[str, Any]]:
        """A kiosk's look-up by ID card: the card holder's latest reports in this hall, newest
        first, each exactly as the tracking-number look-up shows it.

        The card on the reader is the proof, so no check code; the same per-kiosk rate limit as
        look-ups by number holds, so a stolen token cannot sweep hashes quickly.
        """
        wait_s = self._lookup_rate.take(kiosk_id)
        if wait_s:
            raise Problem("report.lookup_limited",
                          f"at most {self.limits.lookups_per_kiosk} look-ups per kiosk in "
                          f"{self.limits.window_s:g} s", retry_after=max(1, round(wait_s)))
        with self.db.read() as tx:
            rows = tx.all("SELECT tracking_no FROM reports WHERE id_hash = ? AND hall_id = ? "
                          "ORDER BY created_at DESC, tracking_no DESC LIMIT ?",
                          (id_hash, hall, max(1, min(limit, 20))))
        return [self.report(r["tracking_no"], hall=hall) for r in rows]

    def report(self, tracking_no: str, *, staff: bool = False,
               hall: str = DEFAULT_HALL) -> dict[str, Any]:
        with self.db.read() as tx:
            row = tx.one("SELECT * FROM reports WHERE tracking_no = ? AND hall_id = ?",
                         (tracking_no, hall))
            if row is None:
                raise Problem("report.unknown")
            steps = {s["step"]: s for s in tx.all(
                "SELECT step, at, note FROM report_steps WHERE tracking_no = ?", (tracking_no,))}
        out = {
            "tracking_no": row["tracking_no"],
            "matter_id": row["matter_id"],
            "situation": row["situation"],
            "status": row["status"],
            "status_name": REPORT_STATUS_NAMES[row["status"]][0],
            "status_name_en": REPORT_STATUS_NAMES[row["status"]][1],
            "received_at": row["created_at"],
            "promised_date": row["promised_date"],
            "complexity": row["complexity"],
            "kind": row["kind"],
            "kind_name": REPORT_KINDS[row["kind"]][0] if row["kind"] else None,
            "kind_name_en": REPORT_KINDS[row["kind"]][1] if row["kind"] else None,
            "answer": row["answer"],
            "phone_masked": mask_phone(row["phone"]),
            "steps": [
                {"step": key, "name": zh, "name_en": en,
                 "done_at": steps[key]["at"] if key in steps else None,
                 "note": steps[key]["note"] if key in steps else None}
                for key, zh, en in REPORT_STEPS
            ],
        }
        if staff:
            out.update(description=row["description"], phone=row["phone"], unit=row["unit"],
                       resolution=row["resolution"], kiosk_id=row["kiosk_id"],
                       check_code=row["check_code"])
        return out

    def advance_report(self, tracking_no: str, step: str, body: dict[str, Any],
                       hall: str = DEFAULT_HALL,
                       also: Callable[[Transaction], None] | None = None) -> dict[str, Any]:
        """Staff move a report one step on; steps must follow 受理→分类→转办→办结→反馈.

        ``also`` runs in the same transaction (the desk's owner and audit rows)."""
        now = self.now()
        with self.db.write() as tx:
            row = tx.one("SELECT status, created_at FROM reports WHERE tracking_no = ? "
                         "AND hall_id = ?", (tracking_no, hall))
            if row is None:
                raise Problem("report.unknown")
            current = row["status"]
            expected = STEP_ORDER[0] if current == "received" else (
                STEP_ORDER[STEP_ORDER.index(current) + 1]
                if STEP_ORDER.index(current) + 1 < len(STEP_ORDER) else None)
            if step != expected:
                raise Problem("report.wrong_step",
                              f"report is '{current}'; next step is {expected or 'none'}",
                              current=current, expected=expected)
            sets: dict[str, Any] = {"status": step}
            if step == "classified":
                sets["kind"] = body["kind"]
                sets["complexity"] = body["complexity"]
                received = dt.datetime.fromisoformat(row["created_at"]).date()
                sets["promised_date"] = self._promised(received, body["complexity"],
                                                       hall).isoformat()
            elif step == "dispatched":
                sets["unit"] = body["unit"]
            elif step == "resolved":
                sets["resolution"] = body["resolution"]
            elif step == "answered":
                sets["answer"] = body["answer"]
            assignments = ", ".join(f"{k} = ?" for k in sets)
            tx.execute(f"UPDATE reports SET {assignments} WHERE tracking_no = ?",
                       (*sets.values(), tracking_no))
            tx.execute("INSERT INTO report_steps (tracking_no, step, at, note) VALUES (?, ?, ?, ?)",
                       (tracking_no, step, now.isoformat(), body.get("note")))
            if also is not None:
                also(tx)
            self.db.notify(tx, REPORTS_CHANNEL, tracking_no)  # other instances' pages
        for listener in list(self.report_listeners):
            with contextlib.suppress(Exception):  # a closed event loop must not fail the step
                listener(tracking_no)
        return self.report(tracking_no, staff=True, hall=hall)

    def list_reports(self, status: str | None, hall: str = DEFAULT_HALL) -> list[dict[str, Any]]:
        # No "(? IS NULL OR status = ?)": PostgreSQL cannot type an untyped NULL parameter.
        where, params = ("AND status = ?", (hall, status)) if status else ("", (hall,))
        with self.db.read() as tx:
            rows = tx.all(f"SELECT tracking_no FROM reports WHERE hall_id = ? {where} "
                          "ORDER BY created_at, tracking_no", params)
        return [self.report(r["tracking_no"], staff=True, hall=hall) for r in rows]

    # -- evaluations, help calls, heartbeats ---------------------------------------------------
    def submit_evaluation(self, kiosk_id: str, body: dict[str, Any], key: str | None,
                          hall: str = DEFAULT_HALL) -> tuple[int, dict[str, Any]]:
        now = self.now()

        if body.get("phone") and body["level"] not in ratings.LOW_LEVELS:
            raise Problem("request.invalid",
                          "a call-back phone goes only with a 差评 (level 1 or 2)")
        try:
            settings = self.catalogue(hall)[1].ratings
        except Problem:  # no configuration published yet: a 差评 is still followed up
            settings = RatingSettings()

        def create(tx: Transaction) -> dict[str, Any]:
            eval_id = uuid.uuid4().hex
            matter, window = ratings.link_rating(tx, hall, body)
            tx.execute("INSERT INTO evaluations (id, kiosk_id, level, reasons, ticket_id, "
                       "window_no, tracking_no, comment, created_at, hall_id, matter_id) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (eval_id, kiosk_id, body["level"],
                        json.dumps(body.get("reasons", []), ensure_ascii=False),
                        body.get("ticket_id"), window, body.get("tracking_no"),
                        body.get("comment"), now.isoformat(), hall, matter))
            zh, en = EVALUATION_LEVELS[body["level"]]
            answer: dict[str, Any] = {"id": eval_id, "level": body["level"], "level_name": zh,
                                      "level_name_en": en, "received_at": now.isoformat()}
            if body["level"] in ratings.LOW_LEVELS:  # 差评: its 整改 order, same transaction
                answer.update(ratings.open_rectification(
                    tx, hall=hall, evaluation_id=eval_id, level=body["level"], matter=matter,
                    window=window, phone=body.get("phone"), now=now, calendar=self.calendar,
                    settings=settings))
            return answer

        return self._idempotent(kiosk_id, key, "evaluation", body, create)

    def call_help(self, kiosk_id: str, body: dict[str, Any], key: str | None,
                  hall: str = DEFAULT_HALL) -> tuple[int, dict[str, Any]]:
        now = self.now()

        def create(tx: Transaction) -> dict[str, Any]:
            call_id = uuid.uuid4().hex
            tx.execute("INSERT INTO help_calls (id, kiosk_id, location, reason, language, status,"
                       " created_at, hall_id) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
                       (call_id, kiosk_id, body["location"], body.get("reason", "other"),
                        body.get("language", "zh"), now.isoformat(), hall))
            return {"id": call_id, "status": "open", "received_at": now.isoformat()}

        return self._idempotent(kiosk_id, key, "help_call", body, create)

    _HELP_COLUMNS = "id, kiosk_id, location, reason, language, status, created_at, closed_at"

    def list_help_calls(self, status: str | None,
                        hall: str = DEFAULT_HALL) -> list[dict[str, Any]]:
        where, params = ("AND status = ?", (hall, status)) if status else ("", (hall,))
        with self.db.read() as tx:
            return tx.all(f"SELECT {self._HELP_COLUMNS} FROM help_calls WHERE hall_id = ? "
                          f"{where} ORDER BY created_at, id", params)

    def close_help_call(self, call_id: str, hall: str = DEFAULT_HALL) -> dict[str, Any]:
        with self.db.write() as tx:
            if tx.one("SELECT id FROM help_calls WHERE id = ? AND hall_id = ?",
                      (call_id, hall)) is None:
                raise Problem("help_call.unknown")
            tx.execute("UPDATE help_calls SET status = 'closed', closed_at = ? WHERE id = ?",
                       (self.now().isoformat(), call_id))
            row = tx.one(f"SELECT {self._HELP_COLUMNS} FROM help_calls WHERE id = ?", (call_id,))
        return dict(row or {})

    def heartbeat(self, kiosk_id: str, body: dict[str, Any],
                  hall: str = DEFAULT_HALL) -> dict[str, Any]:
        now = self.now()
        with self.db.write() as tx:
            tx.execute("INSERT INTO heartbeats (kiosk_id, at, payload) VALUES (?, ?, ?) "
                       "ON CONFLICT (kiosk_id) DO UPDATE SET at = excluded.at, "
                       "payload = excluded.payload",
                       (kiosk_id, now.isoformat(), json.dumps(body, ensure_ascii=False)))
        return {"server_time": now.isoformat(),
                "config_version": self.latest_config_version(hall)}

    def kiosks(self, hall: str = DEFAULT_HALL) -> list[dict[str, Any]]:
        now = self.now()
        with self.db.read() as tx:
            rows = tx.all("SELECT k.id, k.created_at, k.revoked_at, k.last_auth_failure_at, "
                          "h.at AS last_seen, h.payload FROM kiosks k "
                          "LEFT JOIN heartbeats h ON h.kiosk_id = k.id WHERE k.hall_id = ? "
                          "ORDER BY k.id", (hall,))
        out = []
        for r in rows:
            last_seen = dt.datetime.fromisoformat(r["last_seen"]) if r["last_seen"] else None
            silent = last_seen is None or (now - last_seen).total_seconds() > self.silent_after_s
            out.append({"id": r["id"], "registered_at": r["created_at"],
                        "revoked": r["revoked_at"] is not None,
                        "last_auth_failure_at": r["last_auth_failure_at"],
                        "last_seen": r["last_seen"], "silent": silent,
                        "heartbeat": json.loads(r["payload"]) if r["payload"] else None})
        return out


def _ticket_answer(ticket_id: str, display: str, ahead: int, cat: Catalogue, matter: Matter,
                   priority: str | None, now: dt.datetime) -> dict[str, Any]:
    """A new ticket as the kiosk gets it (and as a retry of its key gets it again)."""
    return {
        "id": ticket_id,
        "number": display,
        "matter_id": matter.id,
        "matter_name": matter.name,
        "matter_name_en": matter.name_en,
        "zone": dataclasses.asdict(cat.zone(matter.zone)),
        "windows": matter.windows,
        "ahead": ahead,
        "priority": priority,
        "issued_at": now.isoformat(),
        "tracking_url": cat.hall.queue_link(ticket_id),
    }


def validate_config(config: dict[str, Any]) -> Catalogue:
    """Validate a config dict the way every kiosk will; raises CatalogueError naming the key."""
    return Catalogue.from_dict(config)


__all__ = ["CatalogueError", "CentralService", "validate_config"]
