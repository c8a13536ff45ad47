"""All kiosk services built from settings, started and stopped together.

The composition root builds one ``Services``; screens and flow bridges receive it and use its
members (each does its blocking I/O off the GUI thread and answers with Qt signals).

One HTTP session per kiosk: a single ``CentralClient`` (one ``requests.Session``, one
connection pool) serves the effects runner, the outbox sender, config sync, the heartbeat and
the service menu, each from its own thread. requests does not promise that a Session is
thread-safe, so what this kiosk relies on is kept small and stated here: the session's headers
and adapters are set once, before any thread uses it, and never changed; urllib3's connection
pool hands each request its own connection (pool_maxsize below covers every thread that can
call at once, so none waits and none is thrown away); the centre sets no cookies, and the cookie
jar has its own lock if it ever does; ``close()`` happens once, after every thread stopped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import requests
from PySide6.QtCore import QObject, Qt, Signal
from requests.adapters import HTTPAdapter

from kiosk.config import Settings
from kiosk.services.workers import Workers

if TYPE_CHECKING:
    from hall.catalogue import Catalogue
    from kiosk.services.idcard import IdCardService
    from kiosk.services.printer import PrinterService

log = logging.getLogger("kiosk.services")


class Services(QObject):
    """Reader, printer, centre client, outbox and config sync of one kiosk."""

    catalogueChanged = Signal(object)  # hall.catalogue.Catalogue

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from kiosk.services.central import CentralClient
        from kiosk.services.configsync import ConfigSync
        from kiosk.services.effects import EffectRunner
        from kiosk.services.outbox import Outbox

        self.settings = settings
        central = settings.central
        # The kiosk's short-job threads (central-io, local-io): the menu, the heartbeat and the
        # effects runner submit to these, none starts a pool of its own.
        self.workers = Workers()
        self.central = CentralClient(
            central.url, central.token, settings.kiosk.id,
            connect_timeout_s=central.connect_timeout_s, read_timeout_s=central.read_timeout_s,
            ca_file=central.ca_file, session=http_session())
        self.outbox = Outbox(settings.data_path("outbox.sqlite3"), self.central,
                             keep_sent_s=settings.kiosk.keep_sent_s)
        self.configsync = ConfigSync(self.central, central.public_key,
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
        # The flows' effects; told of each outbox delivery by the outbox itself (no polling).
        self.effects = EffectRunner(self.central, self.outbox, self.printer,
                                    central_io=self.workers.central, local_io=self.workers.local,
                                    parent=self)
        self.outbox.on_sent = self.outbox.on_failed = self.effects.outbox_event
        self.outbox.on_retry = self.effects.outbox_event

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
        self.outbox.on_sent = self.outbox.on_failed = self.outbox.on_retry = None
        self.effects.close()
        for service in (self.idcard, self.printer, self.configsync, self.outbox):
            if service is not None:
                try:
                    service.stop()
                except Exception:  # one service failing to stop must not keep the others up
                    log.exception("stopping %s failed", type(service).__name__)
        self.outbox.close()
        self.workers.shutdown(timeout_s=STOP_WAIT_S)
        self.central.close()  # the one session, once no thread uses it


#: Threads that can call the centre at the same time: central-io, outbox sender, config sync
#: (its event stream and a fetch beside it), with room to spare. More would only queue.
HTTP_POOL_SIZE = 6
#: How long stopping waits for a centre call in flight (connect + read timeout bound it anyway).
STOP_WAIT_S = 10.0


def http_session() -> requests.Session:
    """The kiosk's one HTTP session for the centre (see the module docstring on threads)."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=HTTP_POOL_SIZE)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


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
