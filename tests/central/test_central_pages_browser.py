"""The hall display and the phone page in real headless Chromium (Debian's chromium + driver).

Browser behaviour does not depend on the database engine, so these run on SQLite only; the
calling rules themselves run on both engines in test_central_calling.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time

import pytest
import requests

from tests.browser import shown, take, text, until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("chromedriver"),
                       reason="needs Debian's chromium-driver (.ci/setup installs it)"),
    pytest.mark.parametrize("engine", ["sqlite"], indirect=True),
]


def staff(centre, path: str, body: dict | None = None, method: str = "POST") -> dict:
    r = requests.request(method, f"{centre.url}/v1/staff{path}", json=body,
                         headers=centre.staff_headers(), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def test_display_shows_a_call_and_requests_its_announcement_within_1s(centre, browser,
                                                                      tmp_path):
    app = centre.server.config.app
    app.state.announcements.folder = tmp_path  # an empty cache: every sound is made here
    staff(centre, "/windows/5", {"matters": ["birth-cert", "elderly-allowance"]}, "PUT")
    first = take(centre, "birth-cert")
    # Issued a minute later: the pooled queues are called by issue time (at the very same
    # instant, K001 and N001 would be ordered by their ids, not by who came first).
    centre.clock.set(centre.clock.when + dt.timedelta(minutes=1))
    second = take(centre, "elderly-allowance")
    driver = browser(1920, 1080)
    driver.get(f"{centre.url}/display")
    until(lambda: driver.execute_script("return document.body.getAttribute('data-sound')"), 5)
    time.sleep(0.5)  # the stream is open and has sent its `recent` event
    app.state.audio_requests.clear()
    for ticket in (first, second):  # a comprehensive window calls both matters' numbers
        sent = time.monotonic()
        staff(centre, "/windows/5/call-next")
        shown_after = until(lambda t=ticket: text(driver, "latest-number") == t["number"], 3)
        assert shown_after < 1.0, shown_after
        heard = [at for at, path in app.state.audio_requests
                 if path == f"/display/audio/{ticket['number']}/5.wav"]
        if not heard:
            until(lambda t=ticket: any(p == f"/display/audio/{t['number']}/5.wav"
                                       for _, p in app.state.audio_requests), 1.0)
            heard = [at for at, p in app.state.audio_requests
                     if p == f"/display/audio/{ticket['number']}/5.wav"]
        assert heard[0] - sent < 1.0, heard[0] - sent
        assert text(driver, "latest-window") == "5"
    assert "综合窗口区" in text(driver, "latest-zone")
    # Both announcements were made as the calls happened, not when the display asked.
    cache = app.state.announcements
    for ticket in (first, second):
        until(lambda t=ticket: cache.ready(t["number"], "5"), 20)
        name = cache.target(ticket["number"], "5").name
        assert (name, "ahead") in cache.made and (name, "on request") not in cache.made
    recent = driver.execute_script(
        "return Array.from(document.querySelectorAll('#recent li span:first-child'))"
        ".map(function (e) { return e.textContent; })")
    assert recent[:2] == [second["number"], first["number"]]
    # A recall is announced again (the browser may take the same sentence from its cache).
    before = driver.execute_script("return window.lastAnnouncement.at")
    staff(centre, "/windows/5/recall")
    until(lambda: driver.execute_script("return window.lastAnnouncement.at") != before, 1.0)
    assert driver.execute_script("return window.lastAnnouncement.url") == \
        f"/display/audio/{second['number']}/5.wav"
    assert not shown(driver, "sound-blocked") and not shown(driver, "lost")


def test_display_says_plainly_when_the_browser_blocks_its_sound(centre, browser):
    driver = browser(1920, 1080, autoplay=False)
    driver.get(f"{centre.url}/display")
    until(lambda: shown(driver, "sound-blocked"), 5)
    assert "声音被浏览器阻止" in text(driver, "sound-blocked")
    driver.find_element("tag name", "body").click()  # a person touches the screen
    until(lambda: not shown(driver, "sound-blocked"), 5)


def test_display_shows_when_it_has_lost_the_centre(centre, browser):
    driver = browser(1080, 1920)
    driver.get(f"{centre.url}/display")
    until(lambda: text(driver, "latest-number") == "—", 5)
    time.sleep(0.5)
    assert not shown(driver, "lost")
    centre.server.should_exit = True
    until(lambda: shown(driver, "lost"), 10)
    assert "连接已断开" in text(driver, "lost")


def test_phone_page_follows_the_ticket_live_and_fits_a_phone(centre, browser):
    staff(centre, "/windows/21", {"matters": ["marriage-reg"]}, "PUT")
    ahead = take(centre, "marriage-reg")
    mine = take(centre, "marriage-reg")
    driver = browser(375, 667, mobile=True)
    driver.get(mine["track_url"])  # no token: the QR code's page is public
    assert text(driver, "number") == mine["number"]
    assert text(driver, "ahead") == "1"
    width = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " window.innerWidth]")
    assert width[1] == 375 and width[0] <= width[1], width
    time.sleep(0.5)  # the event stream is open
    staff(centre, "/windows/21/call-next")  # the person ahead
    until(lambda: text(driver, "ahead") == "0", 2)
    sent = time.monotonic()
    staff(centre, "/windows/21/call-next")
    assert until(lambda: shown(driver, "called"), 2) < 2.0
    assert "go to window 21" in text(driver, "called")
    assert "请到 21 号窗口" in text(driver, "called")
    assert time.monotonic() - sent < 2.5
    # Sent on to another window: the page follows.
    staff(centre, "/windows/21/transfer", {"to_window": "22"})
    until(lambda: "go to window 22" in text(driver, "called"), 2)
    # Recalled twice without coming: no-show, and the page says so.
    staff(centre, "/windows/22/recall")
    staff(centre, "/windows/22/recall")
    staff(centre, "/windows/22/no-show")
    until(lambda: shown(driver, "no_show"), 2)
    assert not shown(driver, "called")
    assert driver.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert ahead["number"] != mine["number"]


def test_phone_page_of_an_early_appointment_shows_its_slot_and_moves_up_at_its_start(centre,
                                                                                     browser):
    """No call at the slot's start, yet the page's people ahead drop then (the test clock
    ticks in real time from 3 s before the slot)."""
    slot = dt.datetime(2026, 11, 24, 10, 30, tzinfo=centre.clock.when.tzinfo)
    staff(centre, "/windows/21", {"matters": ["marriage-reg"]}, "PUT")
    take(centre, "marriage-reg")
    r = requests.post(f"{centre.url}/v1/staff/appointments", json={
        "matter_id": "marriage-reg", "day": "2026-11-24", "slot": "10:30"},
        headers=centre.staff_headers(), timeout=10)
    assert r.status_code == 201, r.text
    booked = r.json()
    centre.clock.set(slot - dt.timedelta(seconds=4))
    mine = take(centre, "marriage-reg", appointment_code=booked["code"])
    driver = browser(375, 667, mobile=True)
    driver.get(mine["track_url"])
    assert "预约时段 10:30" in text(driver, "slot") and "Appointment 10:30" in text(driver, "slot")
    assert shown(driver, "slot-early") and "move up" in text(driver, "slot-early")
    assert text(driver, "ahead") == "1"
    assert not driver.execute_script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth")
    centre.clock.run_from(slot - dt.timedelta(seconds=3))
    waited = until(lambda: text(driver, "ahead") == "0", 8)
    assert waited > 1.0  # at the slot's start, not before
    assert not shown(driver, "slot-early")
    assert shown(driver, "slot")
    with centre.service.db.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM ticket_events WHERE kind = 'called'") == 0
