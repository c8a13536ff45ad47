"""Buttons that share a grid are equally wide: a column is never narrower because its words are
shorter (seen on the home tiles and the zone list before the grids made their cells uniform)."""

from __future__ import annotations

from typing import Any


def widths(app: Any, find: Any, names: list[str]) -> list[float]:
    return [find(app.window, name).width() for name in names]


def equal(sizes: list[float]) -> bool:
    """Equal up to the pixel a grid gives one cell when its width does not divide evenly."""
    return max(sizes) - min(sizes) <= 1


def test_home_tiles_are_equally_wide(kiosk: Any, find: Any) -> None:
    tiles = ["entry_ticket", "entry_report", "entry_guide", "entry_progress", "entry_evaluation",
             "entry_help"]
    assert equal(widths(kiosk, find, tiles))


def test_zone_buttons_and_keypad_keys_are_equally_wide(kiosk: Any, tap: Any, find: Any,
                                                       screen: Any) -> None:
    tap(kiosk.window, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    zones = [f"zone_{zone.id}" for zone in kiosk.services.catalogue.zones]
    assert len(zones) >= 4 and equal(widths(kiosk, find, zones))
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home")
    tap(kiosk.window, "entry_report")
    screen(kiosk, "report.identify")
    tap(kiosk.window, "usePhoneButton")
    screen(kiosk, "report.enter_phone")
    keys = [f"key_{digit}" for digit in "123456789"]
    assert equal(widths(kiosk, find, [*keys, "keyNext"]))
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home")


TOP_BAR = ["homeButton", "backButton", "languageButton", "elderButton", "helpButton"]


def label_lines(button: Any) -> list[tuple[str, int, bool]]:
    """(text, line count, elided) of each text line a button shows."""
    texts = [item for item in button.childItems()[0].childItems() if item.property("text")]
    return [(t.property("text"), t.property("lineCount"), t.property("truncated")) for t in texts]


def test_top_bar_labels_stay_whole_in_both_languages_and_modes(kiosk: Any, tap: Any, find: Any,
                                                              screen: Any, qtbot: Any) -> None:
    """长者模式：开 once broke into 长者模 / 式：开 in elder mode, and Elder mode… lost its state."""
    tap(kiosk.window, "entry_report")
    screen(kiosk, "report.identify")  # every button of the bar is shown inside a flow
    for _ in range(2):
        for _ in range(2):
            qtbot.wait(100)  # layout after the switch
            for name in TOP_BAR:
                for text, lines, elided in label_lines(find(kiosk.window, name)):
                    assert (lines, elided) == (1, False), (kiosk.shell.language,
                                                           kiosk.shell.elderMode, name, text)
            tap(kiosk.window, "elderButton")
        tap(kiosk.window, "languageButton")
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home")
