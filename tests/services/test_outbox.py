"""Outbox: durable on disk, private, delivered exactly once through crashes and outages."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

from central.testing import running_centre
from hall.idhash import hash_id_number
from kiosk.services.central import CentralClient
from kiosk.services.outbox import Outbox, OutboxError

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("OUTBOX_KILLS", "20"))


@pytest.fixture
def centre(tmp_path):
    with running_centre(tmp_path / "central.db") as running:
        yield running


def report(marker: str) -> dict:
    return {"matter_id": "marriage-reg", "situation": "not_accepted",
            "description": f"marker {marker}", "phone": "13800138000",
            "id_hash": hash_id_number("11010519491231002X", "hall-salt")}


def server_markers(centre) -> list[str]:
    rows = requests.get(f"{centre.url}/v1/staff/reports", headers=centre.staff_headers(),
                        timeout=10).json()
    return [r["description"].removeprefix("marker ") for r in rows]


def drain(outbox: Outbox, limit_s: float = 20.0) -> None:
    deadline = time.monotonic() + limit_s
    while outbox.pending and time.monotonic() < deadline:
        outbox.wake()
        outbox.send_due()
        time.sleep(0.02)


def test_file_is_private_and_holds_no_clear_id(tmp_path):
    outbox = Outbox(tmp_path / "outbox.db")
    outbox.put("report", report("a"))
    with pytest.raises(OutboxError):
        outbox.put("report", {**report("b"), "description": "我的身份证 11010519491231002X"})
    with pytest.raises(OutboxError):
        outbox.put("help_call", {"location": "1F", "id_number": "x"})
    outbox.close()
    for f in tmp_path.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        assert b"11010519491231002X" not in f.read_bytes()


def test_items_wait_through_an_outage_then_arrive_once(tmp_path):
    with running_centre(tmp_path / "central.db") as centre:
        url, token = centre.url, centre.kiosk_token
    # The centre is down now: the item stays pending, with the reason kept.
    client = CentralClient(url, token, "kiosk-01", retries=0, connect_timeout_s=0.5)
    outbox = Outbox(tmp_path / "outbox.db", client, backoff_initial_s=0.01)
    item = outbox.put("report", report("outage"))
    outbox.send_due()
    assert outbox.pending == 1 and outbox.get(item.id).last_error
    outbox.close()
    # A centre is reachable again: a new outbox on the same file (after a restart) delivers it.
    with running_centre(tmp_path / "central2.db") as centre:
        client = CentralClient(centre.url, centre.kiosk_token, "kiosk-01", backoff_s=0.01)
        sent = []
        outbox = Outbox(tmp_path / "outbox.db", client, backoff_initial_s=0.01,
                        on_sent=sent.append)
        drain(outbox)
        assert outbox.pending == 0 and [s.id for s in sent] == [item.id]
        assert sent[0].result["tracking_no"].startswith("R")
        assert server_markers(centre) == ["outage"]
        outbox.close()


def test_refused_items_are_kept_as_failed(centre, tmp_path):
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, backoff_s=0.01)
    outbox = Outbox(tmp_path / "outbox.db", client)
    gone = {**report("gone"), "matter_id": "withdrawn-matter"}  # the centre says no for good
    outbox.put("report", gone)
    outbox.put("evaluation", {"level": 4, "window": "21"})
    outbox.send_due()
    assert outbox.failed == 1 and outbox.pending == 0
    failed = outbox.items("failed")[0]
    assert "matter.unknown" in failed.last_error and failed.body == gone
    assert outbox.retry_failed() == 1 and outbox.pending == 1  # staff can send it again
    outbox.close()


def test_background_sender_delivers(centre, tmp_path):
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, backoff_s=0.01)
    outbox = Outbox(tmp_path / "outbox.db", client)
    outbox.start()
    try:
        outbox.put("help_call", {"location": "一楼自助区", "reason": "assist"})
        deadline = time.monotonic() + 10
        while outbox.pending and time.monotonic() < deadline:
            time.sleep(0.02)
        assert outbox.count("sent") == 1
    finally:
        outbox.close()
    calls = requests.get(f"{centre.url}/v1/staff/help-calls", headers=centre.staff_headers(),
                         timeout=5).json()
    assert [c["location"] for c in calls] == ["一楼自助区"]


SENDER = textwrap.dedent("""
    import sys, time
    from kiosk.services.central import CentralClient
    from kiosk.services.outbox import Outbox
    url, token, path, life = sys.argv[1:5]
    outbox = Outbox(path, CentralClient(url, token, "kiosk-01", backoff_s=0.01),
                    backoff_initial_s=0.01)
    outbox.start()
    print("ready", flush=True)
    for i in range(10_000):
        marker = f"life{life}-{i}"
        outbox.put("report", {"matter_id": "marriage-reg", "situation": "other",
                              "description": "marker " + marker, "phone": "13800138000"})
        print(marker, flush=True)   # the citizen was told "saved" only now
        time.sleep(0.005)
""")


def test_kill_9_at_random_moments_loses_nothing_and_sends_nothing_twice(centre, tmp_path):
    path = tmp_path / "outbox.db"
    seeded = Outbox(path)
    expected = {f"seed-{i}" for i in range(60)}
    for marker in sorted(expected):
        seeded.put("report", report(marker))
    seeded.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(5)
    interrupted = 0  # kills that left work undone (proves they landed mid-way)
    for life in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-c", SENDER, centre.url, centre.kiosk_token,
                                 str(path), str(life)], stdout=subprocess.PIPE, text=True,
                                env=env, cwd=ROOT)
        try:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.25))
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate(timeout=10)
        expected.update(line for line in out.split() if line.startswith("life"))
        probe = Outbox(path)
        interrupted += probe.pending > 0
        probe.close()
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id, backoff_s=0.01)
    outbox = Outbox(path, client, backoff_initial_s=0.01)
    drain(outbox, 30)
    assert outbox.pending == 0 and outbox.failed == 0
    outbox.close()
    on_server = server_markers(centre)
    duplicates = {m for m in on_server if on_server.count(m) > 1}
    assert not duplicates
    assert expected <= set(on_server), f"lost: {sorted(expected - set(on_server))[:5]}"
    # Not vacuous: a good share of the kills found work undone. Sending keeps up with the
    # citizen's 5 ms pace about half the time (9 and 12 of 20 seen), so ask for a quarter.
    assert interrupted >= KILLS // 4
