"""Kiosk lock-down: swallow keys and menus that would leave the app, hide the cursor, keep the screen on.

Also home of ``HiddenEntryWatcher``, the app-wide watcher that feeds touches to the hidden
service-menu gesture (it needs the same vantage point: every event before any item sees it).

``LockdownFilter`` is installed on the QGuiApplication, so it sees every key and mouse event before
any window or QML item does. It drops only what would leave or switch the app (Alt+F4, Alt+Tab,
Ctrl+Q, Ctrl+W, Esc, F11, the Super key and Super+anything) plus context menus and right-clicks;
plain Tab, digits, Enter and the arrows pass, because keyboard users navigate with them.
Shortcuts the compositor grabs itself (Ctrl+Alt+F1 and the like) never reach the app: those are
turned off in the session (see deploy/README.md).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCursor,
    QGuiApplication,
    QInputDevice,
    QKeyEvent,
    QMouseEvent,
    QTouchEvent,
    QWindow,
)

from kiosk.services.gesture import HiddenEntryGesture

log = logging.getLogger("kiosk.ui.lockdown")

Key, Mod = Qt.Key, Qt.KeyboardModifier
_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)
_MOUSE_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                 QEvent.Type.MouseButtonDblClick)
_SUPER_KEYS = (Key.Key_Meta, Key.Key_Super_L, Key.Key_Super_R, Key.Key_Hyper_L, Key.Key_Hyper_R)
_TOUCH_EVENTS = {QEvent.Type.TouchBegin: "press", QEvent.Type.TouchUpdate: "move",
                 QEvent.Type.TouchEnd: "release", QEvent.Type.TouchCancel: "release"}
_POINTER_EVENTS = {QEvent.Type.MouseButtonPress: "press", QEvent.Type.MouseMove: "move",
                   QEvent.Type.MouseButtonRelease: "release"}
_RELEVANT = Mod.ShiftModifier | Mod.ControlModifier | Mod.AltModifier | Mod.MetaModifier


def blocked_shortcut(key: int, modifiers: Qt.KeyboardModifier) -> str | None:
    """The name of the escape shortcut this key press is, or None for an ordinary key."""
    key = Key(key)
    mods = modifiers & _RELEVANT
    if key in _SUPER_KEYS or mods & Mod.MetaModifier:
        return "Super"
    if key == Key.Key_Escape:
        return "Esc"
    if key == Key.Key_F11:
        return "F11"
    if mods & Mod.AltModifier:
        if key == Key.Key_F4:
            return "Alt+F4"
        if key in (Key.Key_Tab, Key.Key_Backtab):
            return "Alt+Tab"
    if mods & Mod.ControlModifier and key in (Key.Key_Q, Key.Key_W):
        return f"Ctrl+{chr(key)}"
    return None


class LockdownFilter(QObject):
    """Application-wide event filter; ``swallowed`` counts what it dropped, by name."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.swallowed: Counter[str] = Counter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _KEY_EVENTS and isinstance(event, QKeyEvent):
            name = blocked_shortcut(event.key(), event.modifiers())
            if name is None:
                return False
            if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
                self.swallowed[name] += 1
                log.info("swallowed %s", name)
            event.accept()
            return True
        if kind == QEvent.Type.ContextMenu:
            self.swallowed["context menu"] += 1
            return True
        if kind in _MOUSE_EVENTS and isinstance(event, QMouseEvent) and (
                event.button() != Qt.MouseButton.LeftButton):
            if kind == QEvent.Type.MouseButtonPress:
                self.swallowed["right-click"] += 1
            return True
        return False


def install_lockdown(app: QGuiApplication, *, hide_cursor: bool) -> LockdownFilter:
    """Install the filter on ``app`` (parented to it) and hide the cursor if asked.

    Press-and-hold menus reach Qt Quick as ContextMenu events, which the filter drops, so no
    long-press menu appears while MouseArea.onPressAndHold keeps working for our own widgets.
    """
    lockdown = LockdownFilter(app)
    app.installEventFilter(lockdown)
    if hide_cursor:
        set_cursor_hidden(True)
    return lockdown


def set_cursor_hidden(hidden: bool) -> None:
    """Blank the mouse pointer on touch screens (and bring it back, e.g. in the service menu)."""
    if hidden:
        if QGuiApplication.overrideCursor() is None:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
    else:
        while QGuiApplication.overrideCursor() is not None:
            QGuiApplication.restoreOverrideCursor()


Runner = Callable[..., subprocess.CompletedProcess[str]]


def keep_screen_on(env: Mapping[str, str] | None = None, *, run: Runner = subprocess.run,
                   which: Callable[[str], str | None] = shutil.which) -> str:
    """Best effort: switch off screen blanking and DPMS while the kiosk runs; never fails.

    Returns what was done, for the log and the service menu. On X11 this runs
    ``xset s off s noblank -dpms``. Under Wayland/cage there is no portable client-side switch:
    cage does not blank on its own and deploy/install.sh sets logind's IdleAction=ignore, so
    this only reports that.
    """
    env = os.environ if env is None else env
    if env.get("WAYLAND_DISPLAY"):
        return "wayland: cage does not blank; logind idle action is off (deploy/install.sh)"
    if not env.get("DISPLAY"):
        return "no display server: nothing to do"
    xset = which("xset")
    if xset is None:
        log.warning("xset not installed: screen blanking left as configured by X")
        return "x11: xset not installed, blanking unchanged"
    try:
        done = run([xset, "s", "off", "s", "noblank", "-dpms"], capture_output=True, text=True,
                   timeout=5, check=False, env=dict(env))
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("xset failed: %s", error)
        return f"x11: xset failed ({type(error).__name__})"
    if done.returncode != 0:
        log.warning("xset exited %d: %s", done.returncode, (done.stderr or "").strip()[:200])
        return f"x11: xset exited {done.returncode}"
    log.info("screen blanking and DPMS switched off (xset)")
    return "x11: blanking and DPMS off"


class HiddenEntryWatcher(QObject):
    """Feeds every touch and mouse press on the kiosk window into ``HiddenEntryGesture``.

    Installed on the QGuiApplication next to ``LockdownFilter``; it only watches (events still
    reach the screen underneath, so keep the corner free of buttons) and emits ``triggered`` when
    the gesture completes, even while the finger is still down (a single-shot timer polls at the
    hold deadline). ``enabled`` is off while the service menu is open or no PIN is configured.
    """

    triggered = Signal()

    def __init__(self, gesture: HiddenEntryGesture, *, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.gesture = gesture
        self.enabled = True
        self._clock = clock
        self._hold_timer = QTimer(self)
        self._hold_timer.setSingleShot(True)
        self._hold_timer.timeout.connect(self._poll)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.enabled or not isinstance(watched, QWindow):
            return False
        kind = event.type()
        point = None
        if kind in _TOUCH_EVENTS and isinstance(event, QTouchEvent) and event.points():
            point, action = event.points()[0].position(), _TOUCH_EVENTS[kind]
        elif (kind in _POINTER_EVENTS and isinstance(event, QMouseEvent)
              and event.pointingDevice().type() != QInputDevice.DeviceType.TouchScreen
              and (kind == QEvent.Type.MouseMove or event.button() == Qt.MouseButton.LeftButton)):
            point, action = event.position(), _POINTER_EVENTS[kind]
        if point is None:
            return False
        done = getattr(self.gesture, action)(point.x(), point.y(), self._clock())
        self._schedule()
        if done:
            self._fire()
        return False

    def _schedule(self) -> None:
        deadline = self.gesture.hold_deadline
        if deadline is None:
            self._hold_timer.stop()
        elif not self._hold_timer.isActive():
            self._hold_timer.start(max(0, round((deadline - self._clock()) * 1000)))

    def _poll(self) -> None:
        if self.gesture.poll(self._clock()):
            self._fire()
        else:
            self._schedule()  # woke a little early: try again at the deadline

    def _fire(self) -> None:
        self._hold_timer.stop()
        log.info("service-menu gesture recognised")
        self.triggered.emit()
