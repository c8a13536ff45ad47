"""Typing on Qt Virtual Keyboard the way a citizen does: taps on its keys and candidates.

Shared by the keyboard's own test and the end-to-end tests. Taps are posted press/release pairs
handled by the running event loop, like the ``tap`` fixture (a synchronous click can deadlock
against Qt's QML loader thread, see tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QPointF, Qt

from kiosk.ui.touch import post_tap


def panel(window: Any) -> Any:
    """The visible input panel (raises LookupError when no text field has focus)."""
    return _first(window.contentItem(), lambda item: item.objectName() == "inputPanel"
                  and bool(item.property("active")), "inputPanel")


def panel_shown(window: Any) -> bool:
    try:
        panel(window)
    except LookupError:
        return False
    return True


def _first(root: Any, wanted: Callable[[Any], bool], what: str) -> Any:
    """The first visible item below ``root`` for which ``wanted(item)`` holds."""
    pending = [root]
    while pending:
        item = pending.pop()
        if item.isVisible() and wanted(item):
            return item
        pending.extend(item.childItems())
    raise LookupError(what)


def key(keyboard: Any, label: str) -> Any:
    """The key showing ``label`` (keys are QML items with ``text`` and ``key`` properties)."""
    return _first(keyboard, lambda item: item.property("text") == label
                  and item.property("key") is not None, f"key {label!r}")


def space(keyboard: Any) -> Any:
    """The space bar (its label is the input method's name, so it is found by key code)."""
    return _first(keyboard, lambda item: item.property("key") == int(Qt.Key.Key_Space), "space")


def candidate(window: Any, keyboard: Any, word: str) -> Any:
    """The word candidate showing ``word``, on screen (the candidate list scrolls sideways)."""

    def shown(item: Any) -> bool:
        if item.property("text") != word or item.property("key") is not None:
            return False
        left = item.mapToScene(QPointF(0, 0)).x()
        return left >= 0 and left + item.width() <= window.width()

    return _first(keyboard, shown, f"candidate {word!r}")


def press(window: Any, item: Any, qtbot: Any) -> None:
    """A finger's tap at the centre of ``item``, posted to the window."""
    post_tap(window, item)
    qtbot.wait(20)


def type_letters(window: Any, letters: str, qtbot: Any) -> None:
    keyboard = panel(window)
    for letter in letters:
        press(window, shown_key(keyboard, letter, qtbot), qtbot)


def shown_key(keyboard: Any, label: str, qtbot: Any) -> Any:
    """The key once the panel shows it: the layout fills in after the panel turns active."""
    found: list[Any] = []

    def shown() -> bool:
        try:
            found.append(key(keyboard, label))
        except LookupError:
            return False
        return True

    qtbot.waitUntil(shown, timeout=5000)
    return found[-1]


def type_pinyin(window: Any, words: Iterable[tuple[str, str]], qtbot: Any) -> None:
    """Type each ``(pinyin, word)``: its letters, then a tap on the candidate ``word``.

    The candidate is picked by what it shows, not by position, so a change in the engine's
    ranking cannot type a different word unnoticed.
    """
    for pinyin, word in words:
        type_letters(window, pinyin, qtbot)
        qtbot.waitUntil(lambda word=word: _offered(window, word), timeout=3000)
        press(window, settled_candidate(window, word, qtbot), qtbot)


def settled_candidate(window: Any, word: str, qtbot: Any) -> Any:
    """The candidate ``word`` once it stays put: the strip slides in and the panel grows to
    hold it, and a tap aimed at a moving candidate lands on a key."""
    last: list[tuple[float, float]] = []

    def still() -> bool:
        item = candidate(window, panel(window), word)
        where = item.mapToScene(QPointF(0, 0))
        last.append((where.x(), where.y()))
        return len(last) >= 3 and last[-1] == last[-2] == last[-3]

    qtbot.waitUntil(still, timeout=3000)
    return candidate(window, panel(window), word)


def _offered(window: Any, word: str) -> bool:
    try:
        candidate(window, panel(window), word)
    except LookupError:
        return False
    return True


def type_symbol(window: Any, label: str, qtbot: Any) -> None:
    """A punctuation key of the letter layout (for example the Chinese comma "，")."""
    press(window, key(panel(window), label), qtbot)
