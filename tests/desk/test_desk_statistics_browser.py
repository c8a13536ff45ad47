"""The statistics page in a real headless Chromium (Debian's chromium + chromium-driver).

A duty officer opens it from the navigation, sees the known morning's figures drawn (the bars'
rendered widths in proportion to their numbers), switches to the day and downloads the XLSX
through the browser's own download, which a spreadsheet reader then opens; a clerk has no link
and is refused.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import requests

from central.desk.accounts import Accounts
from central.desk.browser import chromium_available, click_and_load, headless_chromium
from central.testing import HALL_TZ, Clock, RunningCentre, running_centre
from tests.browser import by_id, desk_log_in

pytestmark = pytest.mark.skipif(not chromium_available(),
                                reason="needs Debian's chromium and chromium-driver")

PASSWORD = "correct horse battery"
DAY = dt.date(2026, 11, 24)


def at(hh: int, mm: int) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hh, mm, tzinfo=HALL_TZ)


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Iterator[RunningCentre]:
    clock = Clock(at(9, 0))
    with running_centre(tmp_path_factory.mktemp("stats") / "central.db", clock=clock) as running:
        accounts = Accounts(running.service.db, running.service.now)
        accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="窗口 李娜")
        accounts.add_staff("default", "duty1", PASSWORD, "duty", display_name="值班长 张伟")
        calling = running.service.calling
        calling.set_window("default", "1", ["birth-cert", "elderly-allowance"])

        def take(hh: int, mm: int, matter: str) -> None:
            clock.set(at(hh, mm))
            requests.post(f"{running.url}/v1/tickets", json={"matter_id": matter}, timeout=10,
                          headers={**running.kiosk_headers(),
                                   "Idempotency-Key": uuid.uuid4().hex}).raise_for_status()

        # 9 o'clock: three birth certificates and one allowance; 10 o'clock: one more.
        for minute, matter in ((5, "birth-cert"), (10, "birth-cert"), (20, "birth-cert"),
                               (30, "elderly-allowance")):
            take(9, minute, matter)
        take(10, 5, "birth-cert")
        for minute in (40, 50, 55):  # waits 35, 40, 35 min; services 10 and 5 min
            clock.set(at(9, minute))
            calling.call_next("default", "1")
        clock.set(at(11, 0))
        yield running


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads) -> Iterator[object]:
    driver = headless_chromium(1366, 768)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver
    finally:
        driver.quit()


def log_in(browser, centre, username: str) -> None:
    browser.get(f"{centre.url}/desk/login")
    browser.delete_all_cookies()
    desk_log_in(browser, f"{centre.url}/desk/inbox", username, PASSWORD)


def rendered_bars(browser, title: str) -> list[tuple[str, float, float]]:
    """(label, number, rendered width or height in CSS px) of one chart, as laid out."""
    return browser.execute_script("""
        const svg = [...document.querySelectorAll('svg.chart')]
            .find(s => s.querySelector('title').textContent === arguments[0]);
        const horizontal = svg.classList.contains('bars');
        return [...svg.querySelectorAll('g.bar')].map(g => {
            const box = g.querySelector('rect.fill').getBoundingClientRect();
            return [g.dataset.label, Number(g.dataset.value),
                    horizontal ? box.width : box.height];
        });""", title)


def test_the_duty_officer_reads_the_figures_and_downloads_the_xlsx(browser, centre, downloads):
    log_in(browser, centre, "duty1")
    click_and_load(browser, by_id(browser, "nav-stats"))
    assert by_id(browser, "period").text == "2026年11月"
    assert by_id(browser, "fig-tickets").text == "5"
    # Waits 35, 40, 35 -> median 35; services 10 and 5 -> median 7.5 (minutes).
    assert by_id(browser, "fig-wait").text == "35.0"
    assert by_id(browser, "fig-wait-p90").text == "40.0"
    assert by_id(browser, "fig-service").text == "7.5"
    matters = rendered_bars(browser, "取号（按事项） Tickets by matter")
    assert [(m[0], m[1]) for m in matters] == [("出生医学证明办理", 4), ("高龄津贴申领", 1)]
    assert matters[1][2] > 0 and matters[0][2] / matters[1][2] == pytest.approx(4, rel=0.02)
    hours = {label: (n, px) for label, n, px in
             rendered_bars(browser, "取号（按小时） Tickets by hour")}
    assert hours["09"][0] == 4 and hours["10"][0] == 1 and hours["11"] == (0, 0)
    assert hours["09"][1] / hours["10"][1] == pytest.approx(4, rel=0.02)
    # Nothing on the page overflows a 1366 px hall PC sideways.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1366

    # The day form (a date picker's typing depends on the locale: set its value, press 按日).
    browser.execute_script("arguments[0].value = '2026-11-24'", by_id(browser, "day"))
    click_and_load(browser, by_id(browser, "show-day"))
    assert by_id(browser, "period").text == "2026年11月24日"
    by_id(browser, "download-xlsx").click()
    target = downloads / "stats-default-2026-11-24.xlsx"
    deadline = time.monotonic() + 15
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert target.exists(), list(downloads.iterdir())
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()), read_only=True)
    summary = {r[1]: r[2] for r in book["概况 Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Tickets issued"] == 5 and summary["Median wait (min)"] == 35.0
    names = [r[0] for r in book["按事项 By matter"].iter_rows(min_row=2, values_only=True)]
    assert names == ["出生医学证明办理", "高龄津贴申领"]


def test_a_clerk_has_no_statistics(browser, centre):
    log_in(browser, centre, "clerk1")
    assert not browser.find_elements("id", "nav-stats")
    browser.get(f"{centre.url}/desk/stats")
    assert "您的角色无权访问此页面" in browser.page_source
    assert not browser.find_elements("css selector", "svg.chart")
