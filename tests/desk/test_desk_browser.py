"""The staff desk in a real headless Chromium (Debian's chromium + chromium-driver, Selenium).

One centre (SQLite) and one browser serve the whole module; each test logs in afresh.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
import requests

from central.desk.accounts import MAX_FAILURES, Accounts
from central.desk.browser import chromium_available, click_and_load, headless_chromium
from central.testing import HALL_TZ, Clock, RunningCentre, running_centre
from kiosk.services.central import CentralClient
from tests.browser import by_id, desk_log_in

pytestmark = pytest.mark.skipif(not chromium_available(),
                                reason="needs Debian's chromium and chromium-driver")

PASSWORD = "correct horse battery"
START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=HALL_TZ)  # a Tuesday morning


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Iterator[RunningCentre]:
    clock = Clock(START)
    with running_centre(tmp_path_factory.mktemp("desk") / "central.db", clock=clock) as running:
        accounts = Accounts(running.service.db, running.service.now)
        accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="窗口 李娜")
        accounts.add_staff("default", "duty1", PASSWORD, "duty", display_name="值班长 张伟")
        accounts.add_staff("default", "admin1", PASSWORD, "admin", display_name="管理员")
        accounts.add_staff("default", "civil1", PASSWORD, "unit", display_name="民政 刘洋",
                           unit="区民政局")
        accounts.add_staff("default", "market1", PASSWORD, "unit", display_name="市监 陈静",
                           unit="区市场监督管理局")
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    driver = headless_chromium(1366, 768)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(autouse=True)
def fresh(centre, browser):
    centre.clock.set(START)
    browser.get(f"{centre.url}/desk/login")
    browser.delete_all_cookies()
    yield


def log_in(browser, centre, username: str, password: str = PASSWORD) -> None:
    browser.delete_all_cookies()
    desk_log_in(browser, f"{centre.url}/desk/inbox", username, password)


def submit(centre, description: str, matter: str | None = "marriage-reg") -> str:
    body = {"situation": "not_accepted", "description": description, "phone": "13800138000",
            **({"matter_id": matter} if matter else {})}
    answer = requests.post(f"{centre.url}/v1/reports", json=body, timeout=10,
                           headers={**centre.kiosk_headers(),
                                    "Idempotency-Key": uuid.uuid4().hex})
    answer.raise_for_status()
    CHECK_CODES[answer.json()["tracking_no"]] = answer.json()["check_code"]
    return str(answer.json()["tracking_no"])


#: The receipt's check code of every report submit() made: a kiosk's look-up needs it.
CHECK_CODES: dict[str, str] = {}


def open_order(browser, centre, box: str, no: str) -> None:
    from selenium.webdriver.common.by import By

    click_and_load(browser, by_id(browser, f"box-{box}"))
    click_and_load(browser, browser.find_element(By.LINK_TEXT, no))
    assert by_id(browser, "status").is_displayed()


def choose(browser, element_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(by_id(browser, element_id)).select_by_value(value)


def rows(browser) -> list[str]:
    from selenium.webdriver.common.by import By

    return [r.get_attribute("data-no") for r in browser.find_elements(By.CSS_SELECTOR,
                                                                       "tr[data-no]")]


def test_accept_classify_dispatch_resolve_answer_and_the_kiosk_sees_it(browser, centre):
    no = submit(centre, "户口本地址与身份证不一致，窗口不予受理")
    other = submit(centre, "另一件事，转办市场监管")
    log_in(browser, centre, "clerk1")
    assert "窗口 李娜" in by_id(browser, "me").text
    open_order(browser, centre, "new", no)
    click_and_load(browser, by_id(browser, "do-accept"))
    assert by_id(browser, "owner").text == "窗口 李娜"
    choose(browser, "kind-select", "hard")
    choose(browser, "complexity-select", "complex")
    click_and_load(browser, by_id(browser, "do-classify"))
    assert "不好办" in by_id(browser, "kind").text
    assert by_id(browser, "promised").text.startswith("2026-12-08")  # 10 working days
    choose(browser, "unit-select", "区民政局")
    by_id(browser, "dispatch-note").send_keys("请核实户籍地址")
    click_and_load(browser, by_id(browser, "do-dispatch"))
    assert by_id(browser, "unit").text == "区民政局"
    # The other report goes to another unit.
    for action in ("accept",):
        browser.get(f"{centre.url}/desk/orders/{other}")
        click_and_load(browser, by_id(browser, f"do-{action}"))
    click_and_load(browser, by_id(browser, "do-classify"))
    choose(browser, "unit-select", "区市场监督管理局")
    click_and_load(browser, by_id(browser, "do-dispatch"))

    # The unit handler sees only what was dispatched to the unit.
    log_in(browser, centre, "civil1")
    assert rows(browser) == [no]
    click_and_load(browser, by_id(browser, "box-all"))
    assert rows(browser) == [no]
    browser.get(f"{centre.url}/desk/orders/{other}")
    assert "不属于本单位" in by_id(browser, "problem").text
    browser.get(f"{centre.url}/desk/orders/{no}")
    by_id(browser, "resolution-text").send_keys("已与公安核实，容缺受理")
    click_and_load(browser, by_id(browser, "do-resolve"))
    assert "已办结" in by_id(browser, "status").text

    log_in(browser, centre, "clerk1")
    browser.get(f"{centre.url}/desk/orders/{no}")
    by_id(browser, "answer-text").send_keys("已容缺受理，请于三日内补交照片")
    click_and_load(browser, by_id(browser, "do-answer"))
    assert "已反馈" in by_id(browser, "status").text
    assert "138****8000" in by_id(browser, "order-messages").text

    seen = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id).report_status(
        no, CHECK_CODES[no])
    assert seen.status == "answered" and seen.answer == "已容缺受理，请于三日内补交照片"


def test_an_overdue_order_escalates_to_the_duty_officer(browser, centre):
    no = submit(centre, "超期测试")  # promised Tue 1 Dec
    centre.clock.set(dt.datetime(2026, 12, 2, 9, 30, tzinfo=HALL_TZ))
    log_in(browser, centre, "duty1")
    assert no in rows(browser)  # the duty officer's first inbox is "escalated"
    assert "alert" in by_id(browser, "box-escalated").get_attribute("class")
    browser.get(f"{centre.url}/desk/orders/{no}")
    assert by_id(browser, "escalated").is_displayed() and by_id(browser, "overdue").is_displayed()
    assert "超期自动提级" in by_id(browser, "history").text


def test_a_clerk_cannot_reach_admin_pages(browser, centre):
    log_in(browser, centre, "clerk1")
    from selenium.webdriver.common.by import By

    assert not browser.find_elements(By.LINK_TEXT, "管理")
    browser.get(f"{centre.url}/desk/admin")
    assert "无权" in by_id(browser, "problem").text
    browser.get(f"{centre.url}/desk/audit")
    assert "无权" in by_id(browser, "problem").text


def test_wrong_passwords_lock_the_account(browser, centre):
    for attempt in range(MAX_FAILURES):
        log_in(browser, centre, "market1", "not the password")
        expected = "已锁定" if attempt == MAX_FAILURES - 1 else "用户名或密码错误"
        assert expected in by_id(browser, "error").text
    log_in(browser, centre, "market1")
    assert "已锁定" in by_id(browser, "error").text
    # The admin unlocks it; then the right password works.
    log_in(browser, centre, "admin1")
    browser.get(f"{centre.url}/desk/admin")
    from selenium.webdriver.common.by import By

    click_and_load(browser, browser.find_element(By.XPATH, "//tr[td[1]='market1']//button"))
    log_in(browser, centre, "market1")
    assert "市监 陈静" in by_id(browser, "me").text
