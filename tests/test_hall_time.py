"""One clock (issue 14): the kiosk shows, prints and logs hall time, whatever the machine's zone.

Every test runs with the process in UTC (TZ=UTC, as a fresh Debian install is) and the hall in
Asia/Shanghai, eight hours ahead: a time taken from the system zone would be eight hours off.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hall.catalogue import Catalogue, CatalogueError
from kiosk import clock
from kiosk.flows.base import PrintTemplate
from kiosk.flows.report import (
    ChooseMatter,
    ChooseSituation,
    Describe,
    EnterPhone,
    Next,
    ReportAccepted,
    ReportFlow,
    Submit,
    UsePhone,
)
from kiosk.flows.session import CitizenSession
from kiosk.flows.take_number import _minutes

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    clock.set_zone("Asia/Shanghai")
    yield
    monkeypatch.undo()
    time.tzset()
    clock.set_zone(clock.DEFAULT_ZONE)


def shown_now(language: str = "zh") -> set[str]:
    """The home clock's text for this minute and the next (the test may cross a minute)."""
    moment = dt.datetime.now(SHANGHAI)
    return {clock.home_clock(language, moment + dt.timedelta(minutes=m)) for m in (0, 1)}


def test_home_clock_shows_hall_time(make_app: Any, settings: Any, find: Any, tap: Any) -> None:
    assert time.localtime().tm_gmtoff == 0  # the machine is in UTC
    expected = shown_now()
    app = make_app(settings)
    text = find(app.window, "clock").property("text")
    assert text in expected
    utc = clock.home_clock("zh", dt.datetime.now(dt.UTC).replace(tzinfo=SHANGHAI))
    assert text != utc  # 8 hours apart: not the machine's clock
    tap(app.window, "languageButton")
    assert find(app.window, "clock").property("text") in shown_now("en")


def test_the_centres_zone_wins_over_kiosk_toml(make_app: Any, settings: Any, find: Any,
                                              bundle_with_zone: Any) -> None:
    app = make_app(settings.replace("hall", timezone="Asia/Shanghai"))
    shanghai = shown_now()
    assert find(app.window, "clock").property("text") in shanghai
    app._apply_catalogue(bundle_with_zone("Asia/Kathmandu"))  # +05:45: no hour-only mix-up
    assert clock.zone().key == "Asia/Kathmandu"
    moment = dt.datetime.now(ZoneInfo("Asia/Kathmandu"))
    shown = {clock.home_clock("zh", moment + dt.timedelta(minutes=m)) for m in (0, 1)}
    assert find(app.window, "clock").property("text") in shown  # the home clock follows
    assert not shown & shanghai  # and is no longer Shanghai's
    app._apply_catalogue(bundle_with_zone(""))  # a later bundle names none: kiosk.toml's again
    assert clock.zone().key == "Asia/Shanghai"
    assert find(app.window, "clock").property("text") in shown_now()


@pytest.fixture
def bundle_with_zone() -> Any:
    from tests.flows.conftest import EXAMPLE_BUNDLE

    def make(zone: str) -> Catalogue:
        import copy

        raw = copy.deepcopy(EXAMPLE_BUNDLE)
        raw["hall"]["timezone"] = zone
        return Catalogue.from_dict(raw)

    return make


def test_a_bundle_naming_an_unknown_zone_is_refused(bundle_with_zone: Any) -> None:
    with pytest.raises(CatalogueError, match=r"hall\.timezone.*IANA"):
        bundle_with_zone("Mars/Olympus_Mons")


def test_kiosk_toml_refuses_an_unknown_zone(tmp_path: Path) -> None:
    from kiosk.config import ConfigError, load

    bad = tmp_path / "kiosk.toml"
    bad.write_text('[hall]\ntimezone = "Beijing"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"hall\.timezone"):
        load(bad)


def test_a_printed_receipt_and_a_ticket_show_hall_time(tmp_path: Path) -> None:
    """The receipt's bytes (python-escpos through the renderer) read back by the virtual
    printer carry the hall's time of a report made at 20:30 UTC: 04:30 the next morning."""
    from drivers.printer.profiles import load_profile
    from drivers.printer.render import TicketRenderer
    from drivers.printer.virtual import VirtualPrinter
    from tests.flows.conftest import EXAMPLE_BUNDLE

    catalogue = Catalogue.from_dict(EXAMPLE_BUNDLE)
    made_at = dt.datetime(2026, 12, 2, 20, 30, tzinfo=dt.UTC)
    flow = ReportFlow(CitizenSession(b"salt", elder_age=70), catalogue, made_at,
                      make_key=lambda: "key-1")
    for event in (UsePhone(), EnterPhone("13812345678"), ChooseMatter("marriage-reg"),
                  ChooseSituation("not_accepted"), Describe("材料齐全但不受理"), Next(), Next(),
                  Submit()):
        flow.handle(event)
    [job] = flow.handle(ReportAccepted("R202612030001", dt.date(2026, 12, 10)))
    assert isinstance(job, PrintTemplate) and job.data["submitted_at"] == "2026-12-03 04:30"
    printer = VirtualPrinter(tmp_path, paper_mm=80, render_png=False)
    printer.feed(TicketRenderer(load_profile("generic-80")).render_bytes(job.name, job.data))
    assert printer.wait_for_tickets(1)
    assert "2026-12-03 04:30" in printer.tickets[0].text
    # A queue ticket stamped by a centre answering in UTC prints the hall's minute too.
    assert _minutes("2026-12-02T20:08:54+00:00") == "2026-12-03 04:08"


def test_log_lines_show_hall_time(tmp_path: Path) -> None:
    from kiosk import logsetup

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        logsetup.setup(tmp_path / "logs", "INFO")
        before = dt.datetime.now(SHANGHAI).replace(tzinfo=None, microsecond=0)
        logging.getLogger("kiosk.test").info("hall time check")
        after = dt.datetime.now(SHANGHAI).replace(tzinfo=None)
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            if handler not in saved[0]:
                handler.close()
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    [line] = [ln for ln in (tmp_path / "logs" / "kiosk.log").read_text().splitlines()
              if "hall time check" in ln]
    stamp = dt.datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
    assert before <= stamp <= after, (line, before, after)  # not 8 hours behind
    assert logsetup.recent_lines.lines[-1].startswith(stamp.strftime("%H:%M:%S")[:5])
