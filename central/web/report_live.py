"""Live feed of a 办不成事 report's progress page (server-sent events).

A phone holding ``/r/{tracking_no}?c=…`` open hears at once when the desk (or the staff API)
moves the report on a step - 受理, 分类, 转办, 办结, 反馈 - on whichever instance:

* a step committed through this instance calls ``CentralService.report_listeners`` and pokes
  the report's streams here;
* on PostgreSQL the step's transaction ran ``pg_notify('central_reports', tracking_no)``, heard
  on the config listener's connection (:meth:`ChangeFeed.listen`);
* otherwise (SQLite and another process, a NOTIFY missed while reconnecting) a poll every
  ``poll_s`` reads the status of only the reports somebody is watching.

The lifecycle is :class:`central.changefeed.ChangeFeed`'s with the tracking number where the
other feeds have a hall. An event says only the step the page already shows (``status``); the
page fetches itself again to show the rest. Once the report is answered the stream ends:
there is nothing left to wait for.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from anyio import to_thread

from central.changefeed import ChangeFeed
from central.events import REPORTS_CHANNEL
from central.service import CentralService

log = logging.getLogger("central.web.report_live")
#: At most this many tracking numbers in one poll query.
POLL_CHUNK = 500


class ReportHub(ChangeFeed[str]):
    """Progress pages' feed; a report's mark is its status (it changes with every step)."""

    channel = REPORTS_CHANNEL

    def __init__(self, service: CentralService, *, poll_s: float = 1.0, ping_s: float = 15.0,
                 retry_ms: int = 10000) -> None:
        super().__init__(service.report_listeners, poll_s=poll_s, ping_s=ping_s,
                         retry_ms=retry_ms)
        self.service = service
        self._watched: tuple[str, ...] = ()

    def status(self, tracking_no: str) -> str | None:
        """The report's step ('received' … 'answered'), None when it does not exist."""
        with self.service.db.read() as tx:
            value = tx.scalar("SELECT status FROM reports WHERE tracking_no = ?",
                              (tracking_no,))
        return None if value is None else str(value)

    async def _before_poll(self) -> None:
        # On the loop: which reports have open pages (marks() runs on a worker thread).
        self._watched = tuple(no for no, queues in self._subscribers.items() if queues)
        # Nobody watches these any more: forget them, or every number ever opened stays.
        for gone in [no for no, queues in self._subscribers.items() if not queues]:
            del self._subscribers[gone]
        for gone in [no for no in self._seen if no not in self._subscribers]:
            del self._seen[gone]

    def marks(self) -> dict[str, str]:
        watched = self._watched
        out: dict[str, str] = {}
        with self.service.db.read() as tx:
            for i in range(0, len(watched), POLL_CHUNK):
                chunk = watched[i:i + POLL_CHUNK]
                marks = ", ".join("?" * len(chunk))
                for row in tx.all("SELECT tracking_no, status FROM reports "
                                  f"WHERE tracking_no IN ({marks})", chunk):
                    out[row["tracking_no"]] = row["status"]
        return out

    def _polled(self, hall: str, mark: str) -> None:
        if self._subscribers.get(hall):
            self._seen[hall] = mark

    async def refresh(self, hall: str) -> None:
        """``hall`` is the tracking number here: read its status once for all its pages."""
        if not self._subscribers.get(hall):
            return
        try:
            status = await to_thread.run_sync(self.status, hall)
        except Exception:
            log.warning("progress feed could not read a report's status", exc_info=True)
            return
        if status is None:
            return
        self._seen[hall] = status
        self._publish(hall, status)

    def stream(self, tracking_no: str) -> AsyncIterator[str]:
        """One page's events: ``status`` now and at every step; ends once answered."""
        async def body(queue: asyncio.Queue[Any]) -> AsyncIterator[str]:
            yield f"retry: {self.retry_ms}\n\n"
            status = await to_thread.run_sync(self.status, tracking_no)
            if status is None:
                return
            yield _status(status)
            while status != "answered" and not self.closed.is_set():
                fresh = await self._next(queue)
                if fresh is None:
                    yield "event: ping\ndata: {}\n\n"
                elif fresh != status:
                    status = fresh
                    yield _status(status)
        return self._subscribe(tracking_no, body)


def _status(step: str) -> str:
    data = json.dumps({"step": step, "answered": step == "answered"})
    return f"event: status\ndata: {data}\n\n"
