"""HTTP face of the reference centre (FastAPI): the /v1 contract documented in openapi.yaml.

Handlers are thin: parse, authenticate, call :class:`central.service.CentralService`, return
JSON. Every error, including validation errors and crashes, leaves as RFC 9457 problem JSON
so the kiosk can always tell "the centre said no" from "the centre is broken".
"""


import contextlib
import datetime as dt
import logging
import math
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from central.desk import install as install_desk
from central.edge import EdgeGuard, EdgeSettings
from central.events import TOKENS_CHANNEL, EventHub
from central.problems import MEDIA_TYPE, Problem
from central.service import CentralService
from central.web import calling_api, pages, progress
from central.web.live import LiveHub
from central.web.report_live import ReportHub
from hall.catalogue import Zone
from hall.phone import MOBILE_PATTERN

_P = ParamSpec("_P")
_T = TypeVar("_T")

log = logging.getLogger("central")

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
HEX64 = r"^[0-9a-f]{64}$"
KioskId = Annotated[str, Path(pattern=ID_PATTERN, description="Kiosk id")]
IdemKey = Annotated[str, Header(
    alias="Idempotency-Key", min_length=8, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$",
    description="Unique per citizen action; a retry with the same key returns the same answer")]


def _json_integer(value: Any) -> Any:
    """JSON Schema integers include 4.0 but not true or "4": accept exactly those."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _json_date(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("expected a date text YYYY-MM-DD")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer)]
JsonDate = Annotated[dt.date, BeforeValidator(_json_date), Field(strict=False)]


class Strict(BaseModel):
    """Request bodies: no unknown keys, no coercion (``true`` is not the level 1)."""

    model_config = ConfigDict(extra="forbid", strict=True)


# -- request bodies --------------------------------------------------------------------------
class TicketRequest(Strict):
    matter_id: str = Field(pattern=ID_PATTERN)
    priority: Literal["elderly", "disabled", "pregnant", "military", "other"] | None = Field(
        None, description="Reason for the priority channel (绿色通道), if any")
    appointment_code: str | None = Field(None, pattern=r"^[A-Za-z0-9-]{4,32}$")
    id_hash: str | None = Field(None, pattern=HEX64,
                                description="HMAC-SHA256 of the ID number with the hall salt")


class ReportRequest(Strict):
    matter_id: str | None = Field(None, pattern=ID_PATTERN)
    situation: Literal["not_accepted", "not_approved", "repeated_visits", "staff_attitude",
                       "other"]
    description: str = Field(min_length=1, max_length=2000)
    phone: str = Field(pattern=r"^\+?[0-9][0-9 -]{4,19}$")
    id_hash: str | None = Field(None, pattern=HEX64)
    language: Literal["zh", "en"] = "zh"


class EvaluationRequest(Strict):
    level: JsonInt = Field(ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    reasons: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=10)
    ticket_id: str | None = Field(None, pattern=r"^[0-9a-f]{32}$")
    window: str | None = Field(None, min_length=1, max_length=20)
    tracking_no: str | None = Field(None, pattern=r"^R[0-9]{12}$")
    comment: str | None = Field(None, max_length=500)
    phone: str | None = Field(
        None, pattern=MOBILE_PATTERN,
        description="差评 only (level 1 or 2), optional: the citizen's mobile number for the "
                    "回访 (call back). Kept on the 整改 order until the call back is closed, "
                    "shown masked on the desk")


class HelpCallRequest(Strict):
    location: str = Field(min_length=1, max_length=200)
    reason: Literal["assist", "device", "report", "other"] = "assist"
    language: Literal["zh", "en"] = "zh"


class ConfigRejection(Strict):
    version: JsonInt | None = None
    reason: str = Field(max_length=500)


Count = Annotated[int, Field(ge=0, le=2**53), BeforeValidator(_json_integer)]
# Versions, times, states and field names: printable ASCII, so their size is their length.
ShortText = Annotated[str, Field(max_length=40, pattern=r"^[ -~]*$")]


class DeviceState(Strict):
    state: ShortText
    reason: str | None = Field(None, max_length=100, pattern=r"^[ -~]*$")
    paper_out: bool | None = None
    paper_near_end: bool | None = None


class Devices(Strict):
    """The kiosk's devices by name (kiosk.ui.service ``device_states``); a new device is a new
    field here, so nothing unbounded is stored."""

    reader: DeviceState | None = None
    printer: DeviceState | None = None


class PinCounters(Strict):
    failed_attempts: Count = 0
    lockouts: Count = 0
    refused_while_locked: Count = 0
    locked: bool = False


class HeartbeatSending(Strict):
    failures: Count = 0
    skipped: Count = 0
    last_failure: str | None = Field(None, max_length=300)


class HeartbeatRequest(Strict):
    """A fixed shape of bounded fields (what kiosk.services.heartbeat sends; unknown keys are
    refused): the centre keeps the latest per kiosk, so its size is bounded too. A field a
    kiosk could not fill is null."""

    kiosk_id: str | None = Field(None, pattern=ID_PATTERN,
                                 description="If sent, must match the token's kiosk")
    sequence: Count | None = None
    sent_at: ShortText | None = None
    app_version: ShortText = ""
    uptime_s: Count | None = None
    config_version: JsonInt | ShortText | None = Field(None, description="Bundle version in use")
    config_received_at: ShortText | None = None
    config_rejected: ConfigRejection | None = Field(
        None, description="The last bundle this kiosk refused, and why")
    devices: Devices | None = None
    paper: Literal["ok", "near_end", "out", "unknown"] | None = None
    outbox_pending: Count | None = 0
    outbox_failed: Count | None = 0
    outbox_depth: Count | None = None
    last_error: str | None = Field(None, max_length=300)
    pin: PinCounters | None = None
    rejected_config_pushes: Count | None = None
    disk_free_mb: Count | None = None
    heartbeat: HeartbeatSending | None = None
    unavailable: list[ShortText] | None = Field(None, max_length=20)


class NoteBody(Strict):
    note: str | None = Field(None, max_length=1000)


class ClassifyBody(NoteBody):
    kind: Literal["cannot", "hard", "refused", "not_yet"]
    complexity: Literal["simple", "ordinary", "complex"]


class DispatchBody(NoteBody):
    unit: str = Field(min_length=1, max_length=200)


class ResolveBody(NoteBody):
    resolution: str = Field(min_length=1, max_length=2000)


class AnswerBody(NoteBody):
    answer: str = Field(min_length=1, max_length=2000)


class CallNextBody(Strict):
    window: str = Field(min_length=1, max_length=20)


class AppointmentBody(Strict):
    matter_id: str = Field(pattern=ID_PATTERN)
    day: JsonDate
    id_hash: str | None = Field(None, pattern=HEX64,
                                description="Salted hash of the booker's ID: check-in by card")
    slot: str | None = Field(None, pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description=(
        "The booked slot's start, hall time HH:MM: once it has started, the checked-in "
        "ticket is called in its place (see the calling rules' slot_grace_min)"))


# -- responses -------------------------------------------------------------------------------
class ProblemDetails(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    reason: str = Field(description="Stable key the kiosk turns into plain words")
    title_zh: str
    instance: str | None = None
    opens_at: str | None = Field(None, description="ticket.closed: next opening time")
    come_back_at: str | None = Field(None, description="ticket.quota_gone: when to come back")
    retry_after: int | None = Field(None, description="429: seconds until the next try counts")
    limit: int | None = Field(None, description="ticket.person_limit: numbers a person may take")


class TicketOut(BaseModel):
    id: str
    number: str = Field(description="Prefix letter and daily number, e.g. C007")
    matter_id: str
    matter_name: str
    matter_name_en: str
    zone: Zone
    windows: str
    ahead: int = Field(ge=0)
    priority: str | None
    issued_at: str
    tracking_url: str
    track_url: str = Field(description="The ticket's public phone page on this centre "
                                       "(no login): place, estimated wait, \"go to window\"")
    estimated_wait_min: int | None = Field(None, ge=0, description=(
        "People ahead x the measured service time today (5 min before any) of each open "
        "window serving the matter, as the windows share the work (central/README.md)"))


class TicketStatusOut(BaseModel):
    id: str
    number: str
    matter_id: str
    status: Literal["waiting", "called", "served", "no_show", "expired"]
    ahead: int = Field(ge=0)
    window: str | None
    called_at: str | None


class ReportReceiptOut(BaseModel):
    tracking_no: str = Field(pattern=r"^R[0-9]{12}$", description="R and 12 random digits")
    check_code: str = Field(pattern=r"^[0-9]{4}$",
                            description="Printed on the receipt; a kiosk's look-up needs it")
    status: str
    received_at: str
    promised_date: dt.date
    tracking_url: str = Field(description="What the receipt's QR code opens: the hall's own "
                                          "page, or progress_url when the hall names none")
    progress_url: str = Field(description="The report's public progress page on this centre "
                                          "(no login; the check code is in the address)")


class ReportStepOut(BaseModel):
    step: Literal["accepted", "classified", "dispatched", "resolved", "answered"]
    name: str
    name_en: str
    done_at: str | None
    note: str | None


class ReportOut(BaseModel):
    tracking_no: str
    matter_id: str | None
    situation: str
    status: Literal["received", "accepted", "classified", "dispatched", "resolved", "answered"]
    status_name: str | None = Field(None, description="The state in words, e.g. 已答复")
    status_name_en: str | None = None
    received_at: str
    promised_date: dt.date
    complexity: str
    kind: str | None
    kind_name: str | None
    kind_name_en: str | None
    answer: str | None
    phone_masked: str
    steps: list[ReportStepOut]
    description: str | None = None
    phone: str | None = None
    unit: str | None = None
    resolution: str | None = None
    kiosk_id: str | None = None
    check_code: str | None = Field(None, description="Staff only: to read out to the citizen")


class EvaluationOut(BaseModel):
    id: str
    level: int
    level_name: str
    level_name_en: str
    received_at: str
    rectification_no: str | None = Field(
        None, description="差评 only: the 整改 (rectification) work order it opened")
    rectify_due: str | None = Field(None, description="差评 only: the rectification's due date")


class HelpCallOut(BaseModel):
    id: str
    status: Literal["open", "closed"]
    received_at: str


HelpCallId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


class HelpCallComing(BaseModel):
    """Who is on the way: the staff member's display name and role, nothing more."""

    name: str
    role: str
    role_name: str
    role_name_en: str
    at: str


class HelpCallStatus(BaseModel):
    id: str
    status: Literal["open", "closed"]
    coming: HelpCallComing | None
    closed_by: Literal["kiosk", "staff"] | None


class HelpCallListItem(BaseModel):
    id: str
    kiosk_id: str
    location: str
    reason: str
    language: str
    status: str
    created_at: str
    closed_at: str | None


class HeartbeatOut(BaseModel):
    server_time: str
    config_version: int


class KioskOut(BaseModel):
    id: str
    registered_at: str
    revoked: bool
    last_auth_failure_at: str | None
    last_seen: str | None
    silent: bool = Field(description="No heartbeat within the silence threshold")
    heartbeat: dict[str, Any] | None


class TokenOut(BaseModel):
    kiosk_id: str
    token: str = Field(description="Shown once; only its hash is stored")


class AppointmentOut(BaseModel):
    code: str
    matter_id: str
    day: dt.date
    slot_at: str | None = Field(None, description="The slot's start, ISO time with offset")


class ConfigBundleOut(BaseModel):
    version: int
    published_at: str
    body: str = Field(description="JSON text {version, published_at, config}, signed as is")
    signature: str = Field(description="Base64 Ed25519 signature of the UTF-8 bytes of body")


API_DESCRIPTION = """
**Authentication.** Every call carries `Authorization: Bearer <token>`. Each kiosk has its own
token (`python -m central add-kiosk ID`, shown once, stored only as a hash; tokens do not expire,
staff revoke or rotate them). `/v1/staff/*` and `GET /v1/kiosks` need the staff token. A revoked
or replaced token answers 401 with reason `auth.revoked` / `auth.invalid`, and staff see the
failed attempt in `GET /v1/kiosks`.

**Idempotency.** `POST /v1/tickets`, `/v1/reports`, `/v1/evaluations` and `/v1/help-calls`
require an `Idempotency-Key` header, unique per citizen action. The first request answers 201;
a repeat with the same key and body answers 200 with the same JSON (never a second record); the
same key with a different body answers 409 `request.idempotency_mismatch`. Clients retry only
such calls and GETs.

**Errors.** Every error is RFC 9457 problem details (`application/problem+json`) with a stable
`reason` key (e.g. `ticket.closed` with `opens_at`, `ticket.quota_gone` with `come_back_at`).
5xx is an error, never an empty result: kiosks must not show "0 waiting" for it.

**Queue numbers** run per matter per day (prefix letter + number, reset at the hall's local
midnight) without repeats or gaps. **Promised dates** of reports count working days on the
hall's calendar (statutory holidays and make-up working days), 5 ordinary / 10 complex unless
the published config says otherwise.

**好差评.** Every 差评 (level 1 不满意 or 2 非常不满意) opens a 整改 (rectification) work order on
the staff desk in the same transaction (`rectification_no`, due `[ratings] rectify_days` working
days later, 5 by default); its optional `phone` is only for the 回访 (call back).

**Configuration.** `GET /v1/kiosks/{id}/config` returns the latest bundle with an ETag (send
`If-None-Match` to get 304). `body` is JSON text `{version, published_at, config}`; `signature`
is base64 Ed25519 over the UTF-8 bytes of `body` exactly as sent; kiosks hold only the public
key. `GET /v1/kiosks/{id}/events` is a server-sent event stream: `event: config` with
`{version, etag}` on connect and whenever a new version is published, `: ping` every 15 s.
"""


def _problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": ProblemDetails, "description": "Problem details (RFC 9457)",
                "content": {MEDIA_TYPE: {}}}
            for s in (*statuses, 400, 401, 408, 413, 422, 500, 503)}


# -- auth ------------------------------------------------------------------------------------
bearer = HTTPBearer(auto_error=False, description="Per-kiosk token or the staff token")


class Principal:
    def __init__(self, role: str, kiosk_id: str | None, hall: str) -> None:
        self.role = role
        self.kiosk_id = kiosk_id
        self.hall = hall  # every query is limited to the token's own hall

    @property
    def scope(self) -> str:
        """Whose idempotency keys (and records) these are: a kiosk, or one hall's staff."""
        if self.kiosk_id:
            return self.kiosk_id
        return "staff" if self.hall == "default" else f"staff.{self.hall}"


def create_app(service: CentralService, *, ping_s: float = 15.0, poll_s: float = 0.5,
               edge: EdgeSettings | None = None, public_url: str | None = None,
               public_limiter: pages.RateLimiter | None = None,
               token_cache_s: float = 5.0) -> FastAPI:
    """Build the ASGI app around one service instance (tests pass their own clock/database),
    behind the :class:`central.edge.EdgeGuard` that authenticates before reading a body.

    ``public_url`` is the address phones and displays reach this centre at (the QR codes);
    without it, the address each request came to.

    ``token_cache_s``: on PostgreSQL a valid token is remembered this long, and forgotten at
    once when any instance changes a token (NOTIFY); 0 checks every request in the database.
    SQLite always checks (another process on the file could change a token unheard)."""

    def latest(hall: str) -> tuple[int, str]:
        try:
            bundle = service.config_bundle(hall)
        except Problem:
            return 0, ""
        return bundle["version"], service.bundle_etag(bundle)

    hub = EventHub(latest, service.latest_config_versions, poll_s=poll_s, ping_s=ping_s,
                   db=service.db)
    calling = service.calling
    live = LiveHub(calling, poll_s=max(poll_s, 1.0), ping_s=ping_s)
    live.listen(hub)  # PostgreSQL: calls made on other instances arrive by NOTIFY
    report_feed = ReportHub(service, poll_s=max(poll_s, 1.0), ping_s=ping_s)
    report_feed.listen(hub)  # PostgreSQL: report steps taken on other instances, by NOTIFY
    if service.db.is_postgres and token_cache_s > 0:
        # A token changed on any instance (or by the CLI) is forgotten here at its commit,
        # on the listener's thread, before the loop could answer with the old one.
        hub.channels[TOKENS_CHANNEL] = service.forget_tokens
        hub.on_listen.append(service.forget_tokens)
        service.enable_token_cache(token_cache_s, hub.listening.is_set)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if service.db.is_postgres:
            # As many request threads as pooled connections (one is the listener's): more
            # would only queue for a connection while contending for the GIL.
            from anyio import to_thread

            to_thread.current_default_thread_limiter().total_tokens = max(
                2, service.db.pool_size - 1)
        await hub.start()
        await desk.start()
        await live.start()
        await report_feed.start()
        try:
            yield
        finally:
            await report_feed.stop()
            await live.stop()
            await desk.stop()
            await hub.stop()

    app = FastAPI(
        title="Hall kiosk ↔ centre contract",
        version="1.0.0",
        summary="Queue numbers, 办不成事 reports, evaluations, help calls, heartbeats and "
                "signed configuration for the hall's self-service kiosks.",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None, redoc_url=None,
    )
    app.state.service = service
    app.state.hub = hub
    # The staff desk (/desk/): HTML pages with session cookies, not the /v1 bearer tokens.
    desk = install_desk(app, service)
    app.state.calling = calling
    app.state.live = live
    app.state.report_feed = report_feed

    async def run(fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Database work runs on the thread pool. PostgreSQL calls go over the network; SQLite
        commits wait for an fsync (``synchronous=FULL``), which inline would stall the event
        loop and every other connection: bench/central.py on this 2-core machine, 50 kiosks,
        went from 172 tickets/s (p50 296 ms) inline to 471 tickets/s (p50 88 ms) here."""
        return await run_in_threadpool(fn, *args, **kwargs)

    async def principal(request: Request,
                        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
                        ) -> Principal:
        known: tuple[str, str | None, str] | None = getattr(  # the edge checked it already
            request.state, "principal", None)
        if known is None:
            known = await run(service.authenticate, creds.credentials if creds else None)
        role, kiosk_id, hall = known
        return Principal(role, kiosk_id, hall)

    async def staff(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if who.role != "staff":
            raise Problem("auth.staff_only")
        return who

    Who = Annotated[Principal, Depends(principal)]
    Staff = Annotated[Principal, Depends(staff)]

    def own_kiosk(who: Principal, kiosk_id: str) -> None:
        if who.role != "staff" and who.kiosk_id != kiosk_id:
            raise Problem("auth.wrong_kiosk")

    # -- error rendering -----------------------------------------------------------------
    def render(problem: Problem, request: Request,
               headers: dict[str, str] | None = None) -> JSONResponse:
        if problem.status == 401:
            headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
        if "retry_after" in problem.extensions:
            headers = {**(headers or {}), "Retry-After": str(problem.extensions["retry_after"])}
        return JSONResponse(problem.to_dict(request.url.path), status_code=problem.status,
                            media_type=MEDIA_TYPE, headers=headers)

    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> JSONResponse:
        return render(exc, request)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(p) for p in first.get("loc", ())]
        if loc[:2] == ["header", "Idempotency-Key"] and first.get("type") == "missing":
            return render(Problem("request.idempotency_key_missing"), request)
        problem = Problem("request.invalid", f"{'.'.join(loc)}: {first.get('msg', 'invalid')}")
        return render(problem, request)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        reason = "not_found" if exc.status_code == 404 else "request.invalid"
        return render(Problem(reason, str(exc.detail), status=exc.status_code), request,
                      dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return render(Problem("server.error"), request)

    def created(status: int, body: dict[str, Any]) -> JSONResponse:
        return JSONResponse(body, status_code=status)

    # -- tickets -------------------------------------------------------------------------
    @app.post("/v1/tickets", status_code=201, response_model=TicketOut, tags=["tickets"],
              summary="Take a queue number",
              description="Limits: numbers per kiosk per minute (429 `ticket.rate_limited` with "
                          "Retry-After) and per ID hash per matter per day (409 "
                          "`ticket.person_limit`).",
              responses={200: {"model": TicketOut, "description": "Repeat of an earlier key"},
                         **_problem_responses(403, 404, 409, 429)})
    async def take_ticket(request: Request, body: TicketRequest, who: Who,
                          key: IdemKey) -> Any:
        status, answer = await run(service.take_ticket, who.scope, body.model_dump(), key,
                                   who.hall)
        answer["track_url"] = app.state.track_url(request, answer["id"])
        # People ahead and the wait from the order the windows call by (pooled queues,
        # green channel, appointment slots), not the running count of one matter's queue.
        placed = None
        if status == 201 and body.priority is None and body.appointment_code is None:
            placed = calling.quick_place(who.hall, answer["matter_id"], answer["ahead"])
        if placed is None:
            placed = await run(calling.place, who.hall, answer["id"])
        if placed is not None:
            answer["ahead"] = placed[0]
        answer["estimated_wait_min"] = math.ceil(placed[1] / 60) if placed else 0
        if not answer.get("tracking_url"):  # the hall names no page of its own: ours
            answer["tracking_url"] = answer["track_url"]
        return created(status, answer)

    @app.get("/v1/tickets/{ticket_id}", response_model=TicketStatusOut, tags=["tickets"],
             summary="People ahead, called or not, and at which window",
             responses=_problem_responses(404))
    async def ticket_status(ticket_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
                      who: Who) -> Any:
        return await run(service.ticket_status, ticket_id, who.hall)

    # -- reports -------------------------------------------------------------------------
    @app.post("/v1/reports", status_code=201, response_model=ReportReceiptOut,
              tags=["reports"], summary="File a 办不成事 report",
              responses={200: {"model": ReportReceiptOut, "description": "Repeat of a key"},
                         **_problem_responses(404, 409)})
    async def submit_report(request: Request, body: ReportRequest, who: Who,
                            key: IdemKey) -> Any:
        status, answer = await run(service.submit_report, who.scope, body.model_dump(), key,
                                   who.hall)
        answer["progress_url"] = app.state.progress_url(request, answer["tracking_no"],
                                                        answer["check_code"])
        if not answer.get("tracking_url"):  # the hall names no page of its own: ours
            answer["tracking_url"] = answer["progress_url"]
        return created(status, answer)

    @app.get("/v1/reports/{tracking_no}", response_model=ReportOut, tags=["reports"],
             summary="The five-step lifecycle of a report", response_model_exclude_none=False,
             description="Kiosks must send the receipt's check code in the `Check-Code` header "
                         "(a header, so it stays out of access logs). An unknown number and a "
                         "wrong code answer the same 404 `report.unknown`; look-ups are rate "
                         "limited per kiosk (429 `report.lookup_limited`). Staff need no code.",
             responses=_problem_responses(404, 429))
    async def report_status(tracking_no: Annotated[str, Path(pattern=r"^R[0-9]{12}$")],
                            who: Who,
                            check_code: Annotated[str, Header(
                                alias="Check-Code", pattern=r"^([0-9]{4})?$",
                                description="The 4-digit code on the receipt")] = "") -> Any:
        if who.role == "staff":
            return await run(service.report, tracking_no, staff=True, hall=who.hall)
        return await run(service.look_up_report, who.scope, tracking_no, check_code,
                         who.hall)

    @app.get("/v1/card-reports", response_model=list[ReportOut], tags=["reports"],
             summary="A card holder's reports in this hall, newest first",
             response_model_exclude_none=False,
             description="Kiosks send the salted hash of the ID number read from the card "
                         "(hall.idhash) in the `Id-Hash` header, so it stays out of access logs. "
                         "At most `limit` reports (default 5), newest first, each as "
                         "`GET /v1/reports/{tracking_no}` shows it; none is an empty list. "
                         "Rate limited per kiosk together with look-ups by number "
                         "(429 `report.lookup_limited`).",
             responses=_problem_responses(429))
    async def reports_by_card(who: Who,
                              id_hash: Annotated[str, Header(
                                  alias="Id-Hash", pattern=r"^[0-9a-f]{64}$",
                                  description="HMAC-SHA256 (hex) of the card's ID number")],
                              limit: Annotated[int, Query(ge=1, le=20)] = 5) -> Any:
        return await run(service.reports_by_card, who.scope, id_hash, limit, who.hall)

    # -- evaluations, help calls, heartbeats ---------------------------------------------
    @app.post("/v1/evaluations", status_code=201, response_model=EvaluationOut,
              tags=["evaluations"],
              summary="Rate a window, ticket or report (好差评); with none, the self-service itself",
              responses={200: {"model": EvaluationOut, "description": "Repeat of a key"},
                         **_problem_responses(409)})
    async def submit_evaluation(body: EvaluationRequest, who: Who, key: IdemKey) -> Any:
        data = body.model_dump()
        if data["phone"] is None:  # absent as before: a retried key keeps its fingerprint
            del data["phone"]
        return created(*await run(service.submit_evaluation, who.scope, data, key, who.hall))

    @app.post("/v1/help-calls", status_code=201, response_model=HelpCallOut,
              tags=["help"], summary="Ask a staff member to come to the kiosk",
              responses={200: {"model": HelpCallOut, "description": "Repeat of a key"},
                         **_problem_responses(409)})
    async def call_help(body: HelpCallRequest, who: Who, key: IdemKey) -> Any:
        status, answer = await run(service.call_help, who.scope, body.model_dump(), key,
                                   who.hall)
        if status == 201:  # a new call (not a repeated key): the desk pages hear it now
            await run(desk.help_calls.arrived, who.hall, answer["id"])
        return created(status, answer)

    @app.get("/v1/help-calls/{call_id}", response_model=HelpCallStatus, tags=["help"],
             summary="A kiosk follows its help call: open or closed, and who is coming",
             responses=_problem_responses(403, 404))
    async def help_call_status(call_id: HelpCallId, who: Who) -> Any:
        if who.kiosk_id is None:
            raise Problem("auth.wrong_kiosk", "a kiosk follows only its own help calls")
        return await run(desk.help_calls.for_kiosk, who.kiosk_id, who.hall, call_id)

    @app.post("/v1/help-calls/{call_id}/cancel", response_model=HelpCallStatus, tags=["help"],
              summary="The citizen cancelled at the kiosk: the call closes on every desk",
              responses=_problem_responses(403, 404))
    async def cancel_help_call(call_id: HelpCallId, who: Who) -> Any:
        if who.kiosk_id is None:
            raise Problem("auth.wrong_kiosk", "a kiosk cancels only its own help calls")
        return await run(desk.help_calls.cancel_by_kiosk, who.kiosk_id, who.hall, call_id)

    @app.post("/v1/heartbeats", response_model=HeartbeatOut, tags=["kiosks"],
              summary="Kiosk health; the latest one per kiosk is kept",
              responses=_problem_responses(403))
    async def heartbeat(body: HeartbeatRequest, who: Who) -> Any:
        if who.kiosk_id is None or body.kiosk_id not in (None, who.kiosk_id):
            raise Problem("auth.wrong_kiosk", "heartbeats come from the token's own kiosk")
        return await run(service.heartbeat, who.kiosk_id, body.model_dump(exclude_unset=True),
                         who.hall)

    # -- configuration -------------------------------------------------------------------
    @app.get("/v1/kiosks/{kiosk_id}/config", response_model=ConfigBundleOut, tags=["config"],
             summary="The latest signed configuration bundle (ETag / If-None-Match)",
             responses={304: {"description": "Not modified"}, **_problem_responses(403, 404)})
    async def config(kiosk_id: KioskId, who: Who,
               if_none_match: Annotated[str | None, Header(max_length=200)] = None) -> Any:
        own_kiosk(who, kiosk_id)
        bundle = await run(service.config_bundle, who.hall)
        etag = service.bundle_etag(bundle)
        if if_none_match and etag in [t.strip() for t in if_none_match.split(",")]:
            return Response(status_code=304, headers={"ETag": etag})
        return JSONResponse(bundle, headers={"ETag": etag, "Cache-Control": "no-cache"})

    @app.get("/v1/kiosks/{kiosk_id}/events", tags=["config"],
             summary="Server-sent events: `config` with {version, etag} on connect and on change",
             response_class=StreamingResponse,
             responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
                              "description": "An endless event stream with `: ping` comments"},
                        **_problem_responses(403)})
    async def events(kiosk_id: KioskId, who: Who) -> StreamingResponse:
        own_kiosk(who, kiosk_id)
        return StreamingResponse(hub.stream(who.hall), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache",
                                          "X-Accel-Buffering": "no"})

    # -- staff ---------------------------------------------------------------------------
    @app.get("/v1/kiosks", response_model=list[KioskOut], tags=["staff"],
             summary="All kiosks with their latest heartbeat; `silent` ones need a visit",
             responses=_problem_responses(403))
    async def kiosks(who: Staff) -> Any:
        return await run(service.kiosks, who.hall)

    @app.post("/v1/staff/kiosks/{kiosk_id}/revoke", status_code=204, tags=["staff"],
              summary="Stop a kiosk's token working", responses=_problem_responses(403, 404))
    async def revoke(kiosk_id: KioskId, who: Staff) -> Response:
        await run(service.revoke_kiosk, kiosk_id, who.hall)
        return Response(status_code=204)

    @app.post("/v1/staff/kiosks/{kiosk_id}/token", response_model=TokenOut, tags=["staff"],
              summary="Give a kiosk a new token (the old one stops working)",
              responses=_problem_responses(403, 404))
    async def rotate(kiosk_id: KioskId, who: Staff) -> Any:
        return {"kiosk_id": kiosk_id,
                "token": await run(service.rotate_kiosk_token, kiosk_id, who.hall)}

    @app.get("/v1/staff/reports", response_model=list[ReportOut], tags=["staff"],
             summary="Reports, optionally of one status", responses=_problem_responses(403))
    async def list_reports(who: Staff, status: Annotated[Literal[
            "received", "accepted", "classified", "dispatched", "resolved", "answered"] | None,
            Query()] = None) -> Any:
        return await run(service.list_reports, status, who.hall)

    def step_route(step: str, model: type[BaseModel], summary: str) -> None:
        async def handler(tracking_no: Annotated[str, Path(pattern=r"^R[0-9]{12}$")],
                    body: model,  # type: ignore[valid-type]  # evaluated at definition
                    who: Staff) -> Any:
            return await run(service.advance_report, tracking_no, step,
                             body.model_dump(),  # type: ignore[attr-defined]  # model is a variable
                             who.hall)

        action = {"accepted": "accept", "classified": "classify", "dispatched": "dispatch",
                  "resolved": "resolve", "answered": "answer"}[step]
        handler.__name__ = f"report_{action}"
        app.post(f"/v1/staff/reports/{{tracking_no}}/{action}", response_model=ReportOut,
                 tags=["staff"], summary=summary,
                 responses=_problem_responses(403, 404, 409))(handler)

    step_route("accepted", NoteBody, "受理: accept the report")
    step_route("classified", ClassifyBody,
               "分类: 不能办 cannot / 不好办 hard / 不给办 refused / 暂时办不了 not_yet")
    step_route("dispatched", DispatchBody, "转办: dispatch a work order to the responsible unit")
    step_route("resolved", ResolveBody, "办结: record the resolution")
    step_route("answered", AnswerBody, "反馈: the answer given to the citizen")

    @app.post("/v1/staff/queues/{matter_id}/call-next", response_model=TicketStatusOut,
              tags=["staff"], summary="Call the next ticket of a matter to a window",
              responses=_problem_responses(403, 404))
    async def call_next(matter_id: Annotated[str, Path(pattern=ID_PATTERN)], body: CallNextBody,
                  who: Staff) -> Any:
        return await run(service.call_next, matter_id, body.window, who.hall)

    @app.post("/v1/staff/appointments", status_code=201, response_model=AppointmentOut,
              tags=["staff"], summary="Book an appointment (normally done by the booking system)",
              responses=_problem_responses(403, 404))
    async def add_appointment(body: AppointmentBody, who: Staff) -> Any:
        booked = await run(service.add_appointment, body.matter_id, body.day.isoformat(),
                           body.id_hash, who.hall, body.slot)
        return JSONResponse(booked, status_code=201)

    @app.get("/v1/staff/help-calls", response_model=list[HelpCallListItem], tags=["staff"],
             summary="Help calls, optionally only open ones", responses=_problem_responses(403))
    async def help_calls(who: Staff, status: Annotated[Literal["open", "closed"] | None,
                                                  Query()] = None) -> Any:
        return await run(service.list_help_calls, status, who.hall)

    @app.post("/v1/staff/help-calls/{call_id}/close", response_model=HelpCallListItem,
              tags=["staff"], summary="Mark a help call as handled",
              responses=_problem_responses(403, 404))
    async def close_help_call(call_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
                        who: Staff) -> Any:
        closed = await run(service.close_help_call, call_id, who.hall)
        await run(desk.help_calls.touch, who.hall)
        return closed

    calling_api.install(app, calling, live, Staff, run, _problem_responses)
    pages.install(app, calling, live, run, _problem_responses, public_url=public_url,
                  limiter=public_limiter)
    progress.install(app, service, run, _problem_responses, feed=report_feed,
                     public_url=public_url, limiter=app.state.public_limiter)

    async def authenticate(token: str | None) -> tuple[str, str | None, str]:
        known = service.remembered_token(token)  # PostgreSQL's token cache: no thread hop
        return known if known is not None else await run(service.authenticate, token)

    app.add_middleware(EdgeGuard, authenticate=authenticate, settings=edge or EdgeSettings())
    return app
