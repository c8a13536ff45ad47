"""Watchdog pings reach a real notify socket while the Qt loop runs, and stop while it is blocked."""

from __future__ import annotations

import os
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from kiosk.services.watchdog import SystemdNotifier, Watchdog, watchdog_interval_ms


class FakeSystemd:
    """The receiving end of $NOTIFY_SOCKET: a real AF_UNIX datagram socket."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind("\0" + address[1:] if address.startswith("@") else address)
        self.sock.setblocking(False)

    def drain(self) -> list[str]:
        messages = []
        while True:
            try:
                messages.append(self.sock.recv(4096).decode())
            except BlockingIOError:
                return messages


@pytest.fixture
def systemd() -> Iterator[FakeSystemd]:
    with tempfile.TemporaryDirectory(prefix="sd") as folder:  # short path: AF_UNIX limit
        fake = FakeSystemd(str(Path(folder) / "notify"))
        yield fake
        fake.sock.close()


def test_pings_arrive_while_the_loop_runs_stop_while_blocked_and_resume(qtbot, systemd) -> None:
    env = {"NOTIFY_SOCKET": systemd.address, "WATCHDOG_USEC": "40000", "WATCHDOG_PID": str(os.getpid())}
    watchdog = Watchdog.from_environment(env=env)
    assert watchdog.interval_ms == 20
    watchdog.start("home screen shown")
    qtbot.waitUntil(lambda: watchdog.pings >= 3, timeout=5000)
    first = systemd.drain()
    assert first[0] == "READY=1\nSTATUS=home screen shown"
    assert first.count("WATCHDOG=1") >= 3

    during_block: list[str] = []

    def frozen_ui() -> None:  # a slot that hangs the event loop, as a frozen screen would
        systemd.drain()
        time.sleep(0.4)
        during_block.extend(systemd.drain())
        blocked_done.append(True)

    blocked_done: list[bool] = []
    QTimer.singleShot(0, frozen_ui)
    qtbot.waitUntil(lambda: bool(blocked_done), timeout=5000)
    assert during_block == [], "pings kept coming while the event loop was blocked"

    pings_after_block = watchdog.pings
    qtbot.waitUntil(lambda: watchdog.pings >= pings_after_block + 2, timeout=5000)
    assert "WATCHDOG=1" in systemd.drain()

    watchdog.stop("bye")
    assert systemd.drain() == ["STATUS=bye", "STOPPING=1"]
    assert not watchdog.active


def test_abstract_notify_sockets_work(systemd) -> None:
    name = f"@hall-kiosk-test-{os.getpid()}"
    abstract = FakeSystemd(name)
    try:
        notifier = SystemdNotifier(name)
        assert notifier.ping() and notifier.status("line\nbreak")
        assert abstract.drain() == ["WATCHDOG=1", "STATUS=line break"]
        notifier.close()
    finally:
        abstract.sock.close()


def test_outside_systemd_nothing_is_sent_and_nothing_breaks(qtbot) -> None:
    watchdog = Watchdog.from_environment(env={})
    watchdog.start()
    assert not watchdog.active and watchdog.pings == 0
    watchdog.stop()


def test_a_vanished_socket_is_counted_not_raised(systemd) -> None:
    notifier = SystemdNotifier(systemd.address)
    os.unlink(systemd.address)
    assert not notifier.ping() and not notifier.ping()
    assert notifier.errors == 2
    notifier.close()


@pytest.mark.parametrize(("env", "expected"), [
    ({"WATCHDOG_USEC": "30000000"}, 15000),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getppid())}, 15000),  # cage is our parent
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),  # meant for another process
    ({"WATCHDOG_USEC": "soon"}, None),
    ({}, None),
])
def test_the_ping_interval_is_half_the_watchdog_timeout(env, expected) -> None:
    if env.get("WATCHDOG_PID") == "1" and os.getppid() == 1:
        pytest.skip("running as a child of pid 1")
    assert watchdog_interval_ms(env) == expected
