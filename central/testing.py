"""A real reference centre on 127.0.0.1 for tests and benchmarks: uvicorn in a thread, port 0.

Tests across the project use :func:`running_centre` so every client test talks HTTP to the real
server over a real socket, with a SQLite file under the test's tmp dir and a clock the test
controls (numbers, opening hours and promised dates depend on the hall's local time).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.app import create_app
from central.calendar import HallCalendar
from central.db import Database
from central.publishing import publish_config, read_config
from central.service import CentralService
from kiosk.services.signing import generate_private_key, public_key_b64

DEMO_CONFIG = Path(__file__).with_name("demo_config.toml")
HALL_TZ = ZoneInfo("Asia/Shanghai")


class Clock:
    """A settable wall clock; defaults to a Tuesday 10:00 in the hall, when windows are open."""

    def __init__(self, when: dt.datetime | None = None) -> None:
        self.when = when or dt.datetime(2026, 11, 24, 10, 0, tzinfo=HALL_TZ)
        self.frozen = True

    def set(self, when: dt.datetime) -> None:
        self.when = when

    def __call__(self) -> dt.datetime:
        return self.when if self.frozen else dt.datetime.now(dt.UTC)


@dataclass
class RunningCentre:
    url: str
    service: CentralService
    clock: Clock
    key: Ed25519PrivateKey
    kiosk_id: str
    kiosk_token: str
    staff_token: str
    database: str
    server: uvicorn.Server = field(repr=False)

    @property
    def public_key(self) -> str:
        return public_key_b64(self.key)

    def publish(self, config: dict[str, Any]) -> dict[str, Any]:
        return publish_config(self.service, config, self.key)

    def staff_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.staff_token}"}

    def kiosk_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.kiosk_token}"}


def demo_config() -> dict[str, Any]:
    return read_config(DEMO_CONFIG)


@contextmanager
def running_centre(database: str | Path, *, clock: Clock | None = None,
                   config: dict[str, Any] | None = None, kiosk_id: str = "kiosk-01",
                   ping_s: float = 15.0, calendar: HallCalendar | None = None,
                   tls: tuple[str, str] | None = None) -> Iterator[RunningCentre]:
    """Start the real app on 127.0.0.1:<free port>; stop it (and its streams) on exit.

    ``tls`` = (certificate file, key file) serves HTTPS instead of HTTP.
    """
    clock = clock or Clock()
    db = Database(database)
    service = CentralService(db, clock=clock, calendar=calendar)
    key = generate_private_key()
    publish_config(service, config if config is not None else demo_config(), key)
    kiosk_token = service.add_kiosk(kiosk_id)
    staff_token = service.set_staff_token()
    app = create_app(service, ping_s=ping_s, poll_s=0.2)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error",
                                           access_log=False, timeout_graceful_shutdown=1,
                                           lifespan="on",
                                           ssl_certfile=tls[0] if tls else None,
                                           ssl_keyfile=tls[1] if tls else None))
    thread = threading.Thread(target=server.run, name="central-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test centre did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        scheme = "https" if tls else "http"
        yield RunningCentre(f"{scheme}://127.0.0.1:{port}", service, clock, key, kiosk_id,
                            kiosk_token, staff_token, str(database), server)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        db.close()
