"""USB printing out of the box (issue 14): kiosk.toml's default transport is usb.

Mocked: only the physical USB device, which cannot exist here. ``usb.core.find`` answers with
``FakeUsbPrinter``, an object with pyusb's Device methods whose bulk OUT endpoint feeds the
virtual printer's ESC/POS decoder and whose bulk IN endpoint returns the decoder's status
replies. Everything above it is real: pyusb's exceptions, python-escpos's ``Usb`` printer class
(open, kernel-driver detach, set_configuration, write, close) inside our ``UsbPrinter``, the
ticket renderer's ESC/POS bytes and the status interpretation.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any

import pytest
import usb.backend.libusb1
import usb.core

from drivers.printer.driver import PrinterDriver
from drivers.printer.profiles import load_profile
from drivers.printer.render import example_data
from drivers.printer.status import PrinterState
from drivers.printer.virtual import VirtualPrinter

VENDOR, PRODUCT = 0x0416, 0x5011
OUT_EP, IN_EP = 0x01, 0x82


class _Context:
    """pyusb's per-device resource context: escpos's close() disposes of it."""

    def __init__(self) -> None:
        self.disposed = 0

    def dispose(self, device: Any, close_handle: bool = True) -> None:
        self.disposed += 1


class FakeUsbPrinter:
    """A USB printer-class device on the bench: the one mocked part (see the module docstring)."""

    backend = usb.backend.libusb1.get_backend()  # escpos detaches the kernel driver only on libusb1

    def __init__(self, printer: VirtualPrinter, *, answers: bool = True) -> None:
        self.idVendor, self.idProduct = VENDOR, PRODUCT
        self.printer = printer
        self.answers = answers
        self.pending = bytearray()
        self.written = bytearray()
        self.kernel_driver_attached = True  # usblp claims a printer-class device when plugged
        self.configured = False
        self._ctx = _Context()

    def is_kernel_driver_active(self, interface: int) -> bool:
        return self.kernel_driver_attached

    def detach_kernel_driver(self, interface: int) -> None:
        self.kernel_driver_attached = False

    def set_configuration(self, configuration: Any = None) -> None:
        self.configured = True

    def reset(self) -> None:
        pass

    def _check(self, endpoint: int, expected: int) -> None:
        if not self.configured or self.kernel_driver_attached:
            raise usb.core.USBError("Resource busy", errno=16)
        if endpoint != expected:
            raise usb.core.USBError("Pipe error", errno=32)

    def write(self, endpoint: int, data: bytes, timeout: int | None = None) -> int:
        self._check(endpoint, OUT_EP)
        self.written += bytes(data)
        replies = self.printer.feed(bytes(data))
        if self.answers:
            self.pending += replies
        return len(data)

    def read(self, endpoint: int, size: int, timeout: int | None = None) -> array[int]:
        self._check(endpoint, IN_EP)
        if not self.pending:
            raise usb.core.USBTimeoutError("Operation timed out", errno=110)
        chunk, self.pending[:size] = bytes(self.pending[:size]), b""
        return array("B", chunk)


@pytest.fixture
def plugged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """Plug a fake USB printer in: ``usb.core.find`` finds it by VID:PID, as libusb would."""
    devices: list[FakeUsbPrinter] = []

    def find(**match: Any) -> FakeUsbPrinter | None:
        return next((d for d in devices if all(getattr(d, k) == v for k, v in match.items())), None)

    monkeypatch.setattr(usb.core, "find", find)

    def plug(**options: Any) -> FakeUsbPrinter:
        device = FakeUsbPrinter(VirtualPrinter(tmp_path / "paper", paper_mm=80), **options)
        devices.append(device)
        return device

    return plug


def usb_driver() -> PrinterDriver:
    return PrinterDriver("usb", {"vid_pid": f"{VENDOR:04x}:{PRODUCT:04x}"},
                         load_profile("generic-80"), status_timeout_s=0.3)


def test_a_ticket_prints_over_usb_and_the_status_comes_back(plugged: Any) -> None:
    device = plugged()
    driver = usb_driver()
    try:
        assert driver.status().state is PrinterState.OK
        assert not device.kernel_driver_attached and device.configured  # escpos's own open()
        device.printer.set_state("cover_open")
        assert driver.status().state is PrinterState.COVER_OPEN
        device.printer.set_state("ok")
        result = driver.print_job("queue_ticket", example_data("queue_ticket"))
        assert result.printed
        assert device.printer.wait_for_tickets(1)
        ticket = device.printer.tickets[0]
        assert "婚姻登记" in ticket.text  # GB18030 inside the printer's Chinese mode
        assert b"\x1c&" in device.written  # FS & : Chinese mode on, which escpos 3.1 never sends
        assert device.written.count(b"\x10\x04") >= 3  # DLE EOT asked before printing
    finally:
        driver.close()
    assert device._ctx.disposed == 1  # the interface is released


def test_an_unplugged_usb_printer_is_not_connected_never_ok(plugged: Any) -> None:
    driver = usb_driver()  # nothing plugged: libusb finds no such device
    status = driver.status()
    assert status.state is PrinterState.UNKNOWN and not status.can_print
    assert status.reason_key == "printer.not_connected"
    device = plugged()  # plugged in later: the next status query finds it
    assert driver.status().state is PrinterState.OK
    driver.close()
    assert device.written


def test_a_usb_printer_that_does_not_answer_is_unknown_not_ok(plugged: Any) -> None:
    """escpos 3.1 reports paper OK when the printer says nothing (hardware.md); here the bulk IN
    endpoint times out, as a printer with status replies switched off does."""
    plugged(answers=False)
    driver = usb_driver()
    try:
        status = driver.status()
        assert status.state is PrinterState.UNKNOWN and not status.can_print
    finally:
        driver.close()
