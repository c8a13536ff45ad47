"""Heartbeats reach a real HTTP server on 127.0.0.1; failures are counted, never raised into the UI."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kiosk.services.heartbeat import Heartbeat


class Centre:
    """A tiny centre that stores every heartbeat body it receives; can be made slow or broken."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 200
        self.release = threading.Event()
        self.release.set()
        centre = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                centre.release.wait(10)
                if centre.status == 200:
                    centre.received.append(body)
                answer = json.dumps({"config_version": "v7"}).encode()
                self.send_response(centre.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/kiosks/k1/heartbeat"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def send(self, payload: dict[str, Any]) -> dict[str, Any]:
        """What the kiosk's central client does: POST JSON, fail on a non-2xx answer."""
        request = urllib.request.Request(self.url, json.dumps(payload).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def centre() -> Iterator[Centre]:
    server = Centre()
    yield server
    server.stop()


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def kiosk_state() -> dict[str, Any]:
    return {"printer": "ok", "paper": "ok", "outbox": 0}


def make_heartbeat(send, state: dict[str, Any], clock=None, interval_ms: int = 60_000, **extra) -> Heartbeat:
    providers = {
        "config_version": lambda: "v6",
        "devices": lambda: {"reader": {"state": "ok"}, "printer": {"state": state["printer"]}},
        "paper": lambda: state["paper"],
        "outbox_depth": lambda: state["outbox"],
        "last_error": lambda: None,
        "pin": lambda: {"failed_attempts": 2, "lockouts": 0},
        "rejected_config_pushes": lambda: 1,
        **extra,
    }
    return Heartbeat(kiosk_id="k1", app_version="0.1.0", providers=providers, send=send,
                     interval_ms=interval_ms, clock=clock or Clock())


def test_the_centre_sees_paper_out_and_the_outbox_growing(qtbot, centre: Centre, kiosk_state) -> None:
    clock = Clock()
    beat = make_heartbeat(centre.send, kiosk_state, clock)
    with qtbot.waitSignal(beat.delivered, timeout=10_000) as answer:
        beat.start()
    assert answer.args[0] == {"config_version": "v7"}
    kiosk_state.update(printer="paper_out", paper="out", outbox=3)
    clock.now += 61
    with qtbot.waitSignal(beat.delivered, timeout=10_000):
        beat.beat()
    first, second = centre.received
    assert first["devices"]["printer"] == {"state": "ok"} and first["paper"] == "ok"
    assert second["devices"]["printer"] == {"state": "paper_out"} and second["paper"] == "out"
    assert second["outbox_depth"] == 3 and second["uptime_s"] == 61
    assert second["sequence"] == first["sequence"] + 1
    assert second["kiosk_id"] == "k1" and second["app_version"] == "0.1.0"
    assert second["config_version"] == "v6" and second["rejected_config_pushes"] == 1
    assert second["pin"] == {"failed_attempts": 2, "lockouts": 0}
    beat.shutdown()


def test_beats_keep_coming_on_the_timer(qtbot, centre: Centre, kiosk_state) -> None:
    beat = make_heartbeat(centre.send, kiosk_state, interval_ms=30)
    beat.start()
    qtbot.waitUntil(lambda: len(centre.received) >= 3, timeout=10_000)
    beat.shutdown()
    sequences = [b["sequence"] for b in centre.received]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)


def test_a_dead_centre_is_counted_and_reported_in_the_next_beat(qtbot, centre: Centre, kiosk_state) -> None:
    centre.status = 503
    beat = make_heartbeat(centre.send, kiosk_state)
    with qtbot.waitSignal(beat.failed, timeout=10_000) as why:
        beat.start()
    assert "503" in why.args[0]
    assert beat.failures == 1 and beat.sent == 0 and centre.received == []
    centre.status = 200
    with qtbot.waitSignal(beat.delivered, timeout=10_000):
        beat.beat()
    assert centre.received[0]["heartbeat"]["failures"] == 1
    assert "503" in centre.received[0]["heartbeat"]["last_failure"]
    beat.shutdown()


def test_no_server_at_all_is_not_an_exception_in_the_ui(qtbot, kiosk_state) -> None:
    def send_to_nowhere(payload: dict[str, Any]) -> Any:
        return urllib.request.urlopen("http://127.0.0.1:9/", json.dumps(payload).encode(), timeout=2)

    beat = make_heartbeat(send_to_nowhere, kiosk_state)
    with qtbot.waitSignal(beat.failed, timeout=10_000):
        beat.start()
    assert beat.failures == 1 and "URLError" in beat.last_failure
    beat.shutdown()


def test_a_slow_centre_neither_freezes_the_screen_nor_piles_up_beats(qtbot, centre, kiosk_state) -> None:
    from PySide6.QtCore import QTimer

    centre.release.clear()  # the centre holds the answer
    beat = make_heartbeat(centre.send, kiosk_state)
    ticks: list[int] = []
    timer = QTimer(beat)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    beat.start()
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=10_000)  # the loop runs while the send hangs
    assert not beat.beat() and beat.skipped == 1
    with qtbot.waitSignal(beat.delivered, timeout=10_000):
        centre.release.set()
    timer.stop()
    assert len(centre.received) == 1
    beat.shutdown()


def test_a_broken_provider_leaves_a_gap_not_a_silent_kiosk(qtbot, centre: Centre, kiosk_state) -> None:
    def broken() -> int:
        raise OSError("disk gone")

    beat = make_heartbeat(centre.send, kiosk_state, disk_free_mb=broken)
    with qtbot.waitSignal(beat.delivered, timeout=10_000):
        beat.start()
    body = centre.received[0]
    assert body["disk_free_mb"] is None and body["unavailable"] == ["disk_free_mb"]
    assert body["paper"] == "ok"
    beat.shutdown()
