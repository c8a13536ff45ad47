"""Whether the citizen is using keys (a hardware keypad or keyboard) or the touch screen.

Screens show the focus ring and move focus to the first control of each new screen only while
keys are in use: a touch user sees no stray highlight, a keypad user always sees where they are.
Installed on the QGuiApplication next to the lock-down filter; it only watches, never eats.
"""

from __future__ import annotations

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QEvent, QMetaObject, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QWindow

from kiosk.ui.qtproperty import Property

_KEY = QEvent.Type.KeyPress
_RELEASE = QEvent.Type.KeyRelease
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


_NOT_TYPING = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
               | Qt.KeyboardModifier.MetaModifier)


class HardwareTyping(QObject):
    """A hardware keyboard types Chinese like the on-screen keys: through the pinyin input method.

    Qt hands a USB keyboard's letters straight to the text field as Latin; this filter passes
    them (and, while pinyin is being typed, Backspace, Space, Enter and 1-9) to the on-screen
    keyboard's input engine instead (Keyboard.qml ``typeHardwareKey``), which decides: in
    English, or with no text field focused, the key goes on as before. Only keys from the
    device (spontaneous) are taken, so keys the input method sends itself pass.
    """

    def __init__(self, window: QWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._taken: set[int] = set()  # keys pressed into the input method: their releases too

    def _panel(self) -> QObject | None:
        loader = self._window.findChild(QObject, "keyboardLoader")
        return loader.property("item") if loader is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._window or not isinstance(event, QKeyEvent):
            return False
        if event.type() == _RELEASE:
            # The input method commits its pinyin at any hardware key event it sees, a release
            # included: the release of a key typed into it must not reach it.
            if event.key() in self._taken:
                if not event.isAutoRepeat():
                    self._taken.discard(event.key())
                return True
            return False
        if (event.type() != _KEY or not event.spontaneous()
                or event.modifiers() & _NOT_TYPING):
            return False
        panel = self._panel()
        if panel is None:
            return False
        typed = bool(QMetaObject.invokeMethod(panel, "typeHardwareKey",
                                              Qt.ConnectionType.DirectConnection,
                                              Q_RETURN_ARG(bool), Q_ARG(int, event.key()),
                                              Q_ARG(str, event.text())))
        if typed:
            self._taken.add(event.key())
        return typed
