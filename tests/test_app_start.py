"""The kiosk starts its services exactly once, however the first frames arrive.

On a real display Qt Quick renders on its own thread, and ``frameSwapped`` reaches the GUI
thread queued: two frames can be waiting before the first is handled. Started twice, the kiosk
would run two readers on one serial port, two outbox senders and two heartbeats.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from kiosk.config import Settings


def test_services_start_once_when_several_first_frames_are_queued(
        settings: Settings, qtbot: Any, find: Any, caplog: pytest.LogCaptureFixture) -> None:
    from kiosk.app import KioskApp, prepare_environment

    prepare_environment(offscreen=True)
    caplog.set_level(logging.INFO, logger="kiosk.app")
    app = KioskApp(settings, windowed=True)
    try:
        # As the render thread does: three swaps queued before the loop handles the first.
        render_thread = threading.Thread(
            target=lambda: [app.window.frameSwapped.emit() for _ in range(3)])
        render_thread.start()
        render_thread.join()
        qtbot.waitUntil(lambda: app.flows is not None and app.screens_ready, timeout=20_000)
        keyboard = find(app.window, "keyboardLoader")
        qtbot.waitUntil(lambda: keyboard.property("item") is not None, timeout=20_000)
        qtbot.wait(300)  # time for any further queued start to run
        started = [r for r in caplog.records if r.getMessage() == "services started"]
        assert len(started) == 1
    finally:
        app.close()
