"""Maintenance: hidden entry, PIN pad, service menu, heartbeat, lock-down and watchdog wiring."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal


class Maintenance(QObject):
    """What QML sees as ``maintenance``: which maintenance layer (if any) covers the screen."""

    layerChanged = Signal()

    def __init__(self, app: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self._layer = ""

    @Property(str, notify=layerChanged)
    def layerUrl(self) -> str:
        """QML file (relative to kiosk/ui/qml) shown above everything, or '' for none."""
        return self._layer

    def stop(self) -> None:
        """Stop timers and workers (called when the app closes)."""


def install(app: Any) -> Maintenance:
    """Build the maintenance pieces for a running KioskApp (after its services started)."""
    return Maintenance(app, app.root)
