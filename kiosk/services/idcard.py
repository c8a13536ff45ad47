"""IdCardService: the ID card reader's events as Qt signals on the GUI thread.

The driver reports from its worker thread; every event is queued through one private signal
so receivers always run on the thread that owns this object (the GUI thread), whatever
connection type they use.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot

from drivers.idcard.card import CardRecord
from drivers.idcard.reader import IdCardReader, ReaderConfig

log = logging.getLogger("kiosk.services.idcard")

__all__ = ["IdCardService"]


class _Relay:
    """Driver listener that forwards every event into the service's queued signal."""

    def __init__(self, service: IdCardService) -> None:
        self._service = service

    def reader_connected(self) -> None:
        self._service._event.emit("connected", None)

    def reader_lost(self, reason_key: str) -> None:
        self._service._event.emit("lost", reason_key)

    def card_read(self, record: CardRecord) -> None:
        self._service._event.emit("read", record)

    def card_removed(self) -> None:
        self._service._event.emit("removed", None)

    def card_unreadable(self, reason_key: str) -> None:
        self._service._event.emit("unreadable", reason_key)


class IdCardService(QObject):
    """Starts the reader worker and re-emits its events (contract C).

    Plain-value constructor arguments mirror the ``[reader]`` section of kiosk.toml.
    """

    readerConnected = Signal()
    readerLost = Signal(str)
    cardRead = Signal(object)
    cardRemoved = Signal()
    cardUnreadable = Signal(str)

    _event = Signal(str, object)

    def __init__(
        self,
        port: str,
        baud: int = 115200,
        poll_interval_s: float = 0.05,
        sam_timeout_s: float = 0.3,
        find_timeout_s: float = 0.5,
        read_timeout_s: float = 3.5,
        reconnect_max_s: float = 5.0,
        read_appended_address: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._config = ReaderConfig(
            port=port,
            baud=baud,
            poll_interval_s=poll_interval_s,
            sam_timeout_s=sam_timeout_s,
            find_timeout_s=find_timeout_s,
            read_timeout_s=read_timeout_s,
            reconnect_max_s=reconnect_max_s,
            read_appended_address=read_appended_address,
        )
        self._reader: IdCardReader | None = None
        self._connected = False
        self._event.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)

    @property
    def connected(self) -> bool:
        return self._connected

    def start(self) -> None:
        """Start polling (idempotent); events arrive as signals from the event loop."""
        if self._reader is None:
            self._reader = IdCardReader(self._config, _Relay(self))
        self._reader.start()

    def stop(self) -> None:
        """Stop polling and close the port; blocks only until the worker has joined."""
        if self._reader is not None:
            self._reader.stop()
            self._reader = None

    @Slot(str, object)
    def _dispatch(self, kind: str, payload: object) -> None:
        if kind == "connected":
            self._connected = True
            self.readerConnected.emit()
        elif kind == "lost":
            self._connected = False
            self.readerLost.emit(str(payload))
        elif kind == "read":
            self.cardRead.emit(payload)
        elif kind == "removed":
            self.cardRemoved.emit()
        elif kind == "unreadable":
            self.cardUnreadable.emit(str(payload))
        else:  # pragma: no cover - all kinds are listed above
            log.error("unknown reader event %s", kind)
