"""The on-screen keyboard docks inside the kiosk window and types Chinese through pinyin."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QUrl
from PySide6.QtQml import QQmlComponent

from tests import vkeyboard

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


def test_keyboard_docks_at_the_bottom_when_a_field_takes_focus(make_app: Any, settings: Any,
                                                              find: Any, qtbot: Any) -> None:
    app = make_app(settings)
    assert not vkeyboard.panel_shown(app.window)  # hidden on home: no text field has focus
    _text_field(app, find, qtbot)
    qtbot.waitUntil(lambda: vkeyboard.panel_shown(app.window), timeout=5000)
    panel = vkeyboard.panel(app.window)
    bottom = panel.mapToScene(QPointF(0, panel.height())).y()
    assert abs(bottom - app.window.height()) <= 1  # docked inline, not a separate window


def test_pinyin_typed_on_the_keyboard_becomes_chinese(make_app: Any, settings: Any, find: Any,
                                                      qtbot: Any) -> None:
    app = make_app(settings)
    field = _text_field(app, find, qtbot)
    qtbot.waitUntil(lambda: vkeyboard.panel_shown(app.window), timeout=5000)
    vkeyboard.type_letters(app.window, "nihao", qtbot)
    vkeyboard.press(app.window, vkeyboard.space(vkeyboard.panel(app.window)), qtbot)  # 1st candidate
    qtbot.waitUntil(lambda: field.property("text") != "", timeout=3000)
    assert field.property("text") == "你好"
