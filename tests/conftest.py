"""Fixtures shared by the whole suite: offscreen Qt, settings files, a kiosk app, taps on QML."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")  # read once, when qapp is made
os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")  # inline panel only, as the app
# Qt's per-user config (the pinyin decoder's user dictionary) in a folder of this run's own:
# the suite neither reads what an earlier run left in ~/.config nor writes there.
if "XDG_CONFIG_HOME" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="kiosk-tests-config-")
    atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], ignore_errors=True)

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import Settings

ROOT = Path(__file__).resolve().parents[1]

#: The browser tests' shared fixture (``browser``) and helpers: tests/browser.py.
pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="session")
def qapp_cls() -> type:
    """The application class pytest-qt makes: the kiosk's own QGuiApplication (no widgets), so
    a test gets what production runs, and pytest-qt does not warn when a kiosk or soak driver
    started before it made one."""
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings with the data folder in a temporary directory and a small window."""
    base = Settings()
    return (base.replace("kiosk", data_dir=str(tmp_path / "var"))
            .replace("display", fullscreen=False, width=540, height=960, diagonal_inches=10.75)
            .replace("ui", voice_engine="mock"))  # Qt's silent engine: tests make no sound


@pytest.fixture
def make_app(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """Build a KioskApp (offscreen, windowed) and close it after the test."""
    from kiosk.app import KioskApp, prepare_environment

    prepare_environment(offscreen=True)
    apps: list[Any] = []

    def make(settings: Settings, **kwargs: Any) -> Any:
        app = KioskApp(settings, windowed=True, **kwargs)
        apps.append(app)
        qtbot.waitExposed(app.window)
        qtbot.waitUntil(lambda: app.flows is not None, timeout=10_000)  # services start after frame 1
        # Screens compile in the background; a test tap must not trigger a synchronous load
        # (Qt's loader thread would wait for the GIL the tap holds, via pytest-qt's log handler).
        qtbot.waitUntil(lambda: app.screens_ready, timeout=20_000)
        # ... and so does the on-screen keyboard; closing the app half-way through it makes
        # Qt Virtual Keyboard's own QML complain.
        keyboard = find_item(app.window, "keyboardLoader")
        qtbot.waitUntil(lambda: keyboard.property("item") is not None, timeout=20_000)
        return app

    yield make
    for app in apps:
        app.close()


def find_item(window: Any, object_name: str) -> Any:
    """The visible QML item with this objectName (the topmost if several)."""
    from kiosk.ui.touch import find_visible

    return find_visible(window, object_name)


def settle_layout(window: Any, qtbot: Any) -> None:
    """Let a pending relayout land (layouts are polished just before a frame is drawn).

    A finger aims at what the screen shows. A test reading a button's place right after a
    change (elder mode regrids home) would read the old layout, and when the relayout runs
    before its press is delivered the press lands on whatever moved there instead.
    """
    with qtbot.waitSignal(window.frameSwapped, timeout=1000, raising=False):
        window.update()


@pytest.fixture
def tap(qtbot: Any) -> Callable[[Any, str], None]:
    """Tap a QML item by objectName the way a touch screen delivers it: a press and a release
    at its centre, posted to the window and handled by the running event loop.

    (A synchronous QTest click would hold the GIL while the tap loads a screen, and Qt's QML
    loader thread can need the GIL at that moment: a deadlock only a test harness has.)
    """
    from kiosk.ui.touch import post_tap

    def do_tap(window: Any, object_name: str) -> None:
        settle_layout(window, qtbot)
        post_tap(window, find_item(window, object_name))
        qtbot.wait(20)

    return do_tap


@pytest.fixture
def find() -> Callable[[Any, str], Any]:
    return find_item
