"""The whole 办不成事 loop: a citizen reports at the kiosk, staff work it on the desk in a real
browser, and the kiosk's progress screen and the receipt's QR page then show the answer."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest

from central.desk.browser import chromium_available, click_and_load, headless_chromium
from tests.faults.citizen import fill_report, type_digits

pytestmark = pytest.mark.skipif(not chromium_available(),
                                reason="needs Debian's chromium and chromium-driver")

ANSWER = "经核实已为您容缺受理，请于三个工作日内到3号窗口补交照片。"


def work_on_the_desk(info: dict[str, Any], tracking_no: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser = headless_chromium(1366, 768)
    try:
        browser.get(info["desk_url"])
        browser.find_element(By.ID, "username").send_keys(info["desk_user"])
        browser.find_element(By.ID, "password").send_keys(info["desk_password"])
        click_and_load(browser, browser.find_element(By.ID, "login"))
        click_and_load(browser, browser.find_element(By.ID, "box-new"))
        click_and_load(browser, browser.find_element(By.LINK_TEXT, tracking_no))
        assert "等了很久没有结果" in browser.find_element(By.ID, "description").text
        click_and_load(browser, browser.find_element(By.ID, "do-accept"))
        Select(browser.find_element(By.ID, "kind-select")).select_by_value("not_yet")
        click_and_load(browser, browser.find_element(By.ID, "do-classify"))
        Select(browser.find_element(By.ID, "unit-select")).select_by_value("区民政局")
        click_and_load(browser, browser.find_element(By.ID, "do-dispatch"))
        browser.find_element(By.ID, "resolution-text").send_keys("户籍信息已更正")
        click_and_load(browser, browser.find_element(By.ID, "do-resolve"))
        browser.find_element(By.ID, "answer-text").send_keys(ANSWER)
        click_and_load(browser, browser.find_element(By.ID, "do-answer"))
        assert "已反馈" in browser.find_element(By.ID, "status").text
    finally:
        browser.quit()


def test_a_kiosk_report_answered_on_the_desk_shows_on_the_progress_screen(
        kiosk: Any, hall: Any, tap: Any, find: Any, screen: Any) -> None:
    fill_report(kiosk, tap, screen)
    tap(kiosk.window, "submitButton")
    screen(kiosk, "report.result", timeout=10_000)
    tracking_no = find(kiosk.window, "trackingNumber").property("text")
    check_code = find(kiosk.window, "checkCode").property("text").split("：")[-1]  # 查询码：1234
    qr_url = find(kiosk.window, "trackingQr").property("text")  # as printed on the receipt
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home")

    work_on_the_desk(hall[0].central_info, tracking_no)

    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    tap(kiosk.window, "byNumberButton")
    screen(kiosk, "progress.enter_number")
    type_digits(kiosk, tap, tracking_no[1:])
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.enter_code")
    type_digits(kiosk, tap, check_code)
    tap(kiosk.window, "keyNext")
    screen(kiosk, "progress.results")
    assert find(kiosk.window, "reportNumber_0").property("text") == tracking_no
    assert ANSWER in find(kiosk.window, "answer_0").property("text")
    # The receipt's QR code opens the same answer on the citizen's phone, no login.
    assert qr_url.endswith(f"/r/{tracking_no}?c={check_code}")
    with urllib.request.urlopen(qr_url, timeout=10) as page:
        assert ANSWER in page.read().decode()
