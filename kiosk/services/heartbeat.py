"""Heartbeat to the centre: what this kiosk is running and how its devices are, every interval.

The payload is assembled on the GUI thread from injected providers (cheap reads of state other
services already hold); the send runs on a worker thread so a slow or dead network never freezes
the screen. A provider that raises, or a send that fails, is counted and logged, never raised.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger("kiosk.services.heartbeat")

# Payload fields filled from providers, in the order they appear in the JSON.
PROVIDED_FIELDS = (
    "config_version",  # str: version of the config bundle in use
    "config_received_at",  # str | None: ISO time the bundle arrived
    "devices",  # dict[name, state dict]: e.g. {"reader": {"state": "ok"}, "printer": {...}}
    "paper",  # str: "ok", "near_end", "out" or "unknown"
    "outbox_depth",  # int: submissions waiting to be sent
    "last_error",  # str | None: last error shown or logged (never personal data)
    "pin",  # dict: PinGate.counters()
    "rejected_config_pushes",  # int
    "disk_free_mb",  # int
)


class Heartbeat(QObject):
    """Sends ``build_payload()`` through ``send(payload)`` every ``interval_ms`` (off the GUI thread).

    ``providers`` maps field names (see PROVIDED_FIELDS; others are passed through) to callables.
    ``send`` may return the server's answer (a dict), which ``delivered`` carries back.
    A beat is skipped, not queued, while the previous send is still in flight. ``executor``:
    the kiosk's ``central-io`` worker (kiosk/services/workers.py); without one the heartbeat
    starts a thread of its own (tests).
    """

    delivered = Signal(object)  # the server's answer
    failed = Signal(str)  # one line: why the last send failed
    _finished = Signal(object, str)

    def __init__(self, *, kiosk_id: str, app_version: str,
                 providers: Mapping[str, Callable[[], Any]], send: Callable[[dict[str, Any]], Any],
                 interval_ms: int, clock: Callable[[], float] = time.monotonic,
                 executor: Executor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kiosk_id = kiosk_id
        self.app_version = app_version
        self.providers = dict(providers)
        self._send = send
        self._clock = clock
        self._started = clock()
        self._own_executor = executor is None
        self._executor: Executor = executor or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="heartbeat")
        self._sending: Future[None] | None = None
        self._in_flight = False
        self.sequence = 0
        self.sent = 0
        self.failures = 0
        self.skipped = 0
        self.last_failure = ""
        self.last_success_at: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.beat)
        self._finished.connect(self._on_finished)
        if self._own_executor:
            self.destroyed.connect(lambda *_: self._executor.shutdown(wait=False))

    def start(self) -> None:
        """First beat right away (the centre learns we are up), then every interval."""
        self._timer.start()
        self.beat()

    def stop(self) -> None:
        self._timer.stop()

    def shutdown(self) -> None:
        """Stop and wait for a send in flight (app exit and tests)."""
        self.stop()
        if self._own_executor:
            self._executor.shutdown(wait=True)
        elif self._sending is not None:  # the shared worker lives on; wait for our send only
            wait_for([self._sending])

    def build_payload(self) -> dict[str, Any]:
        self.sequence += 1
        payload: dict[str, Any] = {
            "kiosk_id": self.kiosk_id,
            "sequence": self.sequence,
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": self.app_version,
            "uptime_s": round(self._clock() - self._started),
        }
        unavailable = []
        for name, provider in self.providers.items():
            try:
                payload[name] = provider()
            except Exception as error:  # one broken provider must not silence the heartbeat
                payload[name] = None
                unavailable.append(name)
                log.warning("heartbeat field %s unavailable: %s", name, type(error).__name__)
        payload["heartbeat"] = {"failures": self.failures, "skipped": self.skipped,
                                "last_failure": self.last_failure or None}
        if unavailable:
            payload["unavailable"] = unavailable
        return payload

    @Slot()
    def beat(self) -> bool:
        """Send one heartbeat now; False if the previous one is still on its way."""
        if self._in_flight:
            self.skipped += 1
            return False
        payload = self.build_payload()
        self._in_flight = True
        self._sending = self._executor.submit(self._run, payload)
        return True

    def _run(self, payload: dict[str, Any]) -> None:
        try:
            answer = self._send(payload)
        except Exception as error:
            self._finished.emit(None, f"{type(error).__name__}: {error}"[:300])
            return
        self._finished.emit(answer, "")

    @Slot(object, str)
    def _on_finished(self, answer: Any, problem: str) -> None:
        self._in_flight = False
        if problem:
            self.failures += 1
            self.last_failure = problem
            log.warning("heartbeat %d not delivered (%d failures): %s",
                        self.sequence, self.failures, problem)
            self.failed.emit(problem)
            return
        self.sent += 1
        self.last_success_at = self._clock()
        self.delivered.emit(answer)

    def counters(self) -> dict[str, Any]:
        """For the service menu."""
        return {"sent": self.sent, "failures": self.failures, "skipped": self.skipped,
                "last_failure": self.last_failure, "in_flight": self._in_flight}
