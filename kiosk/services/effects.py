"""Carries out the flows' effects with the services, off the GUI thread, answering on it.

A flow says *what* to do (take a ticket, print, put a report in the outbox); this runner does
it without ever blocking the GUI thread: centre calls run on one worker thread (one thread, so
the centre client's HTTP session is never shared), outbox commits on another (a help call must
not wait behind a ticket request hanging on a slow centre), printer work goes to the printer
service's own worker. Every answer comes back through one queued signal as a plain
``Outcome`` and is handed to the caller's callback on the thread that owns the runner.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import itertools
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

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

    @property
    def local_ref(self) -> str:
        """Short reference printed on an offline receipt; staff map it to the outbox item."""
        return self.outbox_id[:8].upper()


class OutboxRefused(Exception):
    """The centre refused an outbox item for good (kept as failed for staff)."""


def service_messages() -> dict[str, tuple[str, str]]:
    """Reason keys of the services (centre, printer, reader, outbox) with (zh, en) texts."""
    from kiosk.services import central, outbox

    messages: dict[str, tuple[str, str]] = {}
    for module_messages in (central.MESSAGES, outbox.MESSAGES):
        messages.update(module_messages)
    try:
        from kiosk.services.printer import MESSAGES as printer_messages

        messages.update(printer_messages)
    except ImportError:  # pragma: no cover - printer driver missing on a dev machine
        pass
    try:
        from kiosk.services.idcard import MESSAGES as card_messages

        messages.update(card_messages)
    except ImportError:  # pragma: no cover
        pass
    return messages


class EffectRunner(QObject):
    """Runs blocking service calls on a worker and calls back on the GUI thread."""

    _answer = Signal(object, object)  # callback, Outcome

    def __init__(self, central: CentralClient, outbox: Outbox, printer: PrinterService | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.central = central
        self.outbox = outbox
        self.printer = printer
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="effects")
        # Waiting for the outbox's first delivery must not hold up centre calls.
        self._waits = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="outbox-wait")
        # Local commits (help calls, ratings) never queue behind a centre call that hangs.
        self._commits = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="outbox-put")
        # ... and a help call never waits behind a report waiting for its delivery.
        self._help = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="help-call")
        self._answer.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._status_waiters: list[Callback] = []
        self._jobs: dict[str, tuple[Callback, None]] = {}
        self._ids = itertools.count(1)
        self._closed = False
        if printer is not None:
            printer.statusChanged.connect(self._on_status)
            printer.jobFinished.connect(self._on_job)

    # ------------------------------------------------------------------ generic
    def run(self, work: Callable[[], object], done: Callback, *,
            pool: concurrent.futures.Executor | None = None) -> None:
        """Run ``work`` on the worker; ``done`` gets an Outcome on the GUI thread."""
        if self._closed:
            return

        def job() -> None:
            try:
                outcome = Outcome(True, work())
            except Exception as exc:  # every failure becomes words for the screen
                outcome = failure(exc)
            self._answer.emit(done, outcome)

        (pool or self._pool).submit(job)

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

    def report_status(self, tracking_no: str, done: Callback) -> None:
        self.run(lambda: self.central.report_status(tracking_no), done)

    # ------------------------------------------------------------------ outbox
    def put(self, kind: str, body: Mapping[str, Any], done: Callback, *,
            idempotency_key: str | None = None) -> None:
        """Commit to the durable outbox (fsync) on the worker; the value is the OutboxItem."""
        self.run(lambda: self._store(kind, dict(body), idempotency_key), done,
                 pool=self._commits)

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
            try:  # on the centre client's own thread: its HTTP session is never shared
                result = self._pool.submit(
                    self.central.post_outbox_item, kind, body, key).result()
            except CentralError as direct:
                log.error("outbox full and the centre unreachable: %s NOT saved (%s)",
                          kind, direct)
                raise error from None
            log.warning("outbox could not store a %s; delivered directly instead", kind)
            return OutboxItem(key, kind, body, "sent", 1, time.time(), None, result)

    def _store_and_wait(self, kind: str, body: dict[str, Any], key: str | None,
                        wait_s: float) -> OutboxItem:
        """Store durably, then wait briefly for the outbox's first delivery attempt.

        Returns the item as it then stands: sent (with the centre's answer), failed, or still
        pending because the centre could not be reached (the outbox keeps trying).
        """
        outbox = self.outbox
        item = self._store(kind, body, key)
        if item.status == "sent":
            return item  # already delivered (directly, or by an earlier try of this action)
        outbox.wake()
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and not self._closed:
            current = outbox.get(item.id)
            if current is None:
                break
            if current.status in ("sent", "failed") or current.attempts > 0:
                return current  # answered, refused, or tried and the centre is unreachable
            item = current
            time.sleep(0.05)
        return item

    def submit_report(self, body: Mapping[str, Any], done: Callback, *,
                      idempotency_key: str | None = None, wait_s: float = 6.0) -> None:
        """Store a report durably, then wait briefly for the outbox's first delivery.

        The value is a ``ReportDelivery``: the centre's tracking number when it answered in
        time, else the local reference (the outbox keeps sending; nothing is lost).
        """

        def work() -> ReportDelivery:
            item = self._store_and_wait("report", dict(body), idempotency_key, wait_s)
            if item.status == "sent" and item.result:
                return delivery_of(item)
            if item.status == "failed":
                raise OutboxRefused(item.last_error or "")
            return ReportDelivery(item.id)

        self.run(work, done, pool=self._waits)

    def call_help(self, body: Mapping[str, Any], done: Callback, *,
                  idempotency_key: str | None = None, wait_s: float = 4.0) -> None:
        """Store a help call, then wait briefly for the centre to have it.

        The value is the OutboxItem: "sent" means staff were told; "pending" means it is
        stored and the citizen must hear that staff do not know yet.
        """
        self.run(lambda: self._store_and_wait("help_call", dict(body), idempotency_key, wait_s),
                 done, pool=self._help)

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
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._waits.shutdown(wait=False, cancel_futures=True)
        self._commits.shutdown(wait=False, cancel_futures=True)
        self._help.shutdown(wait=False, cancel_futures=True)


def delivery_of(item: OutboxItem) -> ReportDelivery:
    """The citizen's receipt from a report the centre registered."""
    result = item.result
    assert result is not None  # called only for an item the centre answered
    return ReportDelivery(item.id, result.get("tracking_no", ""),
                          dt.date.fromisoformat(result["promised_date"]),
                          result.get("tracking_url", ""))


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
