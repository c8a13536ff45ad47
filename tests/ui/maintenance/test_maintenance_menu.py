"""Hidden entry, PIN pad and service menu as staff meet them, against the simulated hall."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMetaObject, QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.ui.maintenance import EXIT_RESTART, EXIT_TO_DESKTOP, MENU_LAYER, PIN_LAYER

LEFT, NO_MOD = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


def corner_point(app: Any) -> QPoint:
    """Inside the configured top-right corner, a few millimetres from the edges."""
    return QPoint(app.window.width() - round(app.theme.mm * 5), round(app.theme.mm * 5))


def tap_at(window: Any, point: QPoint, hold_ms: int = 40) -> None:
    QTest.mousePress(window, LEFT, NO_MOD, point)
    QTest.mouseRelease(window, LEFT, NO_MOD, point, hold_ms)


def test_corner_gesture_opens_the_pin_pad_and_ordinary_taps_do_not(
        make_app: Any, pin_settings: Any, qtbot: Any, find: Any) -> None:
    app = make_app(pin_settings)
    window, corner = app.window, corner_point(app)
    middle = QPoint(window.width() // 2, window.height() // 2)
    # A citizen tapping around, tapping the corner, even holding it without the taps first.
    for point in (middle, corner, middle, corner, corner):
        tap_at(window, point)
    QTest.mousePress(window, LEFT, NO_MOD, corner)
    qtbot.wait(2300)
    QTest.mouseRelease(window, LEFT, NO_MOD, corner)
    for _ in range(5):
        tap_at(window, corner)
    qtbot.wait(50)
    tap_at(window, corner, hold_ms=40)  # five taps and a sixth short one: still no hold
    qtbot.wait(100)
    assert app.maintenance.layerUrl == ""
    assert find(window, "maintenanceLayer").property("item") is None
    # The real gesture: five taps, then a finger held for two seconds.
    for _ in range(5):
        tap_at(window, corner)
        qtbot.wait(60)
    QTest.mousePress(window, LEFT, NO_MOD, corner)
    qtbot.waitUntil(lambda: app.maintenance.layerUrl == PIN_LAYER, timeout=4000)
    QTest.mouseRelease(window, LEFT, NO_MOD, corner)
    pad = find(window, "pinPad")
    assert pad.isVisible() and pad.width() == window.width()
    assert "请输入维护密码" in find(window, "pinMessage").property("text")


def test_corner_gesture_follows_the_window_to_a_new_screen_size(
        make_app: Any, pin_settings: Any, qtbot: Any) -> None:
    """Issue 14: the window takes its screen's size and follows it; the hidden corner moves
    with it (it once stayed at the old width: on a wider screen no corner opened the pad)."""
    app = make_app(pin_settings)
    window = app.window
    window.resize(window.width() + 400, window.height() - 200)  # a landscape-ish new mode
    qtbot.waitUntil(lambda: app.maintenance.watcher.gesture.screen_width == window.width(),
                    timeout=2000)
    corner = corner_point(app)
    for _ in range(5):
        tap_at(window, corner)
        qtbot.wait(60)
    QTest.mousePress(window, LEFT, NO_MOD, corner)
    qtbot.waitUntil(lambda: app.maintenance.layerUrl == PIN_LAYER, timeout=4000)
    QTest.mouseRelease(window, LEFT, NO_MOD, corner)


def test_pad_without_a_configured_pin_says_the_menu_is_disabled(
        make_app: Any, settings: Any, find: Any) -> None:
    app = make_app(settings)  # default settings: empty pin_hash
    app.maintenance.openPinPad()
    text = find(app.window, "pinMessage").property("text")
    assert "已停用" in text and "disabled" in text
    for name in ("pinDigit1", "pinOk"):
        try:
            find(app.window, name)
        except LookupError:
            continue
        raise AssertionError(f"{name} is shown although no PIN can be right")


def test_five_wrong_pins_lock_the_pad(make_app: Any, pin_settings: Any, find: Any,
                                      enter_pin: Any) -> None:
    app = make_app(pin_settings)
    app.maintenance.openPinPad()
    for attempt in range(1, 5):
        enter_pin(app, "111111")
        assert f"还可尝试 {5 - attempt} 次" in find(app.window, "pinMessage").property("text")
        assert app.maintenance.layerUrl == PIN_LAYER
    enter_pin(app, "111111")
    message = find(app.window, "pinMessage").property("text")
    assert "5 分钟" in message and "5 min" in message
    assert not find(app.window, "pinDigit2").property("enabled")
    assert app.maintenance.gate.counters()["lockouts"] == 1
    # Even the right PIN is refused while locked (checked straight through the gate).
    app.maintenance.checker.submit("246810")
    app.maintenance.checker.shutdown()
    assert app.maintenance.gate.refused_while_locked == 1
    assert app.maintenance.layerUrl == PIN_LAYER


def test_right_pin_opens_the_menu_and_cancel_goes_home(
        make_app: Any, pin_settings: Any, tap: Any, find: Any, enter_pin: Any) -> None:
    app = make_app(pin_settings)
    tap(app.window, "entry_guide")  # a citizen left a screen open
    app.maintenance.openPinPad()
    enter_pin(app, "24681")  # one digit short
    assert app.maintenance.layerUrl == PIN_LAYER
    enter_pin(app, "246810")
    assert app.maintenance.layerUrl == MENU_LAYER
    assert find(app.window, "serviceMenu").isVisible()
    tap(app.window, "menuClose")
    assert app.maintenance.layerUrl == ""
    assert app.window.property("currentName") == "home"


def test_menu_closes_itself_after_its_timeout_and_touches_keep_it_open(
        make_app: Any, pin_settings: Any, qtbot: Any, tap: Any, enter_pin: Any) -> None:
    app = make_app(pin_settings)
    tap(app.window, "entry_guide")
    app.maintenance.openPinPad()
    enter_pin(app, "246810")
    assert app.maintenance.layerUrl == MENU_LAYER
    # Short only from here: the PIN's hash check alone can take longer on a busy machine.
    app.maintenance.set_menu_timeout_ms(1500)
    for _ in range(4):  # touching more often than the timeout keeps the menu up
        qtbot.wait(300)
        tap_at(app.window, QPoint(5, app.window.height() - 5))
        assert app.maintenance.layerUrl == MENU_LAYER
    qtbot.waitUntil(lambda: app.maintenance.layerUrl == "", timeout=3000)
    assert app.window.property("currentName") == "home"


def test_menu_actions_against_the_simulated_hall(
        make_app: Any, hall: Any, hall_settings: Any, qtbot: Any, tap: Any, find: Any,
        enter_pin: Any, recent_log: None) -> None:
    simulation = hall[0]
    app = make_app(hall_settings, simulation=simulation)
    maintenance = app.maintenance
    qtbot.waitUntil(lambda: app.services.idcard.connected, timeout=10_000)
    maintenance.openPinPad()
    enter_pin(app, "246810")
    assert maintenance.layerUrl == MENU_LAYER
    # Status at a glance: the opened menu times a call to the centre and asks the printer.
    qtbot.waitUntil(lambda: maintenance.status_value("centre").endswith(" ms"), timeout=10_000)
    qtbot.waitUntil(lambda: maintenance.paper_state() == "ok", timeout=10_000)
    shown = find(app.window, "statusValue_reader").property("text")
    assert "已连接" in shown
    assert "正常" in find(app.window, "statusValue_printer").property("text")
    assert "正常" in find(app.window, "statusValue_paper").property("text")
    assert find(app.window, "statusValue_version").property("text") == maintenance.app_version
    assert find(app.window, "statusValue_disk").property("text").endswith("B")

    tickets_before = len(simulation.virtual_printer.tickets)
    tap(app.window, "actionTestPage")
    assert simulation.virtual_printer.wait_for_tickets(tickets_before + 1, timeout=10)
    assert "打印机测试页" in simulation.virtual_printer.tickets[-1].text
    qtbot.waitUntil(lambda: maintenance.previewUrl != "", timeout=10_000)
    assert "测试页已打印" in find(app.window, "menuNotice").property("text")
    preview = find(app.window, "testPagePreview")
    qtbot.waitUntil(lambda: preview.property("implicitWidth") > 0, timeout=5000)  # loaded
    assert Path(preview.property("source").toLocalFile()).stat().st_size > 0

    tap(app.window, "actionNetwork")
    qtbot.waitUntil(lambda: "中心可达" in maintenance.noticeZh, timeout=10_000)

    tap(app.window, "actionSync")
    qtbot.waitUntil(lambda: "配置已同步" in maintenance.noticeZh, timeout=10_000)
    version = app.services.configsync.current_version
    assert version is not None and str(version) in maintenance.noticeZh
    assert find(app.window, "statusValue_config").property("text").startswith(str(version))

    tap(app.window, "actionOutbox")
    assert "待发送 0 条" in maintenance.noticeZh

    # A test card is shown masked only, and only once asked for.
    tap(app.window, "actionCard")
    assert "请将测试卡放到读卡区" in maintenance.noticeZh
    simulation.place_card("resident")
    qtbot.waitUntil(lambda: "读卡成功" in maintenance.noticeZh, timeout=10_000)
    shown = find(app.window, "menuNotice").property("text")
    from drivers.idcard.card import parse_card
    from drivers.idcard.cards import CARDS

    full = parse_card(CARDS["resident"].text, CARDS["resident"].photo)
    assert full.masked_id() in shown and full.full_id_number() not in shown  # masked only
    assert "居民身份证" in shown
    simulation.remove_card()

    # Qt's silent mock engine in tests has only English voices: the menu says so plainly.
    qtbot.waitUntil(lambda: app.voice.state == "ready", timeout=10_000)
    # Captions at 5 mm make the menu longer than the small test window: scroll, as staff would.
    QMetaObject.invokeMethod(find(app.window, "actionVoice"), "reveal")
    tap(app.window, "actionVoice")
    assert "没有普通话语音" in maintenance.noticeZh and "欢迎使用" in maintenance.noticeZh

    tap(app.window, "actionLog")
    lines = find(app.window, "logLines").property("text")
    assert "service PIN accepted" in lines
    assert "246810" not in lines  # the PIN itself is never logged

    assert maintenance.exit_codes == []
    maintenance.quit_with = lambda code: None  # the test process must keep running
    tap(app.window, "actionRestart")
    assert maintenance.exit_codes == [EXIT_RESTART]
    tap(app.window, "actionExit")  # first tap only asks
    assert find(app.window, "exitConfirm").isVisible()
    assert maintenance.exit_codes == [EXIT_RESTART]
    tap(app.window, "exitNo")
    tap(app.window, "actionExit")
    tap(app.window, "exitYes")
    assert maintenance.exit_codes == [EXIT_RESTART, EXIT_TO_DESKTOP]


def test_heartbeat_tells_the_centre_the_printer_is_out_of_paper(
        make_app: Any, hall: Any, hall_settings: Any, qtbot: Any, staff_get: Any) -> None:
    simulation = hall[0]
    simulation.virtual_printer.set_state("paper_out")
    try:
        app = make_app(hall_settings, simulation=simulation)
        maintenance = app.maintenance
        printer = app.services.printer
        qtbot.waitUntil(lambda: printer.last_status is not None, timeout=10_000)
        printer.check_status()
        qtbot.waitUntil(lambda: maintenance.paper_state() == "out", timeout=10_000)
        assert "缺纸" in maintenance.status_value("paper")  # what staff see in the menu
        with qtbot.waitSignal(app.heartbeat.delivered, timeout=10_000):
            qtbot.waitUntil(app.heartbeat.beat, timeout=10_000)
    finally:
        simulation.virtual_printer.set_state("ok")
    kiosk = next(k for k in staff_get("/v1/kiosks") if k["id"] == hall_settings.kiosk.id)
    assert not kiosk["silent"]
    beat = kiosk["heartbeat"]
    assert beat["paper"] == "out"
    assert beat["devices"]["printer"]["state"] == "paper_out"
    assert beat["devices"]["reader"]["state"] in ("ok", "disconnected")
    assert beat["pin"]["lockouts"] == 0
    assert beat["outbox_pending"] == 0


def test_fullscreen_kiosk_swallows_escape_shortcuts_and_keeps_the_watchdog_quiet(
        make_app: Any, pin_settings: Any, qtbot: Any) -> None:
    """With [display] fullscreen the app is locked down; no NOTIFY_SOCKET: no watchdog pings."""
    settings = pin_settings.replace("display", fullscreen=True, hide_cursor=False)
    app = make_app(settings)
    lockdown = app.lockdown
    assert lockdown is not None
    app.window.requestActivate()
    qtbot.waitUntil(lambda: app.window.isActive(), timeout=3000)
    QTest.keyClick(app.window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(app.window, Qt.Key.Key_Escape)
    assert lockdown.swallowed["Alt+F4"] == 1 and lockdown.swallowed["Esc"] == 1
    assert not app.watchdog.active


def test_windowed_development_app_is_not_locked_down(make_app: Any, pin_settings: Any) -> None:
    app = make_app(pin_settings)  # the shared settings are windowed (fullscreen = false)
    assert app.lockdown is None
