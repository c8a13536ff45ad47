"""End-to-end fixtures: one simulated hall per test module (centre, reader, printer).

The reference centre starts with ``--open-all-hours`` so staffed matters take numbers whatever
the hour the suite runs at (the closed/quota branches are covered by the flow tests).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import Settings
from kiosk.simulation import ROOT, Simulation, SimulationError


class AllHoursSimulation(Simulation):
    """The standard simulation, with every matter of the demo hall open around the clock."""

    def _start_central(self) -> None:
        database = self.workdir / "central.db"
        self.central = subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--demo", "--open-all-hours",
             "--host", "127.0.0.1", "--port", "0", "--database", str(database)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.central.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(30)
        self.central_info = json.loads(line[0]) if line and line[0].strip() else {}
        if not self.central_info.get("url"):
            self.stop()
            raise SimulationError("the local central service did not start")


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AllHoursSimulation, Settings]]:
    """A running simulated hall and the settings that point a kiosk at it."""
    workdir = tmp_path_factory.mktemp("hall")
    base = (Settings().replace("kiosk", data_dir=str(workdir / "var"))
            .replace("display", fullscreen=False, width=1080, height=1920, diagonal_inches=21.5))
    simulation = AllHoursSimulation(workdir / "sim")
    settings = simulation.start(base)
    yield simulation, settings
    simulation.stop()


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
