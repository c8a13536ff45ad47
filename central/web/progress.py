"""The public progress page of a 办不成事 report: what the QR code on its receipt opens.

``/r/{tracking_no}?c={check_code}``: no login. The receipt's 4-digit check code opens it; a
wrong code and an unknown number get the very same page (no oracle). The page shows where the
report stands (受理→分类→转办→办结→反馈, in the words of the kiosk's progress screen), the
promised answer date and, once given, the answer — nothing that names the citizen (no name,
ID, phone; phone and ID numbers inside the answer text are masked).

Guessing is bounded twice: every request spends the public pages' per-client allowance
(shared with ``/t/`` and ``/display``), and every miss (wrong code or unknown number) spends a
much smaller one, per client address and per tracking number asked for, whoever asks — so
many addresses cannot share out the 10,000 codes of one number either. Unknown numbers spend
it exactly as known ones do, so a refusal says nothing about a number's existence.

The page is live: ``/r/{tracking_no}/events?c={check_code}`` (server-sent events, guarded the
same way: the code opens it, a miss spends the same allowances and answers the same 404 for a
wrong code and an unknown number) says ``status`` whenever the desk moves the report on a step,
on any instance (:class:`central.web.report_live.ReportHub`); ``static/report.js`` then fetches
the page again and shows it, and closes the stream once answered. Without JavaScript or
EventSource the page reloads itself every ``REFRESH_S`` (never under 10 s: issue 17).

The check code is in the address because a QR code can carry nothing else: the centre keeps
no access log (``access_log=False``), the page sends no Referer (``no-referrer``) and is never
cached. A reverse proxy in front should not log query strings of ``/r/``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import math
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, StreamingResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from central.problems import Problem
from central.service import CentralService
from central.web import report_words as words
from central.web.pages import RateLimiter
from central.web.report_live import ReportHub

HERE = Path(__file__).parent
TRACKING_NO = re.compile(r"R[0-9]{12}")
CHECK_CODE = re.compile(r"[0-9]{4}")
#: Without JavaScript or EventSource, until the answer is given, the page reloads itself this
#: often (never under 10 s: issue 17); with them it is live.
REFRESH_S = 60


class TokenBuckets:
    """A token bucket per key: ``burst`` at once, then one more every ``every_s`` seconds."""

    def __init__(self, burst: int, every_s: float, max_keys: int = 50_000) -> None:
        self.burst = burst
        self.every_s = every_s
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def _tokens(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) / self.every_s)

    def wait_s(self, key: str) -> float:
        """Seconds until ``key`` has a token again (0: it has one now)."""
        tokens = self._tokens(key, time.monotonic())
        return 0.0 if tokens >= 1 else (1 - tokens) * self.every_s

    def take(self, key: str) -> None:
        now = time.monotonic()
        self._buckets[key] = (self._tokens(key, now) - 1, now)
        if len(self._buckets) > self.max_keys:
            # A full bucket is the same as none: forget those first, everything only if needed.
            full = [k for k in self._buckets if self._tokens(k, now) >= self.burst]
            for k in full:
                del self._buckets[k]
            if len(self._buckets) > self.max_keys:
                self._buckets.clear()


class GuessLimiter:
    """Misses (a wrong code, an unknown number) allowed per client address and per number."""

    def __init__(self, per_client: int = 10, client_every_s: float = 60.0,
                 per_number: int = 20, number_every_s: float = 180.0) -> None:
        self.clients = TokenBuckets(per_client, client_every_s)
        self.numbers = TokenBuckets(per_number, number_every_s)

    def wait_s(self, client: str, tracking_no: str) -> float:
        return max(self.clients.wait_s(client), self.numbers.wait_s(tracking_no))

    def miss(self, client: str, tracking_no: str) -> None:
        self.clients.take(client)
        self.numbers.take(tracking_no)


_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])")
_ID_NUMBER = re.compile(r"(?<![0-9])([1-9][0-9]{5})(?:[0-9]{8}([0-9]{3}[0-9Xx])|[0-9]{5}"
                        r"([0-9]{4}))(?![0-9Xx])")


def mask_personal(text: str) -> str:
    """Mobile numbers as 138****5678 and ID numbers as 410105********1234 (15 or 18 long)."""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 10)
                          + (m.group(2) or m.group(3)), text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


def find_report(service: CentralService, tracking_no: str,
                check_code: str) -> tuple[str, dict[str, Any]] | None:
    """The report and its hall when ``check_code`` is its code; None for a wrong code and an
    unknown number alike (compared in constant time either way). Reports filed before check
    codes existed have none: only staff can open them."""
    with service.db.read() as tx:
        row = tx.one("SELECT hall_id, check_code FROM reports WHERE tracking_no = ?",
                     (tracking_no,))
    stored = row["check_code"] if row is not None else None
    if not hmac.compare_digest((stored or "no code stored").encode(), check_code.encode()):
        return None
    if row is None or not stored:
        return None
    hall = str(row["hall_id"])
    return hall, service.report(tracking_no, hall=hall)


def _date(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def view(report: dict[str, Any]) -> dict[str, Any]:
    """What the page shows of a report, in both languages: nothing else leaves the centre."""
    done = {s["step"]: _date(s["done_at"]) for s in report["steps"]}
    reached = [s for s in words.STEPS if done.get(s)]
    current = reached[-1] if reached else None
    following = next((s for s in words.STEPS if not done.get(s)), None)
    promised = _date(report["promised_date"])
    answered = current == "answered"
    answer = report.get("answer")
    zh_next, en_next = words.NEXT_STEP
    zh_promise, en_promise = words.PROMISED
    return {
        "tracking_no": report["tracking_no"],
        "step": report["status"],  # what the live feed says (central.web.report_live)
        "answered": answered,
        "now": words.NOW_WORDS.get(current or "received", words.NOW_WORDS["received"]),
        "next": (zh_next.format(step=words.STEP_WORDS[following][0]),
                 en_next.format(step=words.STEP_WORDS[following][1])) if following else None,
        "promise": (zh_promise.format(promised_date=words.date_words(promised, "zh")),
                    en_promise.format(promised_date=words.date_words(promised, "en")))
        if promised and not answered else None,
        "received": _date(report["received_at"]),
        "steps": [{"step": s, "words": words.STEP_WORDS[s], "done": done.get(s),
                   "current": s == current} for s in words.STEPS],
        "answer": mask_personal(answer) if answered and answer else None,
        "answered_on": done.get("answered"),
        "answer_words": words.ANSWER,
    }


def install(app: FastAPI, service: CentralService, run: Callable[..., Awaitable[Any]],
            problems: Callable[..., dict[int | str, dict[str, Any]]], *, feed: ReportHub,
            public_url: str | None = None, limiter: RateLimiter | None = None,
            guesses: GuessLimiter | None = None) -> None:
    """Add ``/r/{tracking_no}``, its event stream ``/r/{tracking_no}/events`` (``feed``: its
    owner starts and stops it) and ``app.state.progress_url(request, tracking_no, code)``."""
    templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                            autoescape=select_autoescape(["html"]))
    limiter = limiter or RateLimiter()
    guesses = guesses or GuessLimiter()
    app.state.report_guesses = guesses
    html = {"text/html": {"schema": {"type": "string"}}}
    pages: dict[int | str, dict[str, Any]] = {
        status: {"content": html, "description": text} for status, text in (
        (200, "The report's progress, or a form asking for the receipt's check code"),
        (404, "Wrong check code or unknown number: the same page for both"),
        (429, "Too many requests or too many wrong codes from this address or for this number "
              "(Retry-After)"))}
    pages = {**problems(), **pages}  # a malformed request still answers problem details

    def base(request: Request) -> str:
        return (public_url or str(request.base_url)).rstrip("/")

    def progress_url(request: Request, tracking_no: str, check_code: str) -> str:
        return f"{base(request)}/r/{tracking_no}?c={check_code}"

    def hall_words() -> dict[str, Any]:
        _config, cat = service.catalogue()
        return {"hall_name": cat.hall.name, "hall_name_en": cat.hall.name_en}

    def page(status: int, *, retry_after: float | None = None, **context: Any) -> HTMLResponse:
        headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                   "X-Robots-Tag": "noindex"}
        if retry_after is not None:
            headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
        return HTMLResponse(templates.get_template("report.html").render(**context),
                            status_code=status, headers=headers)

    @app.get("/r/{tracking_no}", tags=["public"], response_class=HTMLResponse, responses=pages,
             summary="A 办不成事 report's progress page (the QR code on its receipt), public",
             description="Opened with the receipt's 4-digit check code in `c`. A wrong code and "
                         "an unknown number answer the same 404 page; without `c` the page asks "
                         "for the code. Rate limited per client address like the other public "
                         "pages, and misses more tightly, per address and per number (429).")
    async def report_page(
            request: Request,
            tracking_no: Annotated[str, PathParam(max_length=40)],
            c: Annotated[str, Query(max_length=16,
                                    description="The receipt's check code")] = "") -> HTMLResponse:
        client = request.client.host if request.client else "?"
        number = tracking_no.strip().upper()
        code = c.strip()
        shown_no = number if TRACKING_NO.fullmatch(number) else ""
        context: dict[str, Any] = {"number": shown_no, "refresh_s": REFRESH_S}
        try:
            context.update(await run(hall_words))
        except Problem:  # no published config yet: the page still answers, without a name
            context.update(hall_name="政务服务中心", hall_name_en="Government Service Centre")
        if not limiter.allow(client):
            return page(429, retry_after=1, state="limited", wait_min=1, **context)
        wait = guesses.wait_s(client, number)
        if wait:
            return page(429, retry_after=wait, state="limited",
                        wait_min=max(1, math.ceil(wait / 60)), **context)
        if not code:
            return page(200, state="ask", **context)
        found = None
        if TRACKING_NO.fullmatch(number) and CHECK_CODE.fullmatch(code):
            found = await run(find_report, service, number, code)
        if found is None:
            guesses.miss(client, number)
            return page(404, state="unknown", **context)
        hall, report = found
        _config, cat = await run(service.catalogue, hall)
        return page(200, state="found", r=view(report), hall_name=cat.hall.name,
                    hall_name_en=cat.hall.name_en, director_hotline=cat.hall.director_hotline,
                    **{k: v for k, v in context.items() if k not in ("hall_name",
                                                                     "hall_name_en")})

    sse: dict[int | str, dict[str, Any]] = {
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
              "description": "Server-sent events: `status` (`{\"step\", \"answered\"}`) on "
                             "connect and at every step, `ping` every 15 s; the stream ends "
                             "once the report is answered"},
        **problems(404, 429)}

    @app.get("/r/{tracking_no}/events", tags=["public"], response_class=StreamingResponse,
             responses=sse,
             summary="Server-sent events of a report's progress page: its step, live",
             description="Guarded like the page: the receipt's check code in `c` opens it; a "
                         "wrong code and an unknown number answer the same 404 and spend the "
                         "same allowances (429 with Retry-After when they are spent).")
    async def report_events(
            request: Request,
            tracking_no: Annotated[str, PathParam(max_length=40)],
            c: Annotated[str, Query(max_length=16,
                                    description="The receipt's check code")] = ""
    ) -> StreamingResponse:
        client = request.client.host if request.client else "?"
        number = tracking_no.strip().upper()
        code = c.strip()
        if not limiter.allow(client):
            raise Problem("request.rate_limited", retry_after=1)
        wait = guesses.wait_s(client, number)
        if wait:
            raise Problem("request.rate_limited", retry_after=max(1, math.ceil(wait)))
        found = None
        if TRACKING_NO.fullmatch(number) and CHECK_CODE.fullmatch(code):
            found = await run(find_report, service, number, code)
        if found is None:
            guesses.miss(client, number)
            raise Problem("report.unknown", "No report with this number and check code")
        return StreamingResponse(feed.stream(number), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no",
                                          "Referrer-Policy": "no-referrer"})

    app.state.progress_url = progress_url
