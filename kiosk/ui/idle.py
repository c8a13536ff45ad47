"""Idle handling: after a quiet spell ask "Need more time?", count down, then reset the session.

The monitor watches every touch, mouse and key event of the application (an event filter), so
no screen has to remember to report activity.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal, Slot

from kiosk.ui.qtproperty import Property

_ACTIVITY = {
    QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress,
    QEvent.Type.Wheel, QEvent.Type.TabletPress,
}


class IdleMonitor(QObject):
    """Emits ``expired`` after ``timeout_ms`` + ``prompt_ms`` without user activity.

    While the prompt counts down, ``prompting`` is true and ``remaining`` counts seconds; any
    touch (or ``extend()``) ends the prompt. ``enabled`` is false on the home screen, where there
    is nothing to reset.
    """

    promptingChanged = Signal()
    remainingChanged = Signal()
    expired = Signal()

    def __init__(self, timeout_ms: int, prompt_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeout_ms = timeout_ms
        self._prompt_ms = prompt_ms
        self._scale = 1.0
        self._enabled = False
        self._prompting = False
        self._remaining = 0
        self._quiet = QTimer(self, singleShot=True)
        self._quiet.timeout.connect(self._start_prompt)
        self._tick = QTimer(self, interval=250)
        self._tick.timeout.connect(self._count_down)
        self._prompt_clock = QElapsedTimer()

    def set_times(self, timeout_ms: int, prompt_ms: int) -> None:
        """New quiet and countdown times (a config push, or a test that cannot wait a minute)."""
        self._timeout_ms, self._prompt_ms = timeout_ms, prompt_ms
        self._restart()

    @property
    def timeout_ms(self) -> int:
        """Quiet time before the prompt, before the elder-mode scale (set by pushed config)."""
        return self._timeout_ms

    def set_scale(self, scale: float) -> None:
        """Elder mode gives more time before asking."""
        self._scale = scale
        self._restart()

    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        if not enabled:
            self._quiet.stop()
            self._set_prompting(False)
        else:
            self._restart()

    @Slot()
    def extend(self) -> None:
        """The citizen asked for more time (or touched the screen)."""
        self._set_prompting(False)
        self._restart()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._enabled and event.type() in _ACTIVITY and (
            self._prompting or self._quiet.remainingTime() < self._quiet.interval() - 200
        ):
            # Restarting a timer on every event of a burst costs; 200 ms granularity is plenty.
            self.extend()
        return False

    def _restart(self) -> None:
        if self._enabled and not self._prompting:
            self._quiet.start(max(1, round(self._timeout_ms * self._scale)))

    def _start_prompt(self) -> None:
        self._prompt_clock.start()
        self._set_prompting(True)
        self._count_down()
        self._tick.start()

    def _count_down(self) -> None:
        left_ms = self._prompt_ms - self._prompt_clock.elapsed()
        remaining = max(0, math.ceil(left_ms / 1000))
        if remaining != self._remaining:
            self._remaining = remaining
            self.remainingChanged.emit()
        if left_ms <= 0:
            self._set_prompting(False)
            self.expired.emit()

    def _set_prompting(self, prompting: bool) -> None:
        if not prompting:
            self._tick.stop()
        if prompting != self._prompting:
            self._prompting = prompting
            self.promptingChanged.emit()

    @Property(bool, notify=promptingChanged)
    def prompting(self) -> bool:
        return self._prompting

    @Property(int, notify=remainingChanged)
    def remaining(self) -> int:
        return self._remaining
