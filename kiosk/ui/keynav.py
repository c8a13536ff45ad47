"""Whether the citizen is using keys (a hardware keypad or keyboard) or the touch screen.

Screens show the focus ring and move focus to the first control of each new screen only while
keys are in use: a touch user sees no stray highlight, a keypad user always sees where they are.
Installed on the QGuiApplication next to the lock-down filter; it only watches, never eats.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal

from kiosk.ui.qtproperty import Property

_KEY = QEvent.Type.KeyPress
_POINTER = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)


class InputMode(QObject):
    """QML sees it as ``inputMode``; ``keys`` is true from a key press until the next touch."""

    keysChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys = False

    @Property(bool, notify=keysChanged)
    def keys(self) -> bool:
        return self._keys

    def set_keys(self, keys: bool) -> None:
        if keys != self._keys:
            self._keys = keys
            self.keysChanged.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == _KEY:
            self.set_keys(True)
        elif kind in _POINTER:
            self.set_keys(False)
        return False
