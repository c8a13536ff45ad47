"""Counter calling: windows call numbers, recall, mark no-show or served, transfer, pause.

Plain functions over :class:`central.service.CentralService` (its database, clock and
catalogue), called by the token-protected staff endpoints and, later, by the desk's window
page. Every state change is one row in ``ticket_events`` with its time and a per-hall, per-day
sequence number (``counters`` row ``event:<hall>``), written in the same transaction as the
change, so the display and phone pages can follow the sequence and waits and service times
are measured from stored times.

Rules:

* A window serves one or several matters; a comprehensive window (无差别综合窗口) pools their
  queues: the next ticket is the first of all of them.
* Order: green-channel (priority and appointment) tickets first, then by issue time and number.
  The hall's ``priority_every`` (0 = always first) lets a window call one regular ticket after
  that many priority calls in a row, so a long green channel cannot starve the others.
* Calling the next number finishes the window's current ticket as served.
* No-show is allowed after the hall's ``no_show_after`` recalls (default 2).
* Transfer to a matter puts the ticket back in that matter's queue with its original issue
  time (so it is near the front); transfer to a window calls it there at once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from central.problems import Problem

if TYPE_CHECKING:
    from central.db import Transaction
    from central.service import CentralService

log = logging.getLogger("central.calling")
DEFAULT_SERVICE_S = 300  # estimate per ticket before the hall has measured any service today
MIN_SERVICE_S = 10
ANNOUNCED = ("called", "recalled", "transferred")
CALLS_CHANNEL = "central_calls"
QUEUE = "COALESCE(queue_matter, matter_id)"
ORDER = "(priority IS NULL), created_at, number"


class _Rates(dict[str, float]):
    """Seconds per ticket by queue; a queue nobody has measured gets the default."""

    def __init__(self, default: float) -> None:
        super().__init__()
        self.default = default

    def __missing__(self, key: str) -> float:
        return self.default


@dataclass
class Snapshot:
    """Who waits where, once per change, shared by every phone page of the hall."""

    day: str
    ahead: dict[str, tuple[str, int]]  # waiting ticket id -> (queue matter, people ahead)
    per_ticket_s: dict[str, float]  # queue matter -> seconds per ticket (service / windows)

    def estimate_s(self, ticket_id: str) -> int | None:
        found = self.ahead.get(ticket_id)
        if found is None:
            return None
        matter, ahead = found
        return math.ceil(ahead * self.per_ticket_s.get(matter, DEFAULT_SERVICE_S))


class Calling:
    """The calling state machine of every hall on one centre."""

    def __init__(self, service: CentralService) -> None:
        self.service = service
        self.db = service.db
        self._rates: dict[str, tuple[float, dict[str, float]]] = {}
        #: Told the hall's id after every committed change (the live feed of this instance),
        #: so any caller - the staff API, the desk's window page - updates the pages at once.
        self.listeners: list[Callable[[str], None]] = []

    # -- helpers -----------------------------------------------------------------------
    @contextmanager
    def _change(self, hall: str) -> Iterator[Transaction]:
        """A write transaction; after it commits, the listeners hear of the hall."""
        with self.db.write() as tx:
            yield tx
        for listener in list(self.listeners):
            try:
                listener(hall)
            except Exception:  # a closed event loop at shutdown must not fail the call
                log.warning("calling listener failed", exc_info=True)

    def _today(self) -> str:
        return self.service.now().date().isoformat()

    def _event(self, tx: Transaction, hall: str, kind: str, *, ticket_id: str | None = None,
               window: str | None = None, matter_id: str | None = None,
               detail: str | None = None) -> int:
        self._rates.pop(hall, None)  # service times or open windows change the estimate
        day = self._today()
        seq = int(tx.scalar(
            "INSERT INTO counters (scope, day, last_number) VALUES (?, ?, 1) "
            "ON CONFLICT (scope, day) DO UPDATE SET last_number = counters.last_number + 1 "
            "RETURNING last_number", (f"event:{hall}", day)))
        tx.execute("INSERT INTO ticket_events (hall_id, day, seq, ticket_id, kind, window_no, "
                   "matter_id, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (hall, day, seq, ticket_id, kind, window, matter_id,
                    self.service.now().isoformat(), detail))
        # Every instance on this PostgreSQL database tells its pages at commit (SQLite: no-op).
        self.db.notify(tx, CALLS_CHANNEL, hall)
        return seq

    def _check_matters(self, hall: str, matters: list[str]) -> None:
        _config, cat = self.service.catalogue(hall)
        for matter_id in matters:
            if not cat.has_matter(matter_id):
                raise Problem("matter.unknown", f"no matter {matter_id!r} in the catalogue")
            if not cat.matter(matter_id).needs_staff:
                raise Problem("matter.no_queue")

    @staticmethod
    def _window(tx: Transaction, hall: str, window: str) -> dict[str, Any] | None:
        return tx.one("SELECT * FROM windows WHERE hall_id = ? AND id = ?", (hall, window))

    def _current(self, tx: Transaction, hall: str, window: str) -> dict[str, Any]:
        """The ticket this window has called and not finished; else 409 window.idle."""
        row = self._window(tx, hall, window)
        ticket = None
        if row is not None and row["current_ticket"]:
            ticket = tx.one("SELECT * FROM tickets WHERE id = ? AND hall_id = ? AND "
                            "status = 'called' AND window_no = ?",
                            (row["current_ticket"], hall, window))
        if ticket is None:
            raise Problem("window.idle")
        return ticket

    def _finish(self, tx: Transaction, hall: str, window: str, ticket: dict[str, Any],
                status: str, detail: str | None = None) -> None:
        tx.execute("UPDATE tickets SET status = ?, finished_at = ? WHERE id = ?",
                   (status, self.service.now().isoformat(), ticket["id"]))
        tx.execute("UPDATE windows SET current_ticket = NULL, updated_at = ? "
                   "WHERE hall_id = ? AND id = ?", (self.service.now().isoformat(), hall, window))
        self._event(tx, hall, status, ticket_id=ticket["id"], window=window,
                    matter_id=ticket["queue_matter"] or ticket["matter_id"], detail=detail)

    def _queue_count(self, tx: Transaction, hall: str, matter_id: str, day: str,
                     ticket: dict[str, Any], delta: int) -> None:
        """Keep the running counts behind a new ticket's "people ahead" in step."""
        tx.execute("INSERT INTO queues (hall_id, matter_id, day, waiting, waiting_priority) "
                   "VALUES (?, ?, ?, 0, 0) ON CONFLICT (hall_id, matter_id, day) DO NOTHING",
                   (hall, matter_id, day))
        tx.execute("UPDATE queues SET waiting = waiting + ?, waiting_priority = "
                   "waiting_priority + ? WHERE hall_id = ? AND matter_id = ? AND day = ?",
                   (delta, delta if ticket["priority"] is not None else 0, hall, matter_id, day))

    # -- rules and windows -------------------------------------------------------------
    def rules(self, hall: str) -> dict[str, Any]:
        with self.db.read() as tx:
            row = tx.one("SELECT priority_every, no_show_after FROM halls WHERE id = ?", (hall,))
        if row is None:
            return {"priority_every": 0, "no_show_after": 2}
        return {"priority_every": int(row["priority_every"]),
                "no_show_after": int(row["no_show_after"])}

    def set_rules(self, hall: str, priority_every: int, no_show_after: int) -> dict[str, Any]:
        with self.db.write() as tx:
            self.service._ensure_hall(tx, hall)
            tx.execute("UPDATE halls SET priority_every = ?, no_show_after = ? WHERE id = ?",
                       (priority_every, no_show_after, hall))
        return self.rules(hall)

    def set_window(self, hall: str, window: str, matters: list[str]) -> dict[str, Any]:
        """Open or re-assign a window: the matters it serves (several = pooled)."""
        self._check_matters(hall, matters)
        now = self.service.now().isoformat()
        with self.db.write() as tx:
            tx.execute("INSERT INTO windows (hall_id, id, matters, updated_at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (hall_id, id) DO UPDATE SET matters = excluded.matters, "
                       "updated_at = excluded.updated_at",
                       (hall, window, json.dumps(matters), now))
        self._rates.pop(hall, None)
        return self.window(hall, window)

    def window(self, hall: str, window: str) -> dict[str, Any]:
        with self.db.read() as tx:
            row = self._window(tx, hall, window)
            if row is None:
                raise Problem("window.unknown")
            return self._window_out(tx, hall, row)

    def windows(self, hall: str) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            rows = tx.all("SELECT * FROM windows WHERE hall_id = ? ORDER BY id", (hall,))
            return [self._window_out(tx, hall, r) for r in rows]

    def _window_out(self, tx: Transaction, hall: str, row: dict[str, Any]) -> dict[str, Any]:
        matters = json.loads(row["matters"])
        current = None
        if row["current_ticket"]:
            t = tx.one("SELECT id, display, status FROM tickets WHERE id = ?",
                       (row["current_ticket"],))
            if t is not None and t["status"] == "called":
                current = {"id": t["id"], "number": t["display"]}
        waiting = 0
        if matters:
            marks = ", ".join("?" for _ in matters)
            waiting = int(tx.scalar(
                f"SELECT COUNT(*) FROM tickets WHERE hall_id = ? AND day = ? AND "
                f"status = 'waiting' AND {QUEUE} IN ({marks})",
                (hall, self._today(), *matters)))
        return {"window": row["id"], "matters": matters, "paused": row["paused_at"] is not None,
                "paused_at": row["paused_at"], "current": current, "waiting": waiting}

    def pause(self, hall: str, window: str, paused: bool) -> dict[str, Any]:
        now = self.service.now().isoformat()
        with self._change(hall) as tx:
            row = self._window(tx, hall, window)
            if row is None:
                raise Problem("window.unknown")
            if (row["paused_at"] is not None) != paused:
                tx.execute("UPDATE windows SET paused_at = ?, updated_at = ? "
                           "WHERE hall_id = ? AND id = ?",
                           (now if paused else None, now, hall, window))
                self._event(tx, hall, "paused" if paused else "resumed", window=window)
        return self.window(hall, window)

    # -- calling -----------------------------------------------------------------------
    def call_next(self, hall: str, window: str, matters: list[str] | None = None
                  ) -> dict[str, Any]:
        """Call the first waiting ticket of the window's matters (or ``matters``)."""
        if matters is not None:
            self._check_matters(hall, matters)
        day = self._today()
        now = self.service.now().isoformat()
        with self._change(hall) as tx:
            row = self._window(tx, hall, window)
            if matters is None:
                if row is None:
                    raise Problem("window.unknown")
                matters = json.loads(row["matters"])
            if row is not None and row["paused_at"] is not None:
                raise Problem("window.paused")
            if row is None:  # the matter call-next of a window nobody has set up
                tx.execute("INSERT INTO windows (hall_id, id, matters, updated_at) "
                           "VALUES (?, ?, ?, ?)", (hall, window, json.dumps(matters), now))
            elif row["current_ticket"]:
                current = tx.one("SELECT * FROM tickets WHERE id = ? AND status = 'called' "
                                 "AND window_no = ?", (row["current_ticket"], window))
                if current is not None:
                    self._finish(tx, hall, window, current, "served", "next called")
            if not matters:
                raise Problem("queue.empty")
            prefer_regular = self._regular_turn(tx, hall, window, day)
            marks = ", ".join("?" for _ in matters)
            ticket = None
            for _attempt in range(20):
                order = ("(priority IS NOT NULL), created_at, number" if prefer_regular
                         else ORDER)
                ticket = tx.one(
                    f"SELECT * FROM tickets WHERE hall_id = ? AND day = ? AND "
                    f"status = 'waiting' AND {QUEUE} IN ({marks}) ORDER BY {order} LIMIT 1",
                    (hall, day, *matters))
                if ticket is None:
                    raise Problem("queue.empty")
                # Two windows calling at once (PostgreSQL, several instances) may pick the
                # same ticket: the status guard gives it to one, the other looks again.
                won = tx.execute("UPDATE tickets SET status = 'called', window_no = ?, "
                                 "called_at = ?, recalls = 0 WHERE id = ? AND "
                                 "status = 'waiting'", (window, now, ticket["id"]))
                if won.rowcount == 1:
                    break
            else:
                raise Problem("server.unavailable", "the queue is busy, call again")
            queue = ticket["queue_matter"] or ticket["matter_id"]
            self._queue_count(tx, hall, queue, day, ticket, -1)
            tx.execute("UPDATE windows SET current_ticket = ?, updated_at = ? "
                       "WHERE hall_id = ? AND id = ?", (ticket["id"], now, hall, window))
            self._event(tx, hall, "called", ticket_id=ticket["id"], window=window,
                        matter_id=queue,
                        detail="priority" if ticket["priority"] is not None else None)
        return self.ticket(hall, ticket["id"])

    def _regular_turn(self, tx: Transaction, hall: str, window: str, day: str) -> bool:
        """True when the hall's rule gives a regular ticket this turn (after N priority calls)."""
        every = tx.scalar("SELECT priority_every FROM halls WHERE id = ?", (hall,))
        if not every:
            return False
        last = tx.all("SELECT detail FROM ticket_events WHERE hall_id = ? AND day = ? AND "
                      "window_no = ? AND kind = 'called' ORDER BY seq DESC LIMIT ?",
                      (hall, day, window, int(every)))
        return len(last) == int(every) and all(e["detail"] == "priority" for e in last)

    def recall(self, hall: str, window: str) -> dict[str, Any]:
        with self._change(hall) as tx:
            ticket = self._current(tx, hall, window)
            tx.execute("UPDATE tickets SET recalls = recalls + 1 WHERE id = ?", (ticket["id"],))
            self._event(tx, hall, "recalled", ticket_id=ticket["id"], window=window,
                        matter_id=ticket["queue_matter"] or ticket["matter_id"],
                        detail=str(ticket["recalls"] + 1))
        return self.ticket(hall, ticket["id"])

    def served(self, hall: str, window: str) -> dict[str, Any]:
        with self._change(hall) as tx:
            ticket = self._current(tx, hall, window)
            self._finish(tx, hall, window, ticket, "served")
        return self.ticket(hall, ticket["id"])

    def no_show(self, hall: str, window: str) -> dict[str, Any]:
        with self._change(hall) as tx:
            ticket = self._current(tx, hall, window)
            needed = int(tx.scalar("SELECT no_show_after FROM halls WHERE id = ?", (hall,))
                         or 0)
            if ticket["recalls"] < needed:
                raise Problem("ticket.recall_first",
                              f"recalled {ticket['recalls']} of {needed} times",
                              recalls=ticket["recalls"], needed=needed)
            self._finish(tx, hall, window, ticket, "no_show")
        return self.ticket(hall, ticket["id"])

    def transfer(self, hall: str, window: str, *, to_matter: str | None = None,
                 to_window: str | None = None) -> dict[str, Any]:
        """Send the window's current ticket to another matter's queue or another window."""
        if (to_matter is None) == (to_window is None):
            raise Problem("request.invalid", "give exactly one of to_matter and to_window")
        if to_matter is not None:
            self._check_matters(hall, [to_matter])
        day = self._today()
        now = self.service.now().isoformat()
        with self._change(hall) as tx:
            ticket = self._current(tx, hall, window)
            tx.execute("UPDATE windows SET current_ticket = NULL, updated_at = ? "
                       "WHERE hall_id = ? AND id = ?", (now, hall, window))
            if to_matter is not None:
                tx.execute("UPDATE tickets SET status = 'waiting', queue_matter = ?, "
                           "window_no = NULL, called_at = NULL, recalls = 0 WHERE id = ?",
                           (to_matter, ticket["id"]))
                self._queue_count(tx, hall, to_matter, day, ticket, +1)
                self._event(tx, hall, "transferred", ticket_id=ticket["id"],
                            matter_id=to_matter, detail=f"from window {window}")
            else:
                target = self._window(tx, hall, to_window or "")
                if target is not None and target["current_ticket"]:
                    busy = tx.scalar("SELECT 1 FROM tickets WHERE id = ? AND status = 'called' "
                                     "AND window_no = ?", (target["current_ticket"], to_window))
                    if busy:
                        raise Problem("window.busy")
                if target is None:
                    tx.execute("INSERT INTO windows (hall_id, id, matters, updated_at) "
                               "VALUES (?, ?, '[]', ?)", (hall, to_window, now))
                tx.execute("UPDATE tickets SET window_no = ?, called_at = ?, recalls = 0 "
                           "WHERE id = ?", (to_window, now, ticket["id"]))
                tx.execute("UPDATE windows SET current_ticket = ?, updated_at = ? "
                           "WHERE hall_id = ? AND id = ?", (ticket["id"], now, hall, to_window))
                self._event(tx, hall, "transferred", ticket_id=ticket["id"], window=to_window,
                            matter_id=ticket["queue_matter"] or ticket["matter_id"],
                            detail=f"from window {window}")
        return self.ticket(hall, ticket["id"])

    # -- reading -----------------------------------------------------------------------
    def ticket(self, hall: str, ticket_id: str) -> dict[str, Any]:
        """A ticket as the staff and the phone page see it (nothing personal)."""
        with self.db.read() as tx:
            row = tx.one("SELECT * FROM tickets WHERE id = ? AND hall_id = ?", (ticket_id, hall))
            if row is None:
                raise Problem("ticket.unknown")
            snapshot = self.snapshot(hall, tx) if row["status"] == "waiting" else None
        return self.ticket_out(row, snapshot)

    def ticket_out(self, row: dict[str, Any], snapshot: Snapshot | None) -> dict[str, Any]:
        status = row["status"]
        if status == "waiting" and row["day"] != self._today():
            status = "expired"
        queue = row["queue_matter"] or row["matter_id"]
        ahead = estimate = None
        if status == "waiting" and snapshot is not None:
            found = snapshot.ahead.get(row["id"])
            ahead = found[1] if found else 0
            estimate = snapshot.estimate_s(row["id"])
        _config, cat = self.service.catalogue(row["hall_id"])
        matter = cat.matter(queue) if cat.has_matter(queue) else None
        zone = cat.zone(matter.zone) if matter is not None else None
        return {"id": row["id"], "number": row["display"], "matter_id": queue,
                "matter_name": matter.name if matter else queue,
                "matter_name_en": matter.name_en if matter else queue,
                "zone_name": zone.name if zone else "", "zone_name_en": zone.name_en if zone else "",
                "status": status, "ahead": ahead if ahead is not None else 0,
                "estimated_wait_s": estimate,
                "window": row["window_no"] if status == "called" else None,
                "called_at": row["called_at"], "recalls": int(row["recalls"] or 0),
                "issued_at": row["created_at"], "finished_at": row["finished_at"]}

    def snapshot(self, hall: str, tx: Transaction | None = None) -> Snapshot:
        """Every waiting ticket's place and each queue's measured seconds per ticket."""
        if tx is None:
            with self.db.read() as own:
                return self.snapshot(hall, own)
        day = self._today()
        rows = tx.all(f"SELECT id, {QUEUE} AS queue FROM tickets WHERE hall_id = ? AND day = ? "
                      f"AND status = 'waiting' ORDER BY {ORDER}", (hall, day))
        ahead: dict[str, tuple[str, int]] = {}
        counts: dict[str, int] = {}
        for r in rows:
            n = counts.get(r["queue"], 0)
            ahead[r["id"]] = (r["queue"], n)
            counts[r["queue"]] = n + 1
        return Snapshot(day, ahead, self._seconds_per_ticket(tx, hall, day))

    def _seconds_per_ticket(self, tx: Transaction, hall: str, day: str) -> dict[str, float]:
        """Each queue's measured seconds per ticket: mean service ÷ open windows serving it."""
        # Measured service: the last 20 finished-as-served tickets of each queue today.
        served = tx.all(f"SELECT {QUEUE} AS queue, called_at, finished_at FROM tickets "
                        "WHERE hall_id = ? AND day = ? AND status = 'served' "
                        "AND called_at IS NOT NULL AND finished_at IS NOT NULL "
                        "ORDER BY finished_at DESC LIMIT 400", (hall, day))
        durations: dict[str, list[float]] = {}
        for r in served:
            spent = (dt.datetime.fromisoformat(r["finished_at"])
                     - dt.datetime.fromisoformat(r["called_at"])).total_seconds()
            # Under 10 s is a slip of the finger (or "next" pressed twice), not a service.
            if spent >= MIN_SERVICE_S and len(durations.setdefault(r["queue"], [])) < 20:
                durations[r["queue"]].append(spent)
        open_windows: dict[str, int] = {}
        for w in tx.all("SELECT matters FROM windows WHERE hall_id = ? AND paused_at IS NULL",
                        (hall,)):
            for matter in json.loads(w["matters"]):
                open_windows[matter] = open_windows.get(matter, 0) + 1
        rates = _Rates(DEFAULT_SERVICE_S)
        for queue in set(durations) | set(open_windows):
            measured = durations.get(queue)
            mean = sum(measured) / len(measured) if measured else DEFAULT_SERVICE_S
            rates[queue] = mean / max(1, open_windows.get(queue, 0))
        return rates

    def estimate_minutes(self, hall: str, matter_id: str, ahead: int) -> int:
        """A new ticket's estimated wait in whole minutes (the hall's rates, cached 10 s)."""
        known = self.cached_estimate_minutes(hall, matter_id, ahead)
        if known is not None:
            return known
        now = time.monotonic()
        with self.db.read() as tx:
            cached = (now, self._seconds_per_ticket(tx, hall, self._today()))
        self._rates[hall] = cached
        return math.ceil(ahead * cached[1].get(matter_id, DEFAULT_SERVICE_S) / 60)

    def cached_estimate_minutes(self, hall: str, matter_id: str, ahead: int) -> int | None:
        """The estimate from the cached rates, or None when they must be read again: no
        database, so the event loop can answer it without a trip to a worker thread."""
        cached = self._rates.get(hall)
        if cached is None or time.monotonic() - cached[0] > 10:
            return None
        return math.ceil(ahead * cached[1].get(matter_id, DEFAULT_SERVICE_S) / 60)

    def recent_calls(self, hall: str, limit: int = 8) -> list[dict[str, Any]]:
        """The hall's latest announced calls today, newest first (the display board)."""
        with self.db.read() as tx:
            rows = tx.all("SELECT e.seq, e.kind, e.window_no, e.at, e.detail, t.display, "
                          "t.matter_id, t.queue_matter FROM ticket_events e "
                          "JOIN tickets t ON t.id = e.ticket_id WHERE e.hall_id = ? AND "
                          "e.day = ? AND e.kind IN ('called', 'recalled', 'transferred') "
                          "AND e.window_no IS NOT NULL ORDER BY e.seq DESC LIMIT ?",
                          (hall, self._today(), limit))
        return [self._call_out(hall, r) for r in rows]

    def events_after(self, hall: str, day: str, seq: int) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            return tx.all("SELECT e.seq, e.kind, e.ticket_id, e.window_no, e.at, e.detail, "
                          "t.display, t.matter_id, t.queue_matter FROM ticket_events e "
                          "LEFT JOIN tickets t ON t.id = e.ticket_id WHERE e.hall_id = ? AND "
                          "e.day = ? AND e.seq > ? ORDER BY e.seq", (hall, day, seq))

    def last_seqs(self) -> dict[str, tuple[str, int]]:
        """Every hall's latest event sequence today (one cheap query: the live hub's poll)."""
        day = self._today()
        with self.db.read() as tx:
            rows = tx.all("SELECT scope, last_number FROM counters WHERE day = ? AND "
                          "scope LIKE 'event:%'", (day,))
        return {r["scope"][len("event:"):]: (day, int(r["last_number"])) for r in rows}

    def _call_out(self, hall: str, r: dict[str, Any]) -> dict[str, Any]:
        _config, cat = self.service.catalogue(hall)
        queue = r["queue_matter"] or r["matter_id"]
        matter = cat.matter(queue) if queue and cat.has_matter(queue) else None
        zone = cat.zone(matter.zone) if matter else None
        return {"seq": r["seq"], "kind": r["kind"], "number": r["display"],
                "window": r["window_no"], "at": r["at"],
                "matter_name": matter.name if matter else "",
                "matter_name_en": matter.name_en if matter else "",
                "zone_name": zone.name if zone else "", "zone_name_en": zone.name_en if zone else "",
                "floor": zone.floor if zone else None}

    def is_announced(self, event: dict[str, Any]) -> bool:
        return event["kind"] in ANNOUNCED and bool(event.get("window_no"))

    def ticket_hall(self, ticket_id: str) -> str | None:
        """The hall of a ticket (the public phone page knows only the unguessable id)."""
        with self.db.read() as tx:
            hall = tx.scalar("SELECT hall_id FROM tickets WHERE id = ?", (ticket_id,))
        return None if hall is None else str(hall)
