"""ConfigSync against the real centre: live push, signature and schema checks, sessions, disk,
anti-rollback across restarts and ETags of rejected bundles."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import copy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from central.testing import demo_config, running_centre
from hall.signing import generate_private_key, public_key_b64, sign_bundle
from kiosk.services.central import CentralClient
from kiosk.services.configsync import ConfigSync


@pytest.fixture
def centre(tmp_path):
    with running_centre(tmp_path / "central.db", ping_s=1.0) as running:
        yield running


@pytest.fixture
def make_sync(centre, tmp_path):
    made = []

    def make(**kw) -> ConfigSync:
        client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, backoff_s=0.01)
        kw.setdefault("reconnect_min_s", 0.05)
        sync = ConfigSync(client, centre.public_key, tmp_path / "kiosk-state", **kw)
        made.append(sync)
        return sync

    yield make
    for sync in made:
        sync.stop()


def with_notice(text: str) -> dict:
    config = demo_config()
    config["notices"] = [{"zh": text, "en": "notice " + text}]
    return config


def wait_until(condition, qtbot, timeout_ms: int = 5000) -> None:
    qtbot.waitUntil(condition, timeout=timeout_ms)


def test_push_reaches_a_connected_kiosk_within_two_seconds(centre, make_sync, qtbot):
    sync = make_sync()
    with qtbot.waitSignal(sync.bundleApplied, timeout=5000) as first:
        sync.start()
    assert first.args[0].matter("marriage-reg").name == "婚姻登记"
    wait_until(lambda: sync.connection == "live", qtbot)
    with qtbot.waitSignal(sync.bundleApplied, timeout=2000) as pushed:
        centre.publish(with_notice("今日停电检修"))
    assert pushed.args[0].notices[0].zh == "今日停电检修"
    assert sync.current_version == 2


def test_tampered_bundle_is_rejected_and_the_old_one_kept(centre, make_sync, qtbot):
    sync = make_sync()
    with qtbot.waitSignal(sync.bundleApplied, timeout=5000):
        sync.start()
    good = sign_bundle(centre.key, 2, "2026-11-24T10:00:00+08:00", with_notice("正常"))
    tampered = dict(good, body=good["body"].replace("正常", "恶意"))
    with qtbot.waitSignal(sync.bundleRejected, timeout=5000) as rejected:
        centre.service.store_bundle(tampered)
    assert rejected.args[0].startswith("config.bad_signature")
    assert sync.current_version == 1 and not sync.current.notices[0].zh.startswith("恶意")
    assert sync.heartbeat_fields()["config_rejected"]["version"] == 2
    # The rejection survives until a good, newer bundle arrives.
    with qtbot.waitSignal(sync.bundleApplied, timeout=5000):
        centre.publish(with_notice("第三版"))  # version 3, properly signed
    assert sync.current_version == 3 and sync.heartbeat_fields()["config_rejected"] is None


def test_bundle_signed_with_another_key_is_rejected(centre, make_sync, qtbot):
    sync = make_sync()
    with qtbot.waitSignal(sync.bundleApplied, timeout=5000):
        sync.start()
    stranger = generate_private_key()
    assert public_key_b64(stranger) != centre.public_key
    with qtbot.waitSignal(sync.bundleRejected, timeout=5000) as rejected:
        centre.service.store_bundle(sign_bundle(stranger, 2, "2026-11-24T10:00:00+08:00",
                                                with_notice("冒充")))
    assert "bad_signature" in rejected.args[0] and sync.current_version == 1


def test_properly_signed_but_invalid_catalogue_is_rejected_naming_the_key(centre, make_sync,
                                                                           qtbot):
    sync = make_sync()
    with qtbot.waitSignal(sync.bundleApplied, timeout=5000):
        sync.start()
    broken = copy.deepcopy(demo_config())
    broken["matters"][3]["zone"] = "Z"
    with qtbot.waitSignal(sync.bundleRejected, timeout=5000) as rejected:
        centre.service.store_bundle(sign_bundle(centre.key, 2, "2026-11-24T10:00:00+08:00",
                                                broken))
    assert rejected.args[0].startswith("config.invalid: matters[3].zone")
    assert sync.current_version == 1


def test_new_bundle_waits_for_the_citizen_session_to_end(centre, make_sync, qtbot):
    sync = make_sync()
    with qtbot.waitSignal(sync.bundleApplied, timeout=5000):
        sync.start()
    sync.set_session_active(True)
    applied = []
    sync.bundleApplied.connect(applied.append)
    centre.publish(with_notice("会话结束后生效"))
    wait_until(lambda: sync.has_pending, qtbot)
    qtbot.wait(300)
    assert applied == [] and sync.current_version == 1  # nothing changes mid-session
    sync.set_session_active(False)
    wait_until(lambda: bool(applied), qtbot)
    assert applied[0].notices[0].zh == "会话结束后生效" and sync.current_version == 2


def test_starts_from_the_last_good_bundle_when_the_centre_is_down(tmp_path, qtbot):
    state = tmp_path / "state"
    with running_centre(tmp_path / "central.db") as centre:
        client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id)
        sync = ConfigSync(client, centre.public_key, state, use_events=False)
        with qtbot.waitSignal(sync.bundleApplied, timeout=5000):
            sync.start()
        sync.stop()
        public_key = centre.public_key
    saved = json.loads((state / "config-bundle.json").read_text(encoding="utf-8"))
    assert saved["version"] == 1
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    offline = ConfigSync(CentralClient(dead, "kiosk-01.x", "kiosk-01", retries=0), public_key,
                         state, reconnect_min_s=0.05)
    with qtbot.waitSignal(offline.bundleApplied, timeout=2000) as restored:
        offline.start()
    try:
        assert restored.args[0].has_matter("marriage-reg") and offline.current_version == 1
        wait_until(lambda: offline.connection == "offline", qtbot)
    finally:
        offline.stop()


def test_polling_with_etag_when_events_are_not_used(centre, make_sync, qtbot):
    sync = make_sync(use_events=False, poll_interval_s=0.2)
    with qtbot.waitSignal(sync.bundleApplied, timeout=5000):
        sync.start()
    with qtbot.waitSignal(sync.bundleApplied, timeout=5000) as polled:
        centre.publish(with_notice("轮询"))
    assert polled.args[0].notices[0].zh == "轮询"
    assert sync.connection == "polling"


class _FakeCentre:
    """A man in the middle answering every config fetch with one recorded bundle and an ETag
    of its choosing (a real HTTP server on 127.0.0.1; the kiosk's real client talks to it)."""

    def __init__(self, bundle: dict, etag: str | None = None) -> None:
        body = json.dumps(bundle).encode("utf-8")
        self.seen_if_none_match: list[str | None] = []
        seen = self.seen_if_none_match

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.headers.get("If-None-Match"))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def at_v2(centre, tmp_path):
    """A kiosk state folder that has applied v2; returns (state, genuine v1, genuine v2)."""
    state = tmp_path / "kiosk-state"
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, retries=0)
    v1 = client.fetch_config()
    centre.publish(with_notice("第二版"))
    v2 = client.fetch_config()
    assert v1.raw["version"] == 1 and v2.raw["version"] == 2
    sync = ConfigSync(client, centre.public_key, state, use_events=False)
    sync.check_now()
    assert sync.current_version == 2 and sync.highest_version == 2
    client.close()
    return state, v1, v2


def _replayed_to(state, centre, bundle: dict, etag: str | None = None):
    fake = _FakeCentre(bundle, etag)
    client = CentralClient(fake.url, centre.kiosk_token, centre.kiosk_id, retries=0)
    return fake, ConfigSync(client, centre.public_key, state, use_events=False)


def test_a_replayed_older_bundle_is_refused_after_a_restart(centre, at_v2, qtbot, caplog):
    """Restarted (a new ConfigSync on the same folder), the kiosk meets a man in the middle
    replaying the genuinely signed v1: refused with a clear line, v2 stays applied and saved."""
    state, v1, _ = at_v2
    fake, sync = _replayed_to(state, centre, v1.raw)
    try:
        with qtbot.waitSignal(sync.bundleRejected, timeout=5000) as rejected:
            sync.start()
        assert rejected.args[0].startswith("config.older_version: 1 < 2")
        assert sync.current_version == 2 and sync.current.notices[0].zh == "第二版"
        assert "config v1 from the network refused: older than v2 already applied" in caplog.text
        saved = json.loads((state / "config-bundle.json").read_text(encoding="utf-8"))
        assert saved["version"] == 2
    finally:
        sync.stop()
        fake.close()


def test_the_high_water_mark_holds_even_without_the_saved_bundle(centre, at_v2, qtbot):
    """The saved bundle is gone (deleted, or a disk swapped): the replayed v1 is still refused,
    because the highest version applied is remembered apart from the bundle itself."""
    state, v1, _ = at_v2
    (state / "config-bundle.json").unlink()
    fake, sync = _replayed_to(state, centre, v1.raw)
    try:
        sync.check_now()
        assert sync.current is None and sync.current_version is None
        assert sync.last_rejection["reason"].startswith("config.older_version")
        assert not (state / "config-bundle.json").exists()
    finally:
        fake.close()
        sync.client.close()


def test_an_older_genuine_bundle_copied_onto_the_disk_is_refused_at_start(centre, at_v2, qtbot):
    state, v1, _ = at_v2
    (state / "config-bundle.json").write_text(json.dumps(v1.raw, ensure_ascii=False),
                                              encoding="utf-8")
    fake, sync = _replayed_to(state, centre, v1.raw)
    try:
        with qtbot.waitSignal(sync.bundleRejected, timeout=5000) as rejected:
            sync._load_from_disk()  # what start() does first, before any network
        assert rejected.args[0].startswith("config.older_version")
        assert sync.current is None
    finally:
        fake.close()
        sync.client.close()


def test_a_rejected_bundles_etag_is_not_kept(centre, make_sync, qtbot):
    """A forger answers once with a tampered v2 carrying the genuine v2's ETag. Had the kiosk
    kept that ETag, its next If-None-Match would get 304 from the real centre and v2 would
    never arrive; it does arrive."""
    sync = make_sync(use_events=False)
    sync.check_now()
    assert sync.current_version == 1
    real_client = sync.client
    centre.publish(with_notice("真的第二版"))
    genuine = real_client.fetch_config()
    assert genuine.raw["version"] == 2 and genuine.etag
    forged = dict(genuine.raw, body=genuine.raw["body"].replace("真的第二版", "伪造的第二版"))
    fake = _FakeCentre(forged, genuine.etag)
    try:
        sync.client = CentralClient(fake.url, centre.kiosk_token, centre.kiosk_id, retries=0)
        sync.check_now()
        assert sync.last_rejection["reason"].startswith("config.bad_signature")
        sync.check_now()  # asked again: the forged answer's ETag is not sent back
        assert fake.seen_if_none_match[1] == fake.seen_if_none_match[0] != genuine.etag
        sync.client.close()
    finally:
        fake.close()
    sync.client = real_client
    sync.check_now()
    assert sync.current_version == 2 and sync.current.notices[0].zh == "真的第二版"
    assert sync.heartbeat_fields()["config_rejected"] is None
