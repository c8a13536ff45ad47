"""办不成事反映 end to end: keypad, phrases, review, the centre's tracking number, the receipt."""

from __future__ import annotations

import urllib.request
from typing import Any

from PySide6.QtCore import QPointF

from tests import vkeyboard
from tests.faults.citizen import fill_report, type_digits

# 窗口说材料不全，跑了三次 - typed as a citizen would: pinyin, then the word among the candidates.
TYPED_WORDS = [("chuangkou", "窗口"), ("shuo", "说"), ("cailiao", "材料"), ("buquan", "不全")]
TYPED_AFTER_COMMA = [("pao", "跑"), ("le", "了"), ("sanci", "三次")]
TYPED_TEXT = "窗口说材料不全，跑了三次"


def test_report_gets_a_tracking_number_and_a_receipt(kiosk: Any, hall: Any, tap: Any,
                                                      find: Any, screen: Any, qtbot: Any,
                                                      centre_get: Any) -> None:
    simulation, _ = hall
    printed_before = len(simulation.virtual_printer.tickets)
    tap(kiosk.window, "entry_report")
    screen(kiosk, "report.identify")
    tap(kiosk.window, "usePhoneButton")
    type_digits(kiosk, tap, "1381234567")
    tap(kiosk.window, "keyNext")
    assert "11位" in find(kiosk.window, "inputErrorText").property("text")
    tap(kiosk.window, "flowBack")
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home")

    fill_report(kiosk, tap, screen)
    tap(kiosk.window, "submitButton")
    screen(kiosk, "report.result", timeout=10_000)
    tracking_no = find(kiosk.window, "trackingNumber").property("text")
    assert tracking_no.startswith("R") and len(tracking_no) == 13
    notice = find(kiosk.window, "resultNoticeText").property("text")
    assert "前答复您" in notice
    assert "中心主任热线" in find(kiosk.window, "directorHotline").property("text")

    # What the centre recorded.
    reports = {r["tracking_no"]: r for r in centre_get("/v1/staff/reports", staff=True)}
    stored = reports[tracking_no]
    assert stored["matter_id"] == "marriage-reg"
    assert stored["situation"] == "repeated_visits"
    assert "等了很久没有结果" in (stored["description"] or "")
    assert stored["phone_masked"].endswith("5678")
    assert stored["promised_date"] in notice
    # The check code the progress look-up asks for: on screen, as the centre issued it.
    assert find(kiosk.window, "checkCode").property("text") == f"查询码：{stored['check_code']}"

    # The receipt came out of the printer with the tracking number and its QR; no phone on it.
    qtbot.waitUntil(lambda: len(simulation.virtual_printer.tickets) > printed_before,
                    timeout=10_000)
    receipt = simulation.virtual_printer.tickets[-1]
    assert tracking_no in receipt.text
    assert f"查询码：{stored['check_code']}" in receipt.text.replace(" ", "")
    assert "13812345678" not in receipt.text
    # Its QR code (decoded from the printed ESC/POS bytes) opens the centre's progress page
    # with the check code: no typing on the phone. The screen's QR code is the same address.
    progress_url = f"{simulation.central_info['url']}/r/{tracking_no}?c={stored['check_code']}"
    assert receipt.qr_contents == [progress_url]
    assert find(kiosk.window, "trackingQr").property("text") == progress_url
    with urllib.request.urlopen(progress_url, timeout=10) as page:  # a phone, no login
        assert "当前进度：已收到，等待受理" in page.read().decode()

    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
    assert kiosk.shell.session.is_empty


def test_offline_report_is_kept_and_reaches_the_centre_later(kiosk: Any, tap: Any, find: Any,
                                                             screen: Any, qtbot: Any,
                                                             centre_get: Any) -> None:
    sender = kiosk.services.outbox.sender
    real_url = sender.base_url
    fill_report(kiosk, tap, screen)
    sender.base_url = "http://127.0.0.1:9"  # the network to the centre is down
    try:
        tap(kiosk.window, "submitButton")
        screen(kiosk, "report.result", timeout=10_000)
        notice = find(kiosk.window, "resultNoticeText").property("text")
        local_ref = find(kiosk.window, "trackingNumber").property("text")
        assert "网络恢复后将自动提交" in notice and local_ref in notice
        assert kiosk.services.outbox.pending == 1
    finally:
        sender.base_url = real_url
    kiosk.services.outbox.wake()  # the network is back
    qtbot.waitUntil(lambda: kiosk.services.outbox.pending == 0, timeout=10_000)
    item = kiosk.services.outbox.items("sent")[-1]
    assert item.id[:8].upper() == local_ref
    tracking_no = item.result["tracking_no"]
    assert tracking_no in {r["tracking_no"] for r in centre_get("/v1/staff/reports", staff=True)}


def test_description_typed_in_pinyin_is_what_the_centre_records(kiosk: Any, tap: Any, find: Any,
                                                                 screen: Any, qtbot: Any,
                                                                 centre_get: Any) -> None:
    def type_on_the_screen_keyboard(app: Any) -> None:
        tap(app.window, "descriptionField")
        qtbot.waitUntil(lambda: vkeyboard.panel_shown(app.window), timeout=5000)
        vkeyboard.type_pinyin(app.window, TYPED_WORDS, qtbot)
        vkeyboard.type_symbol(app.window, "，", qtbot)
        vkeyboard.type_pinyin(app.window, TYPED_AFTER_COMMA, qtbot)
        field = find(app.window, "descriptionField")
        qtbot.waitUntil(lambda: field.property("text") == TYPED_TEXT, timeout=3000)
        # The screen above the keyboard shrank: next is still there to tap, not under the keys.
        next_button = find(app.window, "nextButton")
        panel_top = vkeyboard.panel(app.window).mapToScene(QPointF(0, 0)).y()
        assert next_button.mapToScene(QPointF(0, next_button.height())).y() <= panel_top

    fill_report(kiosk, tap, screen, describe=type_on_the_screen_keyboard)
    assert TYPED_TEXT in find(kiosk.window, "review_describe").property("text")
    tap(kiosk.window, "submitButton")
    screen(kiosk, "report.result", timeout=10_000)
    tracking_no = find(kiosk.window, "trackingNumber").property("text")
    stored = {r["tracking_no"]: r for r in centre_get("/v1/staff/reports", staff=True)}[tracking_no]
    assert stored["description"] == TYPED_TEXT  # word for word, nothing added or lost
