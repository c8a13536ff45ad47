"""取号 end to end: real taps on the QML screens, the reference centre, the virtual printer."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import urllib.request
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from drivers.idcard.card import parse_card
from drivers.idcard.cards import CARDS


def open_ticket_flow(app: Any, tap: Any, screen: Any) -> None:
    tap(app.window, "entry_ticket")
    screen(app, "ticket.choose_zone")


def test_marriage_number_is_taken_printed_and_recorded(kiosk: Any, hall: Any, tap: Any,
                                                       find: Any, screen: Any, qtbot: Any,
                                                       centre_get: Any) -> None:
    simulation, _ = hall
    printed_before = len(simulation.virtual_printer.tickets)
    open_ticket_flow(kiosk, tap, screen)
    tap(kiosk.window, "zone_C")
    screen(kiosk, "ticket.choose_matter")
    tap(kiosk.window, "matter_marriage-reg")
    screen(kiosk, "ticket.identify")
    tap(kiosk.window, "continueButton")
    screen(kiosk, "ticket.confirm")
    qtbot.waitUntil(lambda: "打印机正常" in find(kiosk.window, "printerNoticeText").property("text"),
                    timeout=8000)
    # An impatient double tap takes one number, not two.
    tap(kiosk.window, "confirmButton")
    if kiosk.window.property("currentName") == "ticket.confirm":
        tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.ticket")

    number = find(kiosk.window, "ticketNumber").property("text")
    assert number.startswith("C") and len(number) == 4
    where = find(kiosk.window, "ticketWhere").property("text")
    assert "3楼" in where and "21-23" in where
    qr_text = find(kiosk.window, "qrCodeItem").property("text")
    ticket_id = qr_text.rsplit("/", 1)[-1]

    # What the centre recorded: exactly this number, waiting.
    recorded = centre_get(f"/v1/tickets/{ticket_id}")
    assert recorded["number"] == number
    assert recorded["status"] == "waiting"

    # The virtual printer got one ticket carrying the same number; the screen says take it.
    qtbot.waitUntil(lambda: len(simulation.virtual_printer.tickets) > printed_before,
                    timeout=10_000)
    qtbot.waitUntil(lambda: "请取走" in find(kiosk.window, "ticketNoticeText").property("text"),
                    timeout=10_000)
    assert len(simulation.virtual_printer.tickets) == printed_before + 1
    ticket = simulation.virtual_printer.tickets[-1]
    assert number in ticket.text
    assert ticket.qr_contents == [qr_text]

    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
    assert kiosk.shell.session.is_empty


def test_pinyin_initials_find_marriage_registration(kiosk: Any, tap: Any, find: Any,
                                                    screen: Any, qtbot: Any) -> None:
    open_ticket_flow(kiosk, tap, screen)
    field = find(kiosk.window, "searchField")
    tap(kiosk.window, "searchField")
    for key in (Qt.Key.Key_H, Qt.Key.Key_Y, Qt.Key.Key_D):
        QTest.keyClick(kiosk.window, key)
    # A hardware keyboard types through the pinyin input method: unfinished pinyin until ↵.
    assert field.property("preeditText").replace(" ", "") == "hyd"
    assert field.property("text") == ""
    screen(kiosk, "ticket.choose_matter")  # searched as typed: no ↵ needed
    qtbot.waitUntil(lambda: find(kiosk.window, "matter_marriage-reg") is not None, timeout=5000)
    kiosk.shell.setLanguage("en")
    qtbot.waitUntil(lambda: find(kiosk.window, "matter_marriage-reg").property("text")
                    == "Marriage registration", timeout=5000)
    assert kiosk.window.property("currentName") == "ticket.choose_matter"  # place kept


def test_paper_out_means_the_screen_is_the_ticket(kiosk: Any, hall: Any, tap: Any, find: Any,
                                                   screen: Any, qtbot: Any) -> None:
    simulation, _ = hall
    simulation.virtual_printer.set_state("paper_out")
    try:
        printed_before = len(simulation.virtual_printer.tickets)
        open_ticket_flow(kiosk, tap, screen)
        tap(kiosk.window, "zone_E")
        screen(kiosk, "ticket.choose_matter")
        tap(kiosk.window, "matter_id-card")
        tap(kiosk.window, "continueButton")
        screen(kiosk, "ticket.confirm")
        # Told before the number is taken.
        qtbot.waitUntil(lambda: "只显示在屏幕上" in find(kiosk.window, "printerNoticeText")
                        .property("text"), timeout=8000)
        tap(kiosk.window, "confirmButton")
        screen(kiosk, "ticket.ticket")
        assert find(kiosk.window, "ticketNumber").property("text").startswith("F")
        assert "本屏幕即您的排队凭证" in find(kiosk.window, "ticketNoticeText").property("text")
        qtbot.wait(300)
        assert len(simulation.virtual_printer.tickets) == printed_before
    finally:
        simulation.virtual_printer.set_state("ok")



def test_centre_unreachable_says_what_still_works_and_retry_takes_one_number(
        kiosk: Any, tap: Any, find: Any, screen: Any, qtbot: Any) -> None:
    central = kiosk.services.central
    real_url = central.base_url
    open_ticket_flow(kiosk, tap, screen)
    tap(kiosk.window, "zone_A")
    screen(kiosk, "ticket.choose_matter")
    tap(kiosk.window, "matter_birth-cert")
    tap(kiosk.window, "continueButton")
    screen(kiosk, "ticket.confirm")
    central.base_url = "http://127.0.0.1:9"  # the network to the centre is down
    try:
        tap(kiosk.window, "confirmButton")
        screen(kiosk, "ticket.error")
    finally:
        central.base_url = real_url
    message = find(kiosk.window, "errorNoticeText").property("text")
    assert "连不上叫号系统" in message and "呼叫工作人员" in message
    tap(kiosk.window, "retryButton")
    screen(kiosk, "ticket.ticket")
    number = find(kiosk.window, "ticketNumber").property("text")
    assert number.startswith("K")


def test_card_of_a_senior_gives_the_priority_channel_masked(kiosk: Any, hall: Any, tap: Any,
                                                            find: Any, screen: Any,
                                                            qtbot: Any) -> None:
    simulation, _ = hall
    open_ticket_flow(kiosk, tap, screen)
    tap(kiosk.window, "zone_C")
    screen(kiosk, "ticket.choose_matter")
    tap(kiosk.window, "matter_marriage-reg")
    screen(kiosk, "ticket.identify")
    simulation.place_card("appended_address")  # 赵样本, born 1949
    try:
        def card_shown() -> None:
            assert "老年人优先" in find(kiosk.window, "cardStatusText").property("text")

        qtbot.waitUntil(lambda: card_shown() is None if _visible(find, kiosk, "cardStatusText")
                        else False, timeout=10_000)
        shown = find(kiosk.window, "cardStatusText").property("text")
        assert "赵样本" not in shown and "*" in shown  # masked, never the full name
        assert find(kiosk.window, "offerElderMode").isVisible()
        tap(kiosk.window, "continueButton")
        screen(kiosk, "ticket.confirm")
        tap(kiosk.window, "confirmButton")
        screen(kiosk, "ticket.ticket")
        assert find(kiosk.window, "ticketPriority").property("text") == "老年人优先"
        tap(kiosk.window, "finishButton")
        screen(kiosk, "home")
        assert kiosk.shell.session.is_empty  # the card is forgotten with the session
    finally:
        simulation.remove_card()


def _visible(find: Any, app: Any, name: str) -> bool:
    try:
        find(app.window, name)
    except LookupError:
        return False
    return True


def test_a_booked_appointment_is_checked_in_by_the_card(kiosk: Any, hall: Any, tap: Any,
                                                        find: Any, screen: Any, qtbot: Any,
                                                        centre_get: Any) -> None:
    simulation, settings = hall
    info = simulation.central_info
    # The booking system registered 张测试 for marriage registration today, by the same salted
    # hash of the ID number the kiosk computes (the ID number itself never travels).
    id_hash = parse_card(CARDS["resident"].text).id_hash(settings.central.id_salt.encode())
    hall_today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the centre's day
    booking = urllib.request.Request(
        info["url"] + "/v1/staff/appointments", method="POST",
        data=json.dumps({"matter_id": "marriage-reg", "day": hall_today.isoformat(),
                         "id_hash": id_hash}).encode(),
        headers={"Authorization": f"Bearer {info['staff_token']}",
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(booking, timeout=5) as answer:
        code = json.loads(answer.read())["code"]

    open_ticket_flow(kiosk, tap, screen)
    tap(kiosk.window, "zone_C")
    screen(kiosk, "ticket.choose_matter")
    tap(kiosk.window, "matter_marriage-reg")
    screen(kiosk, "ticket.identify")
    assert "已预约的市民放身份证即可签到" in find(kiosk.window, "identifyHint").property("text")
    simulation.place_card("resident")
    try:
        qtbot.waitUntil(lambda: _visible(find, kiosk, "cardStatusText") and "签到" in find(
            kiosk.window, "cardStatusText").property("text"), timeout=10_000)
        tap(kiosk.window, "continueButton")
        screen(kiosk, "ticket.confirm")
        assert find(kiosk.window, "confirmAppointment").isVisible()
        qtbot.waitUntil(lambda: "打印机" in find(kiosk.window, "printerNoticeText")
                        .property("text"), timeout=8000)
        tap(kiosk.window, "confirmButton")
        screen(kiosk, "ticket.ticket")
        assert find(kiosk.window, "ticketPriority").property("text") == "预约签到成功，优先办理"
        number = find(kiosk.window, "ticketNumber").property("text")
        ticket_id = find(kiosk.window, "qrCodeItem").property("text").rsplit("/", 1)[-1]
        assert centre_get(f"/v1/tickets/{ticket_id}")["number"] == number
    finally:
        simulation.remove_card()

    # What the centre recorded: this ticket is the appointment's check-in, on the priority queue.
    with sqlite3.connect(f"file:{info['database']}?mode=ro", uri=True) as db:
        checked_in = db.execute("SELECT ticket_id FROM appointments WHERE code = ?",
                                (code,)).fetchone()[0]
        priority, appointment = db.execute(
            "SELECT priority, appointment_code FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    assert checked_in == ticket_id
    assert priority == "appointment" and appointment == code
    tap(kiosk.window, "finishButton")
    screen(kiosk, "home")
    assert kiosk.shell.session.is_empty


def _shown_texts(item: Any) -> list[str]:
    """The words of every visible item under ``item`` (what the citizen can read)."""
    texts = []
    for child in item.childItems():
        if not child.isVisible():
            continue
        text = child.property("text")
        if isinstance(text, str) and text:
            texts.append(text)
        texts += _shown_texts(child)
    return texts


def test_a_priority_ticket_prints_nothing_the_screen_does_not_show(
        kiosk: Any, hall: Any, tap: Any, find: Any, screen: Any, qtbot: Any) -> None:
    """Paper and screen agree (the screen stands in when the paper is lost): every word of the
    printed ticket below its heading is on the ticket screen, 优先 included."""
    import re

    simulation, _ = hall
    printed_before = len(simulation.virtual_printer.tickets)
    open_ticket_flow(kiosk, tap, screen)
    tap(kiosk.window, "zone_C")
    screen(kiosk, "ticket.choose_matter")
    tap(kiosk.window, "matter_marriage-reg")
    screen(kiosk, "ticket.identify")
    tap(kiosk.window, "disabilityButton")
    tap(kiosk.window, "continueButton")
    screen(kiosk, "ticket.confirm")
    qtbot.waitUntil(lambda: "打印机正常" in find(kiosk.window, "printerNoticeText").property("text"),
                    timeout=8000)
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.ticket")
    qtbot.waitUntil(lambda: len(simulation.virtual_printer.tickets) > printed_before,
                    timeout=10_000)
    assert "优先" in find(kiosk.window, "ticketPriority").property("text")
    shown = "".join("".join(_shown_texts(kiosk.window.property("current"))).split())
    paper = [line.strip() for line in simulation.virtual_printer.tickets[-1].text.splitlines()]
    paper = [line for line in paper if line and set(line) != {"-"}]
    assert paper[1] == "排队凭条" and "优先" in "".join(paper)
    missing = []
    for line in paper[2:]:  # below the heading (hall name, 排队凭条)
        value = line.split("：", 1)[-1]  # "窗口：21-23号": the label is the paper's layout
        missing += [word for word in re.split(r"[\s（）()]+", value) if word and word not in shown]
    assert missing == [], f"printed but not on screen: {missing}"


# Last in this module: it empties the kiosk's ticket allowance at the module's centre.
def test_a_kiosk_taking_numbers_too_fast_is_told_in_plain_words(kiosk: Any, tap: Any,
                                                                find: Any, screen: Any,
                                                                qtbot: Any) -> None:
    from kiosk.services.central import CentralRejected, new_idempotency_key

    # The allowance gives one number back every 6 s: on a slow machine one may come back
    # between the script's last refusal and the kiosk's request. Then the citizen got a number
    # (the centre allowed it) and the refusal is tried again, at most three times.
    for _attempt in range(3):
        open_ticket_flow(kiosk, tap, screen)
        tap(kiosk.window, "zone_C")
        screen(kiosk, "ticket.choose_matter")
        tap(kiosk.window, "matter_marriage-reg")
        screen(kiosk, "ticket.identify")
        tap(kiosk.window, "continueButton")
        screen(kiosk, "ticket.confirm")
        # Meanwhile a script with this kiosk's token takes numbers until the centre says stop.
        for _ in range(20):
            try:
                kiosk.services.central.take_ticket("birth-cert",
                                                   idempotency_key=new_idempotency_key())
            except CentralRejected as refused:
                assert refused.reason == "ticket.rate_limited"
                break
        else:
            raise AssertionError("the centre never limited this kiosk")
        tap(kiosk.window, "confirmButton")
        qtbot.waitUntil(lambda: kiosk.window.property("currentName")
                        in ("ticket.error", "ticket.ticket"), timeout=10_000)
        if kiosk.window.property("currentName") == "ticket.error":
            break
        tap(kiosk.window, "homeButton")
        screen(kiosk, "home")
    else:
        raise AssertionError("the kiosk was never refused: a number came back each time")
    words = find(kiosk.window, "errorNoticeText").property("text")
    assert "这台机器刚刚连续取了很多号" in words and "请过一分钟再试" in words
