"""The soak driver waits the way the running kiosk does, or its memory figures mean nothing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

from bench.soak_driver import SoakDriver, pushed_config


def test_pump_runs_deferred_deletions_like_the_kiosk_event_loop(qapp: Any, tmp_path: Path) -> None:
    """Qt's Loader and the screen stack destroy what they replace with deleteLater(), which only an
    event loop runs. The first soak pumped with processEvents() from top-level code, so every
    keyboard layout replaced on a language switch stayed alive (~0.55 MB per session)."""
    from PySide6.QtCore import QObject

    driver = SoakDriver(tmp_path)
    gone: list[bool] = []
    replaced = QObject()
    replaced.destroyed.connect(lambda: gone.append(True))
    replaced.deleteLater()  # from top-level code, as a tap-free driver call would
    del replaced
    driver.pump(lambda: bool(gone), timeout_s=5, what="the deferred deletion")
    assert gone == [True]


def test_pushed_configuration_is_valid_and_says_which_push_it_is() -> None:
    import tomllib

    from central.service import validate_config

    config = tomllib.loads(pushed_config(7))
    validate_config(config)
    assert config["notices"][-1]["en"] == "soak push 7"
    assert all(m["hours"]["days"] == [1, 2, 3, 4, 5, 6, 7] for m in config["matters"])
    assert config["timeouts"]["idle_s"] != tomllib.loads(pushed_config(8))["timeouts"]["idle_s"]
