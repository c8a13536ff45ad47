"""Carries out the flows' effects with the services, off the GUI thread, answering on it.

A flow says *what* to do (take a ticket, print, put a report in the outbox); this runner does
it without ever blocking the GUI thread: centre calls run on the kiosk's ``central-io`` worker,
outbox commits on ``local-io`` (a help call must not wait behind a ticket request hanging on a
slow centre), printer work goes to the printer service's own worker (kiosk/services/workers.py
has the thread policy). Whether a stored report or help call reached the centre is learnt from
the outbox's ``on_sent`` / ``on_failed`` / ``on_retry`` callbacks, not by polling. Every answer
comes back through a queued signal as a plain ``Outcome`` and is handed to the caller's
callback on the thread that owns the runner.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

if TYPE_CHECKING:
    from drivers.printer.status import PrinterStatus
    from kiosk.services.central import CentralClient
    from kiosk.services.outbox import Outbox, OutboxItem
    from kiosk.services.printer import PrinterService

log = logging.getLogger("kiosk.services.effects")


@dataclass(frozen=True)
class Outcome:
    """The answer to one effect: a value, or a reason key the screen can explain."""

    ok: bool
    value: Any = None
    reason_key: str = ""
    offline: bool = False  # the centre did not answer at all
    rejected: bool = False  # the centre said no (4xx); ``reason_key`` is its reason
    come_back_at: dt.datetime | None = field(default=None, compare=False)


Callback = Callable[[Outcome], None]


@dataclass(frozen=True)
class ReportDelivery:
    """Where a report stands after ``submit_report``: registered, or queued in the outbox."""

    outbox_id: str
    tracking_no: str = ""
    promised_date: dt.date | None = None
    tracking_url: str = ""
    check_code: str = ""

    @property
    def local_ref(self) -> str:
        """Short reference printed on an offline receipt; staff map it to the outbox item."""
        return self.outbox_id[:8].upper()


class OutboxRefused(Exception):
    """The centre refused an outbox item for good (kept as failed for staff)."""


@dataclass
class _Waiter:
    """A stored report or help call whose first delivery attempt the citizen waits for."""

    done: Callback
    finish: Callable[[Any], Any]  # the settled OutboxItem -> the value the flow gets
    wait_s: float
    stored: Any = None  # the OutboxItem once committed (None until then)
    heard: Any = None  # what the outbox said about it, if that came before the commit's answer


def _settled(item: Any) -> bool:
    """Answered, refused, or tried once and the centre could not be reached."""
    return item.status in ("sent", "failed") or item.attempts > 0


class EffectRunner(QObject):
    """Runs blocking service calls on the kiosk's workers and calls back on the GUI thread.

    The owner points the outbox's ``on_sent``, ``on_failed`` and ``on_retry`` at
    ``outbox_event``; ``central_io`` and ``local_io`` are the kiosk's two workers.
    """

    _answer = Signal(object, object)  # callback, Outcome
    _outboxEvent = Signal(object)  # OutboxItem, from the outbox's sender thread

    def __init__(self, central: CentralClient, outbox: Outbox, printer: PrinterService | None,
                 *, central_io: Executor, local_io: Executor,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.central = central
        self.outbox = outbox
        self.printer = printer
        self._central_io = central_io
        self._local_io = local_io
        self._answer.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._outboxEvent.connect(self._on_outbox_event, Qt.ConnectionType.QueuedConnection)
        self._status_waiters: list[Callback] = []
        self._jobs: dict[str, tuple[Callback, None]] = {}
        self._waiters: dict[str, _Waiter] = {}
        self._ids = itertools.count(1)
        self._closed = False
        if printer is not None:
            printer.statusChanged.connect(self._on_status)
            printer.jobFinished.connect(self._on_job)

    # ------------------------------------------------------------------ generic
    def run(self, work: Callable[[], object], done: Callback, *,
            pool: Executor | None = None) -> None:
        """Run ``work`` on ``pool`` (default: central-io); ``done`` gets an Outcome on the GUI
        thread."""
        if self._closed:
            return

        def job() -> None:
            try:
                outcome = Outcome(True, work())
            except Exception as exc:  # every failure becomes words for the screen
                outcome = failure(exc)
            self._answer.emit(done, outcome)

        try:
            (pool or self._central_io).submit(job)
        except RuntimeError:  # the worker was shut down: the app is closing
            log.info("effect dropped: the kiosk is shutting down")

    @Slot(object, object)
    def _deliver(self, done: Callback, outcome: Outcome) -> None:
        if self._closed:
            return
        try:
            done(outcome)
        except Exception:  # a bridge bug must not kill the event loop
            log.exception("effect callback failed")

    # ------------------------------------------------------------------ centre
    def take_ticket(self, matter_id: str, *, idempotency_key: str, priority: str | None,
                    appointment_code: str | None, id_hash: str | None, done: Callback) -> None:
        self.run(lambda: self.central.take_ticket(
            matter_id, idempotency_key=idempotency_key, priority=priority,
            appointment_code=appointment_code, id_hash=id_hash), done)

    def report_status(self, tracking_no: str, done: Callback, check_code: str | None = None
                      ) -> None:
        self.run(lambda: self.central.report_status(tracking_no, check_code), done)

    def reports_by_card(self, id_hash: str, done: Callback) -> None:
        self.run(lambda: self.central.reports_by_card(id_hash), done)

    def find_local_report(self, local_ref: str, done: Callback) -> None:
        """The outbox item behind an offline receipt's local number (None: no such report)."""
        self.run(lambda: self.outbox.find_report(local_ref), done, pool=self._local_io)

    # ------------------------------------------------------------------ outbox
    def put(self, kind: str, body: Mapping[str, Any], done: Callback, *,
            idempotency_key: str | None = None) -> None:
        """Commit to the durable outbox (fsync) on the worker; the value is the OutboxItem."""
        self.run(lambda: self._store(kind, dict(body), idempotency_key), done,
                 pool=self._local_io)

    def _store(self, kind: str, body: dict[str, Any], key: str | None) -> OutboxItem:
        """The outbox item; when the disk cannot take it, the centre's answer sent directly.

        A full disk must not swallow what the citizen submitted: if the commit fails, the item
        goes to the centre at once (same idempotency key, so a retry never makes two); if that
        fails too, the citizen is told it was NOT saved (``outbox.disk_error``).
        """
        from kiosk.services.central import CentralError
        from kiosk.services.outbox import OutboxError, OutboxItem

        try:
            return self.outbox.put(kind, body, item_id=key)
        except OutboxError as error:
            if error.reason != "outbox.disk_error" or self._closed:
                raise
            key = key or uuid.uuid4().hex
            try:  # straight from here: the kiosk's one HTTP session is shared by its threads
                result = self.central.post_outbox_item(kind, body, key)
            except CentralError as direct:
                log.error("outbox full and the centre unreachable: %s NOT saved (%s)",
                          kind, direct)
                raise error from None
            log.warning("outbox could not store a %s; delivered directly instead", kind)
            return OutboxItem(key, kind, body, "sent", 1, time.time(), None, result)

    def _store_and_wait(self, kind: str, body: dict[str, Any], key: str | None, wait_s: float,
                        finish: Callable[[OutboxItem], Any], done: Callback) -> None:
        """Store durably on local-io, then wait (without a thread) for the first delivery.

        ``finish`` gets the item as it then stands -- sent (with the centre's answer), failed,
        or still pending because the centre could not be reached (the outbox keeps trying) --
        as soon as the outbox reports on it, or after ``wait_s`` at the latest.
        """
        key = key or uuid.uuid4().hex
        self._waiters[key] = _Waiter(done, finish, wait_s)

        def store() -> Any:
            item = self._store(kind, body, key)
            if item.status == "pending":
                self.outbox.wake()  # now, not after a backoff left from an earlier outage
            return item

        self.run(store, lambda outcome: self._on_stored(key, outcome), pool=self._local_io)

    def _on_stored(self, key: str, outcome: Outcome) -> None:
        waiter = self._waiters.get(key)
        if waiter is None:
            return
        if not outcome.ok:
            del self._waiters[key]
            self._deliver(waiter.done, outcome)
            return
        item = waiter.heard or outcome.value
        if _settled(item):
            self._finish(key, item)
            return
        waiter.stored = item
        QTimer.singleShot(max(1, round(waiter.wait_s * 1000)), self,
                          lambda: self._finish(key, None))

    def outbox_event(self, item: OutboxItem) -> None:
        """For the outbox's ``on_sent``, ``on_failed`` and ``on_retry`` (its sender thread)."""
        if not self._closed:
            self._outboxEvent.emit(item)

    @Slot(object)
    def _on_outbox_event(self, item: Any) -> None:
        waiter = self._waiters.get(item.id)
        if waiter is None:
            return
        if waiter.stored is None:
            waiter.heard = item  # the commit's own answer is still on its way
        else:
            self._finish(item.id, item)

    def _finish(self, key: str, item: Any) -> None:
        """``item`` None: the wait ran out; the flow gets the item as it was stored."""
        waiter = self._waiters.pop(key, None)
        if waiter is None:
            return  # answered already (an outbox event and the deadline both came)
        try:
            outcome = Outcome(True, waiter.finish(item or waiter.stored))
        except Exception as exc:
            outcome = failure(exc)
        self._deliver(waiter.done, outcome)

    def submit_report(self, body: Mapping[str, Any], done: Callback, *,
                      idempotency_key: str | None = None, wait_s: float = 6.0) -> None:
        """Store a report durably, then wait briefly for the outbox's first delivery.

        The value is a ``ReportDelivery``: the centre's tracking number when it answered in
        time, else the local reference (the outbox keeps sending; nothing is lost).
        """

        def finish(item: Any) -> ReportDelivery:
            if item.status == "sent" and item.result:
                return delivery_of(item)
            if item.status == "failed":
                raise OutboxRefused(item.last_error or "")
            return ReportDelivery(item.id)

        self._store_and_wait("report", dict(body), idempotency_key, wait_s, finish, done)

    def call_help(self, body: Mapping[str, Any], done: Callback, *,
                  idempotency_key: str | None = None, wait_s: float = 4.0) -> None:
        """Store a help call, then wait briefly for the centre to have it.

        The value is the OutboxItem: "sent" means staff were told; "pending" means it is
        stored and the citizen must hear that staff do not know yet.
        """
        self._store_and_wait("help_call", dict(body), idempotency_key, wait_s,
                             lambda item: item, done)

    # ------------------------------------------------------------------ printer
    def check_printer(self, done: Callback) -> None:
        """Fresh status; the value is the PrinterStatus (not ok when there is no printer)."""
        if self.printer is None:
            done(Outcome(False, None, "printer.not_connected"))
            return
        self._status_waiters.append(done)
        self.printer.check_status()

    @Slot(object)
    def _on_status(self, status: PrinterStatus) -> None:
        waiters, self._status_waiters = self._status_waiters, []
        for done in waiters:
            self._deliver(done, Outcome(bool(status.can_print), status,
                                        "" if status.can_print else status.reason_key))

    def print_template(self, name: str, data: Mapping[str, Any], lang: str,
                       done: Callback) -> str:
        """Queue a print; ``done`` gets ok=printed with the reason key when it was not."""
        if self.printer is None:
            done(Outcome(False, None, "printer.not_connected"))
            return ""
        job_id = self.printer.print_template(name, data, lang)
        self._jobs[job_id] = (done, None)
        return job_id

    @Slot(str, bool, str)
    def _on_job(self, job_id: str, printed: bool, reason_key: str) -> None:
        entry = self._jobs.pop(job_id, None)
        if entry is not None:
            self._deliver(entry[0], Outcome(printed, job_id, reason_key))

    # ------------------------------------------------------------------ lifetime
    def close(self) -> None:
        """Stop delivering answers (the app is closing); running calls finish on their own."""
        self._closed = True
        self._status_waiters.clear()
        self._jobs.clear()
        self._waiters.clear()  # the workers belong to the kiosk: its owner stops them


def delivery_of(item: OutboxItem) -> ReportDelivery:
    """The citizen's receipt from a report the centre registered."""
    result = item.result
    assert result is not None  # called only for an item the centre answered
    return ReportDelivery(item.id, result.get("tracking_no", ""),
                          dt.date.fromisoformat(result["promised_date"]),
                          result.get("tracking_url", ""), result.get("check_code", ""))


def failure(exc: BaseException) -> Outcome:
    """An exception from a service as an Outcome the flows understand."""
    from kiosk.services.central import CentralOffline, CentralRejected, CentralServerError
    from kiosk.services.outbox import OutboxError

    if isinstance(exc, CentralOffline):
        return Outcome(False, None, exc.reason, offline=True)
    if isinstance(exc, CentralRejected):
        return Outcome(False, None, exc.reason, rejected=True,
                       come_back_at=exc.come_back_at or exc.opens_at)
    if isinstance(exc, CentralServerError):
        return Outcome(False, None, exc.reason)
    if isinstance(exc, OutboxError):
        return Outcome(False, None, exc.reason)
    if isinstance(exc, OutboxRefused):
        return Outcome(False, None, "outbox.failed", rejected=True)
    log.exception("effect failed unexpectedly", exc_info=exc)
    return Outcome(False, None, "central.server_error")
