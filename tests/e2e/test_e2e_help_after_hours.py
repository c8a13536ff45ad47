"""Help at 3 a.m.: the call is recorded, but nobody is promised; the hotline and the time staff
are back are on screen instead. Runs against the demo hall's real staffed hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.config import Settings
from kiosk.simulation import Simulation
from tests.e2e.conftest import running_hall

SUNDAY_3AM = dt.datetime(2026, 11, 29, 3, 0).astimezone()  # the demo hall: staffed Mon-Fri


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Simulation, Settings]]:
    """The demo hall with its own hours (Mon-Fri 9:00-12:00, 13:30-17:30), not all hours."""
    yield from running_hall(tmp_path_factory.mktemp("night-hall"), open_all_hours=False)


def test_at_night_help_records_the_call_and_gives_the_hotline_instead_of_a_promise(
        kiosk: Any, tap: Any, find: Any, screen: Any, qtbot: Any, centre_get: Any) -> None:
    kiosk.flows.clock = lambda: SUNDAY_3AM
    open_before = {c["id"] for c in centre_get("/v1/staff/help-calls?status=open", staff=True)}
    tap(kiosk.window, "entry_guide")
    tap(kiosk.window, "helpButton")
    screen(kiosk, "help.recorded")

    assert "现在不是人工服务时间" in find(kiosk.window, "flowPrompt").property("text")
    detail = find(kiosk.window, "helpAfterHoursText").property("text")
    assert "12345" in detail and "2026-11-30 09:00" in detail  # Monday morning
    with pytest.raises(LookupError):
        find(kiosk.window, "helpComing")  # no "staff are on their way"
    qtbot.waitUntil(lambda: len({c["id"] for c in centre_get(
        "/v1/staff/help-calls?status=open", staff=True)} - open_before) == 1, timeout=8000)

    tap(kiosk.window, "languageButton")  # the same screen, in English
    qtbot.waitUntil(lambda: "outside staffed hours" in find(
        kiosk.window, "flowPrompt").property("text"), timeout=3000)
    assert "staff are back 2026-11-30 09:00" in find(
        kiosk.window, "helpAfterHoursText").property("text")

    tap(kiosk.window, "helpClose")
    screen(kiosk, "guide.browse")  # back where the citizen was
