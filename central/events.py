"""Server-sent events to kiosks: "a new config version exists", with keep-alive pings.

A watcher polls the database for a new config version twice a second (so `central publish`
run from another process, or another server sharing a PostgreSQL database, still reaches every
connected kiosk) and fans the news out to one queue per open stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable

from anyio import to_thread


class EventHub:
    """Subscribers get {"version", "etag"} whenever the latest config version changes."""

    def __init__(self, latest: Callable[[], tuple[int, str]], *, poll_s: float = 0.5,
                 ping_s: float = 15.0) -> None:
        self._latest = latest
        self.poll_s = poll_s
        self.ping_s = ping_s
        self._subscribers: set[asyncio.Queue[tuple[int, str]]] = set()
        self._task: asyncio.Task[None] | None = None
        self.current: tuple[int, str] = (0, "")
        self.closed = asyncio.Event()

    async def start(self) -> None:
        self.current = await to_thread.run_sync(self._latest)
        self._task = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        self.closed.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.poll_s)
            try:
                latest = await to_thread.run_sync(self._latest)
            except Exception:  # a locked or briefly unreachable database: try again
                continue
            if latest != self.current:
                self.current = latest
                for queue in list(self._subscribers):
                    queue.put_nowait(latest)

    async def stream(self) -> AsyncIterator[str]:
        """One kiosk's SSE text: the current version at once, then changes and pings."""
        queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
        self._subscribers.add(queue)
        try:
            yield "retry: 3000\n\n"
            yield _config_event(*self.current)
            while not self.closed.is_set():
                try:
                    version, etag = await asyncio.wait_for(queue.get(), timeout=self.ping_s)
                except TimeoutError:
                    yield ": ping\n\n"
                    continue
                yield _config_event(version, etag)
        finally:
            self._subscribers.discard(queue)


def _config_event(version: int, etag: str) -> str:
    data = json.dumps({"version": version, "etag": etag})
    return f"event: config\nid: {version}\ndata: {data}\n\n"
