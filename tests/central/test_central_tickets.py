"""Queue numbers: per-matter daily sequences, idempotency, hours, quota, priority."""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid

import requests

from central.limits import RateLimits
from central.testing import HALL_TZ, demo_config, running_centre

THREADS = 20
PER_THREAD = int(os.environ.get("CENTRAL_TICKETS_PER_THREAD", "200"))


def take(session, centre, matter="birth-cert", key=None, **extra):
    return session.post(f"{centre.url}/v1/tickets", json={"matter_id": matter, **extra},
                        headers={"Idempotency-Key": key or uuid.uuid4().hex}, timeout=30)


def test_concurrent_kiosks_get_distinct_numbers_without_gaps(tmp_path, clock):
    # One token stands in for many kiosks here: its per-kiosk rate limit is off.
    with running_centre(tmp_path / "central.db", clock=clock,
                        limits=RateLimits.off()) as centre:
        distinct_and_gapless(centre)


def distinct_and_gapless(centre):
    numbers: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()

    def kiosk() -> None:
        with requests.Session() as session:
            session.headers.update(centre.kiosk_headers())
            mine = []
            for _ in range(PER_THREAD):
                r = take(session, centre)
                if r.status_code != 201:
                    errors.append(f"{r.status_code} {r.text[:200]}")
                    return
                mine.append(r.json()["number"])
            with lock:
                numbers.extend(mine)

    threads = [threading.Thread(target=kiosk) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    total = THREADS * PER_THREAD
    assert len(numbers) == total
    assert len(set(numbers)) == total, "a number was handed out twice"
    assert all(n.startswith("K") for n in numbers)  # birth-cert's prefix letter
    assert sorted(int(n[1:]) for n in numbers) == list(range(1, total + 1)), "gap in numbers"


def test_same_idempotency_key_gives_the_same_number_once(centre, kiosk_http):
    first = take(kiosk_http, centre, "marriage-reg", key="double-tap-0001")
    again = take(kiosk_http, centre, "marriage-reg", key="double-tap-0001")
    other = take(kiosk_http, centre, "marriage-reg")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert first.json()["number"] == "C001" and other.json()["number"] == "C002"


def test_reused_key_with_a_different_request_is_refused(centre, kiosk_http):
    take(kiosk_http, centre, "marriage-reg", key="reused-key-01")
    r = take(kiosk_http, centre, "divorce-reg", key="reused-key-01")
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["reason"] == "request.idempotency_mismatch"


def test_ticket_tells_where_to_go_and_how_many_are_ahead(centre, kiosk_http):
    take(kiosk_http, centre, "marriage-reg")
    t = take(kiosk_http, centre, "marriage-reg").json()
    assert t["number"] == "C002" and t["ahead"] == 1
    assert t["zone"]["floor"] == 3 and t["windows"] == "21-23"
    assert t["tracking_url"].endswith(t["id"])
    status = kiosk_http.get(f"{centre.url}/v1/tickets/{t['id']}").json()
    assert status == {**status, "status": "waiting", "ahead": 1, "window": None}


def test_priority_goes_before_ordinary_tickets(centre, kiosk_http, staff_http):
    ordinary = take(kiosk_http, centre, "marriage-reg").json()
    elder = take(kiosk_http, centre, "marriage-reg", priority="elderly").json()
    assert elder["ahead"] == 0
    assert kiosk_http.get(f"{centre.url}/v1/tickets/{ordinary['id']}").json()["ahead"] == 1
    called = staff_http.post(f"{centre.url}/v1/staff/queues/marriage-reg/call-next",
                             json={"window": "21"}).json()
    assert called["number"] == elder["number"]
    seen = kiosk_http.get(f"{centre.url}/v1/tickets/{elder['id']}").json()
    assert seen["status"] == "called" and seen["window"] == "21"


def test_closed_matter_says_when_it_opens(centre, kiosk_http, clock):
    clock.set(dt.datetime(2026, 11, 24, 18, 30, tzinfo=HALL_TZ))  # Tuesday evening
    r = take(kiosk_http, centre, "marriage-reg")
    assert r.status_code == 409
    body = r.json()
    assert body["reason"] == "ticket.closed" and body["title_zh"]
    assert body["opens_at"].startswith("2026-11-25T09:00")


def test_closed_on_a_statutory_holiday(centre, kiosk_http, clock):
    clock.set(dt.datetime(2026, 10, 5, 10, 0, tzinfo=HALL_TZ))  # Monday in Golden Week
    r = take(kiosk_http, centre, "marriage-reg")
    assert r.json()["reason"] == "ticket.closed"
    assert r.json()["opens_at"].startswith("2026-10-08T09:00")


def test_open_on_a_makeup_saturday(centre, kiosk_http, clock):
    clock.set(dt.datetime(2026, 10, 10, 10, 0, tzinfo=HALL_TZ))  # 调休 Saturday
    assert take(kiosk_http, centre, "marriage-reg").status_code == 201


def test_quota_gone_says_when_to_come_back_and_resets_next_day(database_url, clock):
    config = demo_config()
    for matter in config["matters"]:
        if matter["id"] == "marriage-reg":
            matter["daily_quota"] = 2
    clock.set(dt.datetime(2026, 11, 27, 10, 0, tzinfo=HALL_TZ))  # Friday
    with running_centre(database_url, clock=clock, config=config) as centre, \
            requests.Session() as s:
        s.headers.update(centre.kiosk_headers())
        assert [take(s, centre, "marriage-reg").json()["number"] for _ in range(2)] == [
            "C001", "C002"]
        gone = take(s, centre, "marriage-reg")
        assert gone.status_code == 409 and gone.json()["reason"] == "ticket.quota_gone"
        assert gone.json()["come_back_at"].startswith("2026-11-30T09:00")  # Monday
        clock.set(dt.datetime(2026, 11, 30, 9, 5, tzinfo=HALL_TZ))
        assert take(s, centre, "marriage-reg").json()["number"] == "C001"


def test_self_service_matter_needs_no_number(centre, kiosk_http):
    r = take(kiosk_http, centre, "credit-report")
    assert r.status_code == 422 and r.json()["reason"] == "matter.no_queue"


def test_appointment_check_in(centre, kiosk_http, staff_http):
    booked = staff_http.post(f"{centre.url}/v1/staff/appointments",
                             json={"matter_id": "marriage-reg", "day": "2026-11-24"}).json()
    t = take(kiosk_http, centre, "marriage-reg", appointment_code=booked["code"])
    assert t.status_code == 201 and t.json()["priority"] == "appointment"
    wrong = take(kiosk_http, centre, "marriage-reg", appointment_code="00000000")
    assert wrong.json()["reason"] == "appointment.unknown"


def test_ticket_requires_a_valid_kiosk_token(centre):
    r = requests.post(f"{centre.url}/v1/tickets", json={"matter_id": "marriage-reg"},
                      headers={"Authorization": "Bearer kiosk-01.forged",
                               "Idempotency-Key": "abcdefgh"}, timeout=5)
    assert r.status_code == 401 and r.json()["reason"] == "auth.invalid"
    assert r.headers["content-type"].startswith("application/problem+json")


def test_appointment_check_in_by_id_card_hash(centre, kiosk_http, staff_http):
    id_hash = "ab" * 32
    staff_http.post(f"{centre.url}/v1/staff/appointments", json={
        "matter_id": "marriage-reg", "day": "2026-11-24", "id_hash": id_hash}).raise_for_status()
    take(kiosk_http, centre, "marriage-reg")
    booked = take(kiosk_http, centre, "marriage-reg", id_hash=id_hash).json()
    walk_in = take(kiosk_http, centre, "marriage-reg", id_hash="cd" * 32).json()
    assert booked["priority"] == "appointment" and booked["ahead"] == 0
    assert walk_in["priority"] is None and walk_in["ahead"] == 2
