"""The centre's edge: bodies refused before they are read, slow and idle clients cut off,
heartbeats of a fixed size, rate limits, and tracking numbers that cannot be guessed.

The memory and idle-connection tests run ``python -m central serve`` as a real process on
127.0.0.1 and read its resident memory with psutil, the rest the in-process test server.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
import requests

from central.edge import EdgeSettings
from central.limits import RateLimits
from central.testing import running_centre

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
REPORT = {"matter_id": "marriage-reg", "situation": "not_accepted",
          "description": "材料齐全但窗口不予受理", "phone": "13800138000"}


# -- helpers ---------------------------------------------------------------------------------
def raise_fd_limit(wanted: int) -> None:
    """This process (and the server it starts) may open ``wanted`` files: the usual soft limit
    of 1,024 would stop the test's own client sockets. Root may raise the hard limit too."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new_hard = hard if hard == resource.RLIM_INFINITY else max(hard, wanted)
        with contextlib.suppress(ValueError, OSError):  # not root: the hard limit stays
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, new_hard))
        if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < wanted:
        pytest.skip(f"cannot open {wanted} files here (hard limit {hard})")


@pytest.fixture
def served(tmp_path) -> Iterator[Callable[..., tuple[dict, psutil.Process]]]:
    """`central serve --demo` as its own process; yields its JSON line and the process."""
    def start(*extra: str) -> tuple[dict, psutil.Process]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--demo", "--open-all-hours",
             "--port", "0", "--database", str(tmp_path / "served.db"), *extra],
            stdout=subprocess.PIPE, text=True, cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        procs.append(proc)
        line = json.loads(proc.stdout.readline())
        return line, psutil.Process(proc.pid)

    procs: list[subprocess.Popen] = []
    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()  # the JSON line's pipe (a ResourceWarning otherwise)


def address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def read_status(sock: socket.socket, timeout: float = 10.0) -> tuple[int, bytes]:
    """The status code and whatever arrived with it (b"" and 0 when the server just closed)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        length = re.search(rb"content-length: (\d+)", data, re.I)
        if length:
            while len(data.split(b"\r\n\r\n", 1)[1]) < int(length.group(1)):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    match = re.match(rb"HTTP/1\.1 (\d{3})", data)
    return (int(match.group(1)) if match else 0), data


class PeakRss:
    """Samples a process's resident memory every 5 ms while it runs (a freed buffer would not
    show in a reading taken afterwards)."""

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.peak = process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def push_body(sock: socket.socket, total: int, *, chunked: bool = False) -> int:
    """Send ``total`` bytes of body (as fast as the server takes them); returns bytes sent
    before the server closed the connection."""
    block = b"x" * MB
    sent = 0
    try:
        while sent < total:
            piece = block[: min(MB, total - sent)]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
        if chunked:
            sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    return sent


def fifty_megabytes_at(url: str, headers: str, *, chunked: bool = False
                       ) -> tuple[int, bytes, int]:
    """POST a 50 MB body to /v1/reports; the status, the answer and the bytes the server took."""
    sock = socket.create_connection(address(url))
    framing = ("Transfer-Encoding: chunked" if chunked else f"Content-Length: {50 * MB}")
    sock.sendall((f"POST /v1/reports HTTP/1.1\r\nHost: centre\r\nContent-Type: application/json"
                  f"\r\nIdempotency-Key: {uuid.uuid4().hex}\r\n{headers}{framing}\r\n\r\n")
                 .encode())
    sent: list[int] = []
    pusher = threading.Thread(target=lambda: sent.append(push_body(sock, 50 * MB,
                                                                    chunked=chunked)))
    pusher.start()
    status, answer = read_status(sock, timeout=30)
    with contextlib.suppress(OSError):  # stop the pusher if the server keeps reading
        sock.shutdown(socket.SHUT_RDWR)
    pusher.join(timeout=30)
    sock.close()
    return status, answer, sent[0] if sent else 0


# -- 50 MB without a token -------------------------------------------------------------------
def test_fifty_megabytes_without_a_token_are_refused_before_they_are_read(served):
    line, server = served()
    kiosk = {"Authorization": f"Bearer {line['kiosk_token']}"}
    requests.get(f"{line['url']}/v1/kiosks/{line['kiosk_id']}/config", headers=kiosk,
                 timeout=10).raise_for_status()  # warmed up: first-request allocations done
    before = server.memory_info().rss
    with PeakRss(server) as rss:
        no_token = fifty_megabytes_at(line["url"], "")
        chunked_no_token = fifty_megabytes_at(line["url"], "", chunked=True)
        with_token = fifty_megabytes_at(line["url"], f"Authorization: Bearer "
                                        f"{line['kiosk_token']}\r\n")
        chunked_token = fifty_megabytes_at(line["url"], f"Authorization: Bearer "
                                           f"{line['kiosk_token']}\r\n", chunked=True)
    growth_mb = (rss.peak - before) / MB
    print(f"\nserver RSS before {before / MB:.1f} MB, peak {rss.peak / MB:.1f} MB "
          f"(+{growth_mb:.1f} MB) over four 50 MB bodies")
    assert no_token[0] == 401 and b'"auth.missing"' in no_token[1]
    assert chunked_no_token[0] == 401
    assert with_token[0] == 413 and b'"request.too_large"' in with_token[1]
    assert chunked_token[0] == 413 and b'"request.too_large"' in chunked_token[1]
    assert growth_mb < 20, f"server memory grew by {growth_mb:.1f} MB"
    # The server is fine afterwards.
    assert requests.get(f"{line['url']}/v1/kiosks/{line['kiosk_id']}/config", headers=kiosk,
                        timeout=10).status_code == 200


# -- 1,000 idle half-open connections --------------------------------------------------------
def test_a_thousand_idle_half_open_connections_do_not_stop_the_kiosks(served):
    raise_fd_limit(1200)
    header_timeout = 8.0  # long enough to open 1,000 connections on a busy CI machine
    line, server = served("--header-timeout", str(header_timeout))
    host, port = address(line["url"])
    idle: list[socket.socket] = []
    opened = time.monotonic()
    try:
        for i in range(1000):
            sock = socket.create_connection((host, port), timeout=10)
            if i % 2:  # half say nothing, half start a request and never finish its headers
                sock.sendall(b"POST /v1/tickets HTTP/1.1\r\nHost: centre\r\nContent-Le")
            idle.append(sock)
        deadline = time.monotonic() + 3
        while len(server.net_connections(kind="tcp")) < 1000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(server.net_connections(kind="tcp")) >= 1000  # the server holds them all
        latencies = []
        with requests.Session() as kiosk:
            kiosk.headers["Authorization"] = f"Bearer {line['kiosk_token']}"
            for i in range(10):
                start = time.monotonic()
                if i % 2:
                    r = kiosk.get(f"{line['url']}/v1/kiosks/{line['kiosk_id']}/config",
                                  timeout=5)
                else:
                    r = kiosk.post(f"{line['url']}/v1/tickets", json={"matter_id": "birth-cert"},
                                   headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=5)
                latencies.append(time.monotonic() - start)
                assert r.status_code in (200, 201), r.text
        busy_for = time.monotonic() - opened
        print(f"\n1,000 idle connections: kiosk requests answered in max "
              f"{max(latencies) * 1000:.0f} ms (median {sorted(latencies)[5] * 1000:.0f} ms)")
        assert max(latencies) < 1.0
        assert busy_for < header_timeout, "too slow to show the kiosks were served meanwhile"
        # The header timeout then cuts every one of them off.
        time.sleep(max(0.0, header_timeout + 2.0 - (time.monotonic() - opened)))
        answers = [read_status(sock, timeout=5) for sock in idle]
        assert all(status in (0, 408) for status, _ in answers)
        assert sum(status == 408 for status, _ in answers) >= 500
        deadline = time.monotonic() + 5
        while len(server.net_connections(kind="tcp")) > 20 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(server.net_connections(kind="tcp")) <= 20
    finally:
        for sock in idle:
            sock.close()


# -- header and body timeouts, sizes ---------------------------------------------------------
@pytest.fixture
def quick(tmp_path, clock) -> Iterator:
    edge = EdgeSettings(header_timeout_s=0.5, body_timeout_s=0.5, max_header_bytes=4096)
    with running_centre(tmp_path / "central.db", clock=clock, edge=edge) as centre:
        yield centre


def test_headers_must_arrive_in_time_and_in_size(quick):
    with socket.create_connection(address(quick.url)) as slow:
        slow.sendall(b"GET /v1/kiosks HTTP/1.1\r\nHost: centre\r\n")
        start = time.monotonic()
        status, _ = read_status(slow, timeout=5)
        assert status == 408 and time.monotonic() - start < 2.0
        assert slow.recv(10) == b""  # and the connection is closed
    with socket.create_connection(address(quick.url)) as huge:
        huge.sendall(b"GET /v1/kiosks HTTP/1.1\r\nHost: centre\r\nX-Padding: " + b"a" * 8192)
        assert read_status(huge)[0] == 431


def test_a_body_must_arrive_in_time(quick):
    with socket.create_connection(address(quick.url)) as sock:
        sock.sendall(f"POST /v1/help-calls HTTP/1.1\r\nHost: centre\r\nAuthorization: Bearer "
                     f"{quick.kiosk_token}\r\nIdempotency-Key: {uuid.uuid4().hex}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"loc"
                     .encode())
        status, answer = read_status(sock, timeout=5)
    assert status == 408 and b'"request.timeout"' in answer


def test_a_keep_alive_connection_is_reused_across_requests(quick):
    """The header clock restarts per request: one connection carries requests spaced by more
    than the header timeout (idle time between requests is the keep-alive timeout's)."""
    sock = socket.create_connection(address(quick.url))
    request = (f"GET /v1/kiosks/{quick.kiosk_id}/config HTTP/1.1\r\nHost: centre\r\n"
               f"Authorization: Bearer {quick.kiosk_token}\r\n\r\n").encode()
    for _ in range(3):
        sock.sendall(request)
        assert read_status(sock)[0] == 200
        time.sleep(0.8)  # longer than the 0.5 s header timeout, shorter than keep-alive
    sock.close()


def test_requests_in_flight_are_limited_but_event_streams_do_not_count(tmp_path, clock):
    edge = EdgeSettings(max_in_flight=1, body_timeout_s=3.0)
    with running_centre(tmp_path / "c.db", clock=clock, edge=edge) as centre, \
            requests.Session() as kiosk:
        kiosk.headers.update(centre.kiosk_headers())
        config = f"{centre.url}/v1/kiosks/{centre.kiosk_id}/config"
        stream = kiosk.get(f"{centre.url}/v1/kiosks/{centre.kiosk_id}/events", stream=True,
                           timeout=10)
        assert stream.status_code == 200
        assert requests.get(config, headers=centre.kiosk_headers(), timeout=5).status_code == 200
        slow = socket.create_connection(address(centre.url))  # one request, body trickling in
        slow.sendall(f"POST /v1/help-calls HTTP/1.1\r\nHost: centre\r\nAuthorization: Bearer "
                     f"{centre.kiosk_token}\r\nIdempotency-Key: {uuid.uuid4().hex}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
                     .encode())
        time.sleep(0.3)
        busy = requests.get(config, headers=centre.kiosk_headers(), timeout=5)
        assert busy.status_code == 503 and busy.json()["reason"] == "server.busy"
        assert busy.headers["Retry-After"] == "1"
        assert read_status(slow)[0] == 408  # the slow one runs out of time ...
        slow.close()
        assert requests.get(config, headers=centre.kiosk_headers(),  # ... and the slot is free
                            timeout=5).status_code == 200
        stream.close()


# -- heartbeats ------------------------------------------------------------------------------
def test_a_one_megabyte_heartbeat_is_refused(centre, kiosk_http, staff_http):
    url = f"{centre.url}/v1/heartbeats"
    big = kiosk_http.post(url, json={"last_error": "x" * MB})
    assert big.status_code == 413 and big.json()["reason"] == "request.too_large"
    streamed = kiosk_http.post(url, data=iter([b'{"last_error": "', b"x" * MB, b'"}']),
                               headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    unknown = kiosk_http.post(url, json={"photos": ["a" * 100] * 10})
    assert unknown.status_code == 422 and "photos" in unknown.json()["detail"]
    long_field = kiosk_http.post(url, json={"app_version": "9" * 41})
    assert long_field.status_code == 422
    assert staff_http.get(f"{centre.url}/v1/kiosks").json()[0]["heartbeat"] is None


def test_the_kiosks_own_heartbeat_is_accepted(centre, kiosk_http, staff_http):
    """What kiosk.services.heartbeat builds, with every provider the kiosk wires up."""
    from kiosk.services.heartbeat import Heartbeat

    providers = {
        "config_version": lambda: 3,
        "config_rejected": lambda: {"version": 4, "reason": "config.bad_signature"},
        "config_received_at": lambda: "2026-11-24T09:58:00+08:00",
        "devices": lambda: {"reader": {"state": "ok"},
                            "printer": {"state": "paper_near_end", "reason": "printer.paper_low",
                                        "paper_out": False, "paper_near_end": True}},
        "paper": lambda: "near_end",
        "outbox_pending": lambda: 2,
        "outbox_failed": lambda: 0,
        "last_error": lambda: "printer.offline",
        "pin": lambda: {"failed_attempts": 1, "lockouts": 0, "refused_while_locked": 0,
                        "locked": False},
        "disk_free_mb": lambda: 20480,
        "broken": lambda: 1 / 0,  # a provider that fails is sent as null and listed
    }
    beat = Heartbeat(kiosk_id=centre.kiosk_id, app_version="1.4.0", providers=providers,
                     send=lambda _p: None, interval_ms=60_000)
    payload = beat.build_payload()
    payload.pop("broken")  # no such field at the centre: the test provider only shows nulls
    payload["disk_free_mb"] = None
    r = kiosk_http.post(f"{centre.url}/v1/heartbeats", json=payload)
    assert r.status_code == 200, r.text
    seen = staff_http.get(f"{centre.url}/v1/kiosks").json()[0]["heartbeat"]
    assert seen["devices"]["printer"]["paper_near_end"] is True and seen["unavailable"] == [
        "broken"]
    beat.shutdown()


def test_the_largest_heartbeat_the_schema_allows_fits_the_size_limit(centre, kiosk_http):
    """Every field at its bound, free texts in hanzi (6 bytes each as JSON escapes them; names,
    versions and states are ASCII): still under the heartbeat's body limit, so a kiosk never
    loses a beat to the size check."""
    device = {"state": "s" * 40, "reason": "r" * 100, "paper_out": True, "paper_near_end": True}
    beat = {"kiosk_id": centre.kiosk_id, "sequence": 2**53, "sent_at": "t" * 40,
            "app_version": "v" * 40, "uptime_s": 2**53, "config_version": "c" * 40,
            "config_received_at": "t" * 40,
            "config_rejected": {"version": 2**53, "reason": "拒" * 500},
            "devices": {"reader": device, "printer": device}, "paper": "near_end",
            "outbox_pending": 2**53, "outbox_failed": 2**53, "outbox_depth": 2**53,
            "last_error": "错" * 300,
            "pin": {"failed_attempts": 2**53, "lockouts": 2**53, "refused_while_locked": 2**53,
                    "locked": True},
            "rejected_config_pushes": 2**53, "disk_free_mb": 2**53,
            "heartbeat": {"failures": 2**53, "skipped": 2**53, "last_failure": "败" * 300},
            "unavailable": ["u" * 40] * 20}
    size = len(json.dumps(beat).encode())
    r = kiosk_http.post(f"{centre.url}/v1/heartbeats", json=beat)
    assert r.status_code == 200, (size, r.text)
    assert size > 8 * 1024  # (so this is a real check of the limit)
    hanzi_state = kiosk_http.post(f"{centre.url}/v1/heartbeats",
                                  json={"devices": {"printer": {"state": "缺纸"}}})
    assert hanzi_state.status_code == 422


# -- rate limits -----------------------------------------------------------------------------
def take(session, url, matter="birth-cert", key=None, **extra):
    return session.post(f"{url}/v1/tickets", json={"matter_id": matter, **extra},
                        headers={"Idempotency-Key": key or uuid.uuid4().hex}, timeout=10)


def test_a_kiosk_cannot_drain_the_numbers(database_url, clock):
    with running_centre(database_url, clock=clock,
                        limits=RateLimits(tickets_per_kiosk=3)) as centre, \
            requests.Session() as s:
        s.headers.update(centre.kiosk_headers())
        first = take(s, centre.url, key="first-key-1")
        # Retries of a stored key are answered from it and do not use up the allowance.
        assert [take(s, centre.url, key="first-key-1").status_code for _ in range(3)] == [
            200, 200, 200]
        assert [first.status_code] + [take(s, centre.url).status_code for _ in range(2)] == [
            201, 201, 201]
        refused = take(s, centre.url)
        assert refused.status_code == 429
        problem = refused.json()
        assert problem["reason"] == "ticket.rate_limited" and problem["title_zh"]
        assert int(refused.headers["Retry-After"]) >= 1 and problem["retry_after"] >= 1
        # A retry of a number already given still gets it; another kiosk is not affected.
        again = take(s, centre.url, key="first-key-1")
        assert again.status_code == 200 and again.json() == first.json()
        other = centre.service.add_kiosk("kiosk-02")
        with requests.Session() as s2:
            s2.headers["Authorization"] = f"Bearer {other}"
            assert take(s2, centre.url).status_code == 201


def test_one_person_takes_a_few_numbers_per_matter_a_day(database_url, clock):
    person, other = "a" * 64, "b" * 64
    with running_centre(database_url, clock=clock,
                        limits=RateLimits(tickets_per_person=2)) as centre, \
            requests.Session() as s:
        s.headers.update(centre.kiosk_headers())
        assert [take(s, centre.url, id_hash=person).status_code for _ in range(2)] == [201, 201]
        refused = take(s, centre.url, id_hash=person)
        assert refused.status_code == 409
        assert refused.json()["reason"] == "ticket.person_limit" and refused.json()["limit"] == 2
        assert take(s, centre.url, id_hash=other).status_code == 201
        assert take(s, centre.url, matter="id-card", id_hash=person).status_code == 201
        assert take(s, centre.url).status_code == 201  # without a card: the kiosk rate only
        # A refused ticket took no number: the numbers of the day stay gapless.
        with centre.service.db.read() as tx:
            numbers = [r["number"] for r in tx.all(
                "SELECT number FROM tickets WHERE matter_id = 'birth-cert' ORDER BY number")]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 4


# -- tracking numbers and check codes --------------------------------------------------------
def file_report(session, url) -> dict:
    r = session.post(f"{url}/v1/reports", json=REPORT,
                     headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def look_up(session, url, number, code=None):
    headers = {"Check-Code": code} if code is not None else {}
    return session.get(f"{url}/v1/reports/{number}", headers=headers, timeout=10)


def test_guessing_tracking_numbers_without_the_check_code_reveals_nothing(tmp_path, clock):
    limits = RateLimits(lookups_per_kiosk=100_000)
    with running_centre(tmp_path / "c.db", clock=clock, limits=limits) as centre, \
            requests.Session() as s:
        s.headers.update(centre.kiosk_headers())
        receipts = [file_report(s, centre.url) for _ in range(20)]
        numbers = [r["tracking_no"] for r in receipts]
        assert all(re.fullmatch(r"R\d{12}", n) for n in numbers) and len(set(numbers)) == 20
        values = sorted(int(n[1:]) for n in numbers)
        assert min(b - a for a, b in itertools.pairwise(values)) > 1000  # nothing to count on
        assert all(re.fullmatch(r"\d{4}", r["check_code"]) for r in receipts)

        def answer(r):
            body = r.json()
            body.pop("instance", None)
            return r.status_code, body

        nothing = answer(look_up(s, centre.url, "R000000000000", "1234"))
        assert nothing[0] == 404 and nothing[1]["reason"] == "report.unknown"
        real = receipts[0]
        wrong = f"{(int(real['check_code']) + 1) % 10000:04d}"
        # The real number without a code, with a wrong one, and numbers next to it: all alike.
        assert answer(look_up(s, centre.url, real["tracking_no"])) == nothing
        assert answer(look_up(s, centre.url, real["tracking_no"], wrong)) == nothing
        base = int(real["tracking_no"][1:])
        for guess in range(base - 50, base + 50):
            if f"R{guess:012d}" not in numbers:
                assert answer(look_up(s, centre.url, f"R{guess:012d}", real["check_code"])
                              ) == nothing
        # With the code from the receipt it is found; staff need no code and see it.
        found = look_up(s, centre.url, real["tracking_no"], real["check_code"])
        assert found.status_code == 200 and found.json()["status"] == "received"
        assert found.json().get("check_code") is None and found.json()["phone_masked"]
        staff = requests.get(f"{centre.url}/v1/reports/{real['tracking_no']}",
                             headers=centre.staff_headers(), timeout=10).json()
        assert staff["check_code"] == real["check_code"]


def test_look_ups_are_rate_limited_per_kiosk(tmp_path, clock):
    with running_centre(tmp_path / "c.db", clock=clock,
                        limits=RateLimits(lookups_per_kiosk=5)) as centre, \
            requests.Session() as s:
        s.headers.update(centre.kiosk_headers())
        receipt = file_report(s, centre.url)
        statuses = [look_up(s, centre.url, f"R{i:012d}", "0000").status_code for i in range(5)]
        assert statuses == [404] * 5
        limited = look_up(s, centre.url, receipt["tracking_no"], receipt["check_code"])
        assert limited.status_code == 429 and limited.json()["reason"] == "report.lookup_limited"
        assert int(limited.headers["Retry-After"]) >= 1


def test_sqlite_runs_with_synchronous_full(centre):
    if centre.service.db.is_postgres:
        pytest.skip("a SQLite setting; PostgreSQL commits are durable by its own fsync")
    with centre.service.db.write() as tx:
        assert tx.scalar("PRAGMA synchronous") == 2  # FULL
