"""Security: config bundles an attacker could plant on disk or replay over the network."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import copy
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from central.testing import demo_config, running_centre
from kiosk.services.central import CentralClient
from kiosk.services.configsync import ConfigSync


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture
def saved_state(tmp_path: Path) -> Iterator[tuple[Path, str, Any]]:
    """A kiosk state folder holding the genuine v1 bundle, the hall key, and the centre."""
    state = tmp_path / "state"
    with running_centre(tmp_path / "central.db") as centre:
        client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, retries=0)
        sync = ConfigSync(client, centre.public_key, state, use_events=False)
        sync.check_now()
        assert sync.current_version == 1 and (state / "config-bundle.json").exists()
        client.close()
        yield state, centre.public_key, centre


def test_a_bundle_edited_on_disk_is_refused_at_start(saved_state: tuple[Path, str, Any],
                                                     qtbot: Any) -> None:
    """Someone with the disk changes a matter's name in the saved bundle; the signature no
    longer matches, so the kiosk starts with no catalogue rather than the planted one."""
    state, public_key, _ = saved_state
    path = state / "config-bundle.json"
    bundle = json.loads(path.read_text(encoding="utf-8"))
    assert "婚姻登记" in bundle["body"]
    bundle["body"] = bundle["body"].replace("婚姻登记", "假冒事项", 1)
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    offline = ConfigSync(CentralClient(_dead_url(), "kiosk-01.x", "kiosk-01", retries=0),
                         public_key, state, use_events=False, poll_interval_s=60)
    with qtbot.waitSignal(offline.bundleRejected, timeout=5000) as rejected:
        offline.start()
    try:
        assert rejected.args[0].startswith("config.bad_signature")
        assert offline.current is None and offline.current_version is None
    finally:
        offline.stop()


class _Replayer:
    """A man in the middle that answers every config fetch with one recorded bundle."""

    def __init__(self, bundle: dict[str, Any]) -> None:
        body = json.dumps(bundle).encode("utf-8")

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def test_an_older_genuine_bundle_replayed_from_the_network_is_not_applied(
        saved_state: tuple[Path, str, Any]) -> None:
    """Rolling a kiosk back to an old (validly signed) catalogue is refused by version."""
    state, public_key, centre = saved_state
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, retries=0)
    old = client.fetch_config()
    assert old is not None and old.raw["version"] == 1
    newer = copy.deepcopy(demo_config())
    newer["notices"] = [{"zh": "新版本", "en": "New version"}]
    centre.publish(newer)
    sync = ConfigSync(client, public_key, state, use_events=False)
    sync.check_now()
    assert sync.current_version == 2
    replayer = _Replayer(old.raw)
    try:
        sync.client = CentralClient(replayer.url, centre.kiosk_token, centre.kiosk_id, retries=0)
        sync.check_now()
        assert sync.current_version == 2
        assert sync.last_rejection is not None
        assert sync.last_rejection["reason"].startswith("config.older_version")
        saved = json.loads((state / "config-bundle.json").read_text(encoding="utf-8"))
        assert saved["version"] == 2
    finally:
        replayer.stop()
        sync.client.close()
        client.close()
