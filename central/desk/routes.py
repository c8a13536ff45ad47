"""HTTP routes of the desk: login, inboxes, one work order, messages sent, audit log, admin.

Pages are Jinja2 templates rendered on the server; forms POST back with the session's CSRF
token and the answer is a redirect (post/redirect/get), so reloading never repeats an action.
Cookies: ``desk_session`` (HttpOnly, SameSite=Lax, path /desk, Secure over HTTPS).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from central.desk import ratings as ratings_page
from central.desk import statistics as stats_page
from central.desk import window as window_page
from central.desk.accounts import ROLES, AccountError, Accounts, Session, Staff
from central.desk.exports import Sheet, csv_text
from central.desk.helpcalls import HelpCalls, HelpHub
from central.desk.helpcalls import add_routes as add_help_routes
from central.desk.notify import Notifier, notifier_from_environment
from central.desk.orders import (
    ACTIONS,
    BOXES,
    COMPLEXITIES,
    DELIVERY_NAMES,
    Actor,
    DeskProblem,
    WorkOrders,
    boxes_for,
)
from central.service import REPORT_KINDS, CentralService

log = logging.getLogger("central.desk")
HERE = Path(__file__).parent
COOKIE = "desk_session"
LOGIN_CSRF_COOKIE = "desk_login_csrf"
PREFIX = "/desk"
ESCALATION_CHECK_S = 60.0
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'",
}


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class DeskRuntime:
    """The desk's moving parts: accounts, work orders and the periodic overdue check."""

    def __init__(self, service: CentralService, notifier: Notifier | None = None,
                 check_every_s: float = ESCALATION_CHECK_S) -> None:
        self.service = service
        self.accounts = Accounts(service.db, service.now)
        self.orders = WorkOrders(service, notifier or notifier_from_environment())
        self.accounts.audit = lambda tx, staff, action, detail: self.orders.audit(
            tx, _actor(staff), action, None, detail)
        self.help_calls = HelpCalls(service, self.orders, self.orders.notifier)
        self.help_hub = HelpHub(self.help_calls)
        self.ratings = ratings_page.Ratings(self.orders)
        self.check_every_s = check_every_s
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._check_loop())
        await self.help_hub.start()

    async def stop(self) -> None:
        await self.help_hub.stop()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _check_loop(self) -> None:
        while True:
            try:
                escalated = await run_in_threadpool(self.orders.escalate_overdue)
                escalated += await run_in_threadpool(self.ratings.escalate_overdue)
                if escalated:
                    log.warning("escalated %d overdue work orders to the duty officer", escalated)
            except Exception:  # a database hiccup must not end the loop
                log.exception("overdue check failed")
            await asyncio.sleep(self.check_every_s)


def install(app: FastAPI, service: CentralService, notifier: Notifier | None = None) -> DeskRuntime:
    """Add the desk to the centre's app; call the runtime's start/stop from its lifespan."""
    runtime = DeskRuntime(service, notifier)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(ROLES=ROLES, BOXES=BOXES, ACTIONS=ACTIONS,
                                 KINDS=REPORT_KINDS, COMPLEXITIES=COMPLEXITIES, PREFIX=PREFIX,
                                 DELIVERY=DELIVERY_NAMES)
    templates.env.filters["detail"] = _detail_words
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    accounts, orders = runtime.accounts, runtime.orders

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        response = templates.TemplateResponse(request, name, context, status_code=status)
        response.headers.update(SECURITY_HEADERS)
        return response

    def back(url: str) -> RedirectResponse:
        response = RedirectResponse(url, status_code=303)
        response.headers.update(SECURITY_HEADERS)
        return response

    async def session_of(request: Request) -> Session:
        found = await run_in_threadpool(accounts.session, request.cookies.get(COOKIE))
        if found is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        return found

    async def form_of(request: Request, session: Session) -> dict[str, str]:
        """The posted form, after checking its CSRF token against the session's."""
        form = await request.form()
        sent = str(form.get("csrf", ""))
        if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
            raise DeskProblem("页面已过期，请刷新后重试", "The page expired: reload and try again", 403)
        return {k: str(v) for k, v in form.items() if isinstance(v, str)}

    def require(staff: Staff, *roles: str) -> None:
        if staff.role not in roles:
            raise DeskProblem("您的角色无权访问此页面", "Your role cannot open this page", 403)

    @app.exception_handler(LoginRequired)
    async def on_login_required(request: Request, exc: LoginRequired) -> Response:
        return back(f"{PREFIX}/login?next={quote(exc.next_url)}")

    @app.exception_handler(DeskProblem)
    async def on_desk_problem(request: Request, exc: DeskProblem) -> Response:
        found = await run_in_threadpool(accounts.session, request.cookies.get(COOKIE))
        return page(request, "problem.html", exc.status, problem=exc,
                    me=found.staff if found else None, csrf=found.csrf_token if found else "")

    # -- login ---------------------------------------------------------------------------
    @router.get("/login")
    async def login_page(request: Request, next: str = f"{PREFIX}/inbox") -> Response:
        token = secrets.token_urlsafe(24)
        response = page(request, "login.html", csrf=token, next=_safe_next(next), error=None,
                        me=None)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax",
                            path=PREFIX, secure=request.url.scheme == "https")
        return response

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        sent = str(form.get("csrf", ""))
        next_url = _safe_next(str(form.get("next", "")))
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            return page(request, "login.html", 403, csrf=expected, next=next_url, me=None,
                        error=("页面已过期，请重新登录", "The page expired, log in again"))
        username = str(form.get("username", "")).strip()
        result = await run_in_threadpool(accounts.login, username, str(form.get("password", "")))
        if result.session_token is None:
            if result.reason == "locked" and result.locked_until is not None:
                until = result.locked_until.astimezone(service.tz).strftime("%H:%M")
                error = (f"密码错误次数过多，账号已锁定至 {until}",
                         f"Too many wrong passwords: the account is locked until {until}")
            else:
                error = ("用户名或密码错误", "Wrong user name or password")
            return page(request, "login.html", 401, csrf=expected, next=next_url, me=None,
                        error=error, username=username)
        session = await run_in_threadpool(accounts.session, result.session_token)
        if session is not None:
            await run_in_threadpool(orders.record, _actor(session.staff), "login")
        response = back(next_url)
        response.set_cookie(COOKIE, result.session_token, httponly=True, samesite="lax",
                            path=PREFIX, secure=request.url.scheme == "https")
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX)
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        session = await session_of(request)
        await form_of(request, session)
        await run_in_threadpool(accounts.logout, request.cookies.get(COOKIE, ""))
        response = back(f"{PREFIX}/login")
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    # -- inboxes and orders --------------------------------------------------------------
    @router.get("")
    @router.get("/")
    async def home() -> Response:
        return back(f"{PREFIX}/inbox")

    @router.get("/inbox")
    async def inbox(request: Request, box: str | None = None) -> Response:
        session = await session_of(request)
        me = session.staff
        mine = boxes_for(me)
        box = box or mine[0]
        if box not in mine:
            raise DeskProblem("没有这个收件箱", "No such inbox", 404)
        # The overdue check also runs on every inbox load, so a late order is never shown
        # as merely "overdue" while the periodic check has not come round yet.
        await run_in_threadpool(orders.escalate_overdue, me.hall)
        rows = await run_in_threadpool(orders.inbox, me, box)
        counts = await run_in_threadpool(orders.counts, me)
        return page(request, "inbox.html", me=me, csrf=session.csrf_token, box=box, boxes=mine,
                    counts=counts, rows=rows)

    @router.get("/orders/{tracking_no}")
    async def order_page(request: Request, tracking_no: str) -> Response:
        session = await session_of(request)
        order = await run_in_threadpool(orders.order, session.staff, tracking_no)
        return page(request, "order.html", me=session.staff, csrf=session.csrf_token,
                    order=order, allowed=orders.allowed(session.staff, order),
                    units=await run_in_threadpool(orders.units, session.staff.hall),
                    done=request.query_params.get("done"))

    @router.post("/orders/{tracking_no}/{action}")
    async def order_action(request: Request, tracking_no: str, action: str) -> Response:
        session = await session_of(request)
        form = await form_of(request, session)
        await run_in_threadpool(orders.act, session.staff, tracking_no, action, form)
        return back(f"{PREFIX}/orders/{quote(tracking_no)}?done={quote(action)}")

    @router.get("/messages")
    async def messages(request: Request) -> Response:
        session = await session_of(request)
        require(session.staff, "clerk", "duty", "admin")
        rows = await run_in_threadpool(orders.messages, session.staff.hall)
        return page(request, "messages.html", me=session.staff, csrf=session.csrf_token,
                    rows=rows)

    @router.get("/audit")
    async def audit(request: Request) -> Response:
        session = await session_of(request)
        require(session.staff, "duty", "admin")
        rows = await run_in_threadpool(orders.audit_log, session.staff.hall)
        return page(request, "audit.html", me=session.staff, csrf=session.csrf_token, rows=rows)

    @router.get("/ledger")
    async def ledger_page(request: Request) -> Response:
        session = await session_of(request)
        require(session.staff, "duty", "admin")
        return page(request, "ledger.html", me=session.staff, csrf=session.csrf_token,
                    month=service.now().strftime("%Y-%m"))

    @router.get("/ledger.csv")
    async def ledger_csv(request: Request, month: str) -> Response:
        session = await session_of(request)
        require(session.staff, "duty", "admin")
        rows = await run_in_threadpool(orders.ledger, session.staff.hall, month)
        table = csv_text([Sheet("ledger", orders.LEDGER_COLUMNS, rows)], titles=False)
        name = f"ledger-{session.staff.hall}-{month}.csv"
        return Response(table, media_type="text/csv; charset=utf-8",
                        headers={**SECURITY_HEADERS,
                                 "Content-Disposition": f'attachment; filename="{name}"'})

    # -- admin ---------------------------------------------------------------------------
    @router.get("/admin")
    async def admin(request: Request) -> Response:
        session = await session_of(request)
        require(session.staff, "admin")
        hall = session.staff.hall
        return page(request, "admin.html", me=session.staff, csrf=session.csrf_token,
                    staff=await run_in_threadpool(accounts.staff_of_hall, hall),
                    units=await run_in_threadpool(orders.units, hall),
                    done=request.query_params.get("done"))

    @router.post("/admin/staff")
    async def add_staff(request: Request) -> Response:
        session = await session_of(request)
        require(session.staff, "admin")
        form = await form_of(request, session)
        try:
            added = await run_in_threadpool(
                accounts.add_staff, session.staff.hall, form.get("username", "").strip(),
                form.get("password", ""), form.get("role", ""),
                display_name=form.get("display_name", "").strip() or None,
                unit=form.get("unit", "").strip() or None)
        except AccountError as exc:
            raise DeskProblem(f"未能新增人员：{exc}", f"Staff not added: {exc}", 422) from exc
        await run_in_threadpool(orders.record, _actor(session.staff), "add_staff",
                                {"username": added.username, "role": added.role})
        return back(f"{PREFIX}/admin?done=add_staff")

    @router.post("/admin/units")
    async def add_unit(request: Request) -> Response:
        session = await session_of(request)
        require(session.staff, "admin")
        form = await form_of(request, session)
        await run_in_threadpool(orders.add_unit, _actor(session.staff), form.get("name", ""))
        return back(f"{PREFIX}/admin?done=add_unit")

    @router.post("/admin/staff/{staff_id}/unlock")
    async def unlock(request: Request, staff_id: str) -> Response:
        session = await session_of(request)
        require(session.staff, "admin")
        await form_of(request, session)
        await run_in_threadpool(accounts.unlock, session.staff.hall, staff_id)
        await run_in_threadpool(orders.record, _actor(session.staff), "unlock",
                                {"staff_id": staff_id})
        return back(f"{PREFIX}/admin?done=unlock")

    # -- one's own account, and the admin's account changes ------------------------------
    @router.get("/account")
    async def account_page(request: Request) -> Response:
        session = await session_of(request)
        return page(request, "account.html", me=session.staff, csrf=session.csrf_token,
                    done=request.query_params.get("done"), error=None)

    @router.post("/account/password")
    async def change_password(request: Request) -> Response:
        session = await session_of(request)
        form = await form_of(request, session)
        new = form.get("new_password", "")
        try:
            if new != form.get("repeat_password", ""):
                raise AccountError("the two new passwords differ", "两次输入的新密码不一致")
            await run_in_threadpool(accounts.change_password, session.staff,
                                    request.cookies.get(COOKIE, ""),
                                    form.get("current_password", ""), new)
        except AccountError as exc:
            return page(request, "account.html", 422, me=session.staff, csrf=session.csrf_token,
                        done=None, error=(exc.zh, str(exc)[:1].upper() + str(exc)[1:]))
        return back(f"{PREFIX}/account?done=password")

    @router.post("/admin/staff/{staff_id}/{change}")
    async def change_staff(request: Request, staff_id: str, change: str) -> Response:
        session = await session_of(request)
        require(session.staff, "admin")
        form = await form_of(request, session)
        how = {"disable": accounts.disable, "enable": accounts.enable}
        try:
            if change in how:
                await run_in_threadpool(how[change], session.staff, staff_id)
            elif change == "password":
                await run_in_threadpool(accounts.reset_password, session.staff, staff_id,
                                        form.get("password", ""))
            else:
                raise DeskProblem("没有这个操作", "No such action", 404)
        except AccountError as exc:
            raise DeskProblem(f"未能修改账号：{exc.zh}", f"Account not changed: {exc}",
                              422) from exc
        return back(f"{PREFIX}/admin?done={quote(change)}")

    kit = window_page.DeskKit(page, back, session_of, form_of, require, orders, PREFIX)
    window_page.install(router, kit, service.calling)
    ratings_page.install(router, kit, runtime.ratings)
    stats_page.install(router, kit, service)
    add_help_routes(router, runtime.help_hub, page=page, back=back, session_of=session_of,
                    form_of=form_of, prefix=PREFIX, sessions_ended=lambda: accounts.generation)
    app.include_router(router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(HERE / "static")), name="desk-static")
    app.state.desk = runtime
    return runtime


def _actor(staff: Staff) -> Actor:
    return Actor(staff.id, staff.username, staff.hall)


DETAIL_NAMES = {"unit": "承办单位", "note": "备注", "kind": "类别", "complexity": "复杂程度",
                "reason": "原因", "username": "用户名", "role": "角色", "staff_id": "人员",
                "window": "窗口", "number": "号码", "matters": "事项", "to_matter": "转至事项",
                "to_window": "转至窗口", "level": "评价等级", "due": "整改期限",
                "callback_due": "回访期限", "outcome": "回访结果",
                "sessions_ended": "结束的其他会话", "call": "求助",
                "channel": "渠道", "status": "状态", "round": "整改轮次",
                "rectify_due": "整改期限", "measures": "整改措施"}


def _detail_words(detail: str | None) -> str:
    """An audit row's detail (JSON) as "承办单位：区民政局；备注：…" for people to read."""
    if not detail:
        return ""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    words = []
    for key, value in data.items():
        if key == "kind" and value in REPORT_KINDS:
            value = REPORT_KINDS[value][0]
        elif key == "complexity" and value in COMPLEXITIES:
            value = COMPLEXITIES[value][0]
        elif key == "role" and value in ROLES:
            value = ROLES[value][0]
        words.append(f"{DETAIL_NAMES.get(key, key)}：{value}")
    return "；".join(words)


def _safe_next(url: str) -> str:
    """Only a desk path: never send someone who just logged in to another site."""
    if url.startswith(PREFIX + "/") and not url.startswith("//") and "\\" not in url:
        return url
    return f"{PREFIX}/inbox"
