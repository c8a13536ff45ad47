"""Only one kiosk runs at a time, and a killed kiosk does not leave the next one locked out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.services.instance_lock import AlreadyRunning, InstanceLock

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time
from kiosk.services.instance_lock import InstanceLock
InstanceLock(sys.argv[1]).acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_a_second_instance_gets_a_clear_error_and_the_first_keeps_running(tmp_path: Path) -> None:
    path = tmp_path / "var" / "kiosk.lock"
    with InstanceLock(path) as first:
        assert first.held
        with pytest.raises(AlreadyRunning, match=rf"already running \(pid {os.getpid()}\).*kiosk.lock"):
            InstanceLock(path).acquire()
        assert first.held
    with InstanceLock(path) as again:  # released on exit
        assert again.held


def test_the_lock_frees_when_the_holder_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning, match=f"pid {holder.pid}"):
            InstanceLock(path).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        lock = InstanceLock(path).acquire()
        assert lock.held
        assert path.read_text().strip() == str(os.getpid())
        lock.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
