"""The clerk's window page in real headless Chromium, with the hall display and a ticket's
phone page open in two more browsers: what the clerk presses is what the hall sees.

One centre (SQLite: the calling rules run on both engines in
tests/central/test_desk_window.py) serves the module; browsers are Debian's chromium.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
import requests

from central.desk.accounts import Accounts
from central.desk.browser import chromium_available, click_and_load, wait_for_new_page
from central.testing import HALL_TZ, Clock, RunningCentre, running_centre
from tests.browser import desk_log_in, shown, take, text, until

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not chromium_available(),
                                 reason="needs Debian's chromium and chromium-driver")]

PASSWORD = "correct horse battery"
START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=HALL_TZ)  # a Tuesday morning


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Iterator[RunningCentre]:
    with running_centre(tmp_path_factory.mktemp("window") / "central.db",
                        clock=Clock(START)) as running:
        accounts = Accounts(running.service.db, running.service.now)
        accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="窗口 李娜")
        yield running


def press(driver, button_id: str) -> float:
    """Click a window-page button and wait for the answer page; the monotonic click time."""
    pressed = time.monotonic()
    click_and_load(driver, driver.find_element("id", button_id))
    return pressed


def press_and_watch(driver, button_id: str, check: Callable[[], object],
                    timeout: float) -> float:
    """Click a button without waiting for the clerk's next page; seconds from the click
    until ``check()`` (another browser) is true; then the clerk's page has loaded too."""
    old = driver.find_element("tag name", "html")
    button = driver.find_element("id", button_id)
    pressed = time.monotonic()
    driver.execute_script("var b = arguments[0]; setTimeout(function () { b.click(); }, 0);",
                          button)
    until(check, timeout)
    seen = time.monotonic() - pressed
    wait_for_new_page(driver, old)
    return seen


def open_window(centre, driver, window: str, matters: list[str]) -> None:
    desk_log_in(driver, f"{centre.url}/desk/window", "clerk1", PASSWORD)
    assert driver.current_url.endswith("/desk/window")
    box = driver.find_element("id", "window-no")
    box.clear()
    box.send_keys(window)
    for matter in matters:
        driver.find_element("id", f"matter-{matter}").click()
    press(driver, "do-open")
    assert driver.current_url.endswith(f"/desk/window/{window}?done=open")


def on_display(driver, number: str, window: str) -> bool:
    return text(driver, "latest-number") == number and text(driver, "latest-window") == window


def test_call_reaches_display_within_1s_and_phone_within_2s_then_recall_and_no_show(
        centre, browser):
    app = centre.server.config.app
    ahead = take(centre, "marriage-reg")
    mine = take(centre, "marriage-reg")
    display = browser(1920, 1080)
    display.get(f"{centre.url}/display")
    phone = browser(375, 667, mobile=True)
    phone.get(mine["track_url"])
    clerk = browser(1366, 768)
    open_window(centre, clerk, "21", ["marriage-reg"])
    assert text(clerk, "current-number").strip() == "—"
    until(lambda: display.execute_script("return document.body.getAttribute('data-sound')"),
          5)
    assert text(phone, "ahead") == "1"
    time.sleep(0.5)  # both event streams are open

    seen = press_and_watch(clerk, "do-call-next",
                           lambda: on_display(display, ahead["number"], "21"), 1.0)
    assert seen < 1.0, seen
    until(lambda: text(phone, "ahead") == "0", 2)
    assert text(clerk, "current-number").strip() == ahead["number"]

    app.state.audio_requests.clear()
    pressed = time.monotonic()
    display_s = press_and_watch(clerk, "do-call-next",
                                lambda: on_display(display, mine["number"], "21"), 1.0)
    until(lambda: shown(phone, "called"), 2.0)
    phone_s = time.monotonic() - pressed
    print(f"window page call -> display {display_s:.3f} s, -> phone page {phone_s:.3f} s")
    assert display_s < 1.0, display_s
    assert phone_s < 2.0, phone_s
    assert "请到 21 号窗口" in text(phone, "called") and "go to window 21" in text(phone, "called")
    until(lambda: any(p == f"/display/audio/{mine['number']}/21.wav"
                      for _, p in app.state.audio_requests), 1.0)
    heard = [at for at, p in app.state.audio_requests
             if p == f"/display/audio/{mine['number']}/21.wav"]
    assert heard[0] - pressed < 1.0, heard[0] - pressed

    # No-show is greyed out until the hall's two recalls; each recall is announced again.
    assert not clerk.find_element("id", "do-no-show").is_enabled()
    for n in (1, 2):
        before = display.execute_script("return window.lastAnnouncement.at")
        seen = press_and_watch(clerk, "do-recall", lambda b=before: display.execute_script(
            "return window.lastAnnouncement.at") != b, 1.0)
        assert seen < 1.0, seen
        assert f"已重呼 {n}/2 次" in text(clerk, "current-recalls")
    assert clerk.find_element("id", "do-no-show").is_enabled()
    press(clerk, "do-no-show")
    until(lambda: shown(phone, "no_show"), 2.0)
    assert not shown(phone, "called")
    assert text(clerk, "current-number").strip() == "—"
    assert "已过号" in text(clerk, "done")
    # Everything the clerk did is under the clerk's name in the audit log.
    with centre.service.db.read() as tx:
        actions = [r["action"] for r in tx.all(
            "SELECT action FROM audit_log WHERE username = 'clerk1' AND action LIKE "
            "'window_%' ORDER BY id")]
    assert actions[-5:] == ["window_call_next", "window_call_next", "window_recall",
                            "window_recall", "window_no_show"]


def test_comprehensive_window_pools_two_matters_and_transfers(centre, browser):
    first = take(centre, "birth-cert")
    centre.clock.set(centre.clock.when + dt.timedelta(minutes=1))
    second = take(centre, "elderly-allowance")
    centre.clock.set(centre.clock.when + dt.timedelta(minutes=1))
    third = take(centre, "birth-cert")
    display = browser(1080, 1920)
    display.get(f"{centre.url}/display")
    phone = browser(375, 667, mobile=True)
    phone.get(second["track_url"])
    clerk = browser(1366, 768)
    open_window(centre, clerk, "5", ["birth-cert", "elderly-allowance"])
    assert "综合窗口" in text(clerk, "pooled")
    assert clerk.find_element("id", "waiting-birth-cert").get_attribute("data-waiting") == "2"
    assert clerk.find_element(
        "id", "waiting-elderly-allowance").get_attribute("data-waiting") == "1"
    time.sleep(0.5)  # the event streams are open

    # One window calls both matters' numbers in the order they were issued.
    for ticket in (first, second):
        seen = press_and_watch(clerk, "do-call-next",
                               lambda t=ticket: on_display(display, t["number"], "5"), 1.0)
        assert seen < 1.0, seen
        assert text(clerk, "current-number").strip() == ticket["number"]
    until(lambda: "go to window 5" in text(phone, "called"), 2.0)

    # Sent on to window 22: called there at once, on the display and on the phone.
    clerk.find_element("id", "to-window").send_keys("22")
    seen = press_and_watch(clerk, "do-transfer-window",
                           lambda: "go to window 22" in text(phone, "called"), 2.0)
    assert seen < 2.0, seen
    assert on_display(display, second["number"], "22")
    assert text(clerk, "current-number").strip() == "—"
    assert "已转移" in text(clerk, "done")

    # The next one goes back into another matter's queue: waiting again, not called.
    press(clerk, "do-call-next")
    assert text(clerk, "current-number").strip() == third["number"]
    from selenium.webdriver.support.ui import Select

    Select(clerk.find_element("id", "to-matter")).select_by_value("elderly-allowance")
    press(clerk, "do-transfer-matter")
    assert clerk.find_element(
        "id", "waiting-elderly-allowance").get_attribute("data-waiting") == "1"
    third_page = browser(375, 667, mobile=True)
    third_page.get(third["track_url"])
    assert shown(third_page, "waiting") and not shown(third_page, "called")
    assert text(third_page, "ahead") == "0"
    # The 1366×768 page needs no horizontal scrolling.
    assert clerk.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_an_appointment_is_called_in_its_slots_place_on_the_window_page(centre, browser):
    """Checked in before its 11:00 slot, it waits behind an earlier walk-in; from 11:00 the
    clerk's next call is the appointment, tagged with its slot, ahead of that walk-in; its
    phone page counted it the same way."""
    clock = centre.clock
    clock.set(START.replace(hour=10, minute=40))
    walk_in = take(centre, "divorce-reg")
    booked = requests.post(f"{centre.url}/v1/staff/appointments",
                           json={"matter_id": "divorce-reg", "day": "2026-11-24",
                                 "slot": "11:00"}, headers=centre.staff_headers(), timeout=10)
    assert booked.status_code == 201, booked.text
    clock.set(START.replace(hour=10, minute=45))
    r = requests.post(f"{centre.url}/v1/tickets",
                      json={"matter_id": "divorce-reg", "appointment_code": booked.json()["code"]},
                      headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex},
                      timeout=10)
    assert r.status_code == 201, r.text
    appointment = r.json()
    assert appointment["ahead"] == 1  # early: behind the walk-in who came first
    phone = browser(375, 667, mobile=True)
    phone.get(appointment["track_url"])
    assert text(phone, "ahead") == "1"
    clerk = browser(1366, 768)
    open_window(centre, clerk, "23", ["divorce-reg"])
    time.sleep(0.5)  # the phone's event stream is open

    clock.set(START.replace(hour=11, minute=0))  # the slot starts
    press(clerk, "do-call-next")
    assert text(clerk, "current-number").strip() == appointment["number"]
    assert "预约 11:00" in text(clerk, "current-slot")
    assert "Appointment 11:00" in text(clerk, "current-slot")
    until(lambda: "go to window 23" in text(phone, "called"), 2.0)
    walk_in_page = browser(375, 667, mobile=True)
    walk_in_page.get(walk_in["track_url"])
    assert text(walk_in_page, "ahead") == "0"
    press(clerk, "do-call-next")
    assert text(clerk, "current-number").strip() == walk_in["number"]
    assert not shown(clerk, "current-slot")
    press(clerk, "do-served")
