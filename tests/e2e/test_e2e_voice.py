"""What elders and keypad users hear (issue 18.9): the focused control as the focus moves,
home's prompt, and the results that matter (ticket number, window, people ahead).

Qt's silent "mock" engine stands for speech-dispatcher (no audio here); what reaches it is
what the kiosk asked to be read. Which voice reads it is tests/ui/test_voice.py's business.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent

Key = Qt.Key


@pytest.fixture
def heard(kiosk: Any, qtbot: Any) -> list[str]:
    """Everything handed to the engine from now on: prompts (by key's words) and screen words."""
    from kiosk.ui.voice import Voice

    kiosk.voice.close()
    kiosk.voice = Voice(kiosk.translations.text, engine="mock",
                        voice_names={"zh": ("Anne",), "en": ("Bob",)}, parent=kiosk.root)
    kiosk.voice.start()
    qtbot.waitUntil(lambda: kiosk.voice.state == "ready", timeout=5000)
    words: list[str] = []
    kiosk.voice.textSpoken.connect(words.append)
    for bridge in kiosk.flows.bridges:
        bridge.spoke.connect(lambda key: words.append(f"prompt:{key}"))
    kiosk.shell.promptRequested.connect(lambda key: words.append(f"prompt:{key}"))
    return words


def press(app: Any, qtbot: Any, *keys: Key) -> None:
    for key in keys:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.postEvent(app.window, QKeyEvent(kind, key,
                                                             Qt.KeyboardModifier.NoModifier))
        qtbot.wait(30)


def focus_on(app: Any, qtbot: Any, name: str, key: Key = Key.Key_Tab) -> None:
    for _ in range(40):
        item = app.window.activeFocusItem()
        if item is not None and item.objectName() == name:
            return
        press(app, qtbot, key)
    raise AssertionError(f"never reached {name}")


def test_keypad_users_hear_the_focused_control(kiosk: Any, heard: list[str], screen: Any,
                                               qtbot: Any) -> None:
    press(kiosk, qtbot, Key.Key_Tab)
    # The first entry, as labelled: its title and its line below.
    qtbot.waitUntil(lambda: heard == ["取号，排队叫号 · 预约签到"], timeout=3000)
    heard.clear()
    press(kiosk, qtbot, Key.Key_Tab)
    qtbot.waitUntil(lambda: heard != [], timeout=3000)
    label = kiosk.window.activeFocusItem().property("text")
    assert heard[-1].startswith(label)  # the next control, by its words on screen


def test_nothing_is_read_to_a_citizen_who_touches_outside_elder_mode(
        kiosk: Any, heard: list[str], tap: Any, screen: Any, qtbot: Any) -> None:
    tap(kiosk.window, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    qtbot.wait(500)
    assert heard == []


def test_home_has_a_prompt_in_elder_mode(kiosk: Any, heard: list[str], tap: Any, screen: Any,
                                         qtbot: Any) -> None:
    tap(kiosk.window, "elderButton")
    qtbot.waitUntil(lambda: "prompt:home.choose" in heard, timeout=3000)
    tap(kiosk.window, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    heard.clear()
    tap(kiosk.window, "backButton")  # back home in elder mode: the prompt again
    screen(kiosk, "home")
    qtbot.waitUntil(lambda: "prompt:home.choose" in heard, timeout=3000)


def test_an_elder_hears_the_ticket_number_window_and_people_ahead(
        kiosk: Any, heard: list[str], tap: Any, screen: Any, find: Any, qtbot: Any) -> None:
    tap(kiosk.window, "elderButton")
    tap(kiosk.window, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    tap(kiosk.window, "zone_C")
    screen(kiosk, "ticket.choose_matter")
    tap(kiosk.window, "matter_marriage-reg")
    screen(kiosk, "ticket.identify")
    tap(kiosk.window, "continueButton")
    screen(kiosk, "ticket.ask_priority")
    tap(kiosk.window, "priorityNo")
    screen(kiosk, "ticket.confirm")
    qtbot.waitUntil(lambda: "打印机正常" in find(kiosk.window, "printerNoticeText")
                    .property("text"), timeout=8000)
    tap(kiosk.window, "confirmButton")
    screen(kiosk, "ticket.ticket", timeout=10_000)
    assert "prompt:take.ticket" in heard  # 取号成功, then the result itself
    number = find(kiosk.window, "ticketNumber").property("text")
    qtbot.waitUntil(lambda: any(" ".join(number) in h for h in heard), timeout=3000)
    result = next(h for h in heard if " ".join(number) in h)
    assert result.index(" ".join(number)) < result.index("窗口") < result.index("前面还有")
    assert find(kiosk.window, "ticketAhead").property("text") in result
    assert heard.index("prompt:take.ticket") < heard.index(result)
