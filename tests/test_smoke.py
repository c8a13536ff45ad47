"""`main.py --simulate --smoke`: the whole kiosk starts on its embedded default and shows home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_simulated_kiosk_starts_and_reports_startup(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text((ROOT / "kiosk.toml").read_text(encoding="utf-8").replace(
        'data_dir = "var"', f'data_dir = "{tmp_path / "var"}"'), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--config", str(config), "--simulate", "--smoke"],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, result.stdout
    figures = json.loads(lines[0])
    assert set(figures) == {"startup_ms", "rss_mb", "cpu_ms"}
    assert figures["startup_ms"] > 0 and figures["rss_mb"] > 10 and figures["cpu_ms"] > 0
    assert "Traceback" not in result.stderr
    assert "simulated centre at http://127.0.0.1:" in result.stderr


def test_sigterm_stops_the_kiosk_cleanly_with_its_simulated_centre(tmp_path: Path) -> None:
    import signal
    import time

    config = tmp_path / "kiosk.toml"
    config.write_text((ROOT / "kiosk.toml").read_text(encoding="utf-8").replace(
        'data_dir = "var"', f'data_dir = "{tmp_path / "var"}"'), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    kiosk = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--config", str(config), "--simulate"],
        stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        seen = ""
        deadline = time.monotonic() + 60
        while "services started" not in seen and time.monotonic() < deadline:
            seen += kiosk.stderr.readline()
        assert "services started" in seen, seen[-2000:]
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(30) == 0
        rest = kiosk.stderr.read()
        assert "received SIGTERM, shutting down" in rest and "Traceback" not in rest
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
        kiosk.stderr.close()
    # The local centre went down with the kiosk.
    leftover = subprocess.run(["pgrep", "-f", str(tmp_path / "var" / "sim" / "central.db")],
                              capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


def test_on_a_real_x_display_the_kiosk_starts_its_services_once(tmp_path: Path) -> None:
    """The offscreen platform renders on the GUI thread; a real display renders on its own
    thread and delivers frames queued. The kiosk once started every service twice there (two
    readers on one port), which no offscreen test could see. Xvfb is a real X server."""
    import shutil

    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (.ci/setup installs it)")
    config = tmp_path / "kiosk.toml"
    config.write_text((ROOT / "kiosk.toml").read_text(encoding="utf-8").replace(
        'data_dir = "var"', f'data_dir = "{tmp_path / "var"}"'), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1080x1920x24", sys.executable, str(ROOT / "main.py"),
         "--config", str(config), "--simulate", "--smoke"],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert [line for line in result.stdout.splitlines() if line.startswith("{")] != []
    assert result.stderr.count("services started") == 1, result.stderr[-3000:]
    assert result.stderr.count("reader connected") == 1
    assert "Failed to disconnect" not in result.stderr and "Traceback" not in result.stderr


def test_a_second_kiosk_on_the_same_data_folder_refuses_to_start(tmp_path: Path) -> None:
    """Issue 7: one instance at a time. The second says why in one line and opens nothing."""
    import time

    config = tmp_path / "kiosk.toml"
    config.write_text((ROOT / "kiosk.toml").read_text(encoding="utf-8").replace(
        'data_dir = "var"', f'data_dir = "{tmp_path / "var"}"'), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, str(ROOT / "main.py"), "--config", str(config), "--simulate"]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        seen, deadline = "", time.monotonic() + 60
        while "services started" not in seen and time.monotonic() < deadline:
            seen += first.stderr.readline()
        assert "services started" in seen, seen[-2000:]
        second = subprocess.run([*command, "--smoke"], capture_output=True, text=True,
                                timeout=60, env=env, cwd=tmp_path)
        assert second.returncode == 3
        assert second.stderr.strip().splitlines() == [
            f"kiosk: another kiosk is already running (pid {first.pid}); "
            f"lock file {tmp_path / 'var' / 'kiosk.lock'}"]
        assert first.poll() is None  # the first one runs on, undisturbed
    finally:
        first.terminate()
        first.wait(30)
        first.stderr.close()
