"""Escape shortcuts, context menus and right-clicks never reach the kiosk; ordinary keys still do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtQuick import QQuickView
from PySide6.QtTest import QTest

from kiosk.ui.lockdown import (
    LockdownFilter,
    install_lockdown,
    keep_screen_on,
    set_cursor_hidden,
)

Key, Mod = Qt.Key, Qt.KeyboardModifier

SCENE = """
import QtQuick
Item {
    id: root
    width: 300; height: 300
    focus: true
    property var seen: []
    property int quitShortcut: 0
    property int saveShortcut: 0
    property int rightClicks: 0
    property int leftClicks: 0
    // Shift, Ctrl and Alt alone are pressed on the way to a combination: not interesting here.
    Keys.onPressed: (event) => {
        if ([Qt.Key_Shift, Qt.Key_Control, Qt.Key_Alt].indexOf(event.key) < 0)
            root.seen = root.seen.concat([event.key + "/" + event.modifiers])
    }
    Shortcut { sequences: ["Ctrl+Q", "Esc", "F11"]; context: Qt.ApplicationShortcut
               onActivated: root.quitShortcut += 1 }
    Shortcut { sequence: "Ctrl+S"; context: Qt.ApplicationShortcut; onActivated: root.saveShortcut += 1 }
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.AllButtons
        onPressed: (mouse) => { if (mouse.button === Qt.RightButton) root.rightClicks += 1
                                else root.leftClicks += 1 }
    }
}
"""

SWALLOWED = {
    "Alt+F4": (Key.Key_F4, Mod.AltModifier),
    "Alt+Tab": (Key.Key_Tab, Mod.AltModifier),
    "Alt+Shift+Tab": (Key.Key_Backtab, Mod.AltModifier | Mod.ShiftModifier),
    "Ctrl+Q": (Key.Key_Q, Mod.ControlModifier),
    "Ctrl+W": (Key.Key_W, Mod.ControlModifier),
    "Esc": (Key.Key_Escape, Mod.NoModifier),
    "F11": (Key.Key_F11, Mod.NoModifier),
    "Super": (Key.Key_Meta, Mod.NoModifier),
    "Super_L": (Key.Key_Super_L, Mod.NoModifier),
    "Super+D": (Key.Key_D, Mod.MetaModifier),
}
PASSED = {
    "digit 7": (Key.Key_7, Mod.NoModifier),
    "Enter": (Key.Key_Return, Mod.NoModifier),
    "Tab": (Key.Key_Tab, Mod.NoModifier),
    "Shift+Tab": (Key.Key_Backtab, Mod.ShiftModifier),
    "Backspace": (Key.Key_Backspace, Mod.NoModifier),
    "Down": (Key.Key_Down, Mod.NoModifier),
    "Ctrl+A": (Key.Key_A, Mod.ControlModifier),
    "Alt+X": (Key.Key_X, Mod.AltModifier),
}


@pytest.fixture
def scene(qtbot, qapp, tmp_path: Path):
    qml = tmp_path / "Scene.qml"
    qml.write_text(SCENE, encoding="utf-8")
    lockdown = LockdownFilter()
    qapp.installEventFilter(lockdown)
    view = QQuickView()
    view.setSource(QUrl.fromLocalFile(str(qml)))
    assert view.status() == QQuickView.Status.Ready, view.errors()
    view.show()
    view.requestActivate()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.rootObject().hasActiveFocus(), timeout=5000)
    yield view, view.rootObject(), lockdown
    qapp.removeEventFilter(lockdown)
    view.close()
    view.deleteLater()
    lockdown.deleteLater()


def seen(root) -> list[str]:
    """Keys the QML Keys.onPressed handler received, as "key/modifiers"."""
    return root.property("seen").toVariant()


def press(view: QQuickView, key: Qt.Key, mods: Qt.KeyboardModifier) -> None:
    QTest.keyClick(view, key, mods)
    QTest.qWait(5)


@pytest.mark.parametrize(("name", "shortcut"), SWALLOWED.items(), ids=SWALLOWED.keys())
def test_escape_shortcuts_never_reach_the_kiosk(scene, name, shortcut) -> None:
    view, root, lockdown = scene
    press(view, *shortcut)
    press(view, Key.Key_5, Mod.NoModifier)  # proof that delivery works at all
    assert seen(root) == [f"{int(Key.Key_5.value)}/0"]
    assert root.property("quitShortcut") == 0
    expected = "Super" if name.startswith("Super") else name.replace("Shift+", "")
    assert lockdown.swallowed[expected] >= 1


@pytest.mark.parametrize("ordinary", PASSED.values(), ids=PASSED.keys())
def test_ordinary_keys_still_arrive(scene, ordinary) -> None:
    view, root, lockdown = scene
    press(view, *ordinary)
    key, mods = ordinary
    assert seen(root) == [f"{int(key.value)}/{int(mods.value)}"]
    assert not lockdown.swallowed


def test_other_shortcuts_still_work_so_the_quit_test_can_fail(scene) -> None:
    view, root, _ = scene
    press(view, Key.Key_S, Mod.ControlModifier)
    assert root.property("saveShortcut") == 1


def test_right_clicks_and_context_menus_are_dropped_left_taps_are_not(scene, qapp) -> None:
    view, root, lockdown = scene
    QTest.mouseClick(view, Qt.MouseButton.RightButton, Mod.NoModifier, QPoint(150, 150))
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, Mod.NoModifier, QPoint(150, 150))
    menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(150, 150), QPoint(150, 150))
    assert qapp.sendEvent(view, menu)  # the filter consumed it
    assert root.property("rightClicks") == 0 and root.property("leftClicks") == 1
    assert lockdown.swallowed["right-click"] == 1 and lockdown.swallowed["context menu"] == 1


def test_install_hides_the_cursor_and_the_service_menu_can_show_it(qapp) -> None:
    lockdown = install_lockdown(qapp, hide_cursor=True)
    try:
        assert QGuiApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
        set_cursor_hidden(False)
        assert QGuiApplication.overrideCursor() is None
    finally:
        qapp.removeEventFilter(lockdown)
        set_cursor_hidden(False)
        lockdown.deleteLater()


class Recorder:
    def __init__(self, returncode: int = 0, error: Exception | None = None) -> None:
        self.calls: list[list[str]] = []
        self.returncode, self.error = returncode, error

    def __call__(self, argv: list[str], **_: object) -> subprocess.CompletedProcess:
        self.calls.append(argv)
        if self.error:
            raise self.error
        return subprocess.CompletedProcess(argv, self.returncode, "", "bad display")


def test_x11_blanking_is_switched_off_with_xset() -> None:
    run = Recorder()
    result = keep_screen_on({"DISPLAY": ":0"}, run=run, which=lambda name: f"/usr/bin/{name}")
    assert run.calls == [["/usr/bin/xset", "s", "off", "s", "noblank", "-dpms"]]
    assert result == "x11: blanking and DPMS off"


@pytest.mark.parametrize(("env", "which", "run", "expected"), [
    ({"DISPLAY": ":0"}, lambda name: None, Recorder(), "xset not installed"),
    ({"DISPLAY": ":0"}, lambda name: "/usr/bin/xset", Recorder(returncode=1), "xset exited 1"),
    ({"DISPLAY": ":0"}, lambda name: "/usr/bin/xset", Recorder(error=OSError("gone")), "xset failed"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, lambda name: "/usr/bin/xset", Recorder(), "wayland"),
    ({}, lambda name: "/usr/bin/xset", Recorder(), "no display server"),
])
def test_keeping_the_screen_on_never_fails(env, which, run, expected) -> None:
    assert expected in keep_screen_on(env, run=run, which=which)


def test_keep_screen_on_against_the_real_tools_does_not_raise() -> None:
    """Whatever this machine has (Xvfb, no X, no xset), the call returns a description."""
    assert isinstance(keep_screen_on(), str)


@pytest.fixture
def corner_view(qtbot, qapp, tmp_path: Path):
    """A 540x960 kiosk window with a QML button-like area counting ordinary taps."""
    from kiosk.services.gesture import GestureSpec, HiddenEntryGesture
    from kiosk.ui.lockdown import HiddenEntryWatcher

    qml = tmp_path / "Corner.qml"
    qml.write_text("import QtQuick\nItem { id: root; width: 540; height: 960; property int taps: 0\n"
                   "  MouseArea { anchors.fill: parent; onClicked: root.taps += 1 } }\n")
    view = QQuickView()
    view.setSource(QUrl.fromLocalFile(str(qml)))
    view.show()
    qtbot.waitExposed(view)
    spec = GestureSpec(hold_s=0.3, tap_window_s=10.0, max_tap_s=5.0, max_gap_s=10.0)
    watcher = HiddenEntryWatcher(HiddenEntryGesture(540, 960, spec))
    qapp.installEventFilter(watcher)
    yield view, watcher
    qapp.removeEventFilter(watcher)
    view.close()
    view.deleteLater()
    watcher.deleteLater()


def tap_at(view: QQuickView, x: int, y: int, times: int = 1) -> None:
    for _ in range(times):
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, Mod.NoModifier, QPoint(x, y))
        QTest.qWait(5)


def test_corner_taps_then_a_hold_open_the_pin_pad_while_the_finger_is_down(qtbot, corner_view) -> None:
    view, watcher = corner_view
    tap_at(view, 520, 20, times=5)
    with qtbot.waitSignal(watcher.triggered, timeout=5000):
        QTest.mousePress(view, Qt.MouseButton.LeftButton, Mod.NoModifier, QPoint(520, 20))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Mod.NoModifier, QPoint(520, 20))
    assert view.rootObject().property("taps") == 6  # five taps and the hold: it only watches


@pytest.mark.parametrize(("where", "taps"), [((270, 480), 5), ((20, 20), 5), ((520, 20), 4), ((520, 20), 6)],
                         ids=["centre", "wrong corner", "four taps", "six taps"])
def test_other_tapping_never_opens_the_pin_pad(qtbot, corner_view, where, taps) -> None:
    view, watcher = corner_view
    fired: list[bool] = []
    watcher.triggered.connect(lambda: fired.append(True))
    tap_at(view, *where, times=taps)
    QTest.mousePress(view, Qt.MouseButton.LeftButton, Mod.NoModifier, QPoint(*where))
    qtbot.wait(600)  # twice the hold time
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Mod.NoModifier, QPoint(*where))
    assert fired == []


def test_a_disabled_watcher_ignores_the_gesture(qtbot, corner_view) -> None:
    view, watcher = corner_view
    watcher.enabled = False
    with qtbot.assertNotEmitted(watcher.triggered, wait=600):
        tap_at(view, 520, 20, times=5)
        QTest.mousePress(view, Qt.MouseButton.LeftButton, Mod.NoModifier, QPoint(520, 20))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Mod.NoModifier, QPoint(520, 20))
