"""All kiosk services built from settings, started and stopped together.

The composition root builds one ``Services``; screens and flow bridges receive it and use its
members (each does its blocking I/O on its own worker thread and answers with Qt signals).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.config import Settings

if TYPE_CHECKING:
    from kiosk.catalogue import Catalogue
    from kiosk.services.idcard import IdCardService
    from kiosk.services.printer import PrinterService

log = logging.getLogger("kiosk.services")


class Services(QObject):
    """Reader, printer, centre client, outbox and config sync of one kiosk."""

    catalogueChanged = Signal(object)  # kiosk.catalogue.Catalogue

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from kiosk.services.central import CentralClient
        from kiosk.services.configsync import ConfigSync
        from kiosk.services.outbox import Outbox

        self.settings = settings
        central = settings.central

        def client() -> CentralClient:
            return CentralClient(
                central.url, central.token, settings.kiosk.id,
                connect_timeout_s=central.connect_timeout_s,
                read_timeout_s=central.read_timeout_s, ca_file=central.ca_file)

        # One client per thread that talks to the centre: requests sessions are not shared
        # across threads (flows' effect runner, outbox sender, config sync).
        self.central = client()
        self._outbox_client = client()
        self.outbox = Outbox(settings.data_path("outbox.sqlite3"), self._outbox_client)
        self._sync_client = client()
        self.configsync = ConfigSync(self._sync_client, central.public_key,
                                     settings.data_path("config"), parent=self)
        self.configsync.bundleApplied.connect(self.catalogueChanged)
        # The centre answers again: send what waited now, not when the outbox's backoff (up to
        # five minutes after a long outage) runs out. Direct: on the sync thread, off the GUI's.
        self.configsync.connectionChanged.connect(self._on_connection,
                                                  Qt.ConnectionType.DirectConnection)
        self.idcard: IdCardService | None = None
        if settings.reader.enabled:
            from kiosk.services.idcard import IdCardService

            reader = settings.reader
            self.idcard = IdCardService(
                reader.port, baud=reader.baud, poll_interval_s=reader.poll_interval_ms / 1000,
                read_timeout_s=reader.timeout_ms / 1000, parent=self)
        self.printer: PrinterService | None = None
        if settings.printer.enabled:
            from kiosk.services.printer import PrinterService

            self.printer = PrinterService(settings.printer.transport, printer_params(settings),
                                          model=settings.printer.profile, parent=self)

    def _on_connection(self, state: str) -> None:
        if state != "offline" and self.outbox.pending:
            log.info("centre reachable again (%s): sending the outbox now", state)
            self.outbox.wake()

    @property
    def catalogue(self) -> Catalogue | None:
        """The configuration bundle in force (None until the first good one arrives)."""
        return self.configsync.current

    def start(self) -> None:
        for service in (self.configsync, self.outbox, self.idcard, self.printer):
            if service is not None:
                service.start()

    def stop(self) -> None:
        for service in (self.idcard, self.printer, self.configsync, self.outbox):
            if service is not None:
                try:
                    service.stop()
                except Exception:  # one service failing to stop must not keep the others up
                    log.exception("stopping %s failed", type(service).__name__)
        self.outbox.close()
        for client in (self.central, self._outbox_client, self._sync_client):
            client.close()


def printer_params(settings: Settings) -> dict[str, Any]:
    """The [printer] settings as parameters of the chosen transport."""
    printer = settings.printer
    if printer.transport == "network":
        return {"host": printer.host, "port": printer.port}
    if printer.transport == "serial":
        return {"device": printer.device, "baudrate": printer.baud}
    if printer.transport == "file":
        return {"path": printer.device}
    return {"vendor_id": int(printer.usb_vendor, 16), "product_id": int(printer.usb_product, 16)}
