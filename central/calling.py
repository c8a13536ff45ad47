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
* Who is called next is decided by one function, :meth:`Order.pick`, over two lines:

  - the **priority line**: green-channel tickets (绿色通道) at their issue time, and checked-in
    appointments *in their slot's place*: once the booked slot has started they stand in the
    priority line at the slot's start time (so an elder who came at 10:20 goes before the
    10:30 appointment, one who came at 10:40 after it);
  - the **walk-in line**: everybody else by issue time and number. An appointment checked in
    *before* its slot waits here from its check-in (never worse off than walking in) and
    moves to its slot's place when the slot starts; one checked in more than the hall's
    ``slot_grace_min`` (default 15) after its slot's start lost the slot and stays here.
    An appointment booked without a slot time is in the priority line from check-in.

  The priority line goes first. The hall's ``priority_every`` (0 = always first) lets a window
  call one walk-in after that many priority-line calls in a row, so a long green channel
  cannot starve the others.
* "People ahead" and the estimated wait come from the same function: :func:`plan` replays the
  open windows calling in turn (the one that called longest ago first, each with its own
  pooled matters and ``priority_every`` streak) until every waiting ticket is taken. A
  ticket's people ahead are the tickets taken before it by windows that serve its queue; its
  estimated wait is that count divided by the windows' pace (each window's mean of its last
  20 measured services, else the queue's, else 5 minutes). A queue no open window serves
  counts its own place in the order, at the queue's pace.
* Calling the next number finishes the window's current ticket as served.
* No-show is allowed after the hall's ``no_show_after`` recalls (default 2).
* Transfer to a matter puts the ticket back in that matter's queue with its original issue
  time (so it is near the front); transfer to a window calls it there at once.
* Every announced call (called, recalled, transferred to a window) is handed, after commit, to
  :attr:`Calling.announcers` (the display's audio is rendered then, in the background).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from central.problems import Problem

if TYPE_CHECKING:
    from central.db import Transaction
    from central.service import CentralService

log = logging.getLogger("central.calling")
DEFAULT_SERVICE_S = 300  # estimate per ticket before the hall has measured any service today
MIN_SERVICE_S = 10
#: How old a hall's view (open windows, service times) may be for :meth:`Calling.quick_place`:
#: a window opened on another instance is seen within this; on this one, at once.
VIEW_TTL_S = 2.0
DEFAULT_SLOT_GRACE_MIN = 15
ANNOUNCED = ("called", "recalled", "transferred")
CALLS_CHANNEL = "central_calls"
QUEUE = "COALESCE(queue_matter, matter_id)"
PRIORITY_LINE, WALK_IN_LINE = 0, 1
#: ``ticket_events.detail`` of a call from the priority line: a green-channel ticket, or an
#: appointment in its slot's place (both count towards ``priority_every``).
PRIORITY_DETAILS = ("priority", "slot")


@dataclass(frozen=True)
class Waiting:
    """A waiting ticket as the order sees it."""

    id: str
    queue: str
    number: int
    issued: dt.datetime
    priority: str | None
    slot: dt.datetime | None = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Waiting:
        return cls(row["id"], row["queue"], int(row["number"]),
                   dt.datetime.fromisoformat(row["created_at"]), row["priority"],
                   dt.datetime.fromisoformat(row["slot_at"]) if row.get("slot_at") else None)

    def line(self, now: dt.datetime, grace: dt.timedelta) -> tuple[int, dt.datetime]:
        """The line this ticket stands in now and the time its place there is taken from."""
        if self.priority is None:
            return WALK_IN_LINE, self.issued
        if self.priority != "appointment" or self.slot is None:
            return PRIORITY_LINE, self.issued  # green channel; an appointment without a time
        if self.issued > self.slot + grace:
            return WALK_IN_LINE, self.issued  # came too late: the slot is lost
        if now >= self.slot:
            return PRIORITY_LINE, self.slot  # its slot's place
        return WALK_IN_LINE, self.issued  # early: a walk-in until the slot starts

    @property
    def is_slot(self) -> bool:
        return self.priority == "appointment" and self.slot is not None


class Order:
    """The one order of waiting tickets: what ``call_next`` takes and what :func:`plan` replays.

    Two lines (see the module's rules), each sorted by (place time, issue time, number, id).
    """

    def __init__(self, waiting: Iterable[Waiting], now: dt.datetime,
                 grace: dt.timedelta) -> None:
        lines: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] = ([], [])
        for t in waiting:
            line, at = t.line(now, grace)
            lines[line].append((at, t.issued, t.number, t.id, t))
        priority, walk_in = ([entry[-1] for entry in sorted(found, key=lambda e: e[:4])]
                             for found in lines)
        self.lines: tuple[list[Waiting], list[Waiting]] = (priority, walk_in)

    def pick(self, matters: Collection[str], regular_turn: bool, taken: Collection[str] = (),
             cursor: list[int] | None = None) -> tuple[Waiting, int] | None:
        """The ticket a window serving ``matters`` calls next, and the line it came from.

        The priority line first; on a regular turn (``priority_every``) the walk-in line first.
        ``cursor`` (one start index per line) lets a replay skip what it has passed."""
        cursor = cursor if cursor is not None else [0, 0]
        first: list[Waiting | None] = [None, None]
        for line in (PRIORITY_LINE, WALK_IN_LINE):
            queue = self.lines[line]
            i = cursor[line]
            while i < len(queue) and (queue[i].id in taken or queue[i].queue not in matters):
                i += 1
            cursor[line] = i
            first[line] = queue[i] if i < len(queue) else None
        order = (WALK_IN_LINE, PRIORITY_LINE) if regular_turn else (PRIORITY_LINE,
                                                                     WALK_IN_LINE)
        for line in order:
            found = first[line]
            if found is not None:
                return found, line
        return None

    def positions(self) -> dict[str, int]:
        """Each ticket's count of same-queue tickets before it (a queue no window serves)."""
        seen: dict[str, int] = {}
        out: dict[str, int] = {}
        for line in self.lines:
            for t in line:
                out[t.id] = seen.get(t.queue, 0)
                seen[t.queue] = out[t.id] + 1
        return out


@dataclass
class Turn:
    """An open window in the replay: its matters and its priority-line calls in a row."""

    window: str
    matters: frozenset[str]
    streak: int = 0
    cursor: list[int] = field(default_factory=lambda: [0, 0])


def plan(order: Order, turns: Iterable[Turn], every: int) -> dict[str, int]:
    """Replay the windows calling in turn until nobody is left; ticket id -> people ahead.

    ``turns`` in the order the windows call (the one that called longest ago first); each takes
    :meth:`Order.pick` for its matters. People ahead of a ticket = the tickets taken before it
    by windows that serve its queue. Tickets no window serves are not in the answer."""
    rotation = deque(t for t in turns if t.matters)
    taken: set[str] = set()
    calls: dict[str, int] = {}  # queue -> tickets taken so far by windows serving it
    ahead: dict[str, int] = {}
    while rotation:
        turn = rotation.popleft()
        picked = order.pick(turn.matters, every > 0 and turn.streak >= every, taken,
                            turn.cursor)
        if picked is None:
            continue  # nobody left for this window: it drops out of the rotation
        ticket, line = picked
        taken.add(ticket.id)
        ahead[ticket.id] = calls.get(ticket.queue, 0)
        for matter in turn.matters:
            calls[matter] = calls.get(matter, 0) + 1
        turn.streak = turn.streak + 1 if line == PRIORITY_LINE else 0
        rotation.append(turn)
    return ahead


def _window_key(window: str) -> tuple[int, str]:
    """Windows in their natural order: 2 before 10."""
    return (int(window), "") if window.isdigit() else (1 << 30, window)


def _mean_rates(durations: dict[str, list[float]]) -> dict[str, float]:
    rates = _Rates(DEFAULT_SERVICE_S)
    for key, values in durations.items():
        if values:
            rates[key] = sum(values) / len(values)
    return rates


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
    waits: dict[str, int]  # waiting ticket id -> estimated seconds until called

    def estimate_s(self, ticket_id: str) -> int | None:
        return self.waits.get(ticket_id)


class Calling:
    """The calling state machine of every hall on one centre."""

    def __init__(self, service: CentralService) -> None:
        self.service = service
        self.db = service.db
        #: Told the hall's id after every committed change (the live feed of this instance),
        #: so any caller - the staff API, the desk's window page - updates the pages at once.
        self.listeners: list[Callable[[str], None]] = []
        #: Told (number, window) of every committed call, recall and transfer to a window, so
        #: the announcement is made before the display asks for it. Must not block.
        self.announcers: list[Callable[[str, str], None]] = []
        self._local = threading.local()
        #: Per hall: (monotonic time read, queues an open window serves, seconds per ticket by
        #: queue), so a new walk-in's answer needs no database read (see :meth:`quick_place`).
        self._views: dict[str, tuple[float, frozenset[str], dict[str, float]]] = {}

    # -- helpers -----------------------------------------------------------------------
    @contextmanager
    def _change(self, hall: str) -> Iterator[Transaction]:
        """A write transaction; after it commits, the listeners hear of the hall."""
        pending: list[tuple[str, str]] = []
        self._local.announce = pending
        try:
            with self.db.write() as tx:
                yield tx
        finally:
            self._local.announce = None
        for listener in list(self.listeners):
            try:
                listener(hall)
            except Exception:  # a closed event loop at shutdown must not fail the call
                log.warning("calling listener failed", exc_info=True)
        for number, window in pending:
            for announcer in list(self.announcers):
                try:
                    announcer(number, window)
                except Exception:  # the call stands even if its sound cannot be made
                    log.warning("announcer failed", exc_info=True)

    def _today(self) -> str:
        return self.service.now().date().isoformat()

    def _event(self, tx: Transaction, hall: str, kind: str, *, ticket_id: str | None = None,
               window: str | None = None, matter_id: str | None = None,
               detail: str | None = None, number: str | None = None) -> int:
        """Store one change; ``number`` (the ticket's display) marks a call to announce."""
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
        pending = getattr(self._local, "announce", None)
        if number and window and kind in ANNOUNCED and pending is not None:
            pending.append((number, window))
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
            return self._rules(tx, hall)

    @staticmethod
    def _rules(tx: Transaction, hall: str) -> dict[str, Any]:
        row = tx.one("SELECT priority_every, no_show_after, slot_grace_min FROM halls "
                     "WHERE id = ?", (hall,))
        if row is None:
            return {"priority_every": 0, "no_show_after": 2,
                    "slot_grace_min": DEFAULT_SLOT_GRACE_MIN}
        return {"priority_every": int(row["priority_every"]),
                "no_show_after": int(row["no_show_after"]),
                "slot_grace_min": int(row["slot_grace_min"])}

    def set_rules(self, hall: str, priority_every: int, no_show_after: int,
                  slot_grace_min: int | None = None) -> dict[str, Any]:
        with self._change(hall) as tx:  # the order may change: the pages hear of it
            self.service._ensure_hall(tx, hall)
            tx.execute("UPDATE halls SET priority_every = ?, no_show_after = ? WHERE id = ?",
                       (priority_every, no_show_after, hall))
            if slot_grace_min is not None:
                tx.execute("UPDATE halls SET slot_grace_min = ? WHERE id = ?",
                           (slot_grace_min, hall))
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
        self._views.pop(hall, None)  # after the commit, or a reader could keep the old view
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
        self._views.pop(hall, None)
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
            rules = self._rules(tx, hall)
            every = rules["priority_every"]
            regular = every > 0 and self._streaks(tx, hall, day, every, window).get(
                window, 0) >= every
            order = Order(self._waiting(tx, hall, day, matters), self.service.now(),
                          dt.timedelta(minutes=rules["slot_grace_min"]))
            lost: set[str] = set()
            for _attempt in range(20):
                picked = order.pick(set(matters), regular, lost)
                if picked is None:
                    raise Problem("queue.empty")
                chosen, line = picked
                # Two windows calling at once (PostgreSQL, several instances) may pick the
                # same ticket: the status guard gives it to one, the other looks again.
                won = tx.execute("UPDATE tickets SET status = 'called', window_no = ?, "
                                 "called_at = ?, recalls = 0 WHERE id = ? AND "
                                 "status = 'waiting'", (window, now, chosen.id))
                if won.rowcount == 1:
                    break
                lost.add(chosen.id)
            else:
                raise Problem("server.unavailable", "the queue is busy, call again")
            ticket = tx.one("SELECT * FROM tickets WHERE id = ?", (chosen.id,))
            assert ticket is not None  # just updated in this transaction
            queue = ticket["queue_matter"] or ticket["matter_id"]
            self._queue_count(tx, hall, queue, day, ticket, -1)
            tx.execute("UPDATE windows SET current_ticket = ?, updated_at = ? "
                       "WHERE hall_id = ? AND id = ?", (ticket["id"], now, hall, window))
            detail = None
            if line == PRIORITY_LINE:
                detail = "slot" if chosen.is_slot else "priority"
            self._event(tx, hall, "called", ticket_id=ticket["id"], window=window,
                        matter_id=queue, detail=detail, number=ticket["display"])
        return self.ticket(hall, ticket["id"])

    @staticmethod
    def _waiting(tx: Transaction, hall: str, day: str,
                 matters: list[str] | None = None) -> list[Waiting]:
        """The day's waiting tickets (of ``matters``' queues), as the order sees them."""
        where, params = "", tuple[str, ...]()
        if matters is not None:
            where = f"AND {QUEUE} IN ({', '.join('?' for _ in matters)})"
            params = tuple(matters)
        rows = tx.all(f"SELECT id, {QUEUE} AS queue, number, created_at, priority, slot_at "
                      f"FROM tickets WHERE hall_id = ? AND day = ? AND status = 'waiting' "
                      f"{where}", (hall, day, *params))
        return [Waiting.of(r) for r in rows]

    @staticmethod
    def _streaks(tx: Transaction, hall: str, day: str, every: int,
                 window: str | None = None) -> dict[str, int]:
        """Priority-line calls in a row at the end of each window's calls today (up to N)."""
        where, params = ("AND window_no = ?", (window,)) if window is not None else ("", ())
        rows = tx.all("SELECT window_no, detail FROM (SELECT window_no, detail, ROW_NUMBER() "
                      "OVER (PARTITION BY window_no ORDER BY seq DESC) AS back FROM "
                      "ticket_events WHERE hall_id = ? AND day = ? AND kind = 'called' "
                      f"{where}) AS recent WHERE back <= ? ORDER BY window_no, back",
                      (hall, day, *params, every))
        streaks: dict[str, int] = {}
        broken: set[str] = set()
        for r in rows:
            w = r["window_no"]
            if w in broken:
                continue
            if r["detail"] in PRIORITY_DETAILS:
                streaks[w] = streaks.get(w, 0) + 1
            else:
                broken.add(w)
        return streaks

    def recall(self, hall: str, window: str) -> dict[str, Any]:
        with self._change(hall) as tx:
            ticket = self._current(tx, hall, window)
            tx.execute("UPDATE tickets SET recalls = recalls + 1 WHERE id = ?", (ticket["id"],))
            self._event(tx, hall, "recalled", ticket_id=ticket["id"], window=window,
                        matter_id=ticket["queue_matter"] or ticket["matter_id"],
                        detail=str(ticket["recalls"] + 1), number=ticket["display"])
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
                            detail=f"from window {window}", number=ticket["display"])
        return self.ticket(hall, ticket["id"])

    # -- reading -----------------------------------------------------------------------
    def ticket(self, hall: str, ticket_id: str) -> dict[str, Any]:
        """A ticket as the staff and the phone page see it (nothing personal)."""
        with self.db.read() as tx:
            row = tx.one("SELECT * FROM tickets WHERE id = ? AND hall_id = ?", (ticket_id, hall))
            if row is None:
                raise Problem("ticket.unknown")
            snapshot = self.snapshot(hall, tx) if row["status"] == "waiting" else None
            grace = dt.timedelta(minutes=self._rules(tx, hall)["slot_grace_min"])
        return self.ticket_out(row, snapshot, grace)

    def slot_state(self, row: dict[str, Any], grace: dt.timedelta) -> str | None:
        """An appointment ticket's place by its slot (:meth:`Waiting.line`): ``early`` (a
        walk-in until the slot starts), ``in_place`` (in its slot's place), ``lost`` (checked
        in later than the grace: an ordinary walk-in); None for any other ticket."""
        if row.get("priority") != "appointment" or not row.get("slot_at"):
            return None
        slot = dt.datetime.fromisoformat(row["slot_at"])
        if dt.datetime.fromisoformat(row["created_at"]) > slot + grace:
            return "lost"
        return "in_place" if self.service.now() >= slot else "early"

    def next_slot_starts(self) -> dict[str, dt.datetime]:
        """Hall -> the earliest start, still ahead, of a slot whose checked-in appointment
        waits early: the moment that ticket moves up and the hall's "people ahead" change
        without a call (the live feed refreshes the hall then). A grace running out changes
        nobody's place: lateness is judged at check-in, so it needs no refresh."""
        now = self.service.now()
        with self.db.read() as tx:
            rows = tx.all("SELECT hall_id, slot_at FROM tickets WHERE day = ? AND "
                          "status = 'waiting' AND priority = 'appointment' AND "
                          "slot_at IS NOT NULL", (self._today(),))
        found: dict[str, dt.datetime] = {}
        for r in rows:  # a slot still ahead was checked in before it: early, by definition
            slot = dt.datetime.fromisoformat(r["slot_at"])
            if slot > now and (r["hall_id"] not in found or slot < found[r["hall_id"]]):
                found[r["hall_id"]] = slot
        return found

    def ticket_out(self, row: dict[str, Any], snapshot: Snapshot | None,
                   grace: dt.timedelta = dt.timedelta(minutes=DEFAULT_SLOT_GRACE_MIN)
                   ) -> dict[str, Any]:
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
                "issued_at": row["created_at"], "finished_at": row["finished_at"],
                "appointment_slot": row.get("slot_at"),
                "slot_state": self.slot_state(row, grace) if status == "waiting" else None,
                "green_channel": row["priority"] not in (None, "appointment")}

    def snapshot(self, hall: str, tx: Transaction | None = None) -> Snapshot:
        """Every waiting ticket's people ahead and estimated wait, from :func:`plan`."""
        if tx is None:
            with self.db.read() as own:
                return self.snapshot(hall, own)
        day = self._today()
        now = self.service.now()
        rules = self._rules(tx, hall)
        every = rules["priority_every"]
        waiting = self._waiting(tx, hall, day)
        order = Order(waiting, now, dt.timedelta(minutes=rules["slot_grace_min"]))
        windows = tx.all("SELECT id, matters FROM windows WHERE hall_id = ? AND "
                         "paused_at IS NULL", (hall,))
        last = {r["window_no"]: int(r["last"]) for r in tx.all(
            "SELECT window_no, MAX(seq) AS last FROM ticket_events WHERE hall_id = ? AND "
            "day = ? AND kind IN ('called', 'transferred') AND window_no IS NOT NULL "
            "GROUP BY window_no", (hall, day))}
        streaks = self._streaks(tx, hall, day, every) if every else {}
        # The window that called longest ago (or never today) is the next to call.
        turns = sorted((Turn(w["id"], frozenset(json.loads(w["matters"])),
                             streaks.get(w["id"], 0)) for w in windows),
                       key=lambda t: (last.get(t.window, -1), _window_key(t.window)))
        placed = plan(order, turns, every)
        window_s, queue_s = self._service_times(tx, hall, day)
        pace: dict[str, float] = {}  # queue -> tickets per second of the open windows serving it
        for turn in turns:
            for matter in turn.matters:
                seconds = window_s.get(turn.window) or queue_s.get(matter, DEFAULT_SERVICE_S)
                pace[matter] = pace.get(matter, 0.0) + 1.0 / seconds
        ahead: dict[str, tuple[str, int]] = {}
        waits: dict[str, int] = {}
        positions = order.positions() if len(placed) < len(waiting) else {}
        for t in waiting:
            if t.id in placed and pace.get(t.queue):
                n = placed[t.id]
                waits[t.id] = math.ceil(n / pace[t.queue])
            else:  # no open window serves the queue: its own place, at the queue's pace
                n = positions[t.id]
                waits[t.id] = math.ceil(n * queue_s.get(t.queue, DEFAULT_SERVICE_S))
            ahead[t.id] = (t.queue, n)
        return Snapshot(day, ahead, waits)

    def _service_times(self, tx: Transaction, hall: str, day: str, queue: str | None = None
                       ) -> tuple[dict[str, float], dict[str, float]]:
        """Mean measured service (seconds) of each window and of each queue (or only
        ``queue``): the last 20 finished-as-served tickets today, each at least 10 s."""
        where, params = ("", ()) if queue is None else (f"AND {QUEUE} = ?", (queue,))
        served = tx.all(f"SELECT window_no, {QUEUE} AS queue, called_at, finished_at "
                        "FROM tickets WHERE hall_id = ? AND day = ? AND status = 'served' "
                        f"AND called_at IS NOT NULL AND finished_at IS NOT NULL {where} "
                        "ORDER BY finished_at DESC LIMIT 400", (hall, day, *params))
        by_window: dict[str, list[float]] = {}
        by_queue: dict[str, list[float]] = {}
        for r in served:
            spent = (dt.datetime.fromisoformat(r["finished_at"])
                     - dt.datetime.fromisoformat(r["called_at"])).total_seconds()
            # Under 10 s is a slip of the finger (or "next" pressed twice), not a service.
            if spent < MIN_SERVICE_S:
                continue
            for key, found in ((r["window_no"], by_window), (r["queue"], by_queue)):
                if key and len(found.setdefault(key, [])) < 20:
                    found[key].append(spent)
        return ({k: sum(v) / len(v) for k, v in by_window.items() if v},
                _mean_rates(by_queue))

    def quick_place(self, hall: str, queue: str, waiting_before: int) -> tuple[int, int] | None:
        """(people ahead, estimated seconds) of a plain walk-in just issued, from a view of
        the hall at most :data:`VIEW_TTL_S` old; None when :meth:`place` must answer.

        Valid only while no open window serves ``queue``: then nothing is called out of
        turn, the newest walk-in comes after every ticket waiting in its queue, and
        ``waiting_before`` (the queue's count, from the ticket's own statement) is its
        place - the answer of :meth:`place` without a trip to a worker thread."""
        view = self._views.get(hall)
        if view is None or time.monotonic() - view[0] > VIEW_TTL_S or queue in view[1]:
            return None
        return waiting_before, math.ceil(waiting_before * view[2].get(queue, DEFAULT_SERVICE_S))

    def _remember_view(self, tx: Transaction, hall: str, day: str,
                       windows: list[dict[str, Any]]) -> None:
        served = frozenset(m for w in windows for m in json.loads(w["matters"]))
        self._views[hall] = (time.monotonic(), served, self._service_times(tx, hall, day)[1])

    def place(self, hall: str, ticket_id: str) -> tuple[int, int] | None:
        """(people ahead, estimated seconds) of a waiting ticket; None if it is not waiting.

        The same answer as :meth:`snapshot`; a queue no open window serves (the kiosks' rush
        before the windows open) is counted in SQL instead of replaying the whole hall."""
        day = self._today()
        with self.db.read() as tx:
            row = tx.one(f"SELECT id, {QUEUE} AS queue, number, created_at, priority, slot_at, "
                         "status FROM tickets WHERE id = ? AND hall_id = ? AND day = ?",
                         (ticket_id, hall, day))
            if row is None or row["status"] != "waiting":
                return None
            windows = tx.all("SELECT matters FROM windows WHERE hall_id = ? AND "
                             "paused_at IS NULL", (hall,))
            self._remember_view(tx, hall, day, windows)
            served = any(row["queue"] in json.loads(w["matters"]) for w in windows)
            if not served:
                n = self._queue_position(tx, hall, day, Waiting.of(row))
                _window_s, queue_s = self._service_times(tx, hall, day, row["queue"])
                return n, math.ceil(n * queue_s.get(row["queue"], DEFAULT_SERVICE_S))
            snapshot = self.snapshot(hall, tx)
        found = snapshot.ahead.get(ticket_id)
        if found is None:
            return None
        return found[1], snapshot.waits.get(ticket_id, 0)

    def _queue_position(self, tx: Transaction, hall: str, day: str, ticket: Waiting) -> int:
        """:meth:`Order.positions` of one ticket without reading its whole queue: the plain
        walk-ins before it are counted in SQL, the few priority and appointment tickets are
        ordered here with it."""
        grace = dt.timedelta(minutes=self._rules(tx, hall)["slot_grace_min"])
        now = self.service.now()
        special = [Waiting.of(r) for r in tx.all(
            f"SELECT id, {QUEUE} AS queue, number, created_at, priority, slot_at FROM tickets "
            f"WHERE hall_id = ? AND day = ? AND status = 'waiting' AND {QUEUE} = ? AND "
            "priority IS NOT NULL AND id <> ?", (hall, day, ticket.queue, ticket.id))]
        order = Order([*special, ticket], now, grace)
        before = order.positions()[ticket.id]  # everything not a plain walk-in, in order
        if ticket.line(now, grace)[0] == WALK_IN_LINE:
            at = ticket.issued.isoformat()
            before += int(tx.scalar(
                f"SELECT COUNT(*) FROM tickets WHERE hall_id = ? AND day = ? AND "
                f"status = 'waiting' AND {QUEUE} = ? AND priority IS NULL AND "
                "(created_at < ? OR (created_at = ? AND (number < ? OR "
                "(number = ? AND id < ?))))",
                (hall, day, ticket.queue, at, at, ticket.number, ticket.number, ticket.id)))
        return before

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
