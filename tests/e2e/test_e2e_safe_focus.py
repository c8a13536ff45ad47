"""Enter is never dangerous (issue 18.10): on every screen of every flow the focus starts on a
safe, neutral choice, so Enter pressed at once never claims priority and never cancels; and
text fields, like buttons, show a focus ring.

Each test walks a flow by pressing Enter at each screen's initial focus only, as a keypad user
who trusts where the focus starts, and checks what the kiosk and the centre did.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent

Key = Qt.Key
#: Controls that must never be where the focus starts: priority claims and cancels.
CONSEQUENTIAL = {"priorityYes", "disabilityButton", "helpCancel"}


def press(app: Any, qtbot: Any, key: Key, text: str = "") -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.postEvent(app.window, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                         text))
    qtbot.wait(30)


def focused(app: Any) -> str:
    item = app.window.activeFocusItem()
    return item.objectName() if item is not None else ""


def initial_focus(app: Any, qtbot: Any) -> str:
    """The control the screen put the focus on by itself (waits for it to settle)."""
    with contextlib.suppress(Exception):
        qtbot.waitUntil(lambda: focused(app) not in ("", "keyRoot"), timeout=1500)
    qtbot.wait(150)  # a late page (a Loader) may still move it
    return focused(app)


def walk_with_enter(app: Any, qtbot: Any, until: str, limit: int = 12,
                    wait_before: Any = None) -> list[tuple[str, str]]:
    """Press Enter at each screen's initial focus until screen ``until``; (screen, focus) seen."""
    seen: list[tuple[str, str]] = []
    for _ in range(limit):
        name = app.window.property("currentName")
        if name == until:
            return seen
        if wait_before is not None:
            wait_before(name)
        start = initial_focus(app, qtbot)
        if app.window.property("currentName") != name:
            continue  # a screen that waits (the centre answering) moved on by itself
        seen.append((name, start))
        assert start not in CONSEQUENTIAL, f"{name} starts on {start}"
        press(app, qtbot, Key.Key_Return)
        with contextlib.suppress(Exception):
            qtbot.waitUntil(lambda n=name: app.window.property("currentName") != n, timeout=5000)
    raise AssertionError(f"never reached {until}: {seen}")


def _printer_ready(app: Any, qtbot: Any, find: Any) -> Any:
    def wait(name: str) -> None:
        if name == "ticket.confirm":
            qtbot.waitUntil(lambda: "打印机正常" in find(app.window, "printerNoticeText")
                            .property("text"), timeout=8000)
    return wait


def test_enter_alone_takes_a_number_without_claiming_priority_in_elder_mode(
        kiosk: Any, qtbot: Any, find: Any) -> None:
    kiosk.shell.setElderMode(True)  # the disability question gets its own screen: 是 / 否
    press(kiosk, qtbot, Key.Key_Tab)
    qtbot.waitUntil(lambda: focused(kiosk) == "entry_ticket", timeout=3000)
    seen = walk_with_enter(kiosk, qtbot, "ticket.ticket", wait_before=_printer_ready(kiosk, qtbot, find))
    assert ("ticket.ask_priority", "priorityNo") in seen
    assert ("ticket.identify", "continueButton") in seen
    flow = kiosk.flows.ticket.flow
    assert flow.ticket is not None and flow.ticket.priority is None  # the centre's answer
    assert not flow.disability


def test_enter_alone_takes_a_number_without_claiming_priority(
        kiosk: Any, qtbot: Any, find: Any) -> None:
    press(kiosk, qtbot, Key.Key_Tab)
    qtbot.waitUntil(lambda: focused(kiosk) == "entry_ticket", timeout=3000)
    seen = walk_with_enter(kiosk, qtbot, "ticket.ticket", wait_before=_printer_ready(kiosk, qtbot, find))
    assert ("ticket.identify", "continueButton") in seen  # not "我是残疾人"
    flow = kiosk.flows.ticket.flow
    assert flow.ticket is not None and flow.ticket.priority is None  # the centre's answer
    assert not flow.disability


def test_enter_on_the_help_screen_never_cancels_the_call(kiosk: Any, qtbot: Any,
                                                          centre_get: Any) -> None:
    open_before = {c["id"] for c in centre_get("/v1/staff/help-calls?status=open", staff=True)}
    press(kiosk, qtbot, Key.Key_Tab)
    qtbot.waitUntil(lambda: focused(kiosk) == "entry_ticket", timeout=3000)
    for _ in range(20):  # the top bar's help button, by keys
        if focused(kiosk) == "helpButton":
            break
        press(kiosk, qtbot, Key.Key_Backtab)
    press(kiosk, qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.window.property("currentName") == "help.coming", timeout=8000)
    assert initial_focus(kiosk, qtbot) == "helpClose"  # 好的，返回 — not 取消呼叫
    press(kiosk, qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.window.property("currentName") == "home", timeout=5000)
    calls = centre_get("/v1/staff/help-calls?status=open", staff=True)
    assert len({c["id"] for c in calls} - open_before) == 1  # the call stands


def test_every_flows_screens_start_on_a_safe_control(kiosk: Any, qtbot: Any) -> None:
    """Each home entry opened by keys, then Enter at each screen's initial focus until a screen
    needs typing (a keypad) or the flow ends: no focus is a claim or a cancel on the way."""
    seen: list[tuple[str, str]] = []
    for entry in ("entry_ticket", "entry_report", "entry_guide", "entry_progress",
                  "entry_evaluation", "entry_help"):
        press(kiosk, qtbot, Key.Key_Tab)
        for _ in range(20):
            if focused(kiosk) == entry:
                break
            press(kiosk, qtbot, Key.Key_Tab)
        assert focused(kiosk) == entry
        press(kiosk, qtbot, Key.Key_Return)
        qtbot.waitUntil(lambda: kiosk.shell.screen != "home", timeout=8000)
        qtbot.wait(300)
        for _ in range(5):
            name = kiosk.window.property("currentName")
            start = initial_focus(kiosk, qtbot)
            assert start and start not in CONSEQUENTIAL, (name, start)
            seen.append((name, start))
            if name == "home" or start == "keypad":
                break
            press(kiosk, qtbot, Key.Key_Return)
            with contextlib.suppress(Exception):
                qtbot.waitUntil(lambda n=name: kiosk.window.property("currentName") != n,
                                timeout=1500)
        assert not kiosk.flows.ticket.flow or not kiosk.flows.ticket.flow.disability
        kiosk.shell.goHome()
        qtbot.waitUntil(lambda: kiosk.shell.screen == "home", timeout=5000)
    names = {name for name, _ in seen}
    assert {"ticket.identify", "report.identify", "guide.browse", "progress.enter_number",
            "evaluation.link", "help.coming"} <= names, seen


def test_a_text_field_shows_a_focus_ring(kiosk: Any, qtbot: Any) -> None:
    press(kiosk, qtbot, Key.Key_Tab)
    for _ in range(20):
        if focused(kiosk) == "entry_guide":
            break
        press(kiosk, qtbot, Key.Key_Tab)
    press(kiosk, qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.window.property("currentName") == "guide.browse", timeout=8000)
    for _ in range(30):
        if focused(kiosk) == "searchField":
            break
        press(kiosk, qtbot, Key.Key_Backtab)
    field = kiosk.window.activeFocusItem()
    assert field.objectName() == "searchField"
    assert field.property("focusShown")
    ring = next(c for c in field.property("background").childItems()
                if c.objectName() == "focusRing")
    assert ring.isVisible()
    press(kiosk, qtbot, Key.Key_Tab)  # the ring goes with the focus
    qtbot.waitUntil(lambda: not field.property("focusShown"), timeout=3000)
