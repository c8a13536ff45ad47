"""Fault-injection fixtures: the whole kiosk on a simulated hall whose parts can be broken.

One hall per test module: the reference centre as its own process (stopped and restarted on
the same port and database), a ``FaultProxy`` between kiosk and centre (500s, garbage, a slow
centre, TLS), the simulated SAM_V reader on a pty (unplug/replug, drop-out mid-frame) and the
virtual ESC/POS printer on TCP (paper out mid-ticket, cover open, unplugged). The kiosk is the
real app, tapped through its QML; what was delivered is read from the centre's database.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import Settings
from tests.faults.hall import FaultHall, running_fault_hall


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FaultHall, Settings]]:
    yield from running_fault_hall(tmp_path_factory.mktemp("faulthall"))


@pytest.fixture
def start_kiosk(hall: tuple[FaultHall, Settings], make_app: Callable[..., Any], qtbot: Any,
                tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Build a kiosk on the hall (optionally with changed [central] settings) once its
    catalogue is in; every fault is mended afterwards, pass or fail, for the next test."""
    simulation, settings = hall

    def start(**central: Any) -> Any:
        mine = settings.replace("kiosk", data_dir=str(tmp_path / "var"))
        if central:
            mine = mine.replace("central", **central)
        app = make_app(mine, simulation=simulation)
        qtbot.waitUntil(lambda: app.services.catalogue is not None, timeout=15_000)
        return app

    yield start
    mend(simulation)


@pytest.fixture
def kiosk(start_kiosk: Callable[..., Any]) -> Any:
    """A kiosk on the shared hall with its configuration from the centre."""
    return start_kiosk()


def mend(simulation: FaultHall) -> None:
    """Centre up, relay passing, reader plugged and empty, printer plugged with paper."""
    assert simulation.proxy is not None
    simulation.proxy.tls = None
    simulation.proxy.response_delay_s = 0.0
    simulation.proxy.set_mode("pass")
    if simulation.centre.process is None:
        simulation.centre.restart()
    simulation.card_simulator.clear_fault()
    simulation.card_simulator.replug()
    simulation.card_simulator.remove()
    if simulation.virtual_printer is None or simulation.virtual_printer._stop.is_set():
        simulation.replug_printer()
    simulation.virtual_printer.set_state("ok")


@pytest.fixture
def screen(qtbot: Any) -> Callable[..., None]:
    """Wait (bounded) until the visible screen has this screenName."""

    def wait_for(app: Any, name: str, timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: app.window.property("currentName") == name, timeout=timeout)

    return wait_for


@pytest.fixture
def shown(find: Callable[[Any, str], Any]) -> Callable[[Any, str], str]:
    """The text of a visible item, '' when it is not on screen."""

    def text(app: Any, name: str) -> str:
        try:
            return str(find(app.window, name).property("text"))
        except LookupError:
            return ""

    return text
