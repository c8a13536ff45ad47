"""Items and taps as a touch screen sees them: for the tests, the benchmarks, the soak and the
screenshot tool, which drive the real QML screens the way a finger does.

A tap is a press and a release posted to the window and handled by the running event loop: a
synchronous QTest click would hold the GIL while the tap loads a screen, and Qt's QML loader
thread can need the GIL at that moment (a deadlock only a harness has).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtQuick import QQuickItem, QQuickWindow


def find_visible(window: QQuickWindow, object_name: str) -> QQuickItem:
    """The visible QML item with this objectName, the topmost if several (LookupError if none).

    Walks the visual tree, which is what is on screen: Loader items are not always QObject
    children of the window.
    """
    found = None
    pending = [window.contentItem()]
    while pending:
        item = pending.pop()
        if item.objectName() == object_name and item.isVisible():
            found = item
        pending.extend(item.childItems())
    if found is None:
        raise LookupError(f"no visible item named {object_name!r}")
    return found


def is_shown(window: QQuickWindow, object_name: str) -> bool:
    """Whether a visible item with this objectName is on screen."""
    try:
        find_visible(window, object_name)
    except LookupError:
        return False
    return True


def post_tap(window: QQuickWindow, item: QQuickItem) -> None:
    """A finger's press and release at the centre of ``item``, posted to ``window``."""
    from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    global_centre = QPointF(window.mapToGlobal(centre.toPoint()))
    for kind, buttons in ((QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
                          (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton)):
        QCoreApplication.postEvent(window, QMouseEvent(
            kind, centre, global_centre, Qt.MouseButton.LeftButton, buttons,
            Qt.KeyboardModifier.NoModifier))
