"""Service menu: voice volume and mute (live, kept across restarts) and screen brightness."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.maintenance import MENU_LAYER

READ_ONLY_SYSFS_INT = Path("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")


def _open_menu(app: Any, enter_pin: Any, qtbot: Any) -> Any:
    app.maintenance.openPinPad()
    enter_pin(app, "246810")
    assert app.maintenance.layerUrl == MENU_LAYER
    qtbot.waitUntil(lambda: app.maintenance._backlight.problem != "checking", timeout=10_000)
    return app.maintenance


def _tap_in_view(app: Any, tap: Any, find: Any, name: str) -> None:
    """Scroll the menu (it is taller than a small window) so the control shows, then tap it."""
    flick = find(app.window, "menuFlick")
    item = find(app.window, name)
    top = item.mapToItem(flick.property("contentItem"), 0, 0).y()
    limit = max(0.0, flick.property("contentHeight") - flick.height())
    flick.setProperty("contentY", max(0.0, min(limit, top - flick.height() / 3)))
    tap(app.window, name)


def _backlight(root: Path, brightness: int, maximum: int) -> Path:
    """A real sysfs-shaped tree: <root>/<device>/{brightness,max_brightness}."""
    device = root / "panel_backlight"
    device.mkdir(parents=True)
    (device / "max_brightness").write_text(f"{maximum}\n")
    (device / "brightness").write_text(f"{brightness}\n")
    return device


def test_volume_and_mute_change_the_voice_at_once_and_are_kept(
        make_app: Any, pin_settings: Any, qtbot: Any, tap: Any, find: Any,
        enter_pin: Any) -> None:
    app = make_app(pin_settings.replace("ui", volume=70))
    _open_menu(app, enter_pin, qtbot)
    assert find(app.window, "volumeValue").property("text") == "70%"
    _tap_in_view(app, tap, find, "volumeUp")
    _tap_in_view(app, tap, find, "volumeUp")
    assert app.voice.volume_percent == 90  # the voice itself, not just the label
    assert find(app.window, "volumeValue").property("text") == "90%"
    _tap_in_view(app, tap, find, "volumeMute")
    assert app.voice.muted and "已静音" in find(app.window, "volumeValue").property("text")
    assert app.voice.say("voice.test", "zh") is False  # muted means silent
    overrides = Path(pin_settings.data_path("local", "overrides.json"))
    qtbot.waitUntil(lambda: overrides.exists() and json.loads(overrides.read_text())
                    == {"muted": True, "volume_percent": 90}, timeout=5000)
    _tap_in_view(app, tap, find, "menuClose")


def test_a_restarted_kiosk_starts_at_the_volume_staff_left(
        make_app: Any, pin_settings: Any, qtbot: Any, tap: Any, find: Any,
        enter_pin: Any) -> None:
    """What the test above left in the data folder, read by the next start (over kiosk.toml)."""
    overrides = Path(pin_settings.data_path("local", "overrides.json"))
    overrides.parent.mkdir(parents=True)
    overrides.write_text(json.dumps({"muted": True, "volume_percent": 90}))
    app = make_app(pin_settings.replace("ui", volume=70))
    assert app.voice.volume_percent == 90 and app.voice.muted
    maintenance = _open_menu(app, enter_pin, qtbot)
    assert "已静音" in find(app.window, "volumeValue").property("text")
    _tap_in_view(app, tap, find, "volumeMute")
    assert not app.voice.muted
    _tap_in_view(app, tap, find, "volumeDown")
    assert app.voice.volume_percent == 80 == maintenance.volumePercent
    assert find(app.window, "volumeValue").property("text") == "80%"
    qtbot.waitUntil(lambda: json.loads(overrides.read_text())
                    == {"muted": False, "volume_percent": 80}, timeout=5000)
    _tap_in_view(app, tap, find, "menuClose")


def test_brightness_is_set_through_the_backlight_files(
        make_app: Any, pin_settings: Any, qtbot: Any, tap: Any, find: Any, enter_pin: Any,
        tmp_path: Path) -> None:
    device = _backlight(tmp_path / "backlight", brightness=600, maximum=1200)
    app = make_app(pin_settings.replace("display", backlight_root=str(tmp_path / "backlight")))
    _open_menu(app, enter_pin, qtbot)
    assert find(app.window, "brightnessValue").property("text") == "50%"
    _tap_in_view(app, tap, find, "brightnessUp")
    qtbot.waitUntil(lambda: (device / "brightness").read_text().strip() == "720", timeout=5000)
    qtbot.waitUntil(lambda: find(app.window, "brightnessValue").property("text") == "60%",
                    timeout=5000)
    for _ in range(8):  # never down to a black screen
        _tap_in_view(app, tap, find, "brightnessDown")
        qtbot.wait(50)
    qtbot.waitUntil(lambda: (device / "brightness").read_text().strip() == "60", timeout=5000)
    assert find(app.window, "brightnessValue").property("text") == "5%"
    _tap_in_view(app, tap, find, "menuClose")


def test_without_a_backlight_the_menu_says_so_in_words(
        make_app: Any, pin_settings: Any, qtbot: Any, tap: Any, find: Any, enter_pin: Any,
        tmp_path: Path) -> None:
    (tmp_path / "backlight").mkdir()  # the class folder exists, no device in it
    app = make_app(pin_settings.replace("display", backlight_root=str(tmp_path / "backlight")))
    _open_menu(app, enter_pin, qtbot)
    note = find(app.window, "brightnessNote").property("text")
    assert "没有可调节的背光" in note and "No adjustable backlight" in note
    for name in ("brightnessUp", "brightnessDown", "brightnessValue"):
        with pytest.raises(LookupError):
            find(app.window, name)  # no dead control
    _tap_in_view(app, tap, find, "menuClose")


def test_a_backlight_it_may_not_write_is_named_not_shown_as_a_control(
        make_app: Any, pin_settings: Any, qtbot: Any, tap: Any, find: Any, enter_pin: Any,
        tmp_path: Path) -> None:
    if not READ_ONLY_SYSFS_INT.is_file():
        pytest.skip(f"needs a read-only sysfs file ({READ_ONLY_SYSFS_INT})")
    # Root may write a 0444 plain file, so the device's brightness is a read-only sysfs file.
    device = tmp_path / "backlight" / "acpi_video0"
    device.mkdir(parents=True)
    (device / "max_brightness").write_text(f"{int(READ_ONLY_SYSFS_INT.read_text()) * 2}\n")
    (device / "brightness").symlink_to(READ_ONLY_SYSFS_INT)
    app = make_app(pin_settings.replace("display", backlight_root=str(tmp_path / "backlight")))
    _open_menu(app, enter_pin, qtbot)
    note = find(app.window, "brightnessNote").property("text")
    assert "没有调节背光的权限" in note and "acpi_video0" in note and "No permission" in note
    with pytest.raises(LookupError):
        find(app.window, "brightnessUp")
    _tap_in_view(app, tap, find, "menuClose")
