"""Several `central serve` processes on one PostgreSQL: numbers, idempotency, pushes, pool.

Each test starts real instances (``python -m central serve``) as separate processes on a fresh
database of the session's throwaway PostgreSQL server and talks HTTP to them.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import requests

from central.db import Database
from central.publishing import publish_config
from central.service import CentralService
from central.testing import ServeProcess, demo_config, serve_processes
from hall.signing import generate_private_key

pytestmark = pytest.mark.slow
MATTER = "birth-cert"  # no daily quota in the demo hall, prefix K

# One kiosk token plays many kiosks here: its per-kiosk and per-person ticket limits are off.
LOAD = ["--kiosk-ticket-rate", "0", "--person-tickets", "0"]


def open_all_hours(config: dict) -> dict:
    all_hours = {"open": "00:00", "close": "23:59", "days": [1, 2, 3, 4, 5, 6, 7]}
    for matter in config["matters"]:
        matter["hours"] = dict(all_hours)
    config["hall"]["staffed"] = [dict(all_hours)]
    return config


@pytest.fixture
def pg_url(postgres) -> Iterator[str]:
    url = postgres.create_database("instances")
    try:
        yield url
    finally:
        postgres.drop_database(url)


def seed(url: str, kiosks: int, hall: str = "default") -> tuple[CentralService, list[str], str]:
    """Publish the demo hall (open all hours) and register kiosks; returns their tokens."""
    service = CentralService(Database(url, pool_size=2))
    publish_config(service, open_all_hours(demo_config()), generate_private_key(), hall=hall)
    tokens = [service.add_kiosk(f"{hall}-k{i:02d}", hall) for i in range(kiosks)]
    return service, tokens, service.set_staff_token(hall)


def stop_all(instances: list[ServeProcess]) -> None:
    for instance in instances:
        instance.stop()


def test_three_instances_started_together_on_an_empty_database_hand_out_gapless_numbers(pg_url):
    instances = serve_processes(pg_url, 3, extra=LOAD)  # all three migrate the empty database at once
    service, tokens, _staff = seed(pg_url, 30)
    numbers: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()

    def kiosk(index: int) -> None:
        base = [i.url for i in instances]
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {tokens[index]}"
            mine = []
            for n in range(100):  # round robin over the instances
                r = session.post(f"{base[(index + n) % 3]}/v1/tickets", json={"matter_id": MATTER},
                                 headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=30)
                if r.status_code != 201:
                    errors.append(f"{r.status_code} {r.text[:200]}")
                    return
                mine.append(r.json()["number"])
            with lock:
                numbers.extend(mine)

    try:
        threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        assert not errors, errors[:3]
        assert len(numbers) == 3000
        assert sorted(int(n[1:]) for n in numbers) == list(range(1, 3001)), "repeat or gap"
        assert all(i.proc.poll() is None for i in instances), "an instance died"
    finally:
        stop_all(instances)
        service.db.close()


def test_killing_an_instance_mid_run_loses_nothing_acknowledged(pg_url):
    instances = serve_processes(pg_url, 2, extra=LOAD)
    service, tokens, _staff = seed(pg_url, 10)
    acknowledged: dict[str, str] = {}  # idempotency key -> number
    errors: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()

    def kiosk(index: int) -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {tokens[index]}"
            for n in range(60):
                key = uuid.uuid4().hex
                order = [instances[(index + n) % 2], instances[(index + n + 1) % 2]]
                # Like the kiosk's outbox: retry the same key until someone answers.
                for attempt in itertools.count():
                    target = order[attempt % 2]
                    try:
                        r = session.post(f"{target.url}/v1/tickets", json={"matter_id": MATTER},
                                         headers={"Idempotency-Key": key}, timeout=10)
                    except requests.RequestException:
                        continue
                    if r.status_code in (200, 201):
                        with lock:
                            acknowledged[key] = r.json()["number"]
                        break
                    if attempt > 20:
                        errors.append(f"{r.status_code} {r.text[:200]}")
                        return
                if index == 0 and n == 20:
                    instances[0].stop(kill=True)  # SIGKILL mid-run, others still sending
                    killed.set()

    try:
        threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        assert killed.is_set() and instances[0].proc.returncode is not None
        assert not errors, errors[:3]
        assert len(acknowledged) == 600
        with service.db.read() as tx:
            stored = {r["id"]: r["display"] for r in tx.all(
                "SELECT t.display, i.key AS id FROM tickets t JOIN idempotency i "
                "ON i.response LIKE '%' || t.id || '%'")}
        assert stored == acknowledged, "an acknowledged number is missing or differs"
        with service.db.read() as tx:
            assert tx.scalar("SELECT COUNT(*) FROM tickets") == 600, "a retry made a second one"
        assert sorted(int(n[1:]) for n in acknowledged.values()) == list(range(1, 601))
    finally:
        stop_all(instances)
        service.db.close()


def test_one_key_sent_to_two_instances_at_once_gives_one_ticket(pg_url):
    instances = serve_processes(pg_url, 2, extra=LOAD)
    service, tokens, _staff = seed(pg_url, 1)
    answers: dict[str, list[tuple[int, str]]] = {}

    def send(url: str, key: str, gate: threading.Barrier) -> None:
        gate.wait()
        r = requests.post(f"{url}/v1/tickets", json={"matter_id": MATTER}, timeout=30,
                          headers={"Authorization": f"Bearer {tokens[0]}",
                                   "Idempotency-Key": key})
        answers.setdefault(key, []).append((r.status_code, r.json().get("number", r.text)))

    try:
        for _ in range(20):  # a double tap whose two requests reach different instances
            key, gate = uuid.uuid4().hex, threading.Barrier(2)
            twins = [threading.Thread(target=send, args=(i.url, key, gate)) for i in instances]
            for t in twins:
                t.start()
            for t in twins:
                t.join(timeout=30)
        for key, pair in answers.items():
            assert sorted(status for status, _n in pair) == [200, 201], (key, pair)
            assert pair[0][1] == pair[1][1], (key, pair)
        with service.db.read() as tx:
            assert tx.scalar("SELECT COUNT(*) FROM tickets") == 20
    finally:
        stop_all(instances)
        service.db.close()


def test_a_token_changed_on_one_instance_is_refused_by_every_instance(pg_url):
    """Instances remember valid tokens for 5 s; a re-key (the CLI's add-kiosk) or a revoke on
    another instance must still end the old token everywhere well within that."""
    instances = serve_processes(pg_url, 2, extra=LOAD)
    service, tokens, staff = seed(pg_url, 2)

    def status(instance: ServeProcess, token: str) -> tuple[int, str]:
        r = requests.get(f"{instance.url}/v1/kiosks/default-k00/config", timeout=10,
                         headers={"Authorization": f"Bearer {token}"})
        return r.status_code, r.json().get("reason", "") if r.status_code != 200 else ""

    def refused_everywhere_within(token: str, seconds: float) -> list[tuple[int, str]]:
        deadline = time.monotonic() + seconds
        while True:
            seen = [status(i, token) for i in instances]
            if all(code == 401 for code, _reason in seen) or time.monotonic() > deadline:
                return seen
            time.sleep(0.05)

    try:
        for instance in instances:  # both instances have checked (and remember) the token
            assert status(instance, tokens[0]) == (200, "")
        new_token = service.add_kiosk("default-k00")  # re-keyed from another process
        assert refused_everywhere_within(tokens[0], 1.0) == [(401, "auth.invalid")] * 2
        assert [status(i, new_token) for i in instances] == [(200, "")] * 2
        r = requests.post(f"{instances[0].url}/v1/staff/kiosks/default-k00/revoke", timeout=10,
                          headers={"Authorization": f"Bearer {staff}"})
        assert r.status_code < 300, r.text
        assert status(instances[0], new_token) == (401, "auth.revoked")  # its own: at once
        assert refused_everywhere_within(new_token, 1.0) == [(401, "auth.revoked")] * 2
    finally:
        stop_all(instances)
        service.db.close()


def test_a_publish_reaches_kiosks_on_every_instance_at_once(pg_url):
    service, tokens, _staff = seed(pg_url, 2)
    other_token = service.add_kiosk("other-k00", "other")
    instances = serve_processes(pg_url, 2, extra=LOAD)
    received: dict[str, list[str]] = {"a": [], "b": [], "other": []}
    streams = [("a", instances[0].url, "default-k00", tokens[0]),
               ("b", instances[1].url, "default-k01", tokens[1]),
               ("other", instances[1].url, "other-k00", other_token)]
    responses = []

    def listen(name: str, url: str, kiosk_id: str, token: str) -> None:
        r = requests.get(f"{url}/v1/kiosks/{kiosk_id}/events", stream=True, timeout=30,
                         headers={"Authorization": f"Bearer {token}"})
        responses.append(r)
        try:
            for line in r.iter_lines(decode_unicode=True):
                if line.startswith("data:"):
                    received[name].append(line)
        except (requests.RequestException, AttributeError):
            pass  # the test closed the stream

    try:
        threads = [threading.Thread(target=listen, args=s, daemon=True) for s in streams]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while min(len(v) for v in received.values()) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [len(v) for v in received.values()] == [1, 1, 1]  # the version on connect
        publish_config(service, open_all_hours(demo_config()), generate_private_key())
        started = time.monotonic()
        while min(len(received["a"]), len(received["b"])) < 2 and time.monotonic() < started + 5:
            time.sleep(0.01)
        took = time.monotonic() - started
        assert '"version": 2' in received["a"][-1] and '"version": 2' in received["b"][-1]
        assert took < 2.0, f"publish took {took:.2f} s (the safety poll is every 30 s)"
        time.sleep(0.5)
        assert len(received["other"]) == 1, "another hall's kiosk heard of this hall's publish"
    finally:
        stop_all(instances)  # ends the streams (closing a response another thread reads blocks)
        for r in responses:
            r.close()
        service.db.close()


def test_bursts_never_open_more_connections_than_the_pool(pg_url, postgres):
    pool_size = 8
    instances = serve_processes(pg_url, 1, extra=[*LOAD, "--pool-size", str(pool_size)])
    service, tokens, _staff = seed(pg_url, 100)
    url = instances[0].url
    seen: list[int] = []
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            # Minus the seeding service's own pool (up to 2) in this test process.
            seen.append(postgres.connections(pg_url))
            time.sleep(0.02)

    def client(index: int, results: list[int]) -> None:
        headers = {"Authorization": f"Bearer {tokens[index]}",
                   "Idempotency-Key": uuid.uuid4().hex}
        try:
            r = requests.post(f"{url}/v1/tickets", json={"matter_id": MATTER}, headers=headers,
                              timeout=60)
            results.append(r.status_code)
            if r.status_code == 201:
                s = requests.get(f"{url}/v1/tickets/{r.json()['id']}", headers=headers,
                                 timeout=60)
                results.append(s.status_code)
        except requests.RequestException as exc:
            results.append(-1)
            print(exc)

    service.db.close()  # only the server's connections are counted from here on
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        for _burst in range(10):
            results: list[int] = []
            threads = [threading.Thread(target=client, args=(i, results)) for i in range(100)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
        sampling.set()
        sampler.join()
        print(f"connections during the bursts: max {max(seen)}, pool {pool_size}, "
              f"{len(seen)} samples")
        assert max(seen) <= pool_size, f"{max(seen)} connections with a pool of {pool_size}"
        # After the bursts every plain request succeeds.
        after: list[int] = []
        for i in range(50):
            client(i, after)
        assert after == [201, 200] * 50
    finally:
        sampling.set()
        stop_all(instances)


def test_a_database_restart_costs_a_few_503s_then_everything_works():
    from central.testing import ThrowawayPostgres

    server = ThrowawayPostgres()  # its own server: this test restarts it
    instances: list[ServeProcess] = []
    try:
        url = server.create_database()
        service, tokens, _staff = seed(url, 1)
        service.db.close()
        instances = serve_processes(url, 1, extra=LOAD)
        headers = {"Authorization": f"Bearer {tokens[0]}"}
        events: list[str] = []

        def listen() -> None:
            try:
                with requests.get(f"{instances[0].url}/v1/kiosks/default-k00/events",
                                  headers=headers, stream=True, timeout=30) as r:
                    for line in r.iter_lines(decode_unicode=True):
                        if line.startswith("data:"):
                            events.append(line)
            except (requests.RequestException, AttributeError):
                pass

        def take() -> int:
            return requests.post(f"{instances[0].url}/v1/tickets", json={"matter_id": MATTER},
                                 headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
                                 timeout=40).status_code

        threading.Thread(target=listen, daemon=True).start()
        assert [take() for _ in range(3)] == [201] * 3
        server._pg(["pg_ctl", "-D", str(server.data), "-l", str(server.dir / "server.log"),
                    "-m", "fast", "-w", "restart"])
        statuses = [take() for _ in range(20)]
        assert set(statuses) <= {201, 503}, statuses  # never a 500
        assert statuses[-10:] == [201] * 10, statuses
        # The config listener is back too: a publish still reaches the stream at once.
        publisher = CentralService(Database(url, pool_size=2))
        try:
            publish_config(publisher, open_all_hours(demo_config()), generate_private_key())
        finally:
            publisher.db.close()
        deadline = time.monotonic() + 5
        while not any('"version": 2' in e for e in events) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any('"version": 2' in e for e in events), events
    finally:
        stop_all(instances)
        server.stop()
