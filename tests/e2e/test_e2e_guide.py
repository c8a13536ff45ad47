"""办事指南 end to end: search by pinyin initials, read the guide, print the one-time slip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def test_search_read_and_print_the_slip(kiosk: Any, hall: Any, tap: Any, find: Any,
                                        screen: Any, qtbot: Any) -> None:
    simulation, _ = hall
    printed_before = len(simulation.virtual_printer.tickets)
    tap(kiosk.window, "entry_guide")
    screen(kiosk, "guide.browse")
    tap(kiosk.window, "searchField")
    for key in (Qt.Key.Key_H, Qt.Key.Key_Y, Qt.Key.Key_D):
        QTest.keyClick(kiosk.window, key)
    qtbot.waitUntil(lambda: find_or_none(find, kiosk, "matter_marriage-reg") is not None,
                    timeout=5000)
    tap(kiosk.window, "matter_marriage-reg")
    screen(kiosk, "guide.guide")
    assert find(kiosk.window, "guideTitle").property("text") == "婚姻登记"
    assert "居民身份证" in find(kiosk.window, "material_0").property("text")
    tap(kiosk.window, "printButton")
    qtbot.waitUntil(lambda: "请取走告知单" in find(kiosk.window, "printNoticeText")
                    .property("text"), timeout=10_000)
    qtbot.waitUntil(lambda: len(simulation.virtual_printer.tickets) > printed_before,
                    timeout=10_000)
    slip = simulation.virtual_printer.tickets[-1]
    assert "婚姻登记" in slip.text and "居民身份证" in slip.text

    tap(kiosk.window, "flowBack")
    screen(kiosk, "guide.browse")
    tap(kiosk.window, "searchField")
    QTest.keyClick(kiosk.window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(kiosk.window, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: find_or_none(find, kiosk, "integrated_newborn") is not None,
                    timeout=5000)
    tap(kiosk.window, "integrated_newborn")
    screen(kiosk, "guide.guide")
    assert find(kiosk.window, "guideTitle").property("text") == "出生一件事"


def find_or_none(find: Any, app: Any, name: str) -> Any:
    try:
        return find(app.window, name)
    except LookupError:
        return None
