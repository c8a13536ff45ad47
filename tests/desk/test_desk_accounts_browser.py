"""Staff accounts in a real headless Chromium (Debian's chromium + chromium-driver, Selenium):
a person changes their own password (their other device is logged out), and a disabled
account is refused - at the next click of its open page and at the login form.

One centre (SQLite) and one browser serve the module; each test uses its own accounts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import requests

from central.desk.accounts import Accounts
from central.desk.browser import chromium_available, click_and_load, headless_chromium
from central.testing import HALL_TZ, Clock, RunningCentre, running_centre
from tests.browser import by_id, desk_log_in

pytestmark = pytest.mark.skipif(not chromium_available(),
                                reason="needs Debian's chromium and chromium-driver")

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple battery horse 9"
START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=HALL_TZ)  # a Tuesday morning


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Iterator[RunningCentre]:
    with running_centre(tmp_path_factory.mktemp("accounts") / "central.db",
                        clock=Clock(START)) as running:
        accounts = Accounts(running.service.db, running.service.now)
        accounts.add_staff("default", "admin1", PASSWORD, "admin", display_name="管理员 王芳")
        for name, shown in (("clerk1", "窗口 李娜"), ("clerk2", "窗口 赵磊"),
                            ("clerk3", "窗口 孙丽")):
            accounts.add_staff("default", name, PASSWORD, "clerk", display_name=shown)
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    driver = headless_chromium(1366, 768)
    try:
        yield driver
    finally:
        driver.quit()


def css(browser, selector: str):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, selector)


def log_in(browser, centre, username: str, password: str = PASSWORD) -> None:
    browser.delete_all_cookies()
    desk_log_in(browser, f"{centre.url}/desk/inbox", username, password)


class OtherDevice:
    """The same person logged in on another PC or phone (a plain HTTP session)."""

    def __init__(self, centre, username: str, password: str = PASSWORD) -> None:
        self.base = f"{centre.url}/desk"
        self.http = requests.Session()
        page = self.http.get(f"{self.base}/login", timeout=10)
        answer = self.http.post(f"{self.base}/login", timeout=10, data={
            "csrf": _csrf(page.text), "next": "/desk/inbox", "username": username,
            "password": password})
        assert answer.ok and answer.url.endswith("/desk/inbox"), answer.url
        self.csrf = _csrf(answer.text)

    def logged_in(self) -> bool:
        page = self.http.get(f"{self.base}/inbox", timeout=10)
        return page.status_code == 200 and "/desk/login" not in page.url

    def close(self) -> None:
        self.http.close()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found
    return found.group(1)


def test_a_clerk_changes_their_password_and_their_other_device_is_logged_out(browser, centre):
    phone = OtherDevice(centre, "clerk1")
    try:
        log_in(browser, centre, "clerk1")
        click_and_load(browser, by_id(browser, "nav-account"))
        assert "我的账号" in browser.title
        # A wrong current password: said on the page, nothing changed.
        by_id(browser, "current-password").send_keys("not my password")
        by_id(browser, "new-password").send_keys(NEW_PASSWORD)
        by_id(browser, "repeat-password").send_keys(NEW_PASSWORD)
        click_and_load(browser, by_id(browser, "do-change-password"))
        assert "当前密码不正确" in by_id(browser, "error").text
        assert phone.logged_in()
        # The real change.
        by_id(browser, "current-password").send_keys(PASSWORD)
        by_id(browser, "new-password").send_keys(NEW_PASSWORD)
        by_id(browser, "repeat-password").send_keys(NEW_PASSWORD)
        click_and_load(browser, by_id(browser, "do-change-password"))
        assert "密码已修改" in by_id(browser, "done").text
        assert not phone.logged_in()  # the other device must log in again
        click_and_load(browser, by_id(browser, "nav-account"))  # this browser stays in
        assert "窗口 李娜" in by_id(browser, "me").text
        # Logged out and back in: the old password is refused, the new one works.
        click_and_load(browser, by_id(browser, "logout"))
        log_in(browser, centre, "clerk1", PASSWORD)
        assert "用户名或密码错误" in by_id(browser, "error").text
        log_in(browser, centre, "clerk1", NEW_PASSWORD)
        assert browser.current_url.endswith("/desk/inbox")
    finally:
        phone.close()


def test_a_disabled_account_is_refused_at_its_next_click_and_at_login(browser, centre):
    log_in(browser, centre, "clerk2")
    assert "窗口 赵磊" in by_id(browser, "me").text
    # The admin, at another PC, disables the account while the clerk's page is open.
    admin = Accounts(centre.service.db, centre.service.now)
    me, target = admin.staff_by_username("admin1"), admin.staff_by_username("clerk2")
    assert me is not None and target is not None
    admin.disable(me, target.id)
    click_and_load(browser, by_id(browser, "nav-help"))
    assert "/desk/login" in browser.current_url  # the open session stopped working
    log_in(browser, centre, "clerk2")
    assert "用户名或密码错误" in by_id(browser, "error").text
    assert "/desk/login" in browser.current_url


def test_the_admin_disables_and_re_enables_an_account_on_the_admin_page(browser, centre):
    desk = OtherDevice(centre, "clerk3")
    try:
        log_in(browser, centre, "admin1")
        click_and_load(browser, css(browser, 'nav a[href="/desk/admin"]'))
        own = css(browser, 'tr[data-user="admin1"]')
        assert not own.find_elements("css selector", "button.disable")  # never oneself
        click_and_load(browser, css(browser, 'tr[data-user="clerk3"] button.disable'))
        row = css(browser, 'tr[data-user="clerk3"]')
        assert "已停用" in row.text and "disabled" in row.get_attribute("class")
        assert not desk.logged_in()
        click_and_load(browser, css(browser, 'tr[data-user="clerk3"] button.enable'))
        assert "正常" in css(browser, 'tr[data-user="clerk3"] td.state').text
        OtherDevice(centre, "clerk3").close()  # logs in again (asserted inside)
    finally:
        desk.close()
