"""PrinterService: tickets printed on one worker thread, results as Qt signals on the GUI thread.

Printing blocks (status queries wait for the printer, a ticket takes seconds to go out), so every
job and status check runs on a single worker, one at a time, in order. Results travel back
through one private queued signal, so receivers always run on the thread that owns this object.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from drivers.printer.driver import JobResult, PrinterDriver
from drivers.printer.profiles import PrinterProfile, load_profile
from drivers.printer.render import DEFAULT_FONT_PATH
from drivers.printer.status import PrinterStatus

log = logging.getLogger("kiosk.services.printer")

__all__ = ["PrinterService"]

_STOP = object()


class PrinterService(QObject):
    """Contract C. Constructor arguments mirror kiosk.toml [printer]; `params` are the transport
    settings (host/port, device/baudrate, path, vid_pid ...)."""

    statusChanged = Signal(object)  # PrinterStatus
    jobFinished = Signal(str, bool, str)  # job_id, printed, reason_key

    _event = Signal(str, object)

    def __init__(
        self,
        transport: str = "network",
        params: Mapping[str, Any] | None = None,
        model: str = "generic-80",
        profile_overrides: Mapping[str, Any] | None = None,
        font_path: str = DEFAULT_FONT_PATH,
        status_timeout_s: float = 1.0,
        settle_s: float = 0.0,
        recheck_s: float = 5.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # A printer that cannot print is asked again every few seconds, so the home banner
        # clears by itself once staff load paper, close the cover or plug the cable back in.
        self._recheck = QTimer(self)
        self._recheck.setInterval(max(1, int(recheck_s * 1000)))
        self._recheck.setSingleShot(True)
        self._recheck.timeout.connect(self.check_status)
        profile = load_profile(model, **dict(profile_overrides or {}))
        self._driver = PrinterDriver(transport, params, profile, font_path, status_timeout_s,
                                     settle_s)
        self._driver.add_listener(lambda status: self._event.emit("status", status))
        self._event.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._ids = itertools.count(1)
        self._thread: threading.Thread | None = None
        self._last_status: PrinterStatus | None = None
        self.last_results: dict[str, JobResult] = {}

    @property
    def last_status(self) -> PrinterStatus | None:
        """The last status delivered on the GUI thread (None before the first check)."""
        return self._last_status

    @property
    def profile(self) -> PrinterProfile:
        return self._driver.profile

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._work, name="printer-worker", daemon=True)
        self._thread.start()
        self.check_status()

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the job in hand, drop queued ones (reported not printed), close the port."""
        self._recheck.stop()
        if self._thread is None:
            return
        pending = []
        while True:
            try:
                pending.append(self._jobs.get_nowait())
            except queue.Empty:
                break
        for item in pending:
            if item is not _STOP and item[0] == "job":
                self._event.emit("job", (item[1], False, "printer.not_connected", None))
        self._jobs.put(_STOP)
        self._thread.join(timeout)
        self._thread = None

    # -------------------------------------------------------------------- requests
    def print_template(self, name: str, data: Mapping[str, Any], lang: str = "zh") -> str:
        """Queue a ticket; the answer comes as jobFinished(job_id, printed, reason_key)."""
        job_id = f"job-{next(self._ids)}"
        if self._thread is None:
            self._event.emit("job", (job_id, False, "printer.not_connected", None))
            return job_id
        self._jobs.put(("job", job_id, name, dict(data), lang))
        return job_id

    def preview_png(self, name: str, data: Mapping[str, Any], path: str,
                    lang: str = "zh") -> str:
        """PNG of the ticket as it would print (tens of ms, no printer I/O): the on-screen
        ticket when jobFinished says printed=False. Returns the path."""
        return self._driver.preview_png(name, data, path, lang)

    def check_status(self) -> None:
        """Ask the printer; the answer comes as statusChanged (also when unchanged)."""
        if self._thread is not None:
            self._jobs.put(("status",))

    # ---------------------------------------------------------------------- worker
    def _work(self) -> None:
        try:
            while True:
                item = self._jobs.get()
                if item is _STOP:
                    return
                try:
                    if item[0] == "status":
                        self._event.emit("checked", self._driver.status())
                    else:
                        _, job_id, name, data, lang = item
                        result = self._driver.print_job(name, data, lang)
                        self._event.emit("job", (job_id, result.printed, result.reason_key,
                                                 result))
                except Exception:  # the worker must survive anything a driver throws
                    log.exception("printer worker failed on %s", item[0])
                    if item[0] == "job":
                        self._event.emit("job", (item[1], False, "printer.error", None))
        finally:
            self._driver.close()

    @Slot(str, object)
    def _deliver(self, kind: str, payload: Any) -> None:
        if kind in ("status", "checked"):
            if kind == "checked" and payload is self._last_status:
                return  # already delivered as a change a moment ago
            changed = not payload.same_condition(self._last_status)
            self._last_status = payload
            if payload.can_print:
                self._recheck.stop()
            elif self._thread is not None and not self._recheck.isActive():
                self._recheck.start()
            if kind == "checked" or changed:
                self.statusChanged.emit(payload)
        elif kind == "job":
            job_id, printed, reason_key, result = payload
            if result is not None:
                self.last_results[job_id] = result
                self.last_results = dict(list(self.last_results.items())[-20:])
            log.info("print %s: printed=%s reason=%s", job_id, printed, reason_key or "-")
            self.jobFinished.emit(job_id, printed, reason_key)
