"""Faults on the real wire between the kiosk and the centre, and the centre's own records.

``FaultProxy`` is a TCP relay on 127.0.0.1 the kiosk is pointed at instead of the centre. In
``pass`` mode it relays bytes both ways (keep-alive, the event stream, everything); the other
modes are what a broken centre or network does to real HTTP: ``http500`` answers every request
with a 500 page, ``garbage`` answers 200 with a body that is not the contract, ``slow`` sends
the request on at once and holds the centre's answer back for ``slow_s`` seconds. Changing mode
cuts every open connection, as a network fault does, so no keep-alive socket slips past it.
With ``tls`` set the relay terminates TLS with that certificate (an untrusted one is the TLS
fault; swapping in the hall's is the fix).

``CentreRecords`` reads the centre's SQLite database directly: what is recorded there is what
was delivered, whatever the kiosk believes.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

from kiosk.simulation import ROOT

MODES = ("pass", "http500", "garbage", "slow")

_ERROR_PAGE = (b"<html><body><h1>500 Internal Server Error</h1>nginx</body></html>")
_GARBAGE = b"<html>\xe7\xbd\x91\xe7\xbb\x9c\xe7\xbb\xb4\xe6\x8a\xa4\xe4\xb8\xad{\"ticket\": [1, 2"


def _http_answer(status: str, body: bytes, content_type: str) -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


class FaultProxy:
    """A relay in front of the centre that can be told to fail the way real centres fail."""

    def __init__(self, upstream_port: int, *, slow_s: float = 10.0) -> None:
        self.upstream_port = upstream_port
        self.slow_s = slow_s
        self.mode = "pass"
        self.response_delay_s = 0.0  # in pass mode too: answers held back this long
        self.tls: ssl.SSLContext | None = None
        self.requests: list[str] = []  # request lines seen ("POST /v1/reports")
        self.relayed = 0  # pieces of answers passed on to the kiosk since the last mode change
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._stop = threading.Event()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, name="fault-proxy", daemon=True).start()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def set_mode(self, mode: str) -> None:
        """Fail (or stop failing) from now on; connections open now are cut."""
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self.cut()
        self.relayed = 0

    def cut(self) -> None:
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def count(self, request_line: str) -> int:
        with self._lock:
            return sum(1 for line in self.requests if line.startswith(request_line))

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self.cut()

    # -- relay -----------------------------------------------------------------------------
    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(None)
        if self.tls is not None:
            try:
                client = self.tls.wrap_socket(client, server_side=True)
            except (ssl.SSLError, OSError):  # the kiosk refused our certificate
                with contextlib.suppress(OSError):
                    client.close()
                return
        self._track(client)
        mode = self.mode
        if mode in ("http500", "garbage"):
            self._answer_badly(client, mode)
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=2)
        except OSError:  # the centre is down: the connection dies without an answer
            with contextlib.suppress(OSError):
                client.close()
            return
        upstream.settimeout(None)
        self._track(upstream)
        last_request = [time.monotonic()]
        delay = self.slow_s if mode == "slow" else None
        threading.Thread(target=self._pipe_requests, args=(client, upstream, last_request),
                         daemon=True).start()
        self._pipe_answers(upstream, client, last_request, delay)

    def _record(self, data: bytes) -> None:
        for line in data.split(b"\r\n"):
            head = line.split(b" ")
            if len(head) == 3 and head[2].startswith(b"HTTP/1.") and head[0].isupper():
                with self._lock:
                    self.requests.append(f"{head[0].decode()} {head[1].decode()}")

    def _pipe_requests(self, source: socket.socket, target: socket.socket,
                       last_request: list[float]) -> None:
        try:
            while data := source.recv(65536):
                last_request[0] = time.monotonic()
                self._record(data)
                target.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)

    def _pipe_answers(self, source: socket.socket, target: socket.socket,
                      last_request: list[float], delay: float | None) -> None:
        try:
            while data := source.recv(65536):
                hold = delay if delay is not None else self.response_delay_s
                wait = last_request[0] + hold - time.monotonic()
                if wait > 0 and self._stop.wait(wait):
                    return
                target.sendall(data)
                self.relayed += 1
        except OSError:
            pass
        finally:
            # shutdown, not only close: the other pipe thread is blocked in recv() on these.
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()

    def _answer_badly(self, client: socket.socket, mode: str) -> None:
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = client.recv(65536)
                if not chunk:
                    return
                data += chunk
            self._record(data)
            if mode == "http500":
                client.sendall(_http_answer("500 Internal Server Error", _ERROR_PAGE,
                                            "text/html"))
            else:
                client.sendall(_http_answer("200 OK", _GARBAGE, "application/json"))
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                client.close()


class CentreProcess:
    """The reference centre as its own process on a fixed port, stopped and started at will."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.database = workdir / "central.db"
        self.process: subprocess.Popen[str] | None = None
        self.info: dict[str, str] = {}
        self.port = 0

    def start_demo(self) -> dict[str, str]:
        """First start: seed the demo hall (every matter open at any hour), keep its tokens."""
        line = self._run(["--demo", "--open-all-hours", "--port", "0"], stream="stdout")
        self.info = json.loads(line)
        self.port = int(self.info["url"].rsplit(":", 1)[1])
        return self.info

    def restart(self) -> None:
        """Start again on the same port and database (tokens and records kept)."""
        self._run(["--port", str(self.port)], stream="stderr")

    def _run(self, extra: list[str], *, stream: str) -> str:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--host", "127.0.0.1",
             "--database", str(self.database), *extra], cwd=ROOT, text=True,
            stdout=subprocess.PIPE if stream == "stdout" else subprocess.DEVNULL,
            stderr=subprocess.PIPE if stream == "stderr" else subprocess.DEVNULL)
        pipe = self.process.stdout if stream == "stdout" else self.process.stderr
        assert pipe is not None
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(pipe.readline()), daemon=True)
        reader.start()
        reader.join(30)
        if not line or not line[0].strip() or "http://" not in line[0]:
            self.stop()
            raise RuntimeError(f"the centre did not start: {line!r}")
        return line[0]

    def stop(self) -> None:
        """The centre goes down (a clean stop; a dead process looks the same on the wire)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe:
                pipe.close()
        self.process = None


class CentreRecords:
    """Counts straight from the centre's database file (read-only)."""

    def __init__(self, database: Path) -> None:
        self.database = database

    def _rows(self, sql: str, *args: object) -> list[tuple]:
        conn = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def count(self, table: str) -> int:
        assert table in {"reports", "evaluations", "help_calls", "tickets"}
        return int(self._rows(f"SELECT COUNT(*) FROM {table}")[0][0])

    def reports_with(self, text: str) -> list[str]:
        """Tracking numbers of the reports whose description contains ``text``."""
        return [r[0] for r in self._rows(
            "SELECT tracking_no FROM reports WHERE description LIKE ?", f"%{text}%")]

    def descriptions(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT description FROM reports")]
