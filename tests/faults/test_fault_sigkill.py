"""The kiosk killed with SIGKILL at random moments and restarted by its supervisor.

The real kiosk (``main.py --config``, offscreen) runs as a child of a small supervisor that does
what the deploy unit does (deploy/hall-kiosk.service: ``Restart=always``, ``Type=notify``,
``WatchdogSec``): it restarts the process whenever it dies, and listens on $NOTIFY_SOCKET for
READY=1 and the watchdog pings the app sends from its Qt event loop. The work in flight is real:
the kiosk's outbox database is filled beforehand with citizens' reports (written by the outbox
itself, as a crashed kiosk leaves them), and the relay holds each of the centre's answers back
a moment, so the kills land between "the centre stored it" and "the kiosk marked it sent" --
the moment a report could be doubled -- and also in the middle of start-up.

Checked: every report is in the centre's database exactly once, and after the last kill the
kiosk is up again by itself (READY=1, watchdog pings from a running UI loop, nothing pending).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.services.outbox import Outbox
from kiosk.simulation import ROOT
from tests.faults.wire import CentreProcess, CentreRecords, FaultProxy

REPORTS = 8
SEED = 8
MARK = "断电重启测试"


class Supervisor:
    """Restart=always for one command, with a systemd-style notify socket."""

    def __init__(self, command: list[str], env: dict[str, str], logs: Path,
                 restart_s: float = 0.3) -> None:
        self.command = command
        self.logs = logs
        self.restart_s = restart_s
        self.address = f"@hall-kiosk-faults-{os.getpid()}-{id(self)}"
        self.env = {**env, "NOTIFY_SOCKET": self.address, "WATCHDOG_USEC": "1000000"}
        self.processes: list[subprocess.Popen[bytes]] = []
        self.messages: list[tuple[int, str]] = []  # (incarnation, "READY=1" ...)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind("\0" + self.address[1:])
        self._socket.settimeout(0.2)
        threading.Thread(target=self._listen, daemon=True).start()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def current(self) -> subprocess.Popen[bytes]:
        with self._lock:
            return self.processes[-1]

    @property
    def incarnation(self) -> int:
        with self._lock:
            return len(self.processes) - 1

    def said(self, incarnation: int, message: str) -> int:
        with self._lock:
            return sum(1 for n, text in self.messages if n == incarnation and message in text)

    def _listen(self) -> None:
        while not self._stopping.is_set():
            try:
                data = self._socket.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.messages.append((len(self.processes) - 1, data.decode(errors="replace")))

    def _run(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                number = len(self.processes)
                log = open(self.logs / f"kiosk-{number}.log", "wb")  # noqa: SIM115
                process = subprocess.Popen(self.command, cwd=ROOT, env=self.env,
                                           stdout=log, stderr=subprocess.STDOUT)
                self.processes.append(process)
            process.wait()
            log.close()
            if self._stopping.wait(self.restart_s):  # RestartSec
                return

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed, the supervisor restarts it."""
        process = self.current
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self.incarnation == self.processes.index(process) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> int | None:
        self._stopping.set()
        process = self.current
        if process.poll() is None:
            process.terminate()  # what systemctl stop sends
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self._thread.join(5)
        self._socket.close()
        return process.returncode


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[tuple[CentreProcess, FaultProxy]]:
    process = CentreProcess(tmp_path / "centre")
    process.start_demo()
    proxy = FaultProxy(process.port)
    try:
        yield process, proxy
    finally:
        proxy.close()
        process.stop()


def write_settings(path: Path, data_dir: Path, proxy: FaultProxy, info: dict[str, str]) -> None:
    path.write_text(f"""
[kiosk]
id = "{info['kiosk_id']}"
data_dir = "{data_dir}"

[display]
fullscreen = false
width = 540
height = 960
diagonal_inches = 10.75

[central]
url = "{proxy.url}"
token = "{info['kiosk_token']}"
public_key = "{info['public_key']}"

[reader]
enabled = false

[printer]
enabled = false
""", encoding="utf-8")


def fill_outbox(data_dir: Path) -> None:
    """Reports citizens submitted before the power went: on disk, not yet delivered."""
    outbox = Outbox(data_dir / "outbox.sqlite3")  # no sender: nothing leaves from here
    for number in range(REPORTS):
        outbox.put("report", {"matter_id": "marriage-reg", "situation": "repeated_visits",
                              "description": f"{MARK} #{number}", "phone": "13812345678",
                              "language": "zh"})
    outbox.close()


def outbox_pending(data_dir: Path) -> int:
    conn = sqlite3.connect(f"file:{data_dir / 'outbox.sqlite3'}?mode=ro", uri=True, timeout=10)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM items WHERE status = 'pending'")
                   .fetchone()[0])
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_doubles_no_report_and_the_kiosk_comes_back(
        centre: tuple[CentreProcess, FaultProxy], tmp_path: Path) -> None:
    process, proxy = centre
    records = CentreRecords(process.database)
    rng = random.Random(SEED)
    data_dir = tmp_path / "var"
    fill_outbox(data_dir)
    settings = tmp_path / "kiosk.toml"
    write_settings(settings, data_dir, proxy, process.info)
    proxy.response_delay_s = 0.5  # the centre's answers take a moment to come back
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_CONTROLS_STYLE": "Basic"}
    supervisor = Supervisor([sys.executable, "main.py", "--config", str(settings)], env,
                            tmp_path)
    try:
        # 1. Killed while starting up, before it is ready.
        time.sleep(rng.uniform(0.3, 1.5))
        supervisor.kill()
        # 2. Killed twice while a report is in flight: the centre has it, the kiosk is waiting
        #    for the answer (or has just got it) and has not marked it sent.
        for _ in range(2):
            incarnation = supervisor.incarnation
            posts = proxy.count("POST /v1/reports")
            wait_for(lambda n=incarnation: supervisor.said(n, "READY=1") > 0, 60, "READY=1")
            wait_for(lambda n=posts: proxy.count("POST /v1/reports") > n, 30, "a report sent")
            time.sleep(rng.uniform(0.05, 0.45))
            supervisor.kill()
        last = supervisor.incarnation

        # It comes back by itself and finishes the work.
        wait_for(lambda: supervisor.said(last, "READY=1") > 0, 60, "READY=1 after the kills")
        wait_for(lambda: outbox_pending(data_dir) == 0, 60, "the outbox to empty")
        # The UI loop runs: the watchdog keeps being pinged from it.
        pings = supervisor.said(last, "WATCHDOG=1")
        wait_for(lambda: supervisor.said(last, "WATCHDOG=1") >= pings + 2, 20, "watchdog pings")
        assert supervisor.current.poll() is None
    finally:
        code = supervisor.stop()

    print({"posts": proxy.count("POST /v1/reports"), "reports": REPORTS,
           "ready": [supervisor.said(n, "READY=1") for n in range(len(supervisor.processes))]})
    delivered = [d for d in records.descriptions() if d.startswith(MARK)]
    assert sorted(delivered) == sorted(f"{MARK} #{n}" for n in range(REPORTS)), \
        "a report was lost or doubled"
    # The kills did land with work in flight: some reports had to be sent again.
    assert proxy.count("POST /v1/reports") > REPORTS
    assert len(supervisor.processes) == 4
    assert code == 0  # and the last one, asked to stop, stopped cleanly
    log = (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8", errors="replace")
    assert log.count("services started") >= 3  # every restart reached the home screen
