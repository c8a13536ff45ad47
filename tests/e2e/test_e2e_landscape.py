"""Issue 18.8: a landscape layout for 1920×1080 panels, not the portrait one squeezed.

``theme.landscape`` (wider than high) decides it in one place: home lays its tiles out in
three columns, all on screen at once with the notice; the searches put the matters found
beside the field, and the on-screen keyboard, docked narrower at the bottom right, covers
neither the field nor the first result while the citizen types. Portrait stays as it was
(tests/e2e/test_e2e_layout.py, the portrait screenshots).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtTest import QTest

from tests.e2e.test_e2e_screen_sizes import checked_tap, reachable, sized_kiosk
from tests.vkeyboard import panel, panel_shown

TILES = ["entry_ticket", "entry_report", "entry_guide", "entry_progress", "entry_evaluation",
         "entry_help"]


def scene_rect(item: Any) -> QRectF:
    corner = item.mapToScene(QPointF(0, 0))
    return QRectF(corner.x(), corner.y(), item.width(), item.height())


def wholly_inside(inner: QRectF, outer: QRectF) -> bool:
    return (inner.left() >= outer.left() - 0.5 and inner.top() >= outer.top() - 0.5
            and inner.right() <= outer.right() + 0.5 and inner.bottom() <= outer.bottom() + 0.5)


@pytest.fixture
def landscape(hall: Any, make_app: Any, qtbot: Any, tmp_path: Path) -> Any:
    app = sized_kiosk(hall, make_app, qtbot, tmp_path, 1920, 1080)
    assert app.theme.landscape
    return app


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_home_shows_every_tile_in_columns(landscape: Any, elder: bool, tap: Any, find: Any,
                                          qtbot: Any) -> None:
    app = landscape
    if elder:
        tap(app.window, "elderButton")
        qtbot.waitUntil(lambda: app.shell.elderMode, timeout=3000)
        qtbot.wait(200)  # layout after the switch
    tiles = [find(app.window, name) for name in TILES]
    for name, tile in zip(TILES, tiles, strict=True):
        assert reachable(app.window, tile), f"{name} is not wholly on screen"
        # a tile still large enough to hit and to read: at least a 24 mm target
        assert tile.height() >= 24 * app.theme.mm and tile.width() >= 24 * app.theme.mm
    columns = {round(scene_rect(tile).left()) for tile in tiles}
    rows = {round(scene_rect(tile).top()) for tile in tiles}
    assert len(columns) == 3, columns
    assert len(rows) == 2, rows
    # and below them the hall's notice, read at elder size too, and the card hint
    for name in ("notices", "cardHint"):
        assert reachable(app.window, find(app.window, name)), f"{name} is cut off"
    # nothing on home scrolls: the tiles lie inside the screen below the top bar
    top_bar = scene_rect(find(app.window, "languageButton"))
    assert all(scene_rect(tile).top() >= top_bar.bottom() for tile in tiles)


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_keyboard_covers_neither_the_search_field_nor_the_results(
        landscape: Any, elder: bool, tap: Any, find: Any, screen: Any, qtbot: Any) -> None:
    app = landscape
    if elder:  # 24 mm keys: the tallest keyboard
        tap(app.window, "elderButton")
        qtbot.waitUntil(lambda: app.shell.elderMode, timeout=3000)
    tap(app.window, "entry_guide")
    screen(app, "guide.browse")
    tap(app.window, "searchField")
    qtbot.waitUntil(lambda: panel_shown(app.window), timeout=5000)
    for key in (Qt.Key.Key_H, Qt.Key.Key_Y, Qt.Key.Key_D):  # pinyin initials, still preedit
        QTest.keyClick(app.window, key)

    def first_result() -> Any:
        try:
            return find(app.window, "matter_marriage-reg")
        except LookupError:
            return None

    qtbot.waitUntil(lambda: first_result() is not None, timeout=5000)
    qtbot.wait(300)  # the panel's candidate strip and the page's layout settle
    keyboard = scene_rect(panel(app.window))
    window = QRectF(0, 0, app.window.width(), app.window.height())
    assert wholly_inside(keyboard, window)
    field = scene_rect(find(app.window, "searchField"))
    results = scene_rect(find(app.window, "guideResults"))
    result = scene_rect(first_result())
    for name, rect in (("search field", field), ("first result", result)):
        assert wholly_inside(rect, window), f"{name} off screen: {rect}"
        assert not rect.intersects(keyboard), f"{name} {rect} under the keyboard {keyboard}"
    assert wholly_inside(result, results), "the first result is scrolled out of its list"
    # a list, not a sliver: room for three results of a touch target each (two of the 24 mm
    # elder targets above the 24 mm elder keys)
    visible_results = results.intersected(window)
    assert visible_results.height() >= (2 if elder else 3) * app.theme.touchTarget
    assert not visible_results.intersects(keyboard)
    # the keyboard keeps its keys' millimetres though it is narrower than the screen
    assert keyboard.width() < app.window.width()
    assert keyboard.height() < app.window.height() * (0.55 if elder else 0.5)

    tap(app.window, "matter_marriage-reg")
    screen(app, "guide.guide")
    assert find(app.window, "guideTitle").property("text") == "婚姻登记"


def test_a_rating_and_a_help_call_are_made_in_landscape(landscape: Any, tap: Any, find: Any,
                                                         screen: Any) -> None:
    """The flows the screen-size tests do not walk (ticket and report are there, the guide
    above), every control wholly on screen before it is tapped; the keypad stays a pad."""
    app = landscape
    tap_reachable = checked_tap(app, tap, find, "1920x1080")
    tap_reachable(app.window, "entry_evaluation")
    screen(app, "evaluation.link")
    pad = find(app.window, "keypad")
    assert pad.width() <= 175 * app.theme.mm  # not keys a third of the screen wide
    for name in ("key_1", "key_7", "linkNext"):
        tap_reachable(app.window, name)
    screen(app, "evaluation.level")
    tap_reachable(app.window, "level_2")
    screen(app, "evaluation.reasons")
    tap_reachable(app.window, "reason_slow")
    tap_reachable(app.window, "submitButton")
    screen(app, "evaluation.phone")
    tap_reachable(app.window, "key_1")
    tap_reachable(app.window, "skipPhoneButton")
    screen(app, "evaluation.thanks")
    app.shell.goHome()
    screen(app, "home")
    tap_reachable(app.window, "entry_help")
    screen(app, "help.coming")
    tap_reachable(app.window, "helpClose")
    screen(app, "home")
