"""End-to-end fixtures: one simulated hall per test module (centre, reader, printer).

The reference centre starts with ``--open-all-hours`` so staffed matters take numbers whatever
the hour the suite runs at (the closed/quota branches are covered by the flow tests).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import Settings
from kiosk.simulation import Simulation


class AllHoursSimulation(Simulation):
    """The standard simulation: every matter of the demo hall open, and staffed, around the clock."""


def running_hall(workdir: Path, **options: Any) -> Iterator[tuple[Simulation, Settings]]:
    """Start a simulated hall in ``workdir`` (``options`` go to Simulation), stop it after."""
    base = (Settings().replace("kiosk", data_dir=str(workdir / "var"))
            .replace("display", fullscreen=False, width=1080, height=1920, diagonal_inches=21.5)
            .replace("ui", voice_engine="mock"))  # Qt's silent engine, as tests/conftest.py
    simulation = AllHoursSimulation(workdir / "sim", **options)
    settings = simulation.start(base)
    try:
        yield simulation, settings
    finally:
        simulation.stop()


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Simulation, Settings]]:
    """A running simulated hall and the settings that point a kiosk at it."""
    yield from running_hall(tmp_path_factory.mktemp("hall"))


@pytest.fixture
def centre_get(hall: tuple[AllHoursSimulation, Settings]) -> Callable[..., Any]:
    """GET a JSON answer from the simulated centre as this kiosk or as staff."""
    info = hall[0].central_info

    def get(path: str, *, staff: bool = False) -> Any:
        token = info["staff_token"] if staff else info["kiosk_token"]
        request = urllib.request.Request(info["url"] + path,
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.loads(answer.read())

    return get


@pytest.fixture
def kiosk(hall: tuple[AllHoursSimulation, Settings], make_app: Callable[..., Any],
          qtbot: Any, tmp_path: Path) -> Any:
    """A kiosk app on the shared hall, with the configuration received from the centre."""
    simulation, settings = hall
    settings = settings.replace("kiosk", data_dir=str(tmp_path / "var"))
    app = make_app(settings, simulation=simulation)
    qtbot.waitUntil(lambda: app.services is not None and app.services.catalogue is not None,
                    timeout=10_000)
    return app


@pytest.fixture
def screen(qtbot: Any) -> Callable[[Any, str], None]:
    """Wait (bounded) until the visible screen has this screenName."""

    def wait_for(app: Any, name: str, timeout: int = 8000) -> None:
        qtbot.waitUntil(lambda: app.window.property("currentName") == name, timeout=timeout)

    return wait_for
