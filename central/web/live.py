"""Live feed of calls to the hall displays and phone pages (server-sent events).

A change made through this instance pokes its hall at once; a poll of one cheap query
(``Calling.last_seqs``, every ``poll_s``) catches changes made by other instances or
processes. Each change is read once (new events + a snapshot of who waits where) and fanned
out to every subscriber of the hall, so 300 phone pages cost one database read per change.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from anyio import to_thread

from central.calling import Calling, Snapshot

log = logging.getLogger("central.live")
FINAL = ("served", "no_show", "expired")


class LiveHub:
    def __init__(self, calling: Calling, *, poll_s: float = 1.0, ping_s: float = 15.0,
                 retry_ms: int = 10000) -> None:
        self.calling = calling
        self.poll_s = poll_s
        self.ping_s = ping_s
        self.retry_ms = retry_ms  # EventSource reconnect delay: never faster than every 10 s
        self._subscribers: dict[str, set[asyncio.Queue[tuple[list[dict[str, Any]], Snapshot]]]] = {}
        self._seen: dict[str, tuple[str, int]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._task: asyncio.Task[None] | None = None
        self._pokes: set[asyncio.Task[None]] = set()
        self.closed = asyncio.Event()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()

        def listener(hall: str) -> None:  # called on the thread that committed the change
            loop.call_soon_threadsafe(self.poke, hall)

        self._listener = listener
        self.calling.listeners.append(listener)
        with contextlib.suppress(Exception):
            self._seen = await to_thread.run_sync(self.calling.last_seqs)
        self._task = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        self.closed.set()
        with contextlib.suppress(ValueError, AttributeError):
            self.calling.listeners.remove(self._listener)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def poke(self, hall: str) -> None:
        """A change was just committed here: tell the hall's pages now, not at the next poll."""
        task = asyncio.get_running_loop().create_task(self.refresh(hall))
        self._pokes.add(task)
        task.add_done_callback(self._pokes.discard)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_s)
            try:
                latest = await to_thread.run_sync(self.calling.last_seqs)
            except Exception:  # a briefly unreachable database: next round
                continue
            for hall, mark in latest.items():
                if mark != self._seen.get(hall) and self._subscribers.get(hall):
                    await self.refresh(hall)

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
            for queue in list(self._subscribers.get(hall, ())):
                queue.put_nowait((events, snapshot))

    async def _subscribe(self, hall: str, body: Callable[[asyncio.Queue[Any]],
                                                       AsyncIterator[str]]) -> AsyncIterator[str]:
        queue: asyncio.Queue[Any] = asyncio.Queue()
        self._subscribers.setdefault(hall, set()).add(queue)
        try:
            async for chunk in body(queue):
                yield chunk
        finally:
            self._subscribers.get(hall, set()).discard(queue)

    async def _next(self, queue: asyncio.Queue[Any]) -> Any:
        """The next change, or None after ``ping_s`` of quiet (the caller sends a ping)."""
        try:
            return await asyncio.wait_for(queue.get(), timeout=self.ping_s)
        except TimeoutError:
            return None

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
