"""Modes stay put: backing out of a flow keeps elder mode and the language a citizen chose;
only Home, finishing a flow and the idle reset end them (issue 18.2)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent


def _elder_english(app: Any, tap: Any, qtbot: Any) -> None:
    tap(app.window, "languageButton")
    tap(app.window, "elderButton")
    qtbot.waitUntil(lambda: app.shell.elderMode and app.shell.language == "en", timeout=3000)


def test_back_from_a_flows_first_step_keeps_elder_mode_and_english(
        kiosk: Any, tap: Any, screen: Any, find: Any, qtbot: Any) -> None:
    _elder_english(kiosk, tap, qtbot)
    tap(kiosk.window, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    tap(kiosk.window, "backButton")  # the top bar's 返回 / Back on the first step
    screen(kiosk, "home")
    assert kiosk.shell.elderMode and kiosk.shell.language == "en"
    assert find(kiosk.window, "entry_report").property("text") == "Could not get it done?"
    # Into another flow and out with the keypad's Back key: still elder mode and English.
    tap(kiosk.window, "entry_progress")
    screen(kiosk, "progress.choose_method")
    assert kiosk.shell.session.elder_mode and kiosk.shell.session.language == "en"
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.postEvent(kiosk.window, QKeyEvent(kind, Qt.Key.Key_Back,
                                                           Qt.KeyboardModifier.NoModifier))
    screen(kiosk, "home")
    assert kiosk.shell.elderMode and kiosk.shell.language == "en"


def test_back_drops_what_the_flow_was_given(kiosk: Any, tap: Any, screen: Any,
                                             qtbot: Any) -> None:
    _elder_english(kiosk, tap, qtbot)
    tap(kiosk.window, "entry_report")
    screen(kiosk, "report.identify")
    session = kiosk.shell.session
    session.phone = "13800001234"
    tap(kiosk.window, "backButton")
    screen(kiosk, "home")
    assert session.phone is None and kiosk.shell.session.is_empty  # the data went
    assert kiosk.shell.elderMode and kiosk.shell.language == "en"  # the modes stayed


def test_home_ends_the_modes(kiosk: Any, tap: Any, screen: Any, qtbot: Any) -> None:
    _elder_english(kiosk, tap, qtbot)
    tap(kiosk.window, "entry_guide")
    screen(kiosk, "guide.browse")
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home")
    assert not kiosk.shell.elderMode and kiosk.shell.language == "zh"


def test_modes_left_on_at_home_end_with_the_idle_reset(kiosk: Any, tap: Any, screen: Any,
                                                      qtbot: Any) -> None:
    """A citizen who backed out and walked away: the next one does not inherit their modes."""
    kiosk.idle.set_times(300, 800)
    _elder_english(kiosk, tap, qtbot)
    tap(kiosk.window, "entry_ticket")
    screen(kiosk, "ticket.choose_zone")
    tap(kiosk.window, "backButton")
    screen(kiosk, "home")
    qtbot.waitUntil(lambda: not kiosk.shell.elderMode and kiosk.shell.language == "zh",
                    timeout=8000)
    qtbot.wait(1500)
    assert not kiosk.idle.prompting  # back to defaults at home: nothing more to reset
