"""Help calls, live: the desk hears a kiosk's call within a second and answers "I'm coming".

Every change to a hall's help calls (a new call, 我来了, closed, cancelled at the kiosk,
escalated) bumps the hall's row in ``help_call_changes``. A change made through this instance
pokes :class:`HelpHub` at once; a 1 s poll of that small table catches changes made by other
instances (and runs the escalation check): the lifecycle of
:class:`central.changefeed.ChangeFeed`, shared with the display and phone pages' feed. Each
change is read once (the hall's open calls) and sent to every open desk page of the hall as a
server-sent event.

An open call nobody has answered within ``escalate_after_s`` is escalated to the duty officer:
shown on the page, written to the audit log, and sent to the duty phone through the desk's
notifier (one message per call: a call already phoned after hours is not phoned again, and
``phoned_at`` is claimed in the escalating transaction, so two instances never both send).
A call made outside the hall's staffed hours (``[[hall.staffed]]``) goes to the duty phone
through the notifier at once. Every message is a row in ``messages_sent``; its text holds
only the kiosk's location and the time.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse

from central.changefeed import ChangeFeed
from central.db import Transaction
from central.desk.accounts import ROLES, Session, Staff
from central.desk.notify import Delivery, Message, Notifier
from central.desk.orders import SYSTEM, Actor, DeskProblem, WorkOrders
from central.problems import Problem
from central.service import CentralService

log = logging.getLogger("central.desk.help")
ESCALATE_AFTER_S = 120.0
SESSION_RECHECK_S = 5.0  # an open stream re-reads its session at least this often
REASONS = {"assist": ("需要协助", "Needs assistance"), "report": ("反映问题时求助", "While reporting"),
           "device": ("设备故障", "Device fault"), "other": ("其他", "Other")}
_COLUMNS = ("id, kiosk_id, location, reason, language, status, created_at, closed_at, "
            "coming_name, coming_role, coming_at, escalated_at, after_hours, phoned_at, closed_by")


def escalate_after_from_environment() -> float:
    """``CENTRAL_HELP_ESCALATE_S`` (seconds, default 120)."""
    raw = os.environ.get("CENTRAL_HELP_ESCALATE_S", "").strip()
    try:
        return float(raw) if raw else ESCALATE_AFTER_S
    except ValueError:
        log.warning("CENTRAL_HELP_ESCALATE_S=%r is not a number: using %s s", raw,
                    ESCALATE_AFTER_S)
        return ESCALATE_AFTER_S


class HelpCalls:
    """The help calls of a hall as the desk and the kiosk see them (plain, synchronous)."""

    def __init__(self, service: CentralService, orders: WorkOrders, notifier: Notifier, *,
                 escalate_after_s: float | None = None, duty_phone: str | None = None) -> None:
        self.service = service
        self.db = service.db
        self.orders = orders
        self.notifier = notifier
        self.escalate_after_s = (escalate_after_from_environment() if escalate_after_s is None
                                 else escalate_after_s)
        self.duty_phone = (os.environ.get("CENTRAL_DUTY_PHONE", "").strip()
                           if duty_phone is None else duty_phone)
        #: called with the hall after a change was committed here (the hub pokes its pages)
        self.listeners: list[Callable[[str], None]] = []

    # -- reading -----------------------------------------------------------------------
    def open_calls(self, hall: str) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            rows = tx.all(f"SELECT {_COLUMNS} FROM help_calls WHERE hall_id = ? "
                          "AND status = 'open' ORDER BY created_at, id", (hall,))
        return [self._out(r) for r in rows]

    def marks(self) -> dict[str, int]:
        with self.db.read() as tx:
            return {r["hall_id"]: int(r["seq"])
                    for r in tx.all("SELECT hall_id, seq FROM help_call_changes")}

    def for_kiosk(self, kiosk_id: str, hall: str, call_id: str) -> dict[str, Any]:
        """What the kiosk may know: status and who is coming (display name and role only)."""
        with self.db.read() as tx:
            row = tx.one(f"SELECT {_COLUMNS} FROM help_calls WHERE id = ? AND hall_id = ? "
                         "AND kiosk_id = ?", (call_id, hall, kiosk_id))
        if row is None:
            raise Problem("help_call.unknown")
        return self._kiosk_view(row)

    @staticmethod
    def _kiosk_view(row: dict[str, Any]) -> dict[str, Any]:
        coming = None
        if row["coming_at"]:
            zh, en = ROLES.get(row["coming_role"] or "", ("工作人员", "Staff"))
            coming = {"name": row["coming_name"], "role": row["coming_role"],
                      "role_name": zh, "role_name_en": en, "at": row["coming_at"]}
        return {"id": row["id"], "status": row["status"], "coming": coming,
                "closed_by": "kiosk" if row["closed_by"] == "kiosk"
                else ("staff" if row["closed_by"] else None)}

    def _out(self, row: dict[str, Any]) -> dict[str, Any]:
        zh, en = REASONS.get(row["reason"], (row["reason"], row["reason"]))
        created = dt.datetime.fromisoformat(row["created_at"])
        local = created.astimezone(self.service.tz)
        coming_role = ROLES.get(row["coming_role"] or "", ("", ""))
        return {"id": row["id"], "kiosk_id": row["kiosk_id"], "location": row["location"],
                "reason": row["reason"], "reason_name": zh, "reason_name_en": en,
                "created_at": row["created_at"], "time": local.strftime("%H:%M:%S"),
                "coming_name": row["coming_name"], "coming_role_name": coming_role[0],
                "coming_role_name_en": coming_role[1],
                "escalated": row["escalated_at"] is not None,
                "after_hours": bool(row["after_hours"]),
                "phoned": row["phoned_at"] is not None}

    # -- changing ----------------------------------------------------------------------
    @staticmethod
    def _bump(tx: Transaction, hall: str) -> None:
        tx.execute("INSERT INTO help_call_changes (hall_id, seq) VALUES (?, 1) "
                   "ON CONFLICT (hall_id) DO UPDATE SET seq = help_call_changes.seq + 1",
                   (hall,))

    def _changed(self, hall: str) -> None:
        for listener in list(self.listeners):
            try:
                listener(hall)
            except Exception:  # a closed loop at shutdown
                log.debug("help-call listener failed", exc_info=True)

    def touch(self, hall: str) -> None:
        """Something else changed the hall's calls (the staff API closed one)."""
        with self.db.write() as tx:
            self._bump(tx, hall)
        self._changed(hall)

    def arrived(self, hall: str, call_id: str) -> None:
        """A kiosk's call was just stored: mark it after hours (and phone the duty officer)
        when nobody is on site, and tell the desk pages."""
        now = self.service.now()
        try:
            on_site = self.service.catalogue(hall)[1].staff_on_site(now).open
        except Problem:
            on_site = True  # no published config: the hall never said it is unstaffed
        with self.db.write() as tx:
            row = tx.one("SELECT location FROM help_calls WHERE id = ? AND hall_id = ?",
                         (call_id, hall))
            if row is None:
                return
            if not on_site:
                tx.execute("UPDATE help_calls SET after_hours = 1 WHERE id = ?", (call_id,))
            self._bump(tx, hall)
        if not on_site:
            self._phone_duty(hall, call_id, row["location"], now)
        self._changed(hall)

    def _phone_duty(self, hall: str, call_id: str, location: str, when: dt.datetime) -> None:
        if not self.duty_phone:
            log.warning("help call outside staffed hours in hall %s: no duty phone set "
                        "(CENTRAL_DUTY_PHONE)", hall)
            return
        text = (f"【自助区求助】{location} 的自助终端于 "
                f"{when.astimezone(self.service.tz):%H:%M} 呼叫工作人员（非工作时间），请处理。")
        delivery = self._send(hall, text)
        with self.db.write() as tx:
            self._store_message(tx, hall, text, delivery)
            tx.execute("UPDATE help_calls SET phoned_at = ? WHERE id = ?",
                       (self.service.now().isoformat(), call_id))
            self._bump(tx, hall)

    def _send(self, hall: str, text: str) -> Delivery:
        """The notifier's answer; a notifier that raises is a failed delivery, not a lost one."""
        try:
            return self.notifier.send(Message(hall, None, self.duty_phone, text))
        except Exception as exc:
            log.warning("duty-phone message of hall %s not sent: %s", hall, type(exc).__name__)
            return Delivery("unknown", "failed", f"notifier error: {type(exc).__name__}")

    def _store_message(self, tx: Transaction, hall: str, text: str, delivery: Delivery) -> None:
        tx.execute("INSERT INTO messages_sent (id, hall_id, tracking_no, channel, recipient, "
                   "body, status, error, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (uuid.uuid4().hex, hall, None, delivery.channel, self.duty_phone, text,
                    delivery.status, delivery.error, self.service.now().isoformat()))

    def coming(self, staff: Staff, call_id: str) -> None:
        """我来了: the first to say so is named on the kiosk; a later one is told who it was."""
        with self.db.write() as tx:
            done = tx.execute("UPDATE help_calls SET coming_staff_id = ?, coming_name = ?, "
                              "coming_role = ?, coming_at = ? WHERE id = ? AND hall_id = ? "
                              "AND status = 'open' AND coming_at IS NULL",
                              (staff.id, staff.display_name, staff.role,
                               self.service.now().isoformat(), call_id, staff.hall))
            if done.rowcount != 1:
                row = tx.one("SELECT status, coming_name FROM help_calls WHERE id = ? "
                             "AND hall_id = ?", (call_id, staff.hall))
                if row is None:
                    raise DeskProblem("没有这个求助呼叫", "No such help call", 404)
                if row["status"] != "open":
                    raise DeskProblem("该求助已结束", "This help call has ended", 409)
                raise DeskProblem(f"{row['coming_name']} 已在前往", f"{row['coming_name']} is "
                                  "already on the way", 409)
            self.orders.audit(tx, _actor(staff), "help_coming", None, {"call": call_id})
            self._bump(tx, staff.hall)
        self._changed(staff.hall)

    def close(self, staff: Staff, call_id: str) -> None:
        with self.db.write() as tx:
            done = tx.execute("UPDATE help_calls SET status = 'closed', closed_at = ?, "
                              "closed_by = ? WHERE id = ? AND hall_id = ? AND status = 'open'",
                              (self.service.now().isoformat(), staff.username, call_id,
                               staff.hall))
            if done.rowcount != 1:
                raise DeskProblem("该求助已结束", "This help call has ended", 409)
            self.orders.audit(tx, _actor(staff), "help_close", None, {"call": call_id})
            self._bump(tx, staff.hall)
        self._changed(staff.hall)

    def cancel_by_kiosk(self, kiosk_id: str, hall: str, call_id: str) -> dict[str, Any]:
        """The citizen cancelled at the kiosk: the call leaves every desk page (idempotent)."""
        with self.db.write() as tx:
            row = tx.one("SELECT status FROM help_calls WHERE id = ? AND hall_id = ? "
                         "AND kiosk_id = ?", (call_id, hall, kiosk_id))
            if row is None:
                raise Problem("help_call.unknown")
            if row["status"] == "open":
                tx.execute("UPDATE help_calls SET status = 'closed', closed_at = ?, "
                           "closed_by = 'kiosk' WHERE id = ?",
                           (self.service.now().isoformat(), call_id))
                self._bump(tx, hall)
            fresh = tx.one(f"SELECT {_COLUMNS} FROM help_calls WHERE id = ?", (call_id,))
        self._changed(hall)
        return self._kiosk_view(dict(fresh or {}))

    def escalate_unanswered(self) -> list[str]:
        """Escalate every open call nobody answered in time, once; the halls that changed.

        Each escalated call that has not yet been phoned is claimed for the duty phone in the
        same transaction (``phoned_at``), then the message goes out through the notifier
        after the commit (a gateway's slowness never holds the write lock)."""
        now = self.service.now()
        cutoff = (now - dt.timedelta(seconds=self.escalate_after_s)).isoformat()
        halls: set[str] = set()
        to_phone: list[dict[str, Any]] = []
        with self.db.write() as tx:
            rows = tx.all("SELECT id, hall_id, location, created_at FROM help_calls "
                          "WHERE status = 'open' AND coming_at IS NULL AND escalated_at IS NULL "
                          "AND created_at <= ?", (cutoff,))
            for r in rows:
                done = tx.execute("UPDATE help_calls SET escalated_at = ? WHERE id = ? "
                                  "AND escalated_at IS NULL", (now.isoformat(), r["id"]))
                if done.rowcount != 1:
                    continue
                self.orders.audit(tx, Actor(None, SYSTEM, r["hall_id"]), "help_escalate",
                                  None, {"call": r["id"]})
                halls.add(r["hall_id"])
                if not self.duty_phone:
                    log.warning("help call escalated in hall %s: no duty phone set "
                                "(CENTRAL_DUTY_PHONE), shown on the desk only", r["hall_id"])
                    continue
                claimed = tx.execute("UPDATE help_calls SET phoned_at = ? WHERE id = ? "
                                     "AND phoned_at IS NULL", (now.isoformat(), r["id"]))
                if claimed.rowcount == 1:
                    to_phone.append(r)
            for hall in halls:
                self._bump(tx, hall)
        for call in to_phone:
            self._phone_escalation(call, now)
        for hall in halls:
            self._changed(hall)
        return sorted(halls)

    def _phone_escalation(self, call: dict[str, Any], now: dt.datetime) -> None:
        hall = call["hall_id"]
        created = dt.datetime.fromisoformat(call["created_at"]).astimezone(self.service.tz)
        waited = max(1, round((now - created).total_seconds() / 60))
        text = (f"【自助区求助·提级】{call['location']} 的自助终端于 {created:%H:%M} "
                f"呼叫工作人员，已 {waited} 分钟无人响应，请值班长处理。")
        delivery = self._send(hall, text)
        with self.db.write() as tx:
            self._store_message(tx, hall, text, delivery)
            self.orders.audit(tx, Actor(None, SYSTEM, hall), "help_escalate_sent", None,
                              {"call": call["id"], "channel": delivery.channel,
                               "status": delivery.status})
            self._bump(tx, hall)


def _actor(staff: Staff) -> Actor:
    return Actor(staff.id, staff.username, staff.hall)


class HelpHub(ChangeFeed[int]):
    """Server-sent events of each hall's open help calls to the desk pages; a hall's mark
    is its ``help_call_changes.seq``. Each poll first runs the escalation check."""

    def __init__(self, calls: HelpCalls, *, poll_s: float = 1.0, ping_s: float = 15.0,
                 retry_ms: int = 10000) -> None:
        super().__init__(calls.listeners, poll_s=poll_s, ping_s=ping_s, retry_ms=retry_ms)
        self.calls = calls

    def marks(self) -> dict[str, int]:
        return self.calls.marks()

    async def _before_poll(self) -> None:
        await to_thread.run_sync(self.calls.escalate_unanswered)

    def _polled(self, hall: str, mark: int) -> None:
        self._seen[hall] = mark

    async def refresh(self, hall: str) -> None:
        if not self._subscribers.get(hall):
            return
        try:
            calls = await to_thread.run_sync(self.calls.open_calls, hall)
        except Exception:
            log.warning("help calls of hall %s could not be read", hall, exc_info=True)
            return
        self._publish(hall, calls)

    def stream(self, hall: str) -> AsyncGenerator[str, None]:
        async def body(queue: asyncio.Queue[Any]) -> AsyncIterator[str]:
            yield f"retry: {self.retry_ms}\n\n"
            calls = await to_thread.run_sync(self.calls.open_calls, hall)
            yield _event("calls", {"calls": calls})
            while not self.closed.is_set():
                calls = await self._next(queue)
                if calls is None:
                    yield "event: ping\ndata: {}\n\n"
                    continue
                yield _event("calls", {"calls": calls})
        return self._subscribe(hall, body)


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def add_routes(router: APIRouter, hub: HelpHub, *, page: Callable[..., Response],
               back: Callable[[str], Response],
               session_of: Callable[[Request], Awaitable[Session]],
               form_of: Callable[[Request, Session], Awaitable[dict[str, str]]],
               prefix: str, sessions_ended: Callable[[], int] = lambda: 0) -> None:
    """The help-calls page (/desk/help), its event stream and the two actions."""
    calls = hub.calls

    def staff_of(session: Session) -> Staff:
        if session.staff.role == "unit":  # a unit's handler is not on the hall floor
            raise DeskProblem("您的角色无权访问此页面", "Your role cannot open this page", 403)
        return session.staff

    @router.get("/help")
    async def help_page(request: Request) -> Response:
        session = await session_of(request)
        me = staff_of(session)
        rows = await run_in_threadpool(calls.open_calls, me.hall)
        return page(request, "help.html", me=me, csrf=session.csrf_token, calls=rows,
                    escalate_after_min=f"{calls.escalate_after_s / 60:g}")

    @router.get("/help/events")
    async def help_events(request: Request) -> Response:
        session = await session_of(request)
        hall = staff_of(session).hall  # a refusal is a 403 before the stream starts

        async def while_logged_in() -> AsyncIterator[str]:
            """The stream ends once its session has ended (logged out, password changed,
            account disabled): an open page of a disabled account hears no more calls.

            The session is read again before an event when sessions were ended on this
            instance since the last read (``sessions_ended`` moved), else at most every
            SESSION_RECHECK_S (another instance's change), so a call is not slowed by a
            database read on every event."""
            checked, seen = time.monotonic(), sessions_ended()
            async with contextlib.aclosing(hub.stream(hall)) as chunks:
                async for chunk in chunks:
                    if (sessions_ended() != seen
                            or time.monotonic() - checked > SESSION_RECHECK_S):
                        seen = sessions_ended()
                        try:
                            await session_of(request)
                        except Exception:  # no session any more (LoginRequired)
                            return
                        checked = time.monotonic()
                    yield chunk

        return StreamingResponse(while_logged_in(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store",
                                          "X-Accel-Buffering": "no"})

    @router.post("/help/{call_id}/{action}")
    async def help_action(request: Request, call_id: str, action: str) -> Response:
        session = await session_of(request)
        staff_of(session)
        await form_of(request, session)
        if action == "coming":
            await run_in_threadpool(calls.coming, session.staff, call_id)
        elif action == "close":
            await run_in_threadpool(calls.close, session.staff, call_id)
        else:
            raise DeskProblem("没有这个操作", "No such action", 404)
        return back(f"{prefix}/help")
