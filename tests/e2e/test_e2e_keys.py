"""Every flow done with keys alone (a hardware keypad or keyboard), never touching the screen.

Key presses are posted to the window and handled by the running event loop, as the ``tap``
fixture posts touches. Tab and the arrows move the focus, Enter or Space activate, Backspace
and the Back key go back. What the centre recorded is read from the centre.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent

Key = Qt.Key


@pytest.fixture
def keys(qtbot: Any) -> Any:
    """Press keys on the kiosk's keyboard: ``keys.press(app, Key.Key_Tab, ...)`` and helpers."""

    class Keys:
        @staticmethod
        def press(app: Any, *pressed: Key, text: str = "") -> None:
            for key in pressed:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QCoreApplication.postEvent(app.window, QKeyEvent(
                        kind, key, Qt.KeyboardModifier.NoModifier, text))
                qtbot.wait(20)

        @staticmethod
        def digits(app: Any, number: str) -> None:
            for digit in number:
                Keys.press(app, getattr(Key, f"Key_{digit}"), text=digit)

        @staticmethod
        def focused(app: Any) -> str:
            item = app.window.activeFocusItem()
            return item.objectName() if item is not None else ""

        @staticmethod
        def wait_focus(app: Any, name: str) -> None:
            qtbot.waitUntil(lambda: Keys.focused(app) == name, timeout=3000)

        @staticmethod
        def focus(app: Any, name: str, key: Key = Key.Key_Tab, limit: int = 60) -> None:
            """Move the focus with ``key`` until it is on ``name``; its focus ring shows."""
            Keys.settle(app)
            for _ in range(limit):
                if Keys.focused(app) == name:
                    break
                before = app.window.activeFocusItem()
                Keys.press(app, key)
                Keys.settle(app, before)
            assert Keys.focused(app) == name, f"{limit} presses never reached {name}"
            assert ring_shown(app.window.activeFocusItem())

        @staticmethod
        def settle(app: Any, before: Any = None) -> None:
            """Wait (bounded) until the focus has moved off ``before`` onto a control."""

            def moved() -> bool:
                item = app.window.activeFocusItem()
                return item is not None and item != before and bool(item.objectName())

            # A key that did not move the focus (the end of the screen) is looked at again.
            with contextlib.suppress(AssertionError):
                qtbot.waitUntil(moved, timeout=1000)

        @staticmethod
        def choose(app: Any, name: str, key: Key = Key.Key_Tab) -> None:
            Keys.focus(app, name, key)
            Keys.press(app, Key.Key_Return)

    return Keys


def ring_shown(item: Any) -> bool:
    """The visible focus highlight of a button, a keypad's display or a scrolled page."""
    return bool(item.property("focusShown"))


def test_take_a_number_with_keys_only(kiosk: Any, keys: Any, screen: Any, find: Any,
                                      qtbot: Any, centre_get: Any) -> None:
    keys.press(kiosk, Key.Key_Down)  # the first key puts the focus on the first entry
    keys.wait_focus(kiosk, "entry_ticket")
    keys.press(kiosk, Key.Key_Return)
    screen(kiosk, "ticket.choose_zone")
    keys.choose(kiosk, "zone_B", Key.Key_Down)  # the wrong area first ...
    screen(kiosk, "ticket.choose_matter")
    keys.press(kiosk, Key.Key_Backspace)  # ... Backspace is the screen's own back
    screen(kiosk, "ticket.choose_zone")
    keys.choose(kiosk, "zone_C", Key.Key_Down)
    screen(kiosk, "ticket.choose_matter")
    keys.choose(kiosk, "matter_marriage-reg")
    screen(kiosk, "ticket.identify")
    keys.choose(kiosk, "continueButton")
    screen(kiosk, "ticket.confirm")
    qtbot.waitUntil(lambda: "打印机正常" in find(kiosk.window, "printerNoticeText")
                    .property("text"), timeout=8000)
    keys.focus(kiosk, "confirmButton")
    keys.press(kiosk, Key.Key_Space)  # Space activates too
    screen(kiosk, "ticket.ticket")
    number = find(kiosk.window, "ticketNumber").property("text")
    ticket_id = find(kiosk.window, "qrCodeItem").property("text").rsplit("/", 1)[-1]
    recorded = centre_get(f"/v1/tickets/{ticket_id}")
    assert recorded["number"] == number and number.startswith("C")
    keys.wait_focus(kiosk, "finishButton")  # the new screen's only control has focus
    keys.press(kiosk, Key.Key_Return)
    screen(kiosk, "home")
    assert kiosk.shell.session.is_empty


def test_report_with_keys_only(kiosk: Any, keys: Any, screen: Any, find: Any,
                               centre_get: Any) -> None:
    keys.press(kiosk, Key.Key_Tab)
    keys.choose(kiosk, "entry_report")
    screen(kiosk, "report.identify")
    keys.choose(kiosk, "usePhoneButton")
    screen(kiosk, "report.enter_phone")
    keys.wait_focus(kiosk, "keypad")
    keys.digits(kiosk, "13912345670")  # the keypad has the focus: digits type at once
    keys.press(kiosk, Key.Key_Backspace)  # deletes a digit, does not leave the screen
    keys.digits(kiosk, "8")
    assert find(kiosk.window, "keypadDisplay").property("text") == "139 1234 5678"
    keys.press(kiosk, Key.Key_Enter)
    screen(kiosk, "report.choose_matter")
    keys.choose(kiosk, "matter_birth-cert")
    screen(kiosk, "report.situation")
    keys.choose(kiosk, "situation_not_accepted", Key.Key_Down)
    screen(kiosk, "report.describe")
    keys.choose(kiosk, "phrase_0")  # 窗口说材料不全，但没说缺什么
    keys.choose(kiosk, "nextButton")
    screen(kiosk, "report.contact")
    keys.choose(kiosk, "keepContactButton")
    screen(kiosk, "report.review")
    keys.choose(kiosk, "submitButton")
    screen(kiosk, "report.result", timeout=10_000)
    tracking_no = find(kiosk.window, "trackingNumber").property("text")
    stored = {r["tracking_no"]: r for r in centre_get("/v1/staff/reports", staff=True)}[tracking_no]
    assert stored["matter_id"] == "birth-cert" and stored["situation"] == "not_accepted"
    assert "窗口说材料不全" in stored["description"]
    assert stored["phone_masked"].endswith("5678")
    keys.choose(kiosk, "finishButton")
    screen(kiosk, "home")


def test_guide_and_slip_with_keys_only(kiosk: Any, hall: Any, keys: Any, screen: Any,
                                       find: Any, qtbot: Any) -> None:
    simulation, _ = hall
    printed_before = len(simulation.virtual_printer.tickets)
    keys.press(kiosk, Key.Key_Tab)
    keys.choose(kiosk, "elderButton", Key.Key_Backtab)  # large text: the guide is longer
    qtbot.waitUntil(lambda: kiosk.shell.elderMode, timeout=3000)
    keys.choose(kiosk, "entry_guide")
    screen(kiosk, "guide.browse")
    keys.choose(kiosk, "integrated_newborn")  # three matters on one slip
    screen(kiosk, "guide.guide")
    content = find(kiosk.window, "guideContent")
    keys.wait_focus(kiosk, "guideContent")  # the guide itself: arrows read it
    assert ring_shown(content)
    assert content.property("contentHeight") > content.height()
    keys.press(kiosk, Key.Key_Down, Key.Key_PageDown)
    assert content.property("contentY") > 0
    keys.choose(kiosk, "printButton")
    qtbot.waitUntil(lambda: len(simulation.virtual_printer.tickets) > printed_before,
                    timeout=10_000)
    assert "出生一件事" in simulation.virtual_printer.tickets[-1].text
    keys.press(kiosk, Key.Key_Back)  # the Back key of a remote or keypad
    screen(kiosk, "guide.browse")
    keys.press(kiosk, Key.Key_Back)  # no back of its own: the top bar's back leaves the flow
    screen(kiosk, "home")


def test_progress_with_keys_only(kiosk: Any, keys: Any, screen: Any, find: Any) -> None:
    receipt = kiosk.services.central.submit_report(
        {"matter_id": "marriage-reg", "situation": "not_accepted", "description": "键盘查询",
         "phone": "13912345678", "language": "zh"}, idempotency_key="e2e-keys-progress")
    keys.press(kiosk, Key.Key_Tab)
    keys.choose(kiosk, "entry_progress")
    screen(kiosk, "progress.choose_method")
    keys.choose(kiosk, "byNumberButton")
    screen(kiosk, "progress.enter_number")
    keys.wait_focus(kiosk, "keypad")
    keys.digits(kiosk, receipt.tracking_no[1:])
    keys.press(kiosk, Key.Key_Return)
    screen(kiosk, "progress.enter_code")  # the receipt's check code (no reading others' reports)
    keys.wait_focus(kiosk, "keypad")
    keys.digits(kiosk, receipt.check_code)
    keys.press(kiosk, Key.Key_Return)
    screen(kiosk, "progress.results")
    assert find(kiosk.window, "reportNumber_0").property("text") == receipt.tracking_no
    keys.choose(kiosk, "finishButton")
    screen(kiosk, "home")


def test_evaluation_with_keys_only(kiosk: Any, hall: Any, keys: Any, screen: Any,
                                   qtbot: Any) -> None:
    simulation, _ = hall
    keys.press(kiosk, Key.Key_Tab)
    keys.choose(kiosk, "entry_evaluation")
    screen(kiosk, "evaluation.link")
    keys.wait_focus(kiosk, "keypad")
    keys.digits(kiosk, "23")
    keys.press(kiosk, Key.Key_Return)
    screen(kiosk, "evaluation.level")
    keys.choose(kiosk, "level_1", Key.Key_Down)
    screen(kiosk, "evaluation.reasons")
    keys.choose(kiosk, "reason_slow")
    keys.choose(kiosk, "submitButton")
    screen(kiosk, "evaluation.phone")
    keys.wait_focus(kiosk, "skipPhoneButton")  # the first focus: Enter sends no number
    keys.press(kiosk, Key.Key_Return)
    screen(kiosk, "evaluation.thanks")
    database = simulation.central_info["database"]

    def recorded() -> list[tuple[Any, ...]]:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            return db.execute("SELECT level, reasons FROM evaluations WHERE window_no = '23'"
                              ).fetchall()

    qtbot.waitUntil(lambda: len(recorded()) == 1, timeout=8000)
    assert recorded()[0][0] == 1 and json.loads(recorded()[0][1]) == ["slow"]
    keys.choose(kiosk, "finishButton")
    screen(kiosk, "home")


def test_help_from_a_flow_with_keys_only(kiosk: Any, keys: Any, screen: Any,
                                         centre_get: Any, qtbot: Any) -> None:
    open_before = {c["id"] for c in centre_get("/v1/staff/help-calls?status=open", staff=True)}
    keys.press(kiosk, Key.Key_Tab)
    keys.choose(kiosk, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    keys.choose(kiosk, "zone_A")
    screen(kiosk, "ticket.choose_matter")
    keys.choose(kiosk, "helpButton", Key.Key_Backtab)  # the top bar is in the focus order
    screen(kiosk, "help.coming")
    qtbot.waitUntil(lambda: len({c["id"] for c in centre_get(
        "/v1/staff/help-calls?status=open", staff=True)} - open_before) == 1, timeout=8000)
    keys.choose(kiosk, "helpClose")
    screen(kiosk, "ticket.choose_matter")  # back where the citizen was


def test_a_touch_hides_the_focus_ring(kiosk: Any, keys: Any, tap: Any, screen: Any) -> None:
    keys.press(kiosk, Key.Key_Tab)
    keys.wait_focus(kiosk, "entry_ticket")
    button = kiosk.window.activeFocusItem()
    assert ring_shown(button)
    tap(kiosk.window, "entry_guide")
    screen(kiosk, "guide.browse")
    assert not ring_shown(button)
    focused = kiosk.window.activeFocusItem()
    assert focused is None or not ring_shown(focused)  # no hidden focus left for a key


def test_the_idle_prompt_takes_the_focus_and_a_key_answers_it(kiosk: Any, keys: Any,
                                                               qtbot: Any) -> None:
    kiosk.idle.set_times(300, 5000)
    keys.press(kiosk, Key.Key_Tab)
    keys.choose(kiosk, "entry_progress")
    qtbot.waitUntil(lambda: kiosk.shell.screen != "home", timeout=5000)
    qtbot.waitUntil(lambda: kiosk.idle.prompting, timeout=3000)
    keys.wait_focus(kiosk, "idleMoreButton")  # made when it is due, with the focus on "more"
    assert ring_shown(kiosk.window.activeFocusItem())
    keys.press(kiosk, Key.Key_Return)
    qtbot.waitUntil(lambda: not kiosk.idle.prompting, timeout=3000)
    assert kiosk.shell.screen != "home"  # more time: the citizen stays where they were
