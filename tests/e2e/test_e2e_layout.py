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
