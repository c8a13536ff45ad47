"""Simulation mode's developer shortcuts put test cards on the simulated reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from drivers.idcard.cards import VALID_CARDS
from kiosk.config import Settings
from kiosk.simulation import Simulation

Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL_SHIFT = Mod.ControlModifier | Mod.ShiftModifier


def press(simulation: Simulation, key: Qt.Key, modifiers: Any = CTRL_SHIFT) -> bool:
    return simulation.shortcuts.eventFilter(None, QKeyEvent(QEvent.Type.KeyPress, key, modifiers))


@pytest.fixture
def simulation(tmp_path: Path, qapp: Any) -> Any:
    simulation = Simulation(tmp_path)
    simulation.start(Settings().replace("kiosk", data_dir=str(tmp_path / "var")), central=False)
    yield simulation
    simulation.stop()


# On a real US-layout keyboard Ctrl+Shift+2 arrives as "@": seen under Xvfb, where the
# shortcut placed nothing while only the digit keys were mapped.
@pytest.mark.parametrize(("key", "index"), [(Key.Key_1, 0), (Key.Key_Exclam, 0), (Key.Key_At, 1),
                                            (Key.Key_9, 8), (Key.Key_ParenLeft, 8)])
def test_ctrl_shift_digit_places_that_test_card(simulation: Simulation, key: Qt.Key,
                                                index: int) -> None:
    assert press(simulation, key)
    assert simulation.card_simulator.card is VALID_CARDS[index % len(VALID_CARDS)]


@pytest.mark.parametrize("key", [Key.Key_0, Key.Key_ParenRight])
def test_ctrl_shift_zero_takes_the_card_away(simulation: Simulation, key: Qt.Key) -> None:
    press(simulation, Key.Key_1)
    assert press(simulation, key)
    assert simulation.card_simulator.card is None


def test_other_keys_pass_through(simulation: Simulation) -> None:
    assert not press(simulation, Key.Key_1, Mod.ControlModifier)  # no Shift: not a shortcut
    assert not press(simulation, Key.Key_A)
    assert simulation.card_simulator.card is None
