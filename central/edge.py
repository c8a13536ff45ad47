"""The centre's edge: what a request must get past before the app spends memory or time on it.

Two layers, both tested against the real server (tests/central/test_central_edge.py):

* :class:`GuardedHttpToolsProtocol` wraps uvicorn's HTTP protocol. uvicorn has a keep-alive
  timeout but none for a request's headers, so a client that connects and sends half a request
  line holds its connection (and a file descriptor) forever; here the headers must be complete
  within ``header_timeout_s`` and ``max_header_bytes``, else the answer is 408 / 431 and the
  connection is closed.
* :class:`EdgeGuard`, a pure ASGI middleware in front of FastAPI: the bearer token is checked
  from the headers and a 401 goes out before one byte of the body is read; the body is limited
  per endpoint (a declared Content-Length over the limit is refused at once, a chunked body is
  counted while it streams in) with 413, must arrive within ``body_timeout_s`` (408), and at
  most ``max_in_flight`` requests run at once (503 with Retry-After; event streams, which last
  for hours, are not counted).

uvicorn's own ``limit_concurrency`` (connections plus tasks, 503 beyond) and
``timeout_keep_alive`` are set from the same :class:`EdgeSettings`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from central.problems import MEDIA_TYPE, Problem

log = logging.getLogger("central.edge")

KiB = 1024
#: Largest body per endpoint (bytes, as sent: JSON escapes a hanzi as 6 bytes). A ticket request
#: is a matter id and a hash; a heartbeat about 1 KB, at most ~7.5 KB with every text field
#: full of hanzi (HeartbeatRequest's bounds); a report at most 2,000 characters of description.
#: Every other endpoint (evaluations, staff steps) gets ``default_body_limit``.
BODY_LIMITS: Mapping[str, int] = MappingProxyType({
    "/v1/tickets": 1 * KiB,
    "/v1/help-calls": 4 * KiB,
    "/v1/heartbeats": 12 * KiB,
    "/v1/reports": 16 * KiB,
})


@dataclass(frozen=True)
class EdgeSettings:
    """Limits at the edge; ``central serve`` exposes each one (README: "The edge")."""

    header_timeout_s: float = 10.0  # request line + headers complete within this
    body_timeout_s: float = 15.0  # the whole body within this, once the headers are in
    keep_alive_s: float = 5.0  # idle keep-alive connections closed after this (uvicorn)
    max_header_bytes: int = 16 * KiB
    max_in_flight: int = 256  # requests being handled at once (not counting event streams)
    limit_concurrency: int = 4096  # connections + tasks before uvicorn answers 503
    body_limits: Mapping[str, int] = field(default_factory=lambda: BODY_LIMITS)
    default_body_limit: int = 16 * KiB

    def body_limit(self, path: str) -> int:
        return self.body_limits.get(path.rstrip("/"), self.default_body_limit)


Authenticate = Callable[[str | None], Awaitable[tuple[str, str | None, str]]]


def _header(scope: Mapping[str, Any], name: bytes) -> bytes | None:
    headers: Iterable[tuple[bytes, bytes]] = scope.get("headers", ())
    for key, value in headers:
        if key == name:
            return value
    return None


def _bearer(scope: Mapping[str, Any]) -> str | None:
    value = _header(scope, b"authorization")
    if not value:
        return None
    scheme, _, token = value.decode("latin-1").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class EdgeGuard:
    """Pure ASGI middleware: authenticate /v1 calls, then limit size, time and concurrency of
    every request."""

    def __init__(self, app: ASGIApp, *, authenticate: Authenticate,
                 settings: EdgeSettings | None = None) -> None:
        self.app = app
        self.authenticate = authenticate
        self.settings = settings or EdgeSettings()
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        length_header = _header(scope, b"content-length")
        chunked = (_header(scope, b"transfer-encoding") or b"").lower() == b"chunked"
        has_body = chunked or (length_header not in (None, b"0"))
        if path.startswith("/v1/"):  # everything but the published contract needs a token
            try:
                who = await self.authenticate(_bearer(scope))
            except Problem as problem:
                await _answer(send, problem, path, close=has_body)
                return
            scope.setdefault("state", {})["principal"] = who
        limit = self.settings.body_limit(path)
        if length_header is not None:
            try:
                declared = int(length_header)
            except ValueError:
                await _answer(send, Problem("request.invalid", "Content-Length is not a number"),
                              path, close=True)
                return
            if declared > limit:
                await _answer(send, Problem("request.too_large", _too_large(limit)), path,
                              close=True)
                return
        streaming = path.endswith("/events")
        if not streaming and self.in_flight >= self.settings.max_in_flight:
            await _answer(send, Problem("server.busy"), path, close=has_body,
                          headers=[(b"retry-after", b"1")])
            return
        self.in_flight += 0 if streaming else 1
        try:
            await self._guarded(scope, receive, send, limit, has_body)
        finally:
            self.in_flight -= 0 if streaming else 1

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, limit: int,
                       has_body: bool) -> None:
        """Run the app with a receive that counts and times the body, and a send that stays
        quiet once the edge has answered for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.body_timeout_s
        state = {"received": 0, "body_done": not has_body, "answered": False, "started": False}
        path = scope["path"]

        async def refuse(problem: Problem) -> Message:
            if not state["started"] and not state["answered"]:
                state["answered"] = True
                await _answer(send, problem, path, close=True)
            state["answered"] = True
            return {"type": "http.disconnect"}

        async def guarded_receive() -> Message:
            if state["answered"]:
                return {"type": "http.disconnect"}
            if state["body_done"]:  # waiting for a disconnect (event streams): no deadline
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                return await refuse(Problem("request.timeout"))
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    return await refuse(Problem("request.too_large", _too_large(limit)))
                if not message.get("more_body", False):
                    state["body_done"] = True
            return message

        async def guarded_send(message: Message) -> None:
            if state["answered"]:
                return  # the edge already answered 408/413; the app's late words are dropped
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        await self.app(scope, guarded_receive, guarded_send)


def _too_large(limit: int) -> str:
    return f"the body of this call may be at most {limit} bytes"


async def _answer(send: Send, problem: Problem, path: str, *, close: bool,
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Problem JSON straight from the edge; ``close`` when a body may still be on its way, so
    uvicorn drops the connection instead of reading what nobody wants."""
    body = json.dumps(problem.to_dict(path), ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode()),
           *(headers or [])]
    if problem.status == 401:
        raw.append((b"www-authenticate", b"Bearer"))
    if close:
        raw.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": problem.status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


# -- the header timeout ----------------------------------------------------------------------
class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size limit for request headers.

    The clock starts when the connection is made and again at the first byte of each later
    request on a keep-alive connection (the idle time between requests is uvicorn's keep-alive
    timeout); it stops when the headers are complete. Use :func:`guarded_protocol` to set the
    limits.
    """

    header_timeout_s = EdgeSettings.header_timeout_s
    max_header_bytes = EdgeSettings.max_header_bytes

    # uvicorn's HttpToolsProtocol narrows asyncio's BaseTransport to Transport the same way.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._awaiting_headers = True
        self._header_bytes = 0
        self._header_timer: asyncio.TimerHandle | None = None
        self._arm_header_timer()

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout_s,
                                                      self._on_header_timeout)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def data_received(self, data: bytes) -> None:
        if self._awaiting_headers:
            self._header_bytes += len(data)
        super().data_received(data)
        if (self._awaiting_headers and self._header_bytes > self.max_header_bytes
                and not self.transport.is_closing()):
            self._refuse(431, b"Request Header Fields Too Large")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._awaiting_headers = True
        self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._awaiting_headers = False
        self._header_bytes = 0
        self._disarm_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _on_header_timeout(self) -> None:
        self._header_timer = None
        if self._awaiting_headers and not self.transport.is_closing():
            self._refuse(408, b"Request Timeout")

    def _refuse(self, status: int, phrase: bytes) -> None:
        """Answer and close, unless a response is still being written on this connection."""
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False  # finish that response, then the connection ends
            return
        self.transport.write(b"HTTP/1.1 %d %s\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
                             % (status, phrase))
        self.transport.close()


def guarded_protocol(settings: EdgeSettings) -> type[GuardedHttpToolsProtocol]:
    """The protocol class for ``uvicorn.Config(http=...)`` with these limits."""
    return type("EdgeHttpProtocol", (GuardedHttpToolsProtocol,),
                {"header_timeout_s": settings.header_timeout_s,
                 "max_header_bytes": settings.max_header_bytes})


def uvicorn_options(settings: EdgeSettings) -> dict[str, Any]:
    """The uvicorn.Config keyword arguments that carry these limits."""
    return {"http": guarded_protocol(settings), "timeout_keep_alive": settings.keep_alive_s,
            "limit_concurrency": settings.limit_concurrency}


def raise_open_file_limit(wanted: int) -> int:
    """Lift this process's soft RLIMIT_NOFILE towards ``wanted`` (at most the hard limit):
    every connection is a file descriptor, and the usual soft limit of 1,024 is reached by a
    thousand idle clients long before memory or CPU. Returns the soft limit now in force."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft
