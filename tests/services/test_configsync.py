"""ConfigSync against the real centre: live push, signature and schema checks, sessions, disk."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import copy
import json
import socket

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
