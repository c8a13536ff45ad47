"""systemd notify without extra packages: READY, STATUS, STOPPING and watchdog pings from the Qt loop.

The pings come from a QTimer in the GUI event loop on purpose: if the UI freezes, the pings stop,
systemd's WatchdogSec runs out and the unit is restarted, not only when the process crashes.
Everything here is best effort: outside systemd (no $NOTIFY_SOCKET) the calls do nothing, and a
send error is logged once and counted, never raised into the UI.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger("kiosk.services.watchdog")


class SystemdNotifier:
    """Sends ``KEY=value`` datagrams to $NOTIFY_SOCKET (a path or an abstract ``@name``)."""

    def __init__(self, address: str | None) -> None:
        self.address = address or None
        self.sent = 0
        self.errors = 0
        self._socket: socket.socket | None = None
        if self.address:
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.setblocking(False)

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> SystemdNotifier:
        return cls((os.environ if env is None else env).get("NOTIFY_SOCKET"))

    @property
    def enabled(self) -> bool:
        return self._socket is not None

    def notify(self, *lines: str) -> bool:
        """Send one message of ``KEY=value`` lines; False (and logged once) when it cannot."""
        if self._socket is None or self.address is None:
            return False
        target = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        try:
            self._socket.sendto("\n".join(lines).encode(), target)
        except OSError as error:
            self.errors += 1
            if self.errors == 1 or self.errors % 100 == 0:
                log.warning("systemd notify to %s failed (%d so far): %s",
                            self.address, self.errors, error)
            return False
        self.sent += 1
        return True

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def ping(self) -> bool:
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text.replace(chr(10), ' ')}")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def watchdog_interval_ms(env: Mapping[str, str] | None = None) -> int | None:
    """Half of $WATCHDOG_USEC in ms, or None when systemd set no watchdog for this process.

    systemd sets WATCHDOG_PID to the unit's main process. Under cage that is cage, our parent
    (the session script execs cage, which starts us), so the parent's pid is accepted too.
    """
    env = os.environ if env is None else env
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    pid = env.get("WATCHDOG_PID", "")
    if usec <= 0 or (pid and pid not in (str(os.getpid()), str(os.getppid()))):
        return None
    return max(1, usec // 2000)


class Watchdog(QObject):
    """Pings systemd from the Qt event loop every ``interval_ms``; ``pinged`` fires after each ping."""

    pinged = Signal(int)  # pings sent so far

    def __init__(self, notifier: SystemdNotifier, interval_ms: int | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.notifier = notifier
        self.interval_ms = interval_ms
        self.pings = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.ping)
        if interval_ms:
            self._timer.setInterval(interval_ms)

    @classmethod
    def from_environment(cls, parent: QObject | None = None,
                         env: Mapping[str, str] | None = None) -> Watchdog:
        return cls(SystemdNotifier.from_environment(env), watchdog_interval_ms(env), parent)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self, status: str = "running") -> None:
        """Tell systemd we are up (call once the window is shown) and start pinging if asked to."""
        self.notifier.ready(status)
        if self.interval_ms and self.notifier.enabled:
            log.info("systemd watchdog: pinging every %d ms", self.interval_ms)
            self.ping()
            self._timer.start()

    def ping(self) -> None:
        if self.notifier.ping():
            self.pings += 1
            self.pinged.emit(self.pings)

    def stop(self, status: str = "stopping") -> None:
        """Stop pinging and tell systemd the exit is deliberate (call on SIGTERM / quit)."""
        self._timer.stop()
        self.notifier.status(status)
        self.notifier.stopping()
        self.notifier.close()
