"""The report receipt's QR page on a phone (375×667, WeChat's user agent) in real headless
Chromium: a clerk answers the report on the desk in another browser, and the phone's page shows
each step and the answer by itself within 2 s (server-sent events, not a reload timer); nothing
scrolls sideways. SQLite only: the page's rules run on both
engines in test_central_progress_page.py.
"""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from central.desk.accounts import Accounts
from central.desk.browser import chromium_available, click_and_load
from tests.browser import desk_log_in, scrolls_sideways, shown, text, until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_available(),
                       reason="needs Debian's chromium and chromium-driver (.ci/setup)"),
    pytest.mark.parametrize("engine", ["sqlite"], indirect=True),
]

PASSWORD = "correct horse battery"
# A long answer with an unbroken address in it: the page must wrap it, not scroll sideways.
ANSWER = ("经核实，您的婚姻登记材料齐全，已安排容缺受理。请于三个工作日内携带身份证原件到3楼C区"
          "21号窗口补交照片，办理进度可在 https://zwfw.example.gov.cn/banjian/chaxun/"
          "R000000000000-bujiao-zhaopian-tongzhi 查看。咨询电话 13912345678。")


def desk_action(driver, action: str, **fields: str) -> float:
    """Fill in and press the action's button; the time it was pressed."""
    from selenium.webdriver.support.ui import Select

    for element_id, value in fields.items():
        element = driver.find_element("id", element_id)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.send_keys(value)
    button = driver.find_element("id", f"do-{action}")
    pressed = time.monotonic()
    click_and_load(driver, button)
    return pressed


def test_the_phone_page_shows_the_answer_given_on_the_desk_without_sideways_scrolling(
        centre, browser):
    accounts = Accounts(centre.service.db, centre.service.now)
    accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="窗口 李娜")
    accounts.add_staff("default", "civil1", PASSWORD, "unit", display_name="民政 刘洋",
                       unit="区民政局")  # a unit the desk can dispatch to
    receipt = requests.post(
        f"{centre.url}/v1/reports", timeout=10,
        json={"matter_id": "marriage-reg", "situation": "not_accepted",
              "description": "材料齐全但窗口不予受理", "phone": "13800138000"},
        headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex}).json()
    no = receipt["tracking_no"]

    phone = browser(375, 667, mobile=True)
    # Typed by hand instead of scanned: the page asks for the receipt's code.
    phone.get(f"{centre.url}/r/{no}")
    assert shown(phone, "c") and "请输入回执上的4位查询码" in phone.page_source
    phone.find_element("id", "c").send_keys(receipt["check_code"])
    click_and_load(phone, phone.find_element("id", "look"))
    assert phone.current_url == receipt["progress_url"]  # the same address as the QR code
    assert text(phone, "number") == no
    assert "当前进度：已收到，等待受理" in text(phone, "now")
    assert "将在2026年12月1日前答复您" in text(phone, "promised")
    assert not shown(phone, "answer")
    assert phone.execute_script("return [window.innerWidth, document.documentElement"
                                ".clientWidth]") == [375, 375]
    assert not scrolls_sideways(phone)
    assert "13800138000" not in phone.page_source and "材料齐全但窗口" not in phone.page_source
    # The page listens (EventSource) rather than reloading: nothing reloads it, so a mark left
    # on this page's window is still there after every update.
    phone.execute_script("window.notReloaded = true;")

    clerk = browser(1366, 768)
    desk_log_in(clerk, f"{centre.url}/desk/orders/{no}", "clerk1", PASSWORD)
    clerk.get(f"{centre.url}/desk/orders/{no}")
    pressed = desk_action(clerk, "accept")
    until(lambda: "当前进度：已受理" in text(phone, "now"), 10)
    assert time.monotonic() - pressed < 2.0
    assert "reached" in phone.find_element("id", "step-accepted").get_attribute("class")
    desk_action(clerk, "classify", **{"kind-select": "hard", "complexity-select": "ordinary"})
    desk_action(clerk, "dispatch", **{"unit-select": "区民政局"})
    desk_action(clerk, "resolve", **{"resolution-text": "已与民政核实"})
    pressed = desk_action(clerk, "answer", **{"answer-text": ANSWER})
    assert "已反馈" in text(clerk, "status")

    # The answer is on the phone within 2 s of the clerk's press, without a reload.
    until(lambda: shown(phone, "answer"), 10)
    assert time.monotonic() - pressed < 2.0
    assert phone.execute_script("return window.notReloaded === true")
    assert "当前进度：已答复" in text(phone, "now")
    shown_answer = text(phone, "answer-text")
    assert shown_answer.startswith("经核实，您的婚姻登记材料齐全")
    assert "139****5678" in shown_answer and "13912345678" not in phone.page_source
    assert "已与民政核实" not in phone.page_source and "区民政局" not in phone.page_source
    assert "reached" in phone.find_element("id", "step-answered").get_attribute("class")
    assert not scrolls_sideways(phone)
    # Answered: nothing more to wait for; a fresh load has no refresh and opens no stream.
    phone.refresh()
    assert shown(phone, "answer") and 'http-equiv="refresh"' not in phone.page_source
    assert 'report.js' not in phone.page_source


def test_a_wrong_code_shows_the_not_found_page_and_fits_the_phone(centre, browser):
    receipt = requests.post(
        f"{centre.url}/v1/reports", timeout=10,
        json={"situation": "other", "description": "测试", "phone": "13800138000"},
        headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex}).json()
    wrong = f"{(int(receipt['check_code']) + 1) % 10000:04d}"
    phone = browser(375, 667, mobile=True)
    phone.get(f"{centre.url}/r/{receipt['tracking_no']}?c={wrong}")
    assert "没有查到反映记录" in text(phone, "unknown")
    assert not shown(phone, "now") and not scrolls_sideways(phone)
    phone.find_element("id", "c").send_keys(receipt["check_code"])  # try again on the page
    click_and_load(phone, phone.find_element("id", "look"))
    assert "当前进度：已收到，等待受理" in text(phone, "now")


def test_a_browser_without_event_source_reloads_gently_and_still_sees_the_answer(
        centre, browser, monkeypatch):
    """An old phone browser (no EventSource): the script falls back to a plain reload every
    REFRESH_S (never under 10 s) - here set to the 10 s floor so the test sees it happen."""
    import central.web.progress

    monkeypatch.setattr(central.web.progress, "REFRESH_S", 3)  # below the floor: 10 s it is
    receipt = requests.post(
        f"{centre.url}/v1/reports", timeout=10,
        json={"situation": "other", "description": "测试", "phone": "13800138000"},
        headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex}).json()
    phone = browser(375, 667, mobile=True)
    phone.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                          {"source": "delete window.EventSource;"})
    opened = time.monotonic()  # before the page, whose reload timer starts as it loads
    phone.get(receipt["progress_url"])
    assert phone.execute_script("return typeof EventSource") == "undefined"
    assert "当前进度：已收到，等待受理" in text(phone, "now")
    phone.execute_script("window.notReloaded = true;")
    base = f"{centre.url}/v1/staff/reports/{receipt['tracking_no']}"
    for action, body in (("accept", {}), ("classify", {"kind": "hard", "complexity": "simple"}),
                         ("dispatch", {"unit": "区民政局"}), ("resolve", {"resolution": "已处理"}),
                         ("answer", {"answer": "已答复"})):
        requests.post(f"{base}/{action}", json=body, headers=centre.staff_headers(),
                      timeout=10).raise_for_status()
    until(lambda: shown(phone, "answer"), 15)
    assert time.monotonic() - opened >= 10  # not before the 10 s floor
    assert not phone.execute_script("return window.notReloaded === true")  # it reloaded
