"""好差评 on the desk in a real headless Chromium: a 差评 sent by the kiosk's own central client
opens a 整改 order the clerk works to its 回访; the ratings page at a hall PC and on a phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from central.desk.accounts import Accounts
from central.desk.browser import chromium_available, click_and_load, headless_chromium, viewport
from central.desk.orders import Actor, WorkOrders
from central.testing import HALL_TZ, Clock, RunningCentre, running_centre
from kiosk.flows.evaluation import SubmitEvaluation
from kiosk.services.central import CentralClient
from tests.browser import by_id, desk_log_in

pytestmark = pytest.mark.skipif(not chromium_available(),
                                reason="needs Debian's chromium and chromium-driver")

PASSWORD = "correct horse battery"
START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=HALL_TZ)  # a Tuesday morning


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Iterator[RunningCentre]:
    with running_centre(tmp_path_factory.mktemp("ratings") / "central.db",
                        clock=Clock(START)) as running:
        accounts = Accounts(running.service.db, running.service.now)
        accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="窗口 李娜")
        accounts.add_staff("default", "civil1", PASSWORD, "unit", display_name="民政 刘洋",
                           unit="区民政局")
        WorkOrders(running.service).add_unit(Actor(None, "test", "default"), "区民政局")
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    driver = headless_chromium(1366, 768)
    try:
        yield driver
    finally:
        driver.quit()


def log_in(browser, centre, username: str) -> None:
    browser.delete_all_cookies()
    desk_log_in(browser, f"{centre.url}/desk/inbox", username, PASSWORD)


def kiosk_rates(centre, level: int, window: str, phone: str | None = None) -> dict:
    """What the kiosk's outbox sends: the flow's own effect body, through its central client."""
    effect = SubmitEvaluation(level, ("attitude",) if level <= 2 else (), None, window,
                              f"browser-{level}-{window}-{phone}", phone=phone)
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id)
    return client.submit_evaluation(effect.body(), idempotency_key=effect.idempotency_key)


def test_a_bad_rating_from_the_kiosk_is_rectified_and_called_back_on_the_desk(browser,
                                                                               centre):
    from selenium.webdriver.common.by import By

    viewport(browser, 1366, 768)
    kiosk_rates(centre, 5, "8")
    answer = kiosk_rates(centre, 1, "8", phone="13800138000")
    no = answer["rectification_no"]
    log_in(browser, centre, "clerk1")
    click_and_load(browser, by_id(browser, "nav-rectify"))
    click_and_load(browser, by_id(browser, "box-new"))
    assert [r.get_attribute("data-no") for r in browser.find_elements(
        By.CSS_SELECTOR, "tr[data-no]")] == [no]  # the 好评 opened nothing
    click_and_load(browser, browser.find_element(By.LINK_TEXT, no))
    assert "非常不满意" in by_id(browser, "level").text
    assert "服务态度不好" in by_id(browser, "reasons").text
    assert by_id(browser, "phone").text.startswith("138****8000")
    assert by_id(browser, "rectify-due").text.startswith("2026-12-01")  # 5 working days
    click_and_load(browser, by_id(browser, "do-accept"))
    assert by_id(browser, "owner").text == "窗口 李娜"
    by_id(browser, "measures-text").send_keys("已约谈窗口人员，服务规范再培训")
    click_and_load(browser, by_id(browser, "do-rectify"))
    assert "已整改" in by_id(browser, "status").text
    assert by_id(browser, "callback-due").text.startswith("2026-11-26")  # 2 working days
    # To dial, the clerk asks for the full number: it shows, and the audit log says who.
    click_and_load(browser, by_id(browser, "do-show-phone"))
    assert by_id(browser, "phone-full").text == "13800138000"
    by_id(browser, "outcome-satisfied").click()
    by_id(browser, "callback-note").send_keys("群众对整改表示满意")
    click_and_load(browser, by_id(browser, "do-callback"))
    assert "已回访办结" in by_id(browser, "status").text
    record = by_id(browser, "callbacks").text
    assert "窗口 李娜" in record and "满意" in record and "群众对整改表示满意" in record
    assert "13800138000" not in browser.page_source  # the number is gone once called back
    history = by_id(browser, "history").text
    for words in ("差评自动生成整改工单", "受理", "整改完成", "查看回访号码", "回访"):
        assert words in history

    # The ratings page: this month's satisfaction rate, its definition, the order linked.
    click_and_load(browser, by_id(browser, "nav-ratings"))
    assert "前两级" in by_id(browser, "definition").text
    month = browser.find_element(By.CSS_SELECTOR, '#by-month tr[data-month="2026-11"]')
    assert "50.0%" in month.text
    window = browser.find_element(By.CSS_SELECTOR, '#by-window tr[data-window="8"]')
    assert "50.0%" in window.text
    assert browser.find_element(By.CSS_SELECTOR, f'#bad-ratings tr[data-no="{no}"]')


def test_the_ratings_pages_fit_a_phone_and_a_unit_sees_only_its_orders(browser, centre):
    from selenium.webdriver.common.by import By

    no = kiosk_rates(centre, 2, "9")["rectification_no"]
    log_in(browser, centre, "clerk1")
    browser.get(f"{centre.url}/desk/rectify/{no}")
    click_and_load(browser, by_id(browser, "do-accept"))
    click_and_load(browser, by_id(browser, "do-dispatch"))
    viewport(browser, 390, 844, mobile=True)
    try:
        for path in ("/desk/ratings", f"/desk/rectify/{no}", "/desk/rectify?box=all"):
            browser.get(f"{centre.url}{path}")
            assert browser.execute_script(
                "return document.documentElement.scrollWidth <= "
                "document.documentElement.clientWidth"), path
        log_in(browser, centre, "civil1")
        click_and_load(browser, by_id(browser, "nav-rectify"))
        assert [r.get_attribute("data-no") for r in browser.find_elements(
            By.CSS_SELECTOR, "tr[data-no]")] == [no]
        assert not browser.find_elements(By.ID, "nav-ratings")
        browser.get(f"{centre.url}/desk/rectify/{no}")
        by_id(browser, "measures-text").send_keys("已调整窗口排班")
        click_and_load(browser, by_id(browser, "do-rectify"))
        assert "已整改" in by_id(browser, "status").text
        assert not browser.find_elements(By.ID, "do-callback")  # 回访 is the hall's job
    finally:
        viewport(browser, 1366, 768)


def test_an_unsatisfied_call_back_sends_the_order_back_for_a_second_rectification(browser,
                                                                                   centre):
    from selenium.webdriver.common.by import By

    viewport(browser, 1366, 768)
    no = kiosk_rates(centre, 2, "6", phone="13900001111")["rectification_no"]
    log_in(browser, centre, "clerk1")
    browser.get(f"{centre.url}/desk/rectify/{no}")
    assert not browser.find_elements(By.ID, "reopened")
    click_and_load(browser, by_id(browser, "do-accept"))
    by_id(browser, "measures-text").send_keys("已提醒窗口叫号")
    click_and_load(browser, by_id(browser, "do-rectify"))
    by_id(browser, "outcome-not_satisfied").click()
    by_id(browser, "callback-note").send_keys("群众认为仍未解决")
    click_and_load(browser, by_id(browser, "do-callback"))
    # Plainly a second rectification, due again in 5 working days, the first one on record.
    assert "已受理" in by_id(browser, "status").text
    assert "第2次整改" in by_id(browser, "round").text
    assert "第2次整改" in by_id(browser, "reopened").text
    assert by_id(browser, "rectify-due").text.startswith("2026-12-01")
    assert "群众认为仍未解决" in by_id(browser, "callbacks").text
    assert "已提醒窗口叫号" in by_id(browser, "history").text
    click_and_load(browser, by_id(browser, "nav-rectify"))
    click_and_load(browser, by_id(browser, "box-all"))
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-no="{no}"]')
    assert "第2次整改" in row.text and "2nd rectification" in row.text
    click_and_load(browser, browser.find_element(By.LINK_TEXT, no))
    by_id(browser, "measures-text").send_keys("高峰时段增开窗口")
    click_and_load(browser, by_id(browser, "do-rectify"))
    by_id(browser, "outcome-satisfied").click()
    click_and_load(browser, by_id(browser, "do-callback"))
    assert "已回访办结" in by_id(browser, "status").text
    assert not browser.find_elements(By.ID, "reopened")
    assert [c.text.split()[0] for c in browser.find_elements(
        By.CSS_SELECTOR, "#callbacks td.outcome")] == ["不满意", "满意"]
