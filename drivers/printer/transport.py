"""Printer transports from settings: one factory, python-escpos printers that can also read a
status reply with a short, explicit timeout (escpos 3.1 blocks up to 60 s on a network read)."""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import stat
from typing import TYPE_CHECKING, Any

from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Dummy, File, Network, Serial

log = logging.getLogger("drivers.printer")

TRANSPORTS = ("usb", "serial", "network", "file", "dummy")


class TransportError(ValueError):
    """Transport settings are wrong (unknown kind, missing or bad parameter)."""


class StatusReader:
    """Mixin: read_reply(timeout) returns the bytes that arrived, b"" on silence, None when the
    transport has no way back from the printer (a plain file)."""

    def drain_input(self) -> None:
        """Drop stale bytes (a late answer to an earlier query) before asking again."""

    def read_reply(self, timeout: float) -> bytes | None:
        raise NotImplementedError

    if TYPE_CHECKING:
        def _raw(self, msg: bytes) -> None: ...  # Escpos's, which every StatusReader also is


class NetworkPrinter(StatusReader, Network):
    """Raw TCP (port 9100, "JetDirect")."""

    device: socket.socket | None  # escpos's property, typed for this transport

    def open(self, raise_not_found: bool = True) -> None:
        """escpos's ``Network.open``, except that a failed connect closes its socket (3.1
        leaves it to the collector, once per attempt while the printer is unreachable)."""
        if self._device:
            self.close()
        try:
            self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as error:
            self.device = None
            if raise_not_found:
                raise DeviceNotFoundError(
                    f"Could not open socket for {self.host}:\n{error}") from None
            log.error("network printer %s not found", self.host)

    def drain_input(self) -> None:
        sock = self.device
        if not sock:
            return
        sock.setblocking(False)
        try:
            for _ in range(64):
                if not sock.recv(64):
                    break
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            pass
        finally:
            sock.settimeout(self.timeout)

    def read_reply(self, timeout: float) -> bytes | None:
        sock = self.device
        assert sock
        sock.settimeout(timeout)
        try:
            data = sock.recv(16)
        except TimeoutError:
            return b""
        finally:
            sock.settimeout(self.timeout)
        if data == b"":
            raise ConnectionResetError("printer closed the connection")
        return bytes(data)


class SerialPrinter(StatusReader, Serial):
    """RS-232 or USB-serial printer via pyserial."""

    def drain_input(self) -> None:
        if self.device:
            self.device.reset_input_buffer()

    def read_reply(self, timeout: float) -> bytes | None:
        port = self.device
        assert port
        old = port.timeout
        port.timeout = timeout
        try:
            first = port.read(1)
            return bytes(first + (port.read(port.in_waiting) if first and port.in_waiting else b""))
        finally:
            port.timeout = old


class FilePrinter(StatusReader, File):
    """A device node (/dev/usb/lp0) or a plain file. Device nodes are opened read-write so the
    status query can be answered; a plain file has no way back (status stays unknown)."""

    def open(self, raise_not_found: bool = True) -> None:
        super().open(raise_not_found)
        self._read_fd: int | None = None
        with contextlib.suppress(OSError):
            if stat.S_ISCHR(os.stat(self.devfile).st_mode):
                self._read_fd = os.open(self.devfile, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)

    def close(self) -> None:
        fd = getattr(self, "_read_fd", None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
            self._read_fd = None
        super().close()

    def drain_input(self) -> None:
        fd = getattr(self, "_read_fd", None)
        with contextlib.suppress(OSError):
            while fd is not None and select.select([fd], [], [], 0)[0] and os.read(fd, 64):
                pass

    def read_reply(self, timeout: float) -> bytes | None:
        _ = self.device  # opens lazily
        fd = getattr(self, "_read_fd", None)
        if fd is None:
            return None
        if not select.select([fd], [], [], timeout)[0]:
            return b""
        try:
            return os.read(fd, 16)
        except BlockingIOError:
            return b""


class DummyPrinter(StatusReader, Dummy):
    """In-memory printer (escpos Dummy) whose status replies can be scripted: a list of replies
    consumed one per query; an empty list means silence."""

    def __init__(self, *args: Any, replies: list[bytes] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.replies: list[bytes] = list(replies or [])

    def read_reply(self, timeout: float) -> bytes | None:
        return self.replies.pop(0) if self.replies else b""

    def _read(self) -> bytes:
        return self.read_reply(0.0) or b""


def _usb_printer(**params: Any) -> Escpos:
    try:
        import usb.core
        from escpos.printer import Usb
    except ImportError as exc:  # pragma: no cover - depends on the kiosk image
        raise TransportError("printer.transport=usb needs pyusb (pip install pyusb)") from exc

    class UsbPrinter(StatusReader, Usb):
        """USB printer class device by VID:PID (bulk endpoints)."""

        def drain_input(self) -> None:
            with contextlib.suppress(Exception):
                self.device.read(self.in_ep, 64, 1)

        def read_reply(self, timeout: float) -> bytes | None:
            try:
                return bytes(self.device.read(self.in_ep, 16, max(1, int(timeout * 1000))))
            except usb.core.USBTimeoutError:
                return b""

    return UsbPrinter(**params)


def _int(value: Any, name: str) -> int:
    try:
        return int(value, 0) if isinstance(value, str) else int(value)
    except (TypeError, ValueError) as exc:
        raise TransportError(f"printer.{name}: expected a number, got {value!r}") from exc


def open_printer(transport: str = "network", **params: Any) -> Escpos:
    """Build (not yet connect) a printer from [printer] settings.

    usb:     vid_pid="0416:5011" (or vendor_id/product_id), in_ep=0x82, out_ep=0x01, timeout=0
    serial:  device="/dev/ttyUSB0", baudrate=9600, timeout=1
    network: host="192.168.1.50", port=9100, timeout=10
    file:    path="/dev/usb/lp0" (a device node, or a file to capture bytes)
    dummy:   replies=[b"\\x12", ...] (tests)
    """
    kind = transport.lower()
    if kind == "network":
        host = params.get("host")
        if not host:
            raise TransportError("printer.host: required for transport=network")
        return NetworkPrinter(
            host=str(host),
            port=_int(params.get("port", 9100), "port"),
            timeout=float(params.get("timeout", 10)),
        )
    if kind == "serial":
        device = params.get("device")
        if not device:
            raise TransportError("printer.device: required for transport=serial")
        return SerialPrinter(
            devfile=str(device),
            baudrate=_int(params.get("baudrate", 9600), "baudrate"),
            timeout=float(params.get("timeout", 1)),
            dsrdtr=bool(params.get("dsrdtr", True)),
        )
    if kind == "file":
        path = params.get("path")
        if not path:
            raise TransportError("printer.path: required for transport=file")
        return FilePrinter(devfile=str(path))
    if kind == "usb":
        if "vid_pid" in params:
            try:
                vid, pid = str(params["vid_pid"]).split(":")
            except ValueError as exc:
                raise TransportError(
                    f"printer.vid_pid: expected VVVV:PPPP, got {params['vid_pid']!r}"
                ) from exc
            vendor, product = int(vid, 16), int(pid, 16)
        else:
            vendor = _int(params.get("vendor_id"), "vendor_id")
            product = _int(params.get("product_id"), "product_id")
        return _usb_printer(
            idVendor=vendor,
            idProduct=product,
            in_ep=_int(params.get("in_ep", 0x82), "in_ep"),
            out_ep=_int(params.get("out_ep", 0x01), "out_ep"),
            timeout=_int(params.get("timeout", 0), "timeout"),
        )
    if kind == "dummy":
        return DummyPrinter(replies=params.get("replies"))
    raise TransportError(
        f"printer.transport: unknown transport {transport!r}; expected one of {', '.join(TRANSPORTS)}"
    )


def query_status_replies(
    printer: Escpos, timeout: float
) -> tuple[bytes | None, bytes | None, bytes | None]:
    """Send DLE EOT 1, 2, 4 one at a time and collect each reply (b"" = silence)."""
    from drivers.printer.status import DLE_EOT_OFFLINE, DLE_EOT_PAPER, DLE_EOT_PRINTER

    if not isinstance(printer, StatusReader):
        return None, None, None
    printer.drain_input()
    replies: list[bytes | None] = []
    for query in (DLE_EOT_PRINTER, DLE_EOT_OFFLINE, DLE_EOT_PAPER):
        printer._raw(query)
        reply = printer.read_reply(timeout)
        if reply is None:
            return None, None, None
        replies.append(reply)
        if reply == b"" and not replies[:-1]:
            # First query met silence: the printer is not answering; skip the other waits.
            return b"", b"", b""
    return replies[0], replies[1], replies[2]
