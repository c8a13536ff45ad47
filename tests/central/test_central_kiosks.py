"""Kiosks and staff: hashed tokens, revocation, heartbeats, silent kiosks, evaluations, help."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def _everything_stored(centre) -> bytes:
    """SQLite: the raw database and WAL files; PostgreSQL: every row of every table."""
    if not centre.service.db.is_postgres:
        return b"".join(p.read_bytes() for p in Path(centre.database).parent.glob("central.db*"))
    with centre.service.db.read() as tx:
        tables = [r["tablename"] for r in tx.all(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        assert "kiosks" in tables and "halls" in tables
        return repr([tx.all(f"SELECT * FROM {t}") for t in tables]).encode()


def test_tokens_are_stored_only_as_hashes(centre):
    raw = _everything_stored(centre)
    assert centre.kiosk_token.encode() not in raw and centre.staff_token.encode() not in raw
    assert centre.kiosk_token.split(".", 1)[1].encode() not in raw


def test_rotated_token_replaces_the_old_one(centre, staff_http):
    new = staff_http.post(f"{centre.url}/v1/staff/kiosks/{centre.kiosk_id}/token").json()
    old = requests.post(f"{centre.url}/v1/heartbeats", json={}, headers=centre.kiosk_headers(),
                        timeout=5)
    assert old.status_code == 401 and old.json()["reason"] == "auth.invalid"
    fresh = requests.post(f"{centre.url}/v1/heartbeats", json={},
                          headers={"Authorization": f"Bearer {new['token']}"}, timeout=5)
    assert fresh.status_code == 200


def test_heartbeats_keep_the_latest_and_silent_kiosks_are_listed(centre, kiosk_http, staff_http,
                                                                 clock):
    centre.service.add_kiosk("kiosk-02")  # never reports
    kiosk_http.post(f"{centre.url}/v1/heartbeats", json={"outbox_pending": 3}).raise_for_status()
    kiosk_http.post(f"{centre.url}/v1/heartbeats", json={
        "config_version": 1, "outbox_pending": 0, "devices": {"printer": {"state": "paper_out"}},
        "config_rejected": {"version": 2, "reason": "config.bad_signature"}}).raise_for_status()
    kiosks = {k["id"]: k for k in staff_http.get(f"{centre.url}/v1/kiosks").json()}
    assert kiosks["kiosk-01"]["heartbeat"]["devices"]["printer"]["state"] == "paper_out"
    assert kiosks["kiosk-01"]["heartbeat"]["config_rejected"]["version"] == 2
    assert not kiosks["kiosk-01"]["silent"] and kiosks["kiosk-02"]["silent"]
    clock.set(clock.when + dt.timedelta(minutes=10))
    kiosks = {k["id"]: k for k in staff_http.get(f"{centre.url}/v1/kiosks").json()}
    assert kiosks["kiosk-01"]["silent"]
    with centre.service.db.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM heartbeats") == 1


def test_kiosk_cannot_read_another_kiosks_config(centre, kiosk_http):
    r = kiosk_http.get(f"{centre.url}/v1/kiosks/kiosk-99/config")
    assert r.status_code == 403 and r.json()["reason"] == "auth.wrong_kiosk"


def test_config_etag_and_not_modified(centre, kiosk_http):
    first = kiosk_http.get(f"{centre.url}/v1/kiosks/{centre.kiosk_id}/config")
    etag = first.headers["ETag"]
    again = kiosk_http.get(f"{centre.url}/v1/kiosks/{centre.kiosk_id}/config",
                           headers={"If-None-Match": etag})
    assert again.status_code == 304
    centre.publish(json.loads(first.json()["body"])["config"])
    newer = kiosk_http.get(f"{centre.url}/v1/kiosks/{centre.kiosk_id}/config",
                           headers={"If-None-Match": etag})
    assert newer.status_code == 200 and newer.json()["version"] == 2


def test_evaluation_and_help_call(centre, kiosk_http, staff_http):
    ev = kiosk_http.post(f"{centre.url}/v1/evaluations",
                         json={"level": 1, "reasons": ["等候时间长"], "window": "21"},
                         headers={"Idempotency-Key": uuid.uuid4().hex})
    assert ev.status_code == 201 and ev.json()["level_name"] == "非常不满意"
    call = kiosk_http.post(f"{centre.url}/v1/help-calls", json={"location": "一楼自助区"},
                           headers={"Idempotency-Key": uuid.uuid4().hex}).json()
    open_calls = staff_http.get(f"{centre.url}/v1/staff/help-calls?status=open").json()
    assert [c["id"] for c in open_calls] == [call["id"]]
    staff_http.post(f"{centre.url}/v1/staff/help-calls/{call['id']}/close").raise_for_status()
    assert staff_http.get(f"{centre.url}/v1/staff/help-calls?status=open").json() == []


def test_unknown_route_and_bad_json_are_problems(centre, kiosk_http):
    r = kiosk_http.get(f"{centre.url}/v1/nothing")
    assert r.status_code == 404 and r.json()["type"].startswith("urn:hall-kiosk:problem:")
    bad = kiosk_http.post(f"{centre.url}/v1/tickets", data=b"{not json",
                          headers={"Content-Type": "application/json",
                                   "Idempotency-Key": "abcdefgh"})
    assert bad.status_code == 422 and bad.json()["reason"] == "request.invalid"


def run_cli(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "central", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=60)


def test_cli_keygen_publish_and_add_kiosk(tmp_path):
    db = str(tmp_path / "c.db")
    key = str(tmp_path / "k.pem")
    out = run_cli("keygen", "--key", key, cwd=tmp_path)
    assert out.returncode == 0 and len(out.stdout.strip()) == 44
    assert (Path(key).stat().st_mode & 0o777) == 0o600
    bad = tmp_path / "bad.toml"
    bad.write_text((ROOT / "central" / "demo_config.toml").read_text(encoding="utf-8")
                   .replace('zone = "C"\nprefix = "C"', 'zone = "Z"\nprefix = "C"', 1),
                   encoding="utf-8")
    refused = run_cli("publish", str(bad), "--database", db, "--key", key, cwd=tmp_path)
    assert refused.returncode == 2 and "matters[0].zone" in refused.stderr
    ok = run_cli("publish", str(ROOT / "central" / "demo_config.toml"), "--database", db,
                 "--key", key, cwd=tmp_path)
    assert ok.returncode == 0 and json.loads(ok.stdout)["version"] == 1
    token = run_cli("add-kiosk", "kiosk-07", "--database", db, cwd=tmp_path).stdout.strip()
    assert token.startswith("kiosk-07.")


def test_cli_demo_on_port_0_prints_one_json_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "central", "serve", "--demo", "--port", "0",
                             "--database", str(tmp_path / "demo.db")], stdout=subprocess.PIPE,
                            text=True, cwd=tmp_path, env=env)
    try:
        line = json.loads(proc.stdout.readline())
        assert set(line) >= {"url", "kiosk_id", "kiosk_token", "staff_token", "public_key"}
        assert not line["url"].endswith(":0")
        r = requests.get(f"{line['url']}/v1/kiosks/{line['kiosk_id']}/config",
                         headers={"Authorization": f"Bearer {line['kiosk_token']}"}, timeout=10)
        assert r.status_code == 200 and r.json()["version"] == 1
        from hall.signing import verify_bundle

        assert verify_bundle(r.json(), line["public_key"])["config"]["hall"]["hotline"] == "12345"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_heartbeat_keeps_the_kiosks_fields_and_checks_the_kiosk_id(centre, kiosk_http, staff_http):
    beat = {"kiosk_id": centre.kiosk_id, "config_version": "3", "paper": "near_end",
            "outbox_depth": 2, "devices": {"reader": {"state": "ok"}}}
    assert kiosk_http.post(f"{centre.url}/v1/heartbeats", json=beat).status_code == 200
    seen = staff_http.get(f"{centre.url}/v1/kiosks").json()[0]["heartbeat"]
    assert seen["paper"] == "near_end" and seen["devices"]["reader"] == {"state": "ok"}
    other = kiosk_http.post(f"{centre.url}/v1/heartbeats", json={**beat, "kiosk_id": "kiosk-09"})
    assert other.status_code == 403
