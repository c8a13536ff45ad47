"""Storage: database URLs, schema migrations, text the database refuses, many halls."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import requests

from central.db import Database, DatabaseUrlError, parse_database_url
from central.limits import RateLimits
from central.migrations import LATEST, upgrade
from central.publishing import publish_config
from central.service import CentralService
from central.testing import demo_config, running_centre
from hall.signing import generate_private_key

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_V1 = Path(__file__).with_name("fixtures") / "schema_v1.sql"


def central(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "central", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


# -- URLs ------------------------------------------------------------------------------------
def test_database_urls_are_parsed_not_guessed():
    assert parse_database_url("sqlite:////srv/hall/central.db").target == "/srv/hall/central.db"
    assert parse_database_url("sqlite:///srv/central.db").target == "/srv/central.db"
    assert parse_database_url("var/central.db") == parse_database_url("var/central.db")
    assert parse_database_url("var/central.db").engine == "sqlite"
    pg = parse_database_url("postgresql://hall:s3cret@db.example:5433/city")
    assert pg.engine == "postgresql" and "s3cret" not in pg.redacted
    assert pg.redacted == "postgresql://hall:***@db.example:5433/city"
    for bad in ("mysql://u:s3cret@h/db", "sqlite://relative.db", "", "postgresql://u:s3cret@h"):
        with pytest.raises(DatabaseUrlError) as info:
            parse_database_url(bad)
        assert "\n" not in str(info.value) and "s3cret" not in str(info.value)


def test_cli_takes_a_sqlite_url_as_an_absolute_path_and_refuses_others(tmp_path):
    target = tmp_path / "hall" / "central.db"
    done = central("add-kiosk", "kiosk-07", "--database", f"sqlite:///{target}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert target.exists() and not (tmp_path / "sqlite:").exists()
    bad = central("add-kiosk", "kiosk-07", "--database", "mysql://hall:s3cret@h/city",
                  cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "s3cret" not in bad.stderr
    assert "unsupported database 'mysql'" in bad.stderr


def test_demo_on_postgresql_keeps_the_password_out_of_output_and_file_names(postgres, tmp_path):
    url = postgres.create_database("demo")
    # Trust authentication ignores the password, so it can be anything here.
    with_password = url.replace("postgres@", "postgres:Pa55word@")
    proc = subprocess.Popen([sys.executable, "-m", "central", "serve", "--demo", "--port", "0",
                             "--database", with_password], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)})
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        announced = json.loads(line)
        assert "Pa55word" not in line and announced["database"].endswith("***@127.0.0.1:"
                                                                          f"{postgres.port}/"
                                                                          + url.rsplit("/", 1)[1])
        r = requests.get(f"{announced['url']}/v1/kiosks/{announced['kiosk_id']}/config",
                         headers={"Authorization": f"Bearer {announced['kiosk_token']}"},
                         timeout=10)
        assert r.status_code == 200
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
        postgres.drop_database(url)
    assert "Pa55word" not in err
    names = [str(p) for p in tmp_path.rglob("*")]
    assert names and not any("Pa55word" in n or "postgresql:" in n for n in names), names


# -- migrations ------------------------------------------------------------------------------
def _old_release_database(database_url: str) -> None:
    """What the release before migrations left behind: its schema and a day's data."""
    text = "\n".join(line for line in SCHEMA_V1.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("--"))
    statements = [s for s in text.split(";") if s.strip()]
    rows = [
        "INSERT INTO meta VALUES ('staff_token_hash', "
        "'c2c6b9c5a7e4a3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8')",
        "INSERT INTO kiosks (id, token_hash, created_at) VALUES ('kiosk-01', 'x', '2026-11-23')",
        "INSERT INTO counters VALUES ('ticket:birth-cert', '2026-11-24', 7)",
        "INSERT INTO counters VALUES ('report', '2026-11-24', 1)",
        "INSERT INTO queues VALUES ('birth-cert', '2026-11-24', 1, 0)",  # K001-K006 called
        "INSERT INTO tickets (id, matter_id, day, number, display, kiosk_id, status, created_at)"
        " VALUES ('" + "a" * 32 + "', 'birth-cert', '2026-11-24', 7, 'K007', 'kiosk-01', "
        "'waiting', '2026-11-24T09:30:00+08:00')",
        "INSERT INTO reports (tracking_no, kiosk_id, situation, description, phone, language, "
        "created_at, promised_date, complexity, status) VALUES ('R202611240001', 'kiosk-01', "
        "'other', 'old report', '13800000000', 'zh', '2026-11-24T09:00:00+08:00', "
        "'2026-12-01', 'ordinary', 'received')",
    ]
    if database_url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            for s in statements + rows:
                conn.execute(s)
    else:
        with sqlite3.connect(database_url) as conn:
            for s in statements + rows:
                conn.execute(s)


def test_a_database_of_the_previous_release_is_upgraded_and_keeps_its_data(database_url,
                                                                             clock):
    _old_release_database(database_url)
    with running_centre(database_url, clock=clock) as centre, requests.Session() as s:
        with centre.service.db.read() as tx:
            assert tx.scalar("SELECT MAX(version) FROM schema_version") == LATEST
        s.headers.update(centre.kiosk_headers())
        # Today's numbers carry on after the upgrade: K007 was the last one taken.
        r = s.post(f"{centre.url}/v1/tickets", json={"matter_id": "birth-cert"},
                   headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=10)
        assert r.json()["number"] == "K008" and r.json()["ahead"] == 1
        old = requests.get(f"{centre.url}/v1/reports/R202611240001",
                           headers=centre.staff_headers(), timeout=10).json()
        assert old["status"] == "received" and old["description"] == "old report"
    again = Database(database_url)  # a second start finds nothing to do
    try:
        assert upgrade(again) == (LATEST, LATEST)
    finally:
        again.close()


def test_instances_starting_at_once_upgrade_an_empty_database_once(database_url):
    databases: list[Database] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(4)

    def start() -> None:
        gate.wait()
        try:
            databases.append(Database(database_url, pool_size=2))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert not errors, errors
        with databases[0].read() as tx:
            versions = [r["version"] for r in tx.all("SELECT version FROM schema_version "
                                                     "ORDER BY version")]
        assert versions == list(range(1, LATEST + 1))
    finally:
        for db in databases:
            db.close()


# -- text the database refuses ------------------------------------------------------------
@pytest.mark.parametrize("text", ["a\x00b", "\ud800"])
def test_text_postgresql_refuses_is_a_422_on_both_engines(centre, kiosk_http, text):
    body = json.dumps({"location": text, "reason": "assist"})
    r = kiosk_http.post(f"{centre.url}/v1/help-calls", data=body.encode("utf-8", "surrogatepass"),
                        headers={"Idempotency-Key": uuid.uuid4().hex,
                                 "Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 422 and r.json()["reason"] == "request.invalid", r.text
    fine = kiosk_http.post(f"{centre.url}/v1/help-calls", json={"location": "一楼 A 区"},
                           headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    assert fine.status_code == 201


# -- many halls ------------------------------------------------------------------------------
def test_halls_have_their_own_numbers_data_and_tokens(centre, kiosk_http, staff_http):
    service: CentralService = centre.service
    publish_config(service, demo_config(), generate_private_key(), hall="east")
    east_kiosk = service.add_kiosk("east-01", "east")
    east_staff = service.set_staff_token("east")
    east = requests.Session()
    east.headers["Authorization"] = f"Bearer {east_kiosk}"
    east_staff_http = requests.Session()
    east_staff_http.headers["Authorization"] = f"Bearer {east_staff}"

    def take(session: requests.Session) -> dict:
        r = session.post(f"{centre.url}/v1/tickets", json={"matter_id": "birth-cert"},
                         headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=10)
        assert r.status_code == 201, r.text
        return r.json()

    try:
        assert [take(kiosk_http)["number"] for _ in range(3)] == ["K001", "K002", "K003"]
        east_ticket = take(east)
        assert east_ticket["number"] == "K001" and east_ticket["ahead"] == 0
        # A kiosk token never sees another hall's data.
        default_ticket = take(kiosk_http)
        assert east.get(f"{centre.url}/v1/tickets/{default_ticket['id']}",
                        timeout=10).status_code == 404
        report = kiosk_http.post(f"{centre.url}/v1/reports", json={
            "situation": "other", "description": "窗口无人", "phone": "13800000000"},
            headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=10).json()
        assert east.get(f"{centre.url}/v1/reports/{report['tracking_no']}",
                        timeout=10).status_code == 404
        # Staff of one hall see and handle only their hall.
        assert east_staff_http.get(f"{centre.url}/v1/staff/reports", timeout=10).json() == []
        assert len(staff_http.get(f"{centre.url}/v1/staff/reports", timeout=10).json()) == 1
        assert [k["id"] for k in east_staff_http.get(f"{centre.url}/v1/kiosks",
                                                     timeout=10).json()] == ["east-01"]
        assert east_staff_http.post(f"{centre.url}/v1/staff/kiosks/{centre.kiosk_id}/revoke",
                                    timeout=10).status_code == 404
        called = east_staff_http.post(f"{centre.url}/v1/staff/queues/birth-cert/call-next",
                                      json={"window": "3"}, timeout=10).json()
        assert called["id"] == east_ticket["id"]
        # Each hall gets its own configuration versions.
        assert json.loads(east.get(f"{centre.url}/v1/kiosks/east-01/config",
                                   timeout=10).json()["body"])["version"] == 1
        with pytest.raises(ValueError, match="belongs to hall"):
            service.add_kiosk("east-01")
    finally:
        east.close()
        east_staff_http.close()


def test_cli_add_kiosk_publish_and_staff_token_take_a_hall(tmp_path):
    db = tmp_path / "central.db"
    key = tmp_path / "key.pem"
    assert central("keygen", "--key", str(key), cwd=tmp_path).returncode == 0
    config = ROOT / "central" / "demo_config.toml"
    published = central("publish", str(config), "--key", str(key), "--database", str(db),
                        "--hall", "west", cwd=tmp_path)
    assert published.returncode == 0, published.stderr
    assert central("add-kiosk", "west-01", "--hall", "west", "--database", str(db),
                   cwd=tmp_path).returncode == 0
    service = CentralService(Database(db))
    try:
        assert service.latest_config_version("west") == 1
        assert service.latest_config_version() == 0
        assert [k["id"] for k in service.kiosks("west")] == ["west-01"]
        assert service.kiosks() == []
    finally:
        service.db.close()


def test_windows_calling_at_once_never_get_the_same_ticket(database_url, clock):
    # 16 numbers from one kiosk token: more than its per-minute allowance, so limits are off.
    with running_centre(database_url, clock=clock, limits=RateLimits.off()) as centre, \
            requests.Session() as kiosk_http:
        kiosk_http.headers.update(centre.kiosk_headers())
        _windows_call_at_once(centre, kiosk_http)


def _windows_call_at_once(centre, kiosk_http):
    taken = set()
    for _ in range(16):
        r = kiosk_http.post(f"{centre.url}/v1/tickets", json={"matter_id": "birth-cert"},
                            headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=10)
        taken.add(r.json()["id"])
    called: list[str] = []
    empty: list[int] = []
    gate = threading.Barrier(20)

    def window(n: int) -> None:
        with requests.Session() as s:
            s.headers.update(centre.staff_headers())
            gate.wait()
            r = s.post(f"{centre.url}/v1/staff/queues/birth-cert/call-next",
                       json={"window": str(n)}, timeout=30)
            if r.status_code == 200:
                called.append(r.json()["id"])
            else:
                assert r.json()["reason"] == "queue.empty", r.text
                empty.append(n)

    threads = [threading.Thread(target=window, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(called) == sorted(taken) and len(empty) == 4
