"""Keys or touch: the input mode behind the focus ring follows the citizen's last input."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent

from kiosk.ui.keynav import InputMode


def test_a_key_turns_keys_on_and_a_touch_turns_them_off(qapp: Any) -> None:
    mode = InputMode()
    changes: list[bool] = []
    mode.keysChanged.connect(lambda: changes.append(mode.keys))
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
    press = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(5, 5), QPointF(5, 5),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier)
    assert not mode.keys
    assert mode.eventFilter(mode, key) is False  # it only watches: the key still arrives
    assert mode.eventFilter(mode, key) is False
    assert mode.keys
    mode.eventFilter(mode, press)
    assert not mode.keys
    assert changes == [True, False]  # one change each, not one per event
