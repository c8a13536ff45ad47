"""The shell as a citizen meets it: home, entries, back/home, language, elder mode, idle reset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from drivers.idcard.card import parse_card
from drivers.idcard.cards import CARDS


@pytest.fixture
def make_app(make_app: Any) -> Any:
    """The shell alone: entries open the placeholder screen, whatever flows exist (their own
    tests drive them), so these tests see only what the shell does."""

    def make(settings: Any) -> Any:
        app = make_app(settings)
        app.engine.rootContext().setContextProperty("flowHub", None)
        return app

    return make


def test_home_screen_shows_hall_entries_and_switches(make_app: Any, settings: Any, find: Any) -> None:
    app = make_app(settings)
    assert find(app.window, "hallName").property("text") == settings.kiosk.hall_name
    for entry in ("ticket", "report", "guide", "progress", "evaluation", "help"):
        assert find(app.window, f"entry_{entry}").isVisible()
    for switch in ("languageButton", "elderButton", "helpButton"):
        assert find(app.window, switch).isVisible()
    with pytest.raises(LookupError):
        find(app.window, "backButton")  # nowhere to go back to from home


def test_entry_then_back_and_home(make_app: Any, settings: Any, tap: Any, find: Any,
                                  qtbot: Any) -> None:
    app = make_app(settings)
    tap(app.window, "entry_progress")
    qtbot.waitUntil(lambda: app.shell.screen != "home", timeout=3000)
    assert find(app.window, "backButton").isVisible()
    tap(app.window, "backButton")
    qtbot.waitUntil(lambda: app.shell.screen == "home", timeout=3000)
    tap(app.window, "entry_guide")
    qtbot.waitUntil(lambda: app.shell.screen != "home", timeout=3000)
    tap(app.window, "homeButton")
    qtbot.waitUntil(lambda: app.shell.screen == "home", timeout=3000)
    assert find(app.window, "entry_ticket").isVisible()


def test_language_switch_translates_every_screen_text(make_app: Any, settings: Any, tap: Any,
                                                      find: Any) -> None:
    app = make_app(settings)
    assert find(app.window, "entry_report").property("text") == "办不成事反映"
    tap(app.window, "languageButton")
    assert app.shell.language == "en"
    assert find(app.window, "entry_report").property("text") == "Could not get it done?"
    assert find(app.window, "hallName").property("text") == settings.kiosk.hall_name_en
    tap(app.window, "languageButton")
    assert find(app.window, "entry_report").property("text") == "办不成事反映"


def test_elder_mode_grows_targets_and_text(make_app: Any, settings: Any, tap: Any,
                                           find: Any) -> None:
    app = make_app(settings)
    button = find(app.window, "entry_ticket")
    normal_width, normal_text, normal_target = button.width(), app.theme.bodySize, app.theme.touchTarget
    tap(app.window, "elderButton")
    assert app.shell.elderMode
    assert app.theme.bodySize >= round(7 * app.theme.mm) > normal_text  # 7 mm text, was 5 mm
    assert app.theme.touchTarget >= round(24 * app.theme.mm) > normal_target  # 24 mm targets
    button = find(app.window, "entry_ticket")
    assert button.width() > normal_width  # one wide column: one decision per row
    assert min(button.width(), button.height()) >= app.theme.touchTarget
    assert find(app.window, "elderButton").property("text") == "长者模式"
    assert find(app.window, "elderButton").property("subText") == "已开"


def test_idle_prompt_counts_down_then_drops_the_session(make_app: Any, settings: Any, tap: Any,
                                                         find: Any, qtbot: Any) -> None:
    app = make_app(settings)
    app.idle.set_times(300, 1500)
    tap(app.window, "entry_report")
    tap(app.window, "languageButton")
    tap(app.window, "elderButton")
    session = app.shell.session
    session.phone = "13800001234"
    session.texts["description"] = "窗口不受理"
    qtbot.waitUntil(lambda: app.idle.prompting, timeout=3000)
    countdown = find(app.window, "idleCountdown").property("text")
    assert "Returning to the home screen" in countdown  # the prompt speaks the chosen language
    qtbot.waitUntil(lambda: app.shell.screen == "home", timeout=5000)
    assert not app.idle.prompting
    assert session.phone is None and session.texts == {}  # the old session forgot everything
    assert app.shell.session is not session
    assert app.shell.language == "zh" and not app.shell.elderMode  # next citizen starts clean


def test_more_time_keeps_the_citizen_where_they_were(make_app: Any, settings: Any, tap: Any,
                                                    qtbot: Any) -> None:
    app = make_app(settings)
    app.idle.set_times(300, 3000)
    tap(app.window, "entry_progress")
    app.shell.session.phone = "13800001234"
    qtbot.waitUntil(lambda: app.idle.prompting, timeout=3000)
    tap(app.window, "idleMoreButton")
    assert not app.idle.prompting
    assert app.shell.screen != "home"
    assert app.shell.session.phone == "13800001234"


def test_no_idle_prompt_on_the_home_screen(make_app: Any, settings: Any, qtbot: Any) -> None:
    app = make_app(settings)
    app.idle.set_times(100, 1000)
    qtbot.wait(400)
    assert not app.idle.prompting


def test_home_drops_a_card_read_into_the_session(make_app: Any, settings: Any, tap: Any,
                                                 qtbot: Any) -> None:
    app = make_app(settings)
    tap(app.window, "entry_guide")
    session = app.shell.session
    card = CARDS["resident"]
    session.accept_card(parse_card(card.text, card.photo), dt.date(2026, 11, 23))
    assert session.has_card
    tap(app.window, "homeButton")
    qtbot.waitUntil(lambda: app.shell.screen == "home", timeout=3000)
    assert not session.has_card and session.id_hash is None


def test_pushed_configuration_updates_home_and_idle_times(make_app: Any, settings: Any,
                                                          find: Any, qtbot: Any) -> None:
    import tomllib
    from pathlib import Path

    from hall.catalogue import Catalogue

    demo = tomllib.loads((Path(__file__).resolve().parents[2] / "central" / "demo_config.toml")
                         .read_text(encoding="utf-8"))
    demo["hall"]["name"] = "测试区政务服务中心"
    demo["notices"] = [{"zh": "今晚22点系统维护", "en": "Maintenance tonight at 22:00"}]
    demo.setdefault("timeouts", {})["idle_s"] = 45
    app = make_app(settings)
    app._apply_catalogue(Catalogue.from_dict(demo))
    qtbot.waitUntil(lambda: find(app.window, "hallName").property("text") == "测试区政务服务中心",
                    timeout=2000)
    assert app.shell.notices == ["今晚22点系统维护"]
    assert app.idle._timeout_ms == 45_000


def test_home_says_in_words_when_the_centre_or_printer_is_down(make_app: Any, settings: Any,
                                                              find: Any, qtbot: Any) -> None:
    app = make_app(settings)  # no centre runs in this test
    app.services.configsync.connectionChanged.emit("offline")
    qtbot.waitUntil(lambda: not app.shell.centreOnline, timeout=3000)
    banner = find(app.window, "offlineBanner")
    assert "取号暂停" in banner.childItems()[0].property("text")
    app.services.configsync.connectionChanged.emit("live")
    qtbot.waitUntil(lambda: app.shell.centreOnline, timeout=3000)
    with pytest.raises(LookupError):
        find(app.window, "offlineBanner")


def test_a_tap_right_after_elder_mode_aims_at_the_new_layout(make_app: Any, settings: Any,
                                                             tap: Any, qtbot: Any) -> None:
    """The combined-run miss: on a loaded machine the frame that regrids home for elder mode
    was already due when the next tap read where the entry was; the relayout ran first and
    the press landed on the status banner that had moved into that place."""
    from PySide6.QtCore import QCoreApplication, QEvent

    app = make_app(settings)
    app.shell.setElderMode(True)
    # The frame is due before the tap is delivered, as it was on the loaded machine.
    QCoreApplication.postEvent(app.window, QEvent(QEvent.Type.UpdateRequest))
    tap(app.window, "entry_ticket")
    qtbot.waitUntil(lambda: app.shell.screen != "home", timeout=3000)


def test_fullscreen_window_takes_its_screens_size_and_follows_a_new_mode(qtbot: Any) -> None:
    """Issue 14: the window once kept kiosk.toml's 1080×1920 on any screen. Here it takes the
    offscreen screen's size, and a new output mode (QScreen.geometryChanged, as a rotated or
    re-moded output sends it) resizes the window and re-sizes the millimetres."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QWindow

    from kiosk.ui.theme import Theme, pixels_per_mm
    from kiosk.ui.window import CloseGuard, ScreenFit

    window = QWindow()
    theme = Theme(1080, 1920, 21.5)
    fit = ScreenFit(window, theme, fullscreen=True)
    screen = window.screen()
    size = screen.geometry().size()
    assert (window.width(), window.height()) == (size.width(), size.height())
    assert theme.mm == pytest.approx(pixels_per_mm(size.width(), size.height(), 21.5))
    with qtbot.waitSignal(theme.changed):
        screen.geometryChanged.emit(QRect(0, 0, 1280, 1024))
    assert (window.width(), window.height()) == (1280, 1024)
    assert theme.mm == pytest.approx(pixels_per_mm(1280, 1024, 21.5))
    assert theme.touchTarget == round(15 * theme.mm)
    # A close request from outside (the window system's close) is refused and counted.
    guard = CloseGuard()
    window.installEventFilter(guard)
    window.show()
    qtbot.waitExposed(window)
    window.close()
    assert window.isVisible() and guard.refused == 1
    window.removeEventFilter(guard)
    window.close()
    del fit


def test_without_a_configured_diagonal_millimetres_come_from_the_screen() -> None:
    from kiosk.ui.theme import FALLBACK_PX_PER_MM, Theme

    theme = Theme(1920, 1080, 0)
    theme.fit(1920, 1080, (477.0, 268.0))  # what a 21.5" panel's EDID reports
    assert theme.mm == pytest.approx(1920 / 477.0, rel=0.01)
    theme.fit(1920, 1080, (0.0, 0.0))  # no EDID: 96 dpi
    assert theme.mm == pytest.approx(FALLBACK_PX_PER_MM)


def test_landscape_is_decided_by_the_content_s_aspect() -> None:
    """Issue 18.8: one property lays screens out for a wide panel; a panel mounted sideways
    (its content turned a quarter) is laid out by what the citizen sees, not by the pixels."""
    from kiosk.ui.theme import Theme

    assert not Theme(1080, 1920, 21.5).landscape
    assert not Theme(1280, 1280, 21.5).landscape  # square: the portrait layout
    theme = Theme(1080, 1920, 21.5)
    seen: list[bool] = []
    theme.changed.connect(lambda: seen.append(theme.landscape))
    theme.fit(1920, 1080)  # the same diagonal, turned: millimetres stay, the layout changes
    assert theme.landscape and seen == [True]
    theme.fit(1080, 1920)
    assert not theme.landscape and seen == [True, False]
    assert not Theme(1920, 1080, 21.5, rotation=90).landscape
    assert Theme(1080, 1920, 21.5, rotation=270).landscape
