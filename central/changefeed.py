"""A hall's live pages hear of committed changes: the lifecycle every live feed shares.

Three ways a change reaches the feed, whichever instance of the centre made it:

* made through this instance: the change's owner calls its ``listeners`` after the commit,
  on the committing thread; the feed hops to its event loop and refreshes the hall now;
* made on another instance of a PostgreSQL database: the owner ran ``pg_notify(channel,
  hall)`` in the transaction, the :class:`central.events.EventHub` LISTENs on its one
  connection and hands the hall to :meth:`ChangeFeed.refresh` (see :meth:`listen`);
* anything else (SQLite and another process, a NOTIFY missed while reconnecting): a poll
  every ``poll_s`` of one cheap query, ``marks()`` - hall -> a mark that changes with every
  change - refreshes each hall whose mark moved and that has someone watching.

A refresh reads the change once and puts it in the queue of every stream of the hall, so a
hundred open pages cost one database read per change. Subclasses say what a mark is, how a
refresh reads, and what a stream sends (:class:`central.web.live.LiveHub` for the display
and phone pages, :class:`central.desk.helpcalls.HelpHub` for the desk's help calls).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any, Generic, TypeVar

from anyio import to_thread

log = logging.getLogger("central.changefeed")
MarkT = TypeVar("MarkT")
Body = Callable[["asyncio.Queue[Any]"], AsyncIterator[str]]


class ChangeFeed(Generic[MarkT]):
    """Listen for committed changes, poke this instance's streams, poll for the others'."""

    #: The PostgreSQL NOTIFY channel the change's owner signals on (None: the poll only).
    channel: str | None = None

    def __init__(self, listeners: list[Callable[[str], None]], *, poll_s: float = 1.0,
                 ping_s: float = 15.0, retry_ms: int = 10000) -> None:
        self.listeners = listeners  # the change owner's: called with the hall after a commit
        self.poll_s = poll_s
        self.ping_s = ping_s
        self.retry_ms = retry_ms  # EventSource reconnect delay: never faster than every 10 s
        self._subscribers: dict[str, set[asyncio.Queue[Any]]] = {}
        self._seen: dict[str, MarkT] = {}
        self._task: asyncio.Task[None] | None = None
        self._pokes: set[asyncio.Task[None]] = set()
        self.closed = asyncio.Event()

    # -- what a feed says ----------------------------------------------------------------
    def marks(self) -> dict[str, MarkT]:
        """Hall -> its current mark (runs on a worker thread, one cheap query)."""
        raise NotImplementedError

    async def refresh(self, hall: str) -> None:
        """Read the hall's change once and queue it for each of its streams."""
        raise NotImplementedError

    async def _before_poll(self) -> None:
        """Periodic work that belongs with the poll (the help calls' escalation check)."""

    def _polled(self, hall: str, mark: MarkT) -> None:
        """The poll saw ``mark`` for ``hall`` (after refreshing it, if that was due)."""

    # -- lifecycle -----------------------------------------------------------------------
    def listen(self, events: Any) -> None:
        """PostgreSQL: hear other instances' commits at once, on the EventHub's LISTEN
        connection (no second connection is held); without a channel, the poll does it."""
        if self.channel is not None:
            events.channels[self.channel] = self.refresh

    async def start(self) -> None:
        loop = asyncio.get_running_loop()

        def listener(hall: str) -> None:  # called on the thread that committed the change
            loop.call_soon_threadsafe(self.poke, hall)

        self._listener = listener
        self.listeners.append(listener)
        with contextlib.suppress(Exception):
            self._seen = await to_thread.run_sync(self.marks)
        self._task = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        self.closed.set()
        with contextlib.suppress(ValueError, AttributeError):
            self.listeners.remove(self._listener)
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
                await self._before_poll()
                latest = await to_thread.run_sync(self.marks)
            except Exception:  # a briefly unreachable database: next round
                log.debug("%s poll failed", type(self).__name__, exc_info=True)
                continue
            for hall, mark in latest.items():
                if mark != self._seen.get(hall) and self._subscribers.get(hall):
                    await self.refresh(hall)
                self._polled(hall, mark)

    # -- streams -------------------------------------------------------------------------
    def _publish(self, hall: str, item: Any) -> None:
        for queue in list(self._subscribers.get(hall, ())):
            queue.put_nowait(item)

    async def _subscribe(self, hall: str, body: Body) -> AsyncGenerator[str, None]:
        """Run one stream's ``body`` with a queue of the hall's changes, for as long as the
        page stays connected."""
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
