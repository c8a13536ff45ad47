"""Fixtures for the printer tests: a virtual printer on a real TCP socket on 127.0.0.1."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # the lead's pytest config may already do this
    sys.path.insert(0, str(ROOT))

from drivers.printer.driver import PrinterDriver  # noqa: E402
from drivers.printer.profiles import load_profile  # noqa: E402
from drivers.printer.virtual import VirtualPrinter  # noqa: E402


@pytest.fixture(params=[80, 58], ids=["80mm", "58mm"])
def paper_mm(request):
    return request.param


@pytest.fixture
def virtual_printer(tmp_path, paper_mm):
    vp = VirtualPrinter(tmp_path / "paper", paper_mm=paper_mm)
    vp.port = vp.start_tcp(port=0)
    yield vp
    vp.stop()


@pytest.fixture
def driver(virtual_printer, paper_mm):
    d = PrinterDriver(
        "network",
        {"host": "127.0.0.1", "port": virtual_printer.port, "timeout": 5},
        profile=load_profile(f"generic-{paper_mm}"),
        status_timeout_s=0.3,
    )
    yield d
    d.close()
