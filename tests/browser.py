"""What the browser tests share: Debian's headless Chromium under Selenium, waiting, reading a
page, logging in to the desk, taking a number.

A pytest plugin (tests/conftest.py lists it in ``pytest_plugins``): the ``browser`` fixture is
available to every test; the helpers are imported from here.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

# The centre's and Selenium's modules are imported when a browser test uses them: this plugin
# is loaded for every test run, kiosk-only ones included.


@pytest.fixture
def browser() -> Iterator[Callable[..., Any]]:
    """Open headless Chromiums: ``browser(width=1366, height=768, autoplay=True,
    mobile=False)``; every one is closed after the test."""
    from central.web.screenshots import chromium

    drivers: list[Any] = []

    def open_browser(width: int = 1366, height: int = 768, **kwargs: Any) -> Any:
        driver = chromium(width, height, **kwargs)
        drivers.append(driver)
        return driver

    yield open_browser
    for driver in drivers:
        driver.quit()


def until(check: Callable[[], object], timeout: float) -> float:
    """Seconds until ``check()`` is truthy; fails after ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"not within {timeout} s")


def text(driver: Any, element_id: str) -> str:
    """The element's text content ('' when the page has no such element)."""
    return str(driver.execute_script(
        f"var e = document.getElementById('{element_id}'); return e ? e.textContent : ''"))


def shown(driver: Any, element_id: str) -> bool:
    """Whether the element is on the page, not hidden, and takes up room."""
    return bool(driver.execute_script(
        f"var e = document.getElementById('{element_id}'); return !!e && !e.hidden && "
        "e.getBoundingClientRect().height > 0"))


def scrolls_sideways(driver: Any) -> bool:
    """Whether the page is wider than the viewport (a phone would scroll horizontally)."""
    return bool(driver.execute_script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth"))


def by_id(driver: Any, element_id: str) -> Any:
    """The element with this id (Selenium's NoSuchElementException when there is none)."""
    return driver.find_element("id", element_id)


def desk_log_in(driver: Any, page_url: str, username: str, password: str) -> None:
    """Open a desk page without a session (it shows the login form), and log in."""
    from central.desk.browser import click_and_load

    driver.get(page_url)
    assert "/desk/login" in driver.current_url, driver.current_url
    driver.find_element("id", "username").send_keys(username)
    driver.find_element("id", "password").send_keys(password)
    click_and_load(driver, driver.find_element("id", "login"))


def take(centre: Any, matter: str, **extra: Any) -> dict[str, Any]:
    """Take a number as the centre's demo kiosk."""
    r = requests.post(f"{centre.url}/v1/tickets", json={"matter_id": matter, **extra},
                      headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex},
                      timeout=10)
    assert r.status_code == 201, r.text
    answer: dict[str, Any] = r.json()
    return answer
