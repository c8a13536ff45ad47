"""Printer driver: status before and after each job, and an honest "printed or not" verdict."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from escpos.escpos import Escpos

from drivers.printer.profiles import PrinterProfile, load_profile
from drivers.printer.render import DEFAULT_FONT_PATH, TemplateError, TicketRenderer
from drivers.printer.status import PrinterStatus, interpret, unknown_status
from drivers.printer.transport import open_printer, query_status_replies

log = logging.getLogger(__name__)

#: Reason keys this driver reports (the words the kiosk shows for them: kiosk.words.devices).
REASONS: tuple[str, ...] = (
    "printer.paper_out", "printer.paper_near_end", "printer.cover_open", "printer.offline",
    "printer.error", "printer.no_answer", "printer.bad_answer", "printer.not_connected",
    "printer.write_failed", "printer.template_error",
)


@dataclass(frozen=True)
class JobResult:
    """Whether a citizen got paper. printed is True only when the printer was fine before the job
    AND still fine after it; otherwise reason_key says why and the flow shows it on screen."""

    printed: bool
    reason_key: str
    before: PrinterStatus
    after: PrinterStatus | None
    bytes_sent: int
    handed_s: float  # from start of the job to the last byte handed to the transport
    detail: str = ""


StatusListener = Callable[[PrinterStatus], None]


class PrinterDriver:
    """One printer, one job at a time (callers serialise; PrinterService runs it on a worker)."""

    def __init__(
        self,
        transport: str = "network",
        params: Mapping[str, Any] | None = None,
        profile: PrinterProfile | None = None,
        font_path: str = DEFAULT_FONT_PATH,
        status_timeout_s: float = 1.0,
        settle_s: float = 0.0,
        printer: Escpos | None = None,
    ):
        self.transport = transport
        self.params = dict(params or {})
        self.profile = profile or load_profile()
        self.renderer = TicketRenderer(self.profile, font_path)
        self.status_timeout_s = status_timeout_s
        self.settle_s = settle_s  # real printers answer DLE EOT before the buffer is printed
        self._printer = printer
        self._listeners: list[StatusListener] = []
        self.last_status: PrinterStatus | None = None

    # --------------------------------------------------------------- listeners
    def add_listener(self, listener: StatusListener) -> None:
        self._listeners.append(listener)

    def _publish(self, status: PrinterStatus) -> None:
        changed = not status.same_condition(self.last_status)
        self.last_status = status
        if changed:
            for listener in list(self._listeners):
                try:
                    listener(status)
                except Exception:  # a broken listener must not stop printing
                    log.exception("printer status listener failed")

    # ------------------------------------------------------------------ device
    def _device(self) -> Escpos:
        if self._printer is None:
            self._printer = open_printer(self.transport, **self.params)
        return self._printer

    def close(self) -> None:
        if self._printer is not None:
            with contextlib.suppress(Exception):
                self._printer.close()
            if self.transport != "dummy":
                self._printer = None

    def _drop_connection(self) -> None:
        """After an I/O error reconnect next time (printer rebooted, cable replugged)."""
        self.close()

    # ------------------------------------------------------------------ status
    def status(self) -> PrinterStatus:
        """Ask the printer (DLE EOT 1, 2, 4). Never raises; never says OK without an answer."""
        try:
            replies = query_status_replies(self._device(), self.status_timeout_s)
        except Exception as exc:  # escpos raises DeviceNotFoundError, OSError, SerialException...
            self._drop_connection()
            status = unknown_status("printer.not_connected", f"{type(exc).__name__}: {exc}")
        else:
            if replies == (None, None, None):
                status = unknown_status("printer.no_answer", "transport cannot read status")
            else:
                status = interpret(*replies)
        self._publish(status)
        return status

    # -------------------------------------------------------------------- jobs
    def render(self, template: str, data: Mapping[str, Any], lang: str = "zh") -> bytes:
        return self.renderer.render_bytes(template, data, lang)

    def preview_png(self, template: str, data: Mapping[str, Any], path: str,
                    lang: str = "zh") -> str:
        """What the ticket looks like on paper, for the screen when the printer cannot print."""
        from drivers.printer.paper import render_ticket_png  # PIL: loaded on first preview

        payload = self.render(template, data, lang)
        return str(render_ticket_png(payload, path, self.profile.paper_mm))

    def print_job(self, template: str, data: Mapping[str, Any], lang: str = "zh") -> JobResult:
        started = time.perf_counter()
        try:
            payload = self.render(template, data, lang)
        except (TemplateError, KeyError, ValueError) as exc:
            status = self.last_status or unknown_status()
            return JobResult(False, "printer.template_error", status, None, 0, 0.0, str(exc))
        before = self.status()
        if not before.can_print:
            return JobResult(False, before.reason_key, before, None, 0, 0.0, before.detail)
        try:
            self._device()._raw(payload)
        except Exception as exc:
            self._drop_connection()
            after = self.status()
            return JobResult(False, "printer.write_failed", before, after, 0,
                             time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
        handed = time.perf_counter() - started
        if self.settle_s:
            time.sleep(self.settle_s)
        after = self.status()
        if not after.can_print:
            # Paper ran out, the cover opened or the printer went silent during the job: we
            # cannot vouch for a whole ticket, so the flow shows it on screen.
            return JobResult(False, after.reason_key, before, after, len(payload), handed,
                             after.detail)
        return JobResult(True, "", before, after, len(payload), handed)
