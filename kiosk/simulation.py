"""Simulation mode: a simulated ID card reader, a virtual printer and a local central service.

Each stand-in speaks the real protocol (SAM frames over a pseudo-terminal, ESC/POS over TCP,
HTTP on 127.0.0.1), so the kiosk runs its real drivers and client against them. They are started
and stopped with the app; nothing here is visible to citizens.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from kiosk.config import Settings

if TYPE_CHECKING:
    from drivers.idcard.simulator import CardSimulator
    from drivers.printer.virtual import VirtualPrinter

log = logging.getLogger("kiosk.simulation")
ROOT = Path(__file__).resolve().parents[1]


def _die_with_parent() -> None:
    """In the child: ask Linux to end it when the kiosk dies, even by SIGKILL (no orphans)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class SimulationError(RuntimeError):
    """A stand-in device or the local centre could not be started."""


#: Ctrl+Shift+digit arrives as the digit's key, or on a US layout (as Chinese keyboards are) as
#: the symbol Shift puts on it: Shift+1 is "!", Shift+2 "@" ...
_SHORTCUT_DIGITS = {
    **{getattr(Qt.Key, f"Key_{n}"): n for n in range(10)},
    **{key: n for n, key in enumerate(
        (Qt.Key.Key_ParenRight, Qt.Key.Key_Exclam, Qt.Key.Key_At, Qt.Key.Key_NumberSign,
         Qt.Key.Key_Dollar, Qt.Key.Key_Percent, Qt.Key.Key_AsciiCircum, Qt.Key.Key_Ampersand,
         Qt.Key.Key_Asterisk, Qt.Key.Key_ParenLeft))},
}


class DeveloperShortcuts(QObject):
    """Ctrl+Shift+1..9 places a test card on the simulated reader, Ctrl+Shift+0 removes it.

    Keyboard only, and only in simulation mode: nothing a citizen could see or reach.
    """

    def __init__(self, simulation: Simulation) -> None:
        super().__init__()
        self._simulation = simulation

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        event = cast(QKeyEvent, event)
        mods = event.modifiers()
        wanted = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if (mods & wanted) != wanted:
            return False
        digit = _SHORTCUT_DIGITS.get(event.key())
        if digit is None:
            return False
        if digit == 0:
            self._simulation.remove_card()
        else:
            self._simulation.place_card(digit - 1)
        return True


class Simulation:
    """Starts the stand-ins and rewrites the settings to point at them."""

    def __init__(self, workdir: Path, *, open_all_hours: bool = True,
                 centre_limits: bool = True) -> None:
        self.workdir = workdir
        # The centre's per-kiosk and per-person limits, as a real hall has them. A soak driver
        # serving a citizen a second turns them off: no person takes numbers that fast.
        self.centre_limits = centre_limits
        # Every matter open, and staff on site, at any hour: a developer at night still sees
        # the whole flow. False keeps the demo hall's real hours (tests of the night).
        self.open_all_hours = open_all_hours
        self.shortcuts = DeveloperShortcuts(self)
        self.card_simulator: CardSimulator | None = None
        self.virtual_printer: VirtualPrinter | None = None
        self.central: subprocess.Popen[str] | None = None
        self.central_info: dict[str, Any] = {}

    def start(self, settings: Settings, *, central: bool = True) -> Settings:
        self.workdir.mkdir(parents=True, exist_ok=True)
        if central:
            self._start_central()
        settings = self._start_reader(settings)
        settings = self._start_printer(settings)
        if self.central_info:
            settings = settings.replace(
                "central", url=self.central_info["url"], token=self.central_info["kiosk_token"],
                public_key=self.central_info.get("public_key", ""))
            settings = settings.replace("kiosk", id=self.central_info["kiosk_id"])
        return settings

    def _start_central(self) -> None:
        database = self.workdir / "central.db"
        self.central = subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--demo",
             *(["--open-all-hours"] if self.open_all_hours else []),
             *([] if self.centre_limits else ["--kiosk-ticket-rate", "0", "--person-tickets",
                                              "0", "--kiosk-lookup-rate", "0"]),
             "--host", "127.0.0.1",
             "--port", "0", "--database", str(database)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            preexec_fn=_die_with_parent)
        line: list[str] = []
        stdout = self.central.stdout
        assert stdout is not None  # stdout=PIPE
        reader = threading.Thread(target=lambda: line.append(stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(30)
        try:
            self.central_info = json.loads(line[0]) if line and line[0] else {}
        except json.JSONDecodeError:
            self.central_info = {}
        if not self.central_info.get("url"):
            self.stop()
            raise SimulationError("the local central service did not start (python -m central serve --demo)")
        log.info("simulated centre at %s", self.central_info["url"])

    def _start_reader(self, settings: Settings) -> Settings:
        from drivers.idcard.simulator import CardSimulator

        self.card_simulator = CardSimulator()
        port = self.card_simulator.open_pty()
        log.info("simulated ID card reader at %s", port)
        return settings.replace("reader", enabled=True, port=str(port), baud=115200)

    def _start_printer(self, settings: Settings) -> Settings:
        from drivers.printer.virtual import VirtualPrinter

        out = self.workdir / "tickets"
        out.mkdir(exist_ok=True)
        self.virtual_printer = VirtualPrinter(out, paper_mm=settings.printer.paper_mm)
        port = self.virtual_printer.start_tcp(port=0)
        log.info("virtual printer on 127.0.0.1:%s, tickets in %s", port, out)
        return settings.replace("printer", enabled=True, transport="network",
                                host="127.0.0.1", port=port)

    def place_card(self, which: int | str = 0) -> None:
        """Developer shortcut: put a test card (by index or label) on the simulated reader."""
        from drivers.idcard.cards import CARDS, VALID_CARDS

        card = CARDS[which] if isinstance(which, str) else VALID_CARDS[which % len(VALID_CARDS)]
        log.info("simulated card placed")
        assert self.card_simulator is not None, "the simulation is not running"
        self.card_simulator.place(card)

    def remove_card(self) -> None:
        assert self.card_simulator is not None, "the simulation is not running"
        self.card_simulator.remove()

    def stop(self) -> None:
        if self.card_simulator is not None:
            self.card_simulator.close()
            self.card_simulator = None
        if self.virtual_printer is not None:
            self.virtual_printer.stop()
            self.virtual_printer = None
        if self.central is not None:
            self.central.terminate()
            try:
                self.central.wait(10)
            except subprocess.TimeoutExpired:
                self.central.kill()
            if self.central.stdout:
                self.central.stdout.close()
            self.central = None
