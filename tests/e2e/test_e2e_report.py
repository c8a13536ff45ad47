"""办不成事反映 end to end: keypad, phrases, review, the centre's tracking number, the receipt."""

from __future__ import annotations

from typing import Any


def type_digits(app: Any, tap: Any, digits: str) -> None:
    for digit in digits:
        tap(app.window, f"key_{digit}")


def fill_report(app: Any, tap: Any, screen: Any) -> None:
    tap(app.window, "entry_report")
    screen(app, "report.identify")
    tap(app.window, "usePhoneButton")
    screen(app, "report.enter_phone")
    type_digits(app, tap, "1381234567")
    tap(app.window, "keyNext")  # ten digits: refused inline
    tap(app.window, "key_8")
    tap(app.window, "keyNext")
    screen(app, "report.choose_matter")
    tap(app.window, "matter_marriage-reg")
    screen(app, "report.situation")
    tap(app.window, "situation_several_visits")
    screen(app, "report.describe")
    tap(app.window, "phrase_4")  # 等了很久没有结果
    tap(app.window, "nextButton")
    screen(app, "report.contact")
    tap(app.window, "keepContactButton")  # the number given at the start
    screen(app, "report.review")


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

    # The receipt came out of the printer with the tracking number and its QR; no phone on it.
    qtbot.waitUntil(lambda: len(simulation.virtual_printer.tickets) > printed_before,
                    timeout=10_000)
    receipt = simulation.virtual_printer.tickets[-1]
    assert tracking_no in receipt.text
    assert "13812345678" not in receipt.text
    assert any(tracking_no in qr for qr in receipt.qr_contents)

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
