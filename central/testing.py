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
from typing import IO, TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.app import create_app
from central.db import Database
from central.edge import EdgeSettings, uvicorn_options
from central.limits import RateLimits
from central.publishing import publish_config, read_config
from central.service import CentralService
from hall.calendar import HallCalendar
from hall.signing import generate_private_key, public_key_b64

if TYPE_CHECKING:
    import subprocess

DEMO_CONFIG = Path(__file__).with_name("demo_config.toml")
HALL_TZ = ZoneInfo("Asia/Shanghai")


class Clock:
    """A settable wall clock; defaults to a Tuesday 10:00 in the hall, when windows are open."""

    def __init__(self, when: dt.datetime | None = None) -> None:
        self.when = when or dt.datetime(2026, 11, 24, 10, 0, tzinfo=HALL_TZ)
        self.frozen = True
        self._running_since: float | None = None

    def set(self, when: dt.datetime) -> None:
        self.when = when
        self._running_since = None

    def run_from(self, when: dt.datetime) -> None:
        """Tick in real time from ``when`` (a timer in the centre sees its moment come)."""
        self.when = when
        self._running_since = time.monotonic()

    def __call__(self) -> dt.datetime:
        if not self.frozen:
            return dt.datetime.now(dt.UTC)
        if self._running_since is None:
            return self.when
        return self.when + dt.timedelta(seconds=time.monotonic() - self._running_since)


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
                   tls: tuple[str, str] | None = None, limits: RateLimits | None = None,
                   edge: EdgeSettings | None = None) -> Iterator[RunningCentre]:
    """Start the real app on 127.0.0.1:<free port>; stop it (and its streams) on exit.

    ``tls`` = (certificate file, key file) serves HTTPS instead of HTTP. ``limits`` and
    ``edge`` default to what ``central serve`` uses.
    """
    clock = clock or Clock()
    edge = edge or EdgeSettings()
    db = Database(database)
    service = CentralService(db, clock=clock, calendar=calendar, limits=limits)
    key = generate_private_key()
    publish_config(service, config if config is not None else demo_config(), key)
    kiosk_token = service.add_kiosk(kiosk_id)
    staff_token = service.set_staff_token()
    app = create_app(service, ping_s=ping_s, poll_s=0.2, edge=edge)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error",
                                           access_log=False, timeout_graceful_shutdown=1,
                                           lifespan="on",
                                           ssl_certfile=tls[0] if tls else None,
                                           ssl_keyfile=tls[1] if tls else None,
                                           **uvicorn_options(edge)))
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


class ThrowawayPostgres:
    """A private PostgreSQL server for tests and benchmarks, from Debian's installed binaries.

    ``initdb`` and ``pg_ctl`` refuse to run as root (CI runs as root), so as root they run as
    ``nobody`` through ``setpriv`` in a temp dir owned by it. The server listens on a free
    TCP port on 127.0.0.1 (trust authentication, nobody else can reach it) and is stopped and
    deleted by :meth:`stop`. ``durable=False`` turns fsync off: fine for tests, not for
    figures meant to compare with a real installation.
    """

    def __init__(self, *, durable: bool = False, max_connections: int = 300) -> None:
        import glob
        import os
        import shutil
        import socket
        import subprocess
        import tempfile

        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = Path(bins[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="central-pg-"))
        self._rmtree = shutil.rmtree
        self._run_as: list[str] = []
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o755)
            os.chown(self.dir, 65534, 65534)
            self._run_as = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.data = self.dir / "data"
        self._subprocess = subprocess
        self._pg(["initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-locale", "--no-sync"])
        options = [f"-p {self.port}", "-h 127.0.0.1", f"-k {self.dir}",
                   f"-c max_connections={max_connections}", "-c shared_buffers=64MB"]
        if not durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._pg(["pg_ctl", "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w",
                  "-t", "60", "-o", " ".join(options), "start"])
        self._counter = 0

    def _pg(self, argv: list[str]) -> None:
        result = self._subprocess.run([*self._run_as, str(self.bin / argv[0]), *argv[1:]],
                                      capture_output=True, text=True, timeout=120,
                                      cwd=self.dir)
        if result.returncode:
            raise RuntimeError(f"{argv[0]} failed: {result.stdout[-800:]}{result.stderr[-800:]}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def admin(self, sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    def create_database(self, prefix: str = "central") -> str:
        """A fresh empty database; returns its URL."""
        self._counter += 1
        name = f"{prefix}_{self._counter}_{time.monotonic_ns() % 10**9}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def connections(self, url: str) -> int:
        """Client connections open to ``url``'s database now (pg_stat_activity)."""
        name = url.rsplit("/", 1)[1]
        rows = self.admin("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                          f"'{name}' AND backend_type = 'client backend'")
        return int(rows[0][0])

    def stop(self) -> None:
        try:
            self._pg(["pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        finally:
            self._rmtree(self.dir, ignore_errors=True)


@dataclass
class ServeProcess:
    """One ``python -m central serve`` process (an "instance") and the URL it announced."""

    proc: subprocess.Popen[str]
    url: str

    def stop(self, kill: bool = False) -> None:
        if self.proc.poll() is None:
            (self.proc.kill if kill else self.proc.terminate)()
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait(timeout=10)


def serve_processes(database: str, count: int, *, extra: list[str] | None = None,
                    timeout_s: float = 60.0) -> list[ServeProcess]:
    """Start ``count`` instances on one database at the same moment; wait for each URL."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "central", "serve", "--port", "0", "--database", database,
         *(extra or [])], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        env=env, cwd=root) for _ in range(count)]
    out = []
    deadline = time.monotonic() + timeout_s
    for proc in procs:
        lines = []
        while time.monotonic() < deadline:
            line = proc.stderr.readline() if proc.stderr else ""
            if not line:
                break
            lines.append(line)
            if line.startswith("central: serving "):
                out.append(ServeProcess(proc, line.split()[2]))
                break
        else:
            line = ""
        if len(out) != procs.index(proc) + 1:
            for p in procs:
                p.kill()
                p.wait(timeout=10)
                if p.stderr is not None:
                    p.stderr.close()
            raise RuntimeError("an instance did not start: " + "".join(lines)[-2000:])
    for instance in out:  # keep reading stderr so a chatty instance never blocks on a pipe
        threading.Thread(target=_drain, args=(instance.proc.stderr,), daemon=True).start()
    return out


def _drain(stream: IO[str]) -> None:
    """Read an instance's stderr to its end (the instance stopped), then close the pipe."""
    with stream:
        for _line in stream:
            pass
