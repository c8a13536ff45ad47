"""Logging: named loggers per area, a rotating file and stderr, and a last-line privacy filter.

Code never logs personal data on purpose (card records mask themselves); the filter is defence
in depth that blanks anything shaped like an ID, passport, permit or phone number before it is
written, with the same patterns the outbox refuses documents by (kiosk/privacy.py).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kiosk import clock
from kiosk.privacy import redact

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class HallTimeFormatter(logging.Formatter):
    """Log lines stamped in the hall's time (kiosk.clock), not the machine's TZ."""

    converter = staticmethod(clock.log_time)


class PrivacyFilter(logging.Filter):
    """Rewrites each record's final message through ``redact``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


class RecentLines(logging.Handler):
    """Keeps the last lines in memory for the service menu (already redacted)."""

    def __init__(self, capacity: int = 200) -> None:
        super().__init__()
        self.capacity = capacity
        self.lines: list[str] = []
        self.setFormatter(HallTimeFormatter(FORMAT, "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        del self.lines[: -self.capacity]


class SizeRotatingFile(logging.FileHandler):
    """A log file renamed to ``.1`` (and older ones to ``.2`` … ``.backups``) when the next
    line would take it past ``max_bytes``, as ``logging.handlers.RotatingFileHandler`` does.

    Not that class itself: importing logging.handlers (socket, pickle and queue, for handlers
    the kiosk never uses) cost ~5 ms of every start, before the home screen's first frame.
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() > 0 and (
                    self.stream.tell() + len(self.format(record).encode("utf-8")) + 1
                    > self.max_bytes):
                self._rotate()
        except Exception:  # logging must never raise into the code that logs
            self.handleError(record)
            return
        super().emit(record)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
        self.stream = None
        for number in range(self.backups - 1, 0, -1):
            older = f"{self.baseFilename}.{number}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{number + 1}")
        os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


recent_lines = RecentLines()


def setup(log_dir: Path | None, level: str = "INFO", max_bytes: int = 2_000_000,
          backups: int = 5) -> None:
    """Configure the root logger once: stderr, an optional rotating file, the privacy filter."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        if isinstance(handler, logging.FileHandler):
            handler.close()  # the previous log file, not left open for the collector to find
    root.setLevel(level)
    formatter = HallTimeFormatter(FORMAT)
    handlers: list[logging.Handler] = [logging.StreamHandler(), recent_lines]
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            handlers.append(SizeRotatingFile(log_dir / "kiosk.log", max_bytes, backups))
        except OSError as exc:  # a read-only or full disk must not stop the kiosk
            logging.getLogger("kiosk").warning("log file unavailable (%s); stderr only", exc)
    privacy = PrivacyFilter()
    for handler in handlers:
        handler.addFilter(privacy)
        if handler is not recent_lines:
            handler.setFormatter(formatter)
        root.addHandler(handler)
