"""The screen stack: a screen pushed while it still compiles never lands after the citizen left."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, QObject, QUrl
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuick import QQuickView

COMPONENTS = Path(__file__).resolve().parents[2] / "kiosk" / "ui" / "qml" / "components"


def test_a_screen_still_compiling_when_the_citizen_goes_home_is_never_shown(
        qtbot: Any, tmp_path: Path) -> None:
    """app.py compiles the flow screens in the background; a tap on a tile pushes one that may
    still be compiling. If the citizen goes home first (Back, an error's Home, the idle reset),
    the screen must not appear over home when its compilation ends: it would cover home with
    a flow nobody is in and take the next citizen's taps."""
    (tmp_path / "Flow.qml").write_text(
        "import QtQuick\nRectangle { objectName: 'flowScreen'; color: 'red' }\n", encoding="utf-8")
    (tmp_path / "Scene.qml").write_text(
        f"import QtQuick\nimport '{COMPONENTS.as_uri()}'\n"
        "Item { width: 200; height: 200\n"
        "  ScreenStack { objectName: 'stack'; anchors.fill: parent\n"
        "    initialItem: Item { objectName: 'home' } } }\n", encoding="utf-8")
    view = QQuickView()
    view.setSource(QUrl.fromLocalFile(str(tmp_path / "Scene.qml")))
    assert view.status() == QQuickView.Status.Ready, view.errors()
    view.show()
    qtbot.waitExposed(view)
    stack = view.rootObject().findChild(QObject, "stack")
    try:
        flow = QQmlComponent(view.engine(), QUrl.fromLocalFile(str(tmp_path / "Flow.qml")),
                             QQmlComponent.CompilationMode.Asynchronous)
        assert flow.isLoading()
        QMetaObject.invokeMethod(stack, "push", Q_RETURN_ARG("QVariant"),
                                 Q_ARG("QVariant", flow), Q_ARG("QVariant", {}))
        QMetaObject.invokeMethod(stack, "pop", Q_RETURN_ARG("QVariant"), Q_ARG("QVariant", None))
        qtbot.waitUntil(lambda: flow.isReady(), timeout=5000)
        qtbot.wait(50)  # the stack's own handler of the compiled component has run
        assert stack.property("depth") == 1
        assert stack.property("currentItem").objectName() == "home"
        assert view.rootObject().findChild(QObject, "flowScreen") is None

        # A push that is not interrupted still arrives once compiled.
        QMetaObject.invokeMethod(stack, "push", Q_RETURN_ARG("QVariant"),
                                 Q_ARG("QVariant", flow), Q_ARG("QVariant", {}))
        qtbot.waitUntil(lambda: stack.property("depth") == 2, timeout=5000)
        assert stack.property("currentItem").objectName() == "flowScreen"
    finally:
        view.close()
