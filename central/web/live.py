"""Live feed of calls to the hall displays and phone pages (server-sent events).

A change made through this instance pokes its hall at once; other instances' calls arrive by
NOTIFY on PostgreSQL (``central_calls``) and by a poll of one cheap query (``Calling.last_seqs``,
every ``poll_s``) - the lifecycle of :class:`central.changefeed.ChangeFeed`. Each change is
read once (new events + a snapshot of who waits where) and fanned out to every subscriber of
the hall, so 300 phone pages cost one database read per change.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from anyio import to_thread

from central.calling import CALLS_CHANNEL, Calling
from central.changefeed import ChangeFeed

log = logging.getLogger("central.live")
FINAL = ("served", "no_show", "expired")


class LiveHub(ChangeFeed[tuple[str, int]]):
    """The display and phone pages' feed; a hall's mark is its (day, seq) of calls."""

    channel = CALLS_CHANNEL

    def __init__(self, calling: Calling, *, poll_s: float = 1.0, ping_s: float = 15.0,
                 retry_ms: int = 10000) -> None:
        super().__init__(calling.listeners, poll_s=poll_s, ping_s=ping_s, retry_ms=retry_ms)
        self.calling = calling
        self._locks: dict[str, asyncio.Lock] = {}

    def marks(self) -> dict[str, tuple[str, int]]:
        return self.calling.last_seqs()

    async def refresh(self, hall: str) -> None:
        lock = self._locks.setdefault(hall, asyncio.Lock())
        async with lock:
            today = self.calling._today()
            day, seq = self._seen.get(hall, (today, 0))
            if day != today:
                day, seq = today, 0
            try:
                events = await to_thread.run_sync(self.calling.events_after, hall, day, seq)
                if not events:
                    return
                snapshot = await to_thread.run_sync(self.calling.snapshot, hall)
            except Exception:
                log.warning("live feed of hall %s could not read the calls", hall, exc_info=True)
                return
            self._seen[hall] = (day, events[-1]["seq"])
            self._publish(hall, (events, snapshot))

    # -- the display -------------------------------------------------------------------
    def display_stream(self, hall: str, audio_url: Callable[[str, str], str]
                       ) -> AsyncIterator[str]:
        async def body(queue: asyncio.Queue[Any]) -> AsyncIterator[str]:
            yield f"retry: {self.retry_ms}\n\n"
            recent = await to_thread.run_sync(self.calling.recent_calls, hall)
            yield _event("recent", {"calls": recent})
            while not self.closed.is_set():
                item = await self._next(queue)
                if item is None:
                    yield "event: ping\ndata: {}\n\n"
                    continue
                events, _snapshot = item
                for event in events:
                    if self.calling.is_announced(event):
                        call = self.calling._call_out(hall, event)
                        call["audio_url"] = audio_url(call["number"], call["window"])
                        yield _event("call", call, event_id=event["seq"])
        return self._subscribe(hall, body)

    # -- a phone page ------------------------------------------------------------------
    def ticket_stream(self, hall: str, ticket_id: str) -> AsyncIterator[str]:
        async def body(queue: asyncio.Queue[Any]) -> AsyncIterator[str]:
            yield f"retry: {self.retry_ms}\n\n"
            status = await to_thread.run_sync(self.calling.ticket, hall, ticket_id)
            yield _event("status", status)
            while not self.closed.is_set():
                item = await self._next(queue)
                if item is None:
                    yield "event: ping\ndata: {}\n\n"
                    continue
                events, snapshot = item
                if any(e["ticket_id"] == ticket_id for e in events):
                    fresh = await to_thread.run_sync(self.calling.ticket, hall, ticket_id)
                elif status["status"] == "waiting" and ticket_id in snapshot.ahead:
                    fresh = {**status, "ahead": snapshot.ahead[ticket_id][1],
                             "estimated_wait_s": snapshot.estimate_s(ticket_id)}
                else:
                    continue
                if fresh != status:
                    status = fresh
                    yield _event("status", status)
        return self._subscribe(hall, body)


def _event(name: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"event: {name}\n" + (f"id: {event_id}\n" if event_id is not None else "")
    return head + f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
