"""Transports from settings: serial over a real pseudo-terminal, file capture, bad settings."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.printer.driver import PrinterDriver
from drivers.printer.profiles import ProfileError, load_profile
from drivers.printer.render import TicketRenderer, example_data
from drivers.printer.status import PrinterState
from drivers.printer.transport import (
    FilePrinter,
    NetworkPrinter,
    SerialPrinter,
    TransportError,
    open_printer,
)
from drivers.printer.virtual import VirtualPrinter

ROOT = Path(__file__).resolve().parents[3]


def test_factory_builds_each_transport_from_settings():
    assert isinstance(open_printer("network", host="10.0.0.5", port="9100"), NetworkPrinter)
    serial = open_printer("serial", device="/dev/ttyS0", baudrate=115200)
    assert isinstance(serial, SerialPrinter) and serial.baudrate == 115200
    assert isinstance(open_printer("file", path="/dev/usb/lp0"), FilePrinter)


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [("network", {}, "printer.host"), ("serial", {}, "printer.device"),
     ("file", {}, "printer.path"), ("usb", {"vid_pid": "0416"}, "printer.vid_pid"),
     ("bluetooth", {}, "unknown transport")],
)
def test_bad_transport_settings_name_the_key(kind, params, message):
    with pytest.raises(TransportError, match=message):
        open_printer(kind, **params)


def test_unknown_model_and_bad_override_name_the_key():
    with pytest.raises(ProfileError, match=r"printer\.model"):
        load_profile("no-such-printer")
    with pytest.raises(ProfileError, match=r"printer\.columns"):
        load_profile("generic-80", columns=40)
    assert load_profile("generic-80", chinese_mode=False).chinese_mode is False


def test_serial_printer_over_a_pty(tmp_path):
    vp = VirtualPrinter(tmp_path, paper_mm=58)
    device = vp.start_pty()
    driver = PrinterDriver("serial", {"device": device, "baudrate": 9600, "timeout": 1},
                           load_profile("generic-58"), status_timeout_s=0.5)
    try:
        assert driver.status().state is PrinterState.OK
        vp.set_state("cover_open")
        assert driver.status().state is PrinterState.COVER_OPEN
        vp.set_state("ok")
        result = driver.print_job("queue_ticket", example_data("queue_ticket"))
        assert result.printed
        assert vp.wait_for_tickets(1)
        assert "婚姻登记" in vp.tickets[0].text
    finally:
        driver.close()
        vp.stop()


def test_plain_file_captures_bytes_but_cannot_vouch_for_paper(tmp_path):
    capture = tmp_path / "job.bin"
    driver = PrinterDriver("file", {"path": str(capture)}, load_profile("generic-80"))
    result = driver.print_job("queue_ticket", example_data("queue_ticket"))
    driver.close()
    # a plain file never answers DLE EOT: unknown, and the flow shows the ticket on screen
    assert (result.printed, result.reason_key) == (False, "printer.no_answer")
    assert capture.read_bytes() == b"\x10\x04\x01"  # the query went out; no job followed it


def test_sample_command_writes_exact_bytes_and_png(tmp_path):
    out_bin, out_png = tmp_path / "t.bin", tmp_path / "t.png"
    proc = subprocess.run(
        [sys.executable, "-m", "drivers.printer.sample", "queue_ticket", "--bytes", str(out_bin),
         "--png", str(out_png), "--width", "58"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    expected = TicketRenderer(load_profile("generic-58")).render_bytes(
        "queue_ticket", example_data("queue_ticket"))
    assert out_bin.read_bytes() == expected
    assert json.loads(proc.stdout)["bytes"] == len(expected)
    from PIL import Image

    with Image.open(out_png) as png:
        assert png.width == 384 + 32  # 58 mm paper: 384 dots plus margins
    vp = VirtualPrinter(tmp_path / "vp", render_png=False)
    assert "C023" in vp.read_file(out_bin)[0].text


def test_sample_command_rejects_unknown_template(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "drivers.printer.sample", "nope", "--bytes", str(tmp_path / "x")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2 and "unknown template" in proc.stderr


def test_standalone_virtual_printer_command(tmp_path):
    """`python -m drivers.printer.virtual --port 0 --out DIR` serves real TCP clients."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "drivers.printer.virtual", "--port", "0", "--out", str(tmp_path),
         "--paper", "58"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    try:
        banner = proc.stdout.readline()
        port = int(banner.split("127.0.0.1:")[1].split(",")[0])
        driver = PrinterDriver("network", {"host": "127.0.0.1", "port": port},
                               load_profile("generic-58"), status_timeout_s=1.0)
        result = driver.print_job("test_page", example_data("test_page"))
        driver.close()
        assert result.printed
        line = proc.stdout.readline()  # "<png path>: N lines, QR [...]"
        assert "TEST-QR-0001" in line
        assert Path(line.split(":")[0]).is_file()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_preview_png_of_a_ticket_that_did_not_print(tmp_path):
    from PIL import Image
    from pyzbar.pyzbar import decode as zbar_decode

    driver = PrinterDriver("dummy", {}, load_profile("generic-80"))
    path = driver.preview_png("queue_ticket", example_data("queue_ticket"),
                              str(tmp_path / "p.png"))
    found = [s.data.decode() for s in zbar_decode(Image.open(path))]
    assert found == ["https://hall.example/q/C023-20261123"]
