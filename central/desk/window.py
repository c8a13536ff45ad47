"""The clerk's window page (窗口叫号): open a window, call, recall, serve, no-show, transfer, pause.

Every action goes through :class:`central.calling.Calling` - the same functions the staff API
uses - so its listeners push the change to the hall display and the phone pages at once, and
every action is then appended to the desk's audit log under the clerk's name. Pages are
server-rendered forms with the session's CSRF token; the answer is a redirect back to the
window page (post/redirect/get), with what happened or why it was refused in the address.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from central.calling import Calling
from central.desk.accounts import Session, Staff
from central.desk.orders import ACTIONS, Actor, DeskProblem, WorkOrders
from central.problems import PROBLEMS, Problem

WINDOW_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,5}$")  # as the staff API's window numbers
WINDOW_ROLES = ("clerk", "duty", "admin")  # a unit's handler works orders, not a window
RECENT = 8

#: Audit names of the window actions (the audit page and the order history read ACTIONS).
WINDOW_ACTIONS: dict[str, tuple[str, str]] = {
    "window_open": ("设置窗口", "Set up the window"),
    "window_call_next": ("叫下一号", "Called the next number"),
    "window_recall": ("重呼", "Recalled"),
    "window_served": ("办结", "Served"),
    "window_no_show": ("过号", "No-show"),
    "window_transfer": ("转移", "Transferred"),
    "window_pause": ("暂停叫号", "Paused the window"),
    "window_resume": ("恢复叫号", "Resumed the window"),
}
ACTIONS.update(WINDOW_ACTIONS)

#: What each button did, for the line shown after it ("已叫号 A012").
DONE_WORDS: dict[str, tuple[str, str]] = {
    "open": ("窗口已设置", "Window set up"),
    "call-next": ("已叫号", "Called"),
    "recall": ("已重呼", "Recalled"),
    "served": ("已办结", "Served"),
    "no-show": ("已过号", "Marked no-show"),
    "transfer": ("已转移", "Transferred"),
    "pause": ("已暂停叫号", "Window paused"),
    "resume": ("已恢复叫号", "Window resumed"),
}
EVENT_WORDS: dict[str, tuple[str, str]] = {
    "called": ("叫号", "called"),
    "recalled": ("重呼", "recalled"),
    "served": ("办结", "served"),
    "no_show": ("过号", "no-show"),
    "transferred": ("转入", "transferred in"),
}


@dataclass(frozen=True)
class DeskKit:
    """The desk's shared helpers (rendering, redirects, sessions, CSRF, roles, audit)."""

    page: Callable[..., HTMLResponse]
    back: Callable[[str], RedirectResponse]
    session_of: Callable[[Request], Awaitable[Session]]
    form_of: Callable[[Request, Session], Awaitable[dict[str, str]]]
    require: Callable[..., None]
    orders: WorkOrders
    prefix: str


class WindowDesk:
    """What the window page shows and does, over :class:`Calling` and the audit log."""

    def __init__(self, calling: Calling, orders: WorkOrders) -> None:
        self.calling = calling
        self.orders = orders
        self.service = calling.service

    def staff_matters(self, hall: str) -> list[dict[str, str]]:
        """Every matter of the hall's catalogue a window can serve (not the self-service ones)."""
        _config, cat = self.service.catalogue(hall)
        return [{"id": m.id, "name": m.name, "name_en": m.name_en, "prefix": m.prefix}
                for m in cat.matters if m.needs_staff]

    def view(self, hall: str, window: str) -> dict[str, Any]:
        """The window, its current ticket, who waits per matter, its last tickets today."""
        found = self.calling.window(hall, window)
        current = None
        if found["current"] is not None:
            current = self.calling.ticket(hall, found["current"]["id"])
        names = {m["id"]: m for m in self.staff_matters(hall)}
        day = self.service.now().date().isoformat()
        with self.service.db.read() as tx:
            waiting = {r["queue"]: (int(r["n"]), int(r["green"])) for r in tx.all(
                "SELECT COALESCE(queue_matter, matter_id) AS queue, COUNT(*) AS n, "
                "SUM(CASE WHEN priority IS NULL THEN 0 ELSE 1 END) AS green FROM tickets "
                "WHERE hall_id = ? AND day = ? AND status = 'waiting' "
                "GROUP BY COALESCE(queue_matter, matter_id)", (hall, day))}
            recent = tx.all(
                "SELECT e.seq, e.kind, e.at, e.detail, t.display, t.status, t.window_no "
                "FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
                "WHERE e.hall_id = ? AND e.day = ? AND e.window_no = ? "
                "AND e.kind IN ('called', 'recalled', 'served', 'no_show', 'transferred') "
                "ORDER BY e.seq DESC LIMIT ?", (hall, day, window, RECENT))
        queues = []
        for matter_id in found["matters"]:
            n, green = waiting.get(matter_id, (0, 0))
            m = names.get(matter_id, {"name": matter_id, "name_en": matter_id, "prefix": ""})
            queues.append({"id": matter_id, "name": m["name"], "name_en": m["name_en"],
                           "prefix": m["prefix"], "waiting": n, "green": green})
        return {"window": found, "current": current, "queues": queues,
                "total_waiting": sum(q["waiting"] for q in queues),
                "recent": [{**r, "time": str(r["at"])[11:19],
                            "words": EVENT_WORDS.get(r["kind"], (r["kind"], r["kind"]))}
                           for r in recent],
                "rules": self.calling.rules(hall)}

    def act(self, staff: Staff, window: str, action: str, form: dict[str, str],
            matters: list[str]) -> str | None:
        """Do one button's action; audit it; the ticket number it concerned (if any)."""
        hall = staff.hall
        detail: dict[str, Any] = {"window": window}
        number: str | None = None
        if action == "open":
            if not matters:
                raise Problem("request.invalid", "choose at least one matter")
            self.calling.set_window(hall, window, matters)
            detail["matters"] = "、".join(matters)
        elif action in ("pause", "resume"):
            self.calling.pause(hall, window, action == "pause")
        elif action == "transfer":
            to_matter = form.get("to_matter", "").strip() or None
            to_window = form.get("to_window", "").strip() or None
            if to_window is not None and not WINDOW_RE.match(to_window):
                raise Problem("request.invalid", "a window number is 1-6 letters or digits")
            if to_window == window:
                raise Problem("request.invalid", "that is this window")
            ticket = self.calling.transfer(hall, window, to_matter=to_matter,
                                           to_window=to_window)
            number = ticket["number"]
            detail.update({"number": number},
                          **({"to_matter": to_matter} if to_matter else {"to_window": to_window}))
        else:
            calls: dict[str, Callable[[str, str], dict[str, Any]]] = {
                "call-next": self.calling.call_next, "recall": self.calling.recall,
                "served": self.calling.served, "no-show": self.calling.no_show}
            ticket = calls[action](hall, window)
            number = ticket["number"]
            detail["number"] = number
        actor = Actor(staff.id, staff.username, hall)
        self.orders.record(actor, "window_" + action.replace("-", "_"), detail)
        return number


ACTION_NAMES = ("open", "call-next", "recall", "served", "no-show", "transfer", "pause",
                "resume")


def install(router: APIRouter, kit: DeskKit, calling: Calling) -> WindowDesk:
    """Add ``/desk/window`` (choose or open a window) and ``/desk/window/{w}`` to the router."""
    desk = WindowDesk(calling, kit.orders)
    prefix = kit.prefix

    def checked(window: str) -> str:
        if not WINDOW_RE.match(window):
            raise DeskProblem("窗口号为1至6位字母或数字", "A window number is 1-6 letters or digits",
                              422)
        return window

    @router.get("/window")
    async def choose_window(request: Request) -> Response:
        session = await session_of_worker(request)
        hall = session.staff.hall
        return kit.page(request, "window_choose.html", me=session.staff,
                        csrf=session.csrf_token,
                        windows=await run_in_threadpool(calling.windows, hall),
                        matters=await run_in_threadpool(desk.staff_matters, hall),
                        mine=request.cookies.get("desk_window"),
                        problem=_problem_words(request.query_params.get("problem")))

    @router.post("/window/open")
    async def open_window(request: Request) -> Response:
        session = await session_of_worker(request)
        form = await kit.form_of(request, session)
        window = checked(form.get("window", "").strip())
        matters = [str(m) for m in (await request.form()).getlist("matter")]
        try:
            await run_in_threadpool(desk.act, session.staff, window, "open", form, matters)
        except Problem as exc:
            return kit.back(f"{prefix}/window?" + urlencode({"problem": exc.reason}))
        response = kit.back(f"{prefix}/window/{quote(window)}?done=open")
        response.set_cookie("desk_window", window, httponly=True, samesite="lax",
                            path=prefix, secure=request.url.scheme == "https")
        return response

    @router.get("/window/{window}")
    async def window_page(request: Request, window: str) -> Response:
        session = await session_of_worker(request)
        checked(window)
        try:
            view = await run_in_threadpool(desk.view, session.staff.hall, window)
        except Problem as exc:
            if exc.reason == "window.unknown":
                return kit.back(f"{prefix}/window?problem=window.unknown")
            raise
        done = request.query_params.get("done")
        response = kit.page(
            request, "window.html", me=session.staff, csrf=session.csrf_token, **view,
            matters=await run_in_threadpool(desk.staff_matters, session.staff.hall),
            done=DONE_WORDS.get(done or ""), done_number=request.query_params.get("n", "")[:12],
            problem=_problem_words(request.query_params.get("problem")))
        response.set_cookie("desk_window", window, httponly=True, samesite="lax",
                            path=prefix, secure=request.url.scheme == "https")
        return response

    @router.post("/window/{window}/{action}")
    async def window_action(request: Request, window: str, action: str) -> Response:
        session = await session_of_worker(request)
        form = await kit.form_of(request, session)
        checked(window)
        if action not in ACTION_NAMES:
            raise DeskProblem("没有这个操作", "No such action", 404)
        matters = [str(m) for m in (await request.form()).getlist("matter")]
        target = f"{prefix}/window/{quote(window)}"
        try:
            number = await run_in_threadpool(desk.act, session.staff, window, action, form,
                                             matters)
        except Problem as exc:
            return kit.back(f"{target}?" + urlencode({"problem": exc.reason}))
        return kit.back(f"{target}?" + urlencode({"done": action, "n": number or ""}))

    async def session_of_worker(request: Request) -> Session:
        session = await kit.session_of(request)
        kit.require(session.staff, *WINDOW_ROLES)
        return session

    return desk


def _problem_words(reason: str | None) -> tuple[str, str] | None:
    """A refused action in words; only reasons the centre knows (never text from the URL)."""
    if not reason:
        return None
    if reason in PROBLEMS:
        _status, zh, en = PROBLEMS[reason]
        return zh, en
    return "操作未完成", "Not done"
