"""The kiosk window's hold on its screen: it covers the screen it is on and cannot be closed.

``ScreenFit`` sizes a fullscreen window to its screen's geometry, whatever the resolution or
orientation, and again whenever the output changes (a new mode, another monitor): kiosk.toml
names only the panel's physical size, the pixels come from the screen. Without a window
manager (Xvfb, a bare X server) nobody else resizes the window, and under cage the compositor's
size wins anyway. The theme's millimetres follow the same pixels.

``CloseGuard`` refuses every close request that reaches the window (Alt+F4 under a window
manager, its Close button, a Wayland compositor's close): the kiosk ends only through
``QCoreApplication.exit`` (service menu, SIGTERM), which closes no window.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QScreen, QWindow

log = logging.getLogger("kiosk.ui.window")


class ScreenFit(QObject):
    """Keeps ``window`` covering its screen and ``theme`` sized for that screen's pixels."""

    def __init__(self, window: QWindow, theme: Any, *, fullscreen: bool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._theme = theme
        self._fullscreen = fullscreen
        self._screen: QScreen | None = None
        window.screenChanged.connect(self._follow)
        self._follow(window.screen())

    def _follow(self, screen: QScreen | None) -> None:
        if self._screen is not None:
            self._screen.geometryChanged.disconnect(self._fit)
        self._screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self._fit)
            self._fit(screen.geometry())

    def _fit(self, geometry: QRect) -> None:
        screen = self._screen
        if screen is None:
            return
        if self._fullscreen:
            log.info("window fills screen %s: %dx%d", screen.name(), geometry.width(),
                     geometry.height())
            self._window.setGeometry(geometry)
            size, physical = geometry.size(), screen.physicalSize()
        else:  # development window: the configured size, millimetres from the configured panel
            size, physical = self._window.size(), None
        self._theme.fit(size.width(), size.height(),
                        (physical.width(), physical.height()) if physical else None)


class CloseGuard(QObject):
    """Event filter on the kiosk window: a close request from outside the kiosk is refused."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.refused = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.refused += 1
            log.warning("close request refused (Alt+F4 or the window manager; %d so far)",
                        self.refused)
            event.ignore()
            return True
        return False
