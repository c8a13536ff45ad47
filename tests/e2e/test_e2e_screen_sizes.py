"""Issue 14: a number can be taken on a landscape 1920×1080 and a 1280×1024 screen, not only on
the portrait panel. The window has the screen's pixels and the theme its millimetres, as
fullscreen (kiosk.ui.window) gives them; every control the citizen taps lies wholly inside
the window, on a page that scrolls when it is taller than the screen (flows/parts/PageLoader).
(A posted tap reaches an item outside the window too, so the test checks where the item is
before tapping it.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject, QPointF

from kiosk.ui.theme import pixels_per_mm


def reachable(window: Any, item: Any) -> bool:
    """Whether the item is drawn wholly inside the window (and not under the keyboard)."""
    corner = item.mapToScene(QPointF(0, 0))
    width, height = item.width(), item.height()
    keyboard = window.property("keyboardHeight") or 0
    return (width > 0 and height > 0 and corner.x() >= 0 and corner.y() >= 0
            and corner.x() + width <= window.width() + 0.5
            and corner.y() + height <= window.height() - keyboard + 0.5)


def checked_tap(app: Any, tap: Any, find: Any, size: str) -> Any:
    """``tap`` that first scrolls the page to the control when it is below the fold (as a swipe
    would) and fails when the control is not wholly on screen."""

    def tap_reachable(window: Any, name: str) -> None:
        item = find(window, name)
        page = item.parentItem()
        while page is not None and page.objectName() != "pageView":
            page = page.parentItem()
        if page is not None and not reachable(window, item):
            assert page.property("interactive"), f"{name} is below a page that cannot scroll"
            QMetaObject.invokeMethod(page, "reveal", Q_ARG("QVariant", item))
        assert reachable(window, item), f"{name} is cut off at {size}"
        tap(window, name)

    return tap_reachable


def sized_kiosk(hall: Any, make_app: Any, qtbot: Any, tmp_path: Path, width: int, height: int) -> Any:
    simulation, settings = hall
    settings = (settings.replace("kiosk", data_dir=str(tmp_path / "var"))
                .replace("display", width=width, height=height, diagonal_inches=21.5))
    app = make_app(settings, simulation=simulation)
    qtbot.waitUntil(lambda: app.services.catalogue is not None, timeout=10_000)
    return app


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 1024)])
def test_a_report_is_made_on_a_landscape_or_square_screen(
        width: int, height: int, elder: bool, hall: Any, make_app: Any, tap: Any, find: Any,
        screen: Any, qtbot: Any, tmp_path: Path) -> None:
    """The longest flow (keypad, matters, situations, phrases, review) on the same screens,
    also in elder mode (24 mm targets, 7 mm text: pages taller than a landscape screen)."""
    from tests.faults.citizen import fill_report

    app = sized_kiosk(hall, make_app, qtbot, tmp_path, width, height)
    tap_reachable = checked_tap(app, tap, find, f"{width}x{height}")
    if elder:
        tap_reachable(app.window, "elderButton")
        assert app.shell.elderMode
    fill_report(app, tap_reachable, screen)
    tap_reachable(app.window, "submitButton")
    screen(app, "report.result", timeout=10_000)
    assert find(app.window, "trackingNumber").property("text").startswith("R")
    tap_reachable(app.window, "finishButton")
    screen(app, "home")


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 1024)])
def test_a_number_is_taken_on_a_landscape_or_square_screen(
        width: int, height: int, hall: Any, make_app: Any, tap: Any, find: Any, screen: Any,
        qtbot: Any, tmp_path: Path) -> None:
    simulation, settings = hall
    settings = (settings.replace("kiosk", data_dir=str(tmp_path / "var"))
                .replace("display", width=width, height=height, diagonal_inches=21.5))
    app = make_app(settings, simulation=simulation)
    qtbot.waitUntil(lambda: app.services.catalogue is not None, timeout=10_000)
    assert (app.window.width(), app.window.height()) == (width, height)
    assert app.theme.mm == pytest.approx(pixels_per_mm(width, height, 21.5))
    printed_before = len(simulation.virtual_printer.tickets)

    tap_reachable = checked_tap(app, tap, find, f"{width}x{height}")

    for name in ("entry_ticket", "entry_report", "entry_guide", "entry_progress",
                 "entry_evaluation", "entry_help", "languageButton", "elderButton", "helpButton"):
        assert reachable(app.window, find(app.window, name)), f"home: {name} cut off"
    tap_reachable(app.window, "entry_ticket")
    screen(app, "ticket.choose_zone")
    tap_reachable(app.window, "zone_C")
    screen(app, "ticket.choose_matter")
    tap_reachable(app.window, "matter_marriage-reg")
    screen(app, "ticket.identify")
    tap_reachable(app.window, "continueButton")
    screen(app, "ticket.confirm")
    qtbot.waitUntil(lambda: "打印机正常" in find(app.window, "printerNoticeText").property("text"),
                    timeout=8000)
    for name in ("homeButton", "backButton"):
        assert reachable(app.window, find(app.window, name)), f"confirm: {name} cut off"
    tap_reachable(app.window, "confirmButton")
    screen(app, "ticket.ticket")
    number = find(app.window, "ticketNumber").property("text")
    assert number.startswith("C")
    assert reachable(app.window, find(app.window, "ticketNumber"))
    qtbot.waitUntil(lambda: len(simulation.virtual_printer.tickets) > printed_before,
                    timeout=10_000)
    assert number in simulation.virtual_printer.tickets[-1].text
    app.window.grabWindow().save(str(tmp_path / f"ticket_{width}x{height}.png"))
    tap_reachable(app.window, "finishButton")
    screen(app, "home")
