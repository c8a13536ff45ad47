"""Help calls on the desk in real headless Chromium (Debian's chromium + chromium-driver).

A help call made by the kiosk's own client appears on an open desk page within 1 s with a
chime; "我来了" clicked in the browser reaches the kiosk client; a cancel at the kiosk takes
the call off the page; a browser that blocks sound says so on screen. SQLite only: the
centre's side runs on both engines in tests/central/test_desk_help_calls.py.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import pytest
import requests

from central.desk.accounts import Accounts
from central.desk.browser import chromium_available, click_and_load
from central.testing import RunningCentre, running_centre
from kiosk.services.central import CentralClient
from tests.browser import desk_log_in, shown, until

pytestmark = pytest.mark.skipif(not chromium_available(),
                                reason="needs Debian's chromium and chromium-driver")

PASSWORD = "correct horse battery"
CALL = {"location": "一楼自助区 2 号机", "reason": "assist", "language": "zh"}


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Iterator[RunningCentre]:
    with running_centre(tmp_path_factory.mktemp("help") / "central.db") as running:
        accounts = Accounts(running.service.db, running.service.now)
        accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="窗口 李娜")
        yield running


@pytest.fixture
def kiosk(centre) -> Iterator[CentralClient]:
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id)
    try:
        yield client
    finally:
        client.close()


def open_help_page(driver, centre) -> None:
    desk_log_in(driver, f"{centre.url}/desk/help", "clerk1", PASSWORD)
    assert driver.current_url.endswith("/desk/help")
    until(lambda: driver.execute_script(
        "return document.getElementById('help-page').getAttribute('data-live')") == "open", 5)


def on_page(driver, call_id: str) -> bool:
    return bool(driver.find_elements("css selector", f'[data-call="{call_id}"]'))


def call_card(driver, call_id: str) -> dict:
    """The call's card as shown now, read in one go (the list may be redrawn at any event)."""
    return dict(driver.execute_script(
        "var c = document.querySelector(arguments[0]); return c && {text: c.innerText, "
        "class: c.className, coming_button: !!c.querySelector('.coming-btn')}",
        f'[data-call="{call_id}"]'))


def click_coming(driver, call_id: str) -> None:
    """Click the call's "我来了". Every `calls` event redraws the list (help.js), so the card
    found a moment ago may be gone by the click: find it again then (the click never landed)."""
    from selenium.common.exceptions import StaleElementReferenceException

    for _attempt in range(5):
        card = driver.find_element("css selector", f'[data-call="{call_id}"]')
        try:
            click_and_load(driver, card.find_element("css selector", ".coming-btn"))
            return
        except StaleElementReferenceException:
            continue
    raise AssertionError("the call's card kept being redrawn")


def test_a_kiosk_call_appears_within_1s_and_im_coming_reaches_the_kiosk(centre, browser,
                                                                         kiosk):
    driver = browser()
    open_help_page(driver, centre)
    assert not on_page(driver, "x") and shown(driver, "empty")
    started = time.monotonic()
    call_id = str(kiosk.call_help(dict(CALL), idempotency_key=uuid.uuid4().hex)["id"])
    until(lambda: on_page(driver, call_id), 3)
    assert time.monotonic() - started <= 1.0
    card = call_card(driver, call_id)
    assert CALL["location"] in card["text"] and "需要协助" in card["text"]
    assert "new" in card["class"]
    chime = driver.execute_script("return window.lastChime")
    assert chime and chime["url"].endswith("/desk/static/chime.wav")
    assert not shown(driver, "sound-blocked")  # this browser may play sound: no banner

    assert kiosk.help_call_status(call_id).coming_name is None
    click_coming(driver, call_id)
    status = kiosk.help_call_status(call_id)
    assert (status.open, status.coming_name, status.coming_role_name) == (True, "窗口 李娜",
                                                                          "窗口人员")
    card = call_card(driver, call_id)
    assert "窗口 李娜（窗口人员）正在前往" in card["text"]
    assert not card["coming_button"]

    # the citizen cancels at the kiosk: the call leaves the open page by itself
    until(lambda: driver.execute_script(
        "return document.getElementById('help-page').getAttribute('data-live')") == "open", 5)
    kiosk.cancel_help_call(call_id)
    until(lambda: not on_page(driver, call_id), 2)
    assert shown(driver, "empty")


def test_the_desk_says_plainly_when_the_browser_blocks_the_chime(centre, browser, kiosk):
    # The hall PC reopens the page of a session it already has: nobody has clicked anything
    # (logging in by a click would count as the gesture that lets the page play sound).
    with requests.Session() as http:
        page = http.get(f"{centre.url}/desk/login", timeout=10)
        token = re.search(r'name="csrf" value="([^"]*)"', page.text).group(1)
        http.post(f"{centre.url}/desk/login", timeout=10, data={
            "csrf": token, "next": "/desk/help", "username": "clerk1", "password": PASSWORD})
        cookie = http.cookies["desk_session"]
    driver = browser(autoplay=False)
    driver.get(f"{centre.url}/desk/static/help.css")
    driver.add_cookie({"name": "desk_session", "value": cookie, "path": "/desk"})
    driver.get(f"{centre.url}/desk/help")
    until(lambda: driver.execute_script(
        "return document.getElementById('help-page').getAttribute('data-live')") == "open", 5)
    call_id = str(kiosk.call_help(dict(CALL), idempotency_key=uuid.uuid4().hex)["id"])
    until(lambda: on_page(driver, call_id), 3)
    until(lambda: shown(driver, "sound-blocked"), 5)
    assert "声音被浏览器阻止" in driver.find_element("id", "sound-blocked").text
    driver.find_element("id", "sound-blocked").click()  # a person clicks the page
    until(lambda: not shown(driver, "sound-blocked"), 5)
    kiosk.cancel_help_call(call_id)
