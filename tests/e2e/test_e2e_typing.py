"""Typing Chinese on the kiosk, by touch and by keys (issue 18, points 4 and 10).

Pinyin initials filter the guide's list at every letter, while the keyboard still holds them
as unfinished pinyin; a hardware keyboard's letters go through the same pinyin input method as
the on-screen keys; the on-screen keys are reachable with the arrow keys; and a long list in
elder mode shows that it scrolls, and scrolls by keys.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtTest import QTest

from tests import vkeyboard


def _items(root: Any) -> list[Any]:
    found, pending = [], [root]
    while pending:
        item = pending.pop()
        found.append(item)
        pending.extend(item.childItems())
    return found


def _shown_matters(kiosk: Any) -> set[str]:
    screen = kiosk.window.property("current")
    return {i.objectName()[len("matter_"):] for i in _items(screen)
            if i.objectName().startswith("matter_") and i.isVisible()}


def _open_search(kiosk: Any, tap: Any, screen: Any, qtbot: Any) -> Any:
    tap(kiosk.window, "entry_guide")
    screen(kiosk, "guide.browse")
    tap(kiosk.window, "searchField")
    qtbot.waitUntil(lambda: vkeyboard.panel_shown(kiosk.window), timeout=5000)
    return kiosk.window.property("current").findChild(object, "searchField") or None


def test_pinyin_initials_filter_at_every_letter(kiosk: Any, tap: Any, find: Any, screen: Any,
                                                qtbot: Any) -> None:
    catalogue = kiosk.services.catalogue
    _open_search(kiosk, tap, screen, qtbot)
    field = find(kiosk.window, "searchField")
    everything = _shown_matters(kiosk)
    seen = []
    for typed in ("h", "hy", "hyd"):
        vkeyboard.type_letters(kiosk.window, typed[-1], qtbot)  # one tap on the on-screen key
        expected = {m.id for m in catalogue.search(typed)}
        qtbot.waitUntil(lambda expected=expected: _shown_matters(kiosk) == expected, timeout=3000)
        # Not committed: the keyboard still offers the letters as pinyin; no ↵ was pressed.
        assert field.property("text") == ""
        assert field.property("preeditText").replace(" ", "") == typed
        seen.append(_shown_matters(kiosk))
    assert seen[-1] == {"marriage-reg"}
    assert everything != seen[0] != seen[-1]  # each letter narrowed what is shown

    # Picking the candidate (hanzi) keeps the match; full pinyin too, below.
    vkeyboard.press(kiosk.window, vkeyboard.space(vkeyboard.panel(kiosk.window)), qtbot)
    qtbot.waitUntil(lambda: field.property("text") != "", timeout=3000)
    assert not field.property("text").isascii()


def test_full_pinyin_and_hanzi_still_find_the_matter(kiosk: Any, tap: Any, find: Any,
                                                     screen: Any, qtbot: Any) -> None:
    _open_search(kiosk, tap, screen, qtbot)
    field = find(kiosk.window, "searchField")
    vkeyboard.type_letters(kiosk.window, "hunyin", qtbot)
    qtbot.waitUntil(lambda: "marriage-reg" in _shown_matters(kiosk), timeout=3000)
    assert field.property("text") == ""  # still pinyin being typed
    vkeyboard.type_pinyin(kiosk.window, [("", "婚姻")], qtbot)
    qtbot.waitUntil(lambda: field.property("text") == "婚姻", timeout=3000)
    qtbot.waitUntil(lambda: "marriage-reg" in _shown_matters(kiosk), timeout=3000)


def test_hardware_letters_type_through_the_pinyin_input_method(kiosk: Any, tap: Any,
                                                               find: Any, screen: Any,
                                                               qtbot: Any) -> None:
    _open_search(kiosk, tap, screen, qtbot)
    field = find(kiosk.window, "searchField")
    for letter in "hunyin":
        QTest.keyClick(kiosk.window, getattr(Qt.Key, f"Key_{letter.upper()}"))
    # Not Latin letters in the field: pinyin in the input method, offering hanzi.
    assert field.property("text") == ""
    assert field.property("preeditText").replace(" ", "") == "hunyin"
    qtbot.waitUntil(lambda: vkeyboard._offered(kiosk.window, "婚姻"), timeout=3000)
    qtbot.waitUntil(lambda: "marriage-reg" in _shown_matters(kiosk), timeout=3000)
    QTest.keyClick(kiosk.window, Qt.Key.Key_Space)  # the first candidate, as on screen
    qtbot.waitUntil(lambda: field.property("text") == "婚姻", timeout=3000)
    assert field.property("preeditText") == ""
    QTest.keyClick(kiosk.window, Qt.Key.Key_Backspace)  # nothing pending: edits the field
    qtbot.waitUntil(lambda: field.property("text") == "婚", timeout=3000)


def test_arrow_keys_reach_the_on_screen_keys(kiosk: Any, screen: Any, find: Any,
                                             qtbot: Any) -> None:
    QTest.keyClick(kiosk.window, Qt.Key.Key_Tab)  # keys only: no touch at all
    for _ in range(10):
        item = kiosk.window.activeFocusItem()
        if item is not None and item.objectName() == "entry_guide":
            break
        QTest.keyClick(kiosk.window, Qt.Key.Key_Tab)
        qtbot.wait(30)
    QTest.keyClick(kiosk.window, Qt.Key.Key_Return)
    screen(kiosk, "guide.browse")
    for _ in range(20):  # the field is above the areas: back from the first area
        item = kiosk.window.activeFocusItem()
        if item is not None and item.objectName() == "searchField":
            break
        QTest.keyClick(kiosk.window, Qt.Key.Key_Backtab)
        qtbot.wait(30)
    field = find(kiosk.window, "searchField")
    assert field.hasActiveFocus()
    qtbot.waitUntil(lambda: vkeyboard.panel_shown(kiosk.window), timeout=5000)
    panel = vkeyboard.panel(kiosk.window)
    highlight = next(i for i in _items(panel) if i.objectName() == "navigationHighlight")

    QTest.keyClick(kiosk.window, Qt.Key.Key_Down)
    QTest.keyClick(kiosk.window, Qt.Key.Key_Right)
    qtbot.waitUntil(highlight.isVisible, timeout=3000)
    assert field.hasActiveFocus()  # the arrows walk the keys, the field keeps the focus

    def highlighted_key() -> Any:
        centre = highlight.mapToScene(QPointF(highlight.width() / 2, highlight.height() / 2))
        for item in _items(panel):
            if item.property("key") is None or not item.isVisible() or not item.property("text"):
                continue
            corner = item.mapToScene(QPointF(0, 0))
            if QRectF(corner.x(), corner.y(), item.width(), item.height()).contains(centre):
                return item
        return None

    qtbot.waitUntil(lambda: highlighted_key() is not None, timeout=3000)  # it glides there
    qtbot.wait(400)
    letter = highlighted_key().property("text")
    assert len(letter) == 1 and letter.isalpha()
    QTest.keyClick(kiosk.window, Qt.Key.Key_Return)  # presses the highlighted key
    qtbot.waitUntil(lambda: (field.property("text") + field.property("preeditText")).strip()
                    == letter.lower(), timeout=3000)


def test_a_long_elder_list_shows_it_scrolls_and_scrolls_by_keys(kiosk: Any, tap: Any,
                                                                find: Any, screen: Any,
                                                                qtbot: Any) -> None:
    kiosk.shell.setElderMode(True)
    tap(kiosk.window, "entry_guide")
    screen(kiosk, "guide.browse")
    current = kiosk.window.property("current")
    qtbot.waitUntil(lambda: any(i.objectName() == "moreBelow" and i.isVisible()
                                for i in _items(current)), timeout=3000)
    bar = next(i for i in _items(current) if i.objectName() == "scrollBar" and i.isVisible())
    assert bar.width() / kiosk.theme.property("mm") >= 2  # a bar to see, not a hairline
    view = bar.parentItem().parentItem()  # the hint is laid over the list it belongs to
    assert view.property("contentHeight") > view.height()

    matters = [m.id for m in kiosk.services.catalogue.matters]
    QTest.keyClick(kiosk.window, Qt.Key.Key_Down)  # the first key shows where focus is
    for _ in range(80):
        item = kiosk.window.activeFocusItem()
        if item is not None and item.objectName() == f"matter_{matters[-1]}":
            break
        QTest.keyClick(kiosk.window, Qt.Key.Key_Down)
        qtbot.wait(20)
    assert kiosk.window.activeFocusItem().objectName() == f"matter_{matters[-1]}"
    # The list followed the focus to its end: the last matter is in view, nothing more below.
    qtbot.waitUntil(lambda: not any(i.objectName() == "moreBelow" and i.isVisible()
                                    for i in _items(current)), timeout=3000)
    assert view.property("contentY") > 0
