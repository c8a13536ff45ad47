"""Fixtures for the maintenance tests: a simulated hall (centre, reader, printer) and a PIN."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import logging
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kiosk.config import Settings
from kiosk.services.pin import hash_pin
from kiosk.simulation import Simulation

PIN = "246810"
PIN_HASH = hash_pin(PIN)  # once per run: the hash is slow by design


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Simulation, Settings]]:
    """The simulators (local centre, virtual printer, card reader), shared by a test module."""
    workdir = tmp_path_factory.mktemp("service-hall")
    simulation = Simulation(workdir / "sim")
    simulated = simulation.start(Settings())
    yield simulation, simulated
    simulation.stop()


@pytest.fixture
def pin_settings(settings: Settings) -> Settings:
    return settings.replace("service", pin_hash=PIN_HASH)


@pytest.fixture
def hall_settings(hall: tuple[Simulation, Settings], pin_settings: Settings) -> Settings:
    """The test's own settings (data folder, window) pointed at the shared simulators."""
    simulated = hall[1]
    return (pin_settings
            .replace("central", url=simulated.central.url, token=simulated.central.token,
                     public_key=simulated.central.public_key)
            .replace("kiosk", id=simulated.kiosk.id)
            .replace("reader", enabled=True, port=simulated.reader.port, baud=simulated.reader.baud)
            .replace("printer", enabled=True, transport="network", host=simulated.printer.host,
                     port=simulated.printer.port))


@pytest.fixture
def staff_get(hall: tuple[Simulation, Settings]) -> Callable[[str], Any]:
    """GET a JSON answer from the simulated centre with the staff token."""
    info = hall[0].central_info

    def get(path: str) -> Any:
        request = urllib.request.Request(info["url"] + path,
                                         headers={"Authorization": f"Bearer {info['staff_token']}"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.loads(answer.read())

    return get


@pytest.fixture
def enter_pin(qtbot: Any, tap: Callable[[Any, str], None]) -> Callable[[Any, str], None]:
    """Type a PIN on the pad by tapping its keys, press OK and wait for the check to finish."""

    def enter(app: Any, pin: str) -> None:
        for digit in pin:
            tap(app.window, f"pinDigit{digit}")
        assert app.maintenance.pinLength == len(pin)
        tap(app.window, "pinOk")
        qtbot.waitUntil(lambda: not app.maintenance.checker.busy, timeout=10_000)

    return enter



@pytest.fixture
def recent_log() -> Iterator[None]:
    """What logsetup.setup() does in the app: recent (redacted) lines kept for the menu."""
    from kiosk.logsetup import recent_lines

    logger = logging.getLogger("kiosk")
    level = logger.level
    logger.setLevel(logging.INFO)
    logging.getLogger().addHandler(recent_lines)
    yield
    logging.getLogger().removeHandler(recent_lines)
    logger.setLevel(level)
