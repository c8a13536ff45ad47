"""Public pages of the hall: the display board and the phone page behind a ticket's QR code.

No token: nothing personal is on them (number, matter, window, people ahead). A phone page is
found only by the ticket's unguessable 128-bit id. Every path is rate limited per client
address (a hall's Wi-Fi puts many phones behind one address, so the bucket is generous).

Public paths: ``/display``, ``/display/events``, ``/display/audio/{number}/{window}.wav``,
``/t/{ticket_id}``, ``/t/{ticket_id}/status``, ``/t/{ticket_id}/events``, ``/web/static/*``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from central.calling import Calling
from central.problems import Problem
from central.web.live import LiveHub
from central.web.speech import NUMBER_PATTERN, WINDOW_PATTERN, AnnouncementCache, SpeechError

HERE = Path(__file__).parent
TicketId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$")]
HallId = Annotated[str, Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


class RateLimiter:
    """Token bucket per client address: ``burst`` requests, refilled at ``per_s``."""

    def __init__(self, burst: int = 120, per_s: float = 10.0) -> None:
        self.burst = burst
        self.per_s = per_s
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        tokens, at = self._buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.per_s)
        if len(self._buckets) > 50_000:  # forget idle clients rather than grow without end
            self._buckets.clear()
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            return False
        self._buckets[client] = (tokens - 1, now)
        return True


def install(app: FastAPI, calling: Calling, live: LiveHub, run: Callable[..., Awaitable[Any]],
            problems: Callable[..., dict[int | str, dict[str, Any]]], *,
            public_url: str | None = None, limiter: RateLimiter | None = None,
            audio: AnnouncementCache | None = None) -> None:
    templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                            autoescape=select_autoescape(["html"]))
    limiter = limiter or RateLimiter()
    audio = audio or AnnouncementCache()
    app.state.announcements = audio
    # Every call's announcement is made as the call is committed (on the cache's own thread),
    # so the display's request for it a moment later is a cache hit.
    calling.announcers.append(audio.prepare)
    app.state.public_limiter = limiter
    app.state.audio_requests = []  # (monotonic time, path): what displays asked to play
    app.mount("/web/static", StaticFiles(directory=HERE / "static"), name="web-static")
    html = {200: {"content": {"text/html": {"schema": {"type": "string"}}},
                  "description": "An HTML page"}, **problems(404, 429)}
    sse = {200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
                 "description": "Server-sent events with an `event: ping` every 15 s"},
           **problems(404, 429)}

    def limited(request: Request) -> None:
        client = request.client.host if request.client else "?"
        if not limiter.allow(client):
            raise Problem("request.rate_limited")

    Limited = Depends(limited)

    def base(request: Request) -> str:
        return (public_url or str(request.base_url)).rstrip("/")

    def audio_url(number: str, window: str) -> str:
        return f"/display/audio/{number}/{window}.wav"

    async def hall_of(ticket_id: str) -> str:
        hall: str | None = await run(calling.ticket_hall, ticket_id)
        if hall is None:
            raise Problem("ticket.unknown")
        return hall

    async def known_hall(hall: str) -> dict[str, Any]:
        """The hall's published config; a hall that never published is 404, not 503."""
        if await run(calling.service.latest_config_version, hall) == 0:
            raise Problem("hall.unknown")
        config: dict[str, Any]
        config, _cat = await run(calling.service.catalogue, hall)
        return config

    def page(name: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**context),
                            headers={"Cache-Control": "no-cache"})

    def stream(body: Any) -> StreamingResponse:
        return StreamingResponse(body, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @app.get("/display", tags=["public"], response_class=HTMLResponse, responses=html,
             summary="The hall's call display (1920×1080 or portrait 1080×1920), public",
             dependencies=[Limited])
    async def display(hall: HallId = "default") -> HTMLResponse:
        config = await known_hall(hall)
        return page("display.html", hall=hall, hall_name=config["hall"]["name"],
                    hall_name_en=config["hall"]["name_en"])

    @app.get("/display/events", tags=["public"], response_class=StreamingResponse,
             responses=sse, dependencies=[Limited],
             summary="Server-sent events: `recent` on connect, then `call` for every call, "
                     "recall and transfer to a window")
    async def display_events(hall: HallId = "default") -> StreamingResponse:
        await known_hall(hall)
        return stream(live.display_stream(hall, audio_url))

    @app.get("/display/audio/{number}/{window}.wav", tags=["public"],
             response_class=FileResponse, dependencies=[Limited],
             summary="Chime and the spoken call in Mandarin, e.g. 请 A012 号到 21 号窗口",
             responses={200: {"content": {"audio/wav": {"schema": {"type": "string",
                                                                    "format": "binary"}}},
                              "description": "16-bit mono WAV"}, **problems(404, 429)})
    async def announcement(request: Request,
                           number: Annotated[str, PathParam(pattern=NUMBER_PATTERN)],
                           window: Annotated[str, PathParam(pattern=WINDOW_PATTERN)]
                           ) -> FileResponse:
        app.state.audio_requests.append((time.monotonic(), request.url.path))
        del app.state.audio_requests[:-100]
        from anyio import to_thread

        try:
            path = await to_thread.run_sync(audio.path_for, number, window)
        except SpeechError as exc:
            raise Problem("server.unavailable", str(exc)) from None
        return FileResponse(path, media_type="audio/wav",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/t/{ticket_id}", tags=["public"], response_class=HTMLResponse, responses=html,
             summary="A ticket's phone page (the QR code on the ticket), public",
             dependencies=[Limited])
    async def ticket_page(request: Request, ticket_id: TicketId) -> HTMLResponse:
        hall = await hall_of(ticket_id)
        status = await run(calling.ticket, hall, ticket_id)
        config, _cat = await run(calling.service.catalogue, hall)
        return page("ticket.html", t=status, hall_name=config["hall"]["name"],
                    hall_name_en=config["hall"]["name_en"],
                    self_url=f"{base(request)}/t/{ticket_id}")

    @app.get("/t/{ticket_id}/events", tags=["public"], response_class=StreamingResponse,
             responses=sse, dependencies=[Limited],
             summary="Server-sent events: `status` of the ticket on connect and on change")
    async def ticket_events(ticket_id: TicketId) -> StreamingResponse:
        hall = await hall_of(ticket_id)
        return stream(live.ticket_stream(hall, ticket_id))

    app.state.track_url = lambda request, ticket_id: f"{base(request)}/t/{ticket_id}"
