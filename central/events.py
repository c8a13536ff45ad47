"""Server-sent events to kiosks: "a new config version of your hall exists", with pings.

How a publish reaches every stream, whichever server the kiosk is attached to:

* PostgreSQL: ``store_bundle`` runs ``pg_notify('central_config', hall)`` in the publishing
  transaction; every server LISTENs on one pooled connection (a thread blocked in
  ``conn.notifies()``) and looks up only the hall named. A safety poll every ``resync_s``
  (and after a reconnect) catches anything missed while the listener was away.
* SQLite: one server per file, but ``central publish`` runs as another process, so the hub
  polls one cheap ``MAX(version) GROUP BY hall`` query every ``poll_s``.

Subscribers are grouped by hall; a kiosk only ever hears about its own hall.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from anyio import to_thread

log = logging.getLogger("central.events")
CONFIG_CHANNEL = "central_config"
#: A kiosk token re-keyed or revoked, or a staff token replaced (payload: the hall): every
#: instance forgets the tokens it had checked (CentralService.forget_tokens).
TOKENS_CHANNEL = "central_tokens"
#: A report moved on a step (payload: its tracking number): every instance's open progress
#: pages of that report hear of it (central.web.report_live.ReportHub).
REPORTS_CHANNEL = "central_reports"


class EventHub:
    """Subscribers of a hall get {"version", "etag"} whenever its config version changes."""

    def __init__(self, latest: Callable[[str], tuple[int, str]],
                 versions: Callable[[], dict[str, int]], *, poll_s: float = 0.5,
                 ping_s: float = 15.0, resync_s: float = 30.0, db: Any = None) -> None:
        self._latest = latest
        self._versions = versions
        self.poll_s = poll_s
        self.ping_s = ping_s
        self.resync_s = resync_s
        self._db = db
        self._subscribers: dict[str, set[asyncio.Queue[tuple[int, str]]]] = {}
        self.current: dict[str, tuple[int, str]] = {}
        self._task: asyncio.Task[None] | None = None
        self._listener: threading.Thread | None = None
        self._stop = threading.Event()
        self.closed = asyncio.Event()
        self.listening = threading.Event()  # set once LISTEN is in place (tests wait on it)
        #: Other channels heard on the same LISTEN connection: channel -> coroutine(payload),
        #: or a plain function returning None, run at once on the listener's thread
        #: (the calls feed of central.web.live), so no second connection is held for them.
        self.channels: dict[str, Callable[[str], Any]] = {}
        #: Called on the listener's thread each time LISTEN is (again) in place: whatever was
        #: notified while it was not listening was missed (the token cache starts afresh).
        self.on_listen: list[Callable[[], None]] = []

    @property
    def uses_notify(self) -> bool:
        return bool(self._db is not None and getattr(self._db, "is_postgres", False))

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        await self._refresh_all()
        if self.uses_notify:
            self._listener = threading.Thread(target=self._listen, args=(loop,),
                                              name="central-listen", daemon=True)
            self._listener.start()
            self._task = asyncio.create_task(self._poll(self.resync_s))
        else:
            self._task = asyncio.create_task(self._poll(self.poll_s))

    async def stop(self) -> None:
        self.closed.set()
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._listener is not None:
            await to_thread.run_sync(self._listener.join, 5)

    # -- change detection ----------------------------------------------------------------
    async def _refresh_all(self) -> None:
        try:
            versions = await to_thread.run_sync(self._versions)
        except Exception:  # a locked or briefly unreachable database: next round
            return
        for hall, version in versions.items():
            if self.current.get(hall, (0, ""))[0] != version:
                await self._refresh(hall)

    async def _refresh(self, hall: str) -> None:
        try:
            latest = await to_thread.run_sync(self._latest, hall)
        except Exception:
            return
        if latest != self.current.get(hall):
            self.current[hall] = latest
            for queue in list(self._subscribers.get(hall, ())):
                queue.put_nowait(latest)

    async def _poll(self, every_s: float) -> None:
        while True:
            await asyncio.sleep(every_s)
            await self._refresh_all()

    def _listen(self, loop: asyncio.AbstractEventLoop) -> None:
        """LISTEN on one pooled connection; each NOTIFY names the hall to look up."""
        while not self._stop.is_set():
            conn = None
            try:
                conn = self._db.borrow()  # pooled connections are in autocommit mode
                conn.execute(f"LISTEN {CONFIG_CHANNEL}")
                for channel in self.channels:
                    conn.execute(f"LISTEN {channel}")
                for hook in self.on_listen:
                    hook()
                self.listening.set()
                # Anything published while we were not listening:
                asyncio.run_coroutine_threadsafe(self._refresh_all(), loop)
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=1.0):
                        handler = self.channels.get(note.channel)
                        work = handler(note.payload) if handler else self._refresh(note.payload)
                        if work is not None:  # a handler may finish its work right here
                            asyncio.run_coroutine_threadsafe(work, loop)
            except Exception as exc:  # server restart, network: listen again shortly
                if not self._stop.is_set():
                    log.warning("config listener lost its connection (%s); retrying",
                                type(exc).__name__)
                    self._stop.wait(1.0)
            finally:
                self.listening.clear()
                if conn is not None:
                    with contextlib.suppress(Exception):
                        conn.execute("UNLISTEN *")
                    with contextlib.suppress(Exception):
                        self._db.give_back(conn)

    # -- streams -------------------------------------------------------------------------
    async def stream(self, hall: str) -> AsyncIterator[str]:
        """One kiosk's SSE text: its hall's version at once, then changes and pings."""
        queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
        self._subscribers.setdefault(hall, set()).add(queue)
        try:
            yield "retry: 3000\n\n"
            yield _config_event(*self.current.get(hall, (0, "")))
            while not self.closed.is_set():
                try:
                    version, etag = await asyncio.wait_for(queue.get(), timeout=self.ping_s)
                except TimeoutError:
                    yield ": ping\n\n"
                    continue
                yield _config_event(version, etag)
        finally:
            self._subscribers.get(hall, set()).discard(queue)


def _config_event(version: int, etag: str) -> str:
    data = json.dumps({"version": version, "etag": etag})
    return f"event: config\nid: {version}\ndata: {data}\n\n"
