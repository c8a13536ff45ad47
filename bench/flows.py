"""Tap-to-next-screen-painted latency over the citizen screens, and confirm-to-ticket time.

Runs the real kiosk offscreen (1080x1920) against the simulated reader, the virtual printer
and the local reference centre. A tap is a posted press/release at the button's centre, as a
touch screen delivers it; it counts as painted at the first frame swapped once the screen
shows what the tap leads to. Confirm-to-ticket runs from the confirm tap to the virtual
printer holding the whole ticket (its cut), i.e. the centre's answer plus printing.

    python -m bench.flows [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Driver:
    """Taps the running kiosk and times each tap until its result is on a swapped frame."""

    def __init__(self, app: Any) -> None:
        from PySide6.QtCore import QEventLoop

        self.app = app
        self._loop_flags = QEventLoop.ProcessEventsFlag.AllEvents
        self._waiting: tuple[Callable[[], bool], list[float]] | None = None
        app.window.frameSwapped.connect(self._on_frame)

    def _on_frame(self) -> None:
        if self._waiting is not None:
            condition, done = self._waiting
            if not done and condition():
                done.append(time.perf_counter())

    def pump(self, until: Callable[[], bool], timeout_s: float = 15.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not until():
            if time.monotonic() > deadline:
                raise TimeoutError("the kiosk did not get there in time")
            self.app.qt.processEvents(self._loop_flags, 2)

    def find(self, name: str) -> Any:
        """The visible item named ``name`` in the visual tree (topmost if several)."""
        from kiosk.ui.touch import find_visible

        return find_visible(self.app.window, name)

    def visible(self, name: str) -> bool:
        from kiosk.ui.touch import is_shown

        return is_shown(self.app.window, name)

    def tap(self, name: str, shows: Callable[[], bool]) -> float:
        """Tap ``name``; return ms until a frame showing ``shows()`` was swapped."""
        from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
        from PySide6.QtGui import QMouseEvent

        self.pump(lambda: self.visible(name))
        item = self.find(name)
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        global_centre = QPointF(self.app.window.mapToGlobal(centre.toPoint()))
        done: list[float] = []
        self._waiting = (shows, done)
        started = time.perf_counter()
        for kind, buttons in ((QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
                              (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton)):
            QCoreApplication.postEvent(self.app.window, QMouseEvent(
                kind, centre, global_centre, Qt.MouseButton.LeftButton, buttons,
                Qt.KeyboardModifier.NoModifier))
        self.pump(lambda: bool(done))
        self._waiting = None
        return (done[0] - started) * 1000


def screen_is(app: Any, name: str) -> Callable[[], bool]:
    return lambda: app.window.property("currentName") == name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from kiosk import logsetup
    from kiosk.app import KioskApp, prepare_environment
    from kiosk.config import load
    from kiosk.simulation import Simulation

    logsetup.setup(None, "WARNING")
    prepare_environment()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load(ROOT / "kiosk.toml").replace("kiosk", data_dir=tmp).replace(
            "display", fullscreen=False)
        simulation = Simulation(Path(tmp) / "sim")
        settings = simulation.start(settings)
        app = KioskApp(settings, windowed=True, simulation=simulation)
        driver = Driver(app)
        try:
            driver.pump(lambda: app.screens_ready and app.services.catalogue is not None)
            taps: list[float] = []
            confirm_to_ticket: list[float] = []
            printer = simulation.virtual_printer
            for _ in range(args.rounds):
                for entry in ("guide", "evaluation", "progress", "report"):
                    taps.append(driver.tap(f"entry_{entry}", lambda: app.shell.screen != "home"))
                    taps.append(driver.tap("homeButton", screen_is(app, "home")))
                taps.append(driver.tap("entry_ticket", lambda: driver.visible("zone_C")))
                taps.append(driver.tap("zone_C", lambda: driver.visible("matter_marriage-reg")))
                taps.append(driver.tap("matter_marriage-reg",
                                       lambda: driver.visible("continueButton")))
                taps.append(driver.tap("continueButton", lambda: driver.visible("confirmButton")))
                printed = printer.printed
                started = time.perf_counter()
                taps.append(driver.tap("confirmButton", lambda: driver.visible("ticketNumber")))
                driver.pump(lambda before=printed: printer.printed > before)
                confirm_to_ticket.append((time.perf_counter() - started) * 1000)
                taps.append(driver.tap("finishButton", screen_is(app, "home")))
        finally:
            app.close()
            simulation.stop()
    print(json.dumps({"bench": "flows", "taps": len(taps),
                      "tap_to_painted_p50_ms": round(statistics.median(taps), 1),
                      "tap_to_painted_p95_ms": round(percentile(taps, 0.95), 1),
                      "tap_to_painted_max_ms": round(max(taps), 1), "goal_p95_ms": 50}))
    print(json.dumps({"bench": "flows", "runs": len(confirm_to_ticket),
                      "confirm_to_ticket_median_ms": round(statistics.median(confirm_to_ticket), 1),
                      "confirm_to_ticket_max_ms": round(max(confirm_to_ticket), 1), "goal_ms": 300}))


if __name__ == "__main__":
    main()
