"""Live feed of calls to the hall displays and phone pages (server-sent events).

A change made through this instance pokes its hall at once; other instances' calls arrive by
NOTIFY on PostgreSQL (``central_calls``) and by a poll of one cheap query (``Calling.last_seqs``,
every ``poll_s``) - the lifecycle of :class:`central.changefeed.ChangeFeed`. Each change is
read once (new events + a snapshot of who waits where) and fanned out to every subscriber of
the hall, so 300 phone pages cost one database read per change.

Nobody calls when an early appointment's slot starts, yet it moves up then (see
:mod:`central.calling`): a slot timer reads the next such start from the database
(:meth:`Calling.next_slot_starts`), sleeps until it (re-reading at least every
``slot_check_s``, and after every change of a hall) and refreshes the watched halls whose slot
started, so open phone pages show the new "people ahead" at that moment. Issuing a ticket
does not reach the feed; a phone page opening does (as it does after a check-in, when the QR
code is scanned), and otherwise the re-read every ``slot_check_s`` bounds the delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
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
                 retry_ms: int = 10000, slot_check_s: float = 60.0) -> None:
        super().__init__(calling.listeners, poll_s=poll_s, ping_s=ping_s, retry_ms=retry_ms)
        self.calling = calling
        self.slot_check_s = slot_check_s
        self._locks: dict[str, asyncio.Lock] = {}
        self._rearm = asyncio.Event()
        self._slot_task: asyncio.Task[None] | None = None

    def marks(self) -> dict[str, tuple[str, int]]:
        return self.calling.last_seqs()

    async def start(self) -> None:
        await super().start()
        self._slot_task = asyncio.create_task(self._slot_timer())

    async def stop(self) -> None:
        if self._slot_task is not None:
            self._slot_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._slot_task
        await super().stop()

    async def _slot_timer(self) -> None:
        """Refresh a watched hall when one of its early appointments' slot starts."""
        due: dict[str, dt.datetime] = {}
        while not self.closed.is_set():
            now = self.calling.service.now()
            for hall in [h for h, at in due.items() if at <= now]:
                del due[hall]
                if self._subscribers.get(hall):
                    await self.refresh(hall, slot_started=True)
            try:
                due = await to_thread.run_sync(self.calling.next_slot_starts)
            except Exception:  # a briefly unreachable database: try again at the next check
                log.debug("slot timer could not read the slots", exc_info=True)
                due = {}
            now = self.calling.service.now()
            wait = min([self.slot_check_s, *((at - now).total_seconds() for at in due.values())])
            self._rearm.clear()
            with contextlib.suppress(TimeoutError):
                # a little past the start, so the hall's order has changed when it is read
                await asyncio.wait_for(self._rearm.wait(), timeout=max(wait, 0.0) + 0.05)

    async def refresh(self, hall: str, *, slot_started: bool = False) -> None:
        """Publish the hall's new events; ``slot_started``: publish a fresh snapshot even
        without events (an appointment moved up at its slot's start)."""
        self._rearm.set()  # a change may have checked in, called or dropped a slot: re-read
        lock = self._locks.setdefault(hall, asyncio.Lock())
        async with lock:
            today = self.calling._today()
            day, seq = self._seen.get(hall, (today, 0))
            if day != today:
                day, seq = today, 0
            try:
                events = await to_thread.run_sync(self.calling.events_after, hall, day, seq)
                if not events and not slot_started:
                    return
                snapshot = await to_thread.run_sync(self.calling.snapshot, hall)
            except Exception:
                log.warning("live feed of hall %s could not read the calls", hall, exc_info=True)
                return
            if events:
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
            self._rearm.set()  # a page opened after a check-in (its QR code): re-read the slots
            status = await to_thread.run_sync(self.calling.ticket, hall, ticket_id)
            yield _event("status", status)
            while not self.closed.is_set():
                item = await self._next(queue)
                if item is None:
                    yield "event: ping\ndata: {}\n\n"
                    continue
                events, snapshot = item
                if (any(e["ticket_id"] == ticket_id for e in events)
                        or status.get("slot_state") == "early"):  # it may have moved up
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
