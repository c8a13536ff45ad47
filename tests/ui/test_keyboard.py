"""The on-screen keyboard docks inside the kiosk window and types Chinese through pinyin."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtQml import QQmlComponent
from PySide6.QtTest import QTest

_alive: list[Any] = []


def _text_field(app: Any, find: Any, qtbot: Any) -> Any:
    keyboard = find(app.window, "keyboardLoader")
    qtbot.waitUntil(lambda: keyboard.property("item") is not None, timeout=5000)
    component = QQmlComponent(app.engine)
    component.setData(b'import QtQuick\nTextInput { objectName: "probe"; width: 300; height: 60 }',
                      QUrl("probe.qml"))
    field = component.create()
    home = find(app.window, "homeScreen")
    field.setParentItem(home)
    _alive.append((component, field))  # neither the JS nor the Python collector may take them
    field.forceActiveFocus()
    return field


def _first(panel: Any, wanted: Any, what: str) -> Any:
    """The first visible item below ``panel`` for which ``wanted(item)`` holds."""
    pending = [panel]
    while pending:
        item = pending.pop()
        if item.isVisible() and wanted(item):
            return item
        pending.extend(item.childItems())
    raise LookupError(what)


def _key(panel: Any, label: str) -> Any:
    """The keyboard key showing ``label`` (keys are QML items with a text property)."""
    return _first(panel, lambda item: item.property("text") == label
                  and item.property("key") is not None, label)


def _shown_key(panel: Any, label: str, qtbot: Any) -> Any:
    """The key once the panel shows it: the layout fills in after the panel turns active."""
    found: list[Any] = []

    def shown() -> bool:
        try:
            found.append(_key(panel, label))
        except LookupError:
            return False
        return True

    qtbot.waitUntil(shown, timeout=5000)
    return found[-1]


def _panel_shown(app: Any, find: Any) -> bool:
    try:
        return bool(find(app.window, "inputPanel").property("active"))
    except LookupError:
        return False


def _space(panel: Any) -> Any:
    """The space bar (its label is the input method's name, so find it by key code)."""
    return _first(panel, lambda item: item.property("key") == int(Qt.Key.Key_Space), "space")


def _press(window: Any, item: Any, qtbot: Any) -> None:
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    point = QPoint(round(centre.x()), round(centre.y()))
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point, 20)
    qtbot.wait(20)


def test_keyboard_docks_at_the_bottom_when_a_field_takes_focus(make_app: Any, settings: Any,
                                                              find: Any, qtbot: Any) -> None:
    app = make_app(settings)
    assert not _panel_shown(app, find)  # hidden on the home screen: no text field has focus
    _text_field(app, find, qtbot)
    qtbot.waitUntil(lambda: _panel_shown(app, find), timeout=5000)
    panel = find(app.window, "inputPanel")
    bottom = panel.mapToScene(QPointF(0, panel.height())).y()
    assert abs(bottom - app.window.height()) <= 1  # docked inline, not a separate window


def test_pinyin_typed_on_the_keyboard_becomes_chinese(make_app: Any, settings: Any, find: Any,
                                                      qtbot: Any) -> None:
    app = make_app(settings)
    field = _text_field(app, find, qtbot)
    qtbot.waitUntil(lambda: _panel_shown(app, find), timeout=5000)
    panel = find(app.window, "inputPanel")
    for letter in "nihao":
        _press(app.window, _shown_key(panel, letter, qtbot), qtbot)
    _press(app.window, _space(panel), qtbot)  # space takes the first candidate
    qtbot.waitUntil(lambda: field.property("text") != "", timeout=3000)
    assert field.property("text") == "你好"
