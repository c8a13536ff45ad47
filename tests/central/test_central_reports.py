"""办不成事 reports: the five-step lifecycle, working-day promises on the hall calendar."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import requests

from central.testing import HALL_TZ, running_centre
from hall.calendar import HallCalendar

REPORT = {"matter_id": "marriage-reg", "situation": "not_accepted",
          "description": "材料齐全但窗口不予受理", "phone": "13800138000"}


def submit(session, centre, key=None, **extra):
    return session.post(f"{centre.url}/v1/reports", json={**REPORT, **extra},
                        headers={"Idempotency-Key": key or uuid.uuid4().hex}, timeout=10)


def test_whole_lifecycle(centre, kiosk_http, staff_http):
    receipt = submit(kiosk_http, centre).json()
    no = receipt["tracking_no"]
    assert re.fullmatch(r"R\d{12}", no) and re.fullmatch(r"\d{4}", receipt["check_code"])
    assert receipt["promised_date"] == "2026-12-01"
    base = f"{centre.url}/v1/staff/reports/{no}"
    assert staff_http.post(f"{base}/accept", json={"note": "首问负责"}).status_code == 200
    classified = staff_http.post(f"{base}/classify", json={"kind": "hard",
                                                           "complexity": "complex"}).json()
    assert classified["kind_name"] == "不好办"
    assert classified["promised_date"] == "2026-12-08"  # 10 working days from Tue 24 Nov
    staff_http.post(f"{base}/dispatch", json={"unit": "区民政局"}).raise_for_status()
    staff_http.post(f"{base}/resolve", json={"resolution": "容缺受理"}).raise_for_status()
    staff_http.post(f"{base}/answer", json={"answer": "已容缺受理，请补交照片"}).raise_for_status()
    seen = kiosk_http.get(f"{centre.url}/v1/reports/{no}",
                          headers={"Check-Code": receipt["check_code"]}).json()
    assert seen["status"] == "answered" and seen["answer"] == "已容缺受理，请补交照片"
    assert [s["name"] for s in seen["steps"]] == ["受理", "分类", "转办", "办结", "反馈"]
    assert all(s["done_at"] for s in seen["steps"])
    assert seen["phone_masked"] == "138****8000" and "phone" not in {
        k for k, v in seen.items() if v == "13800138000"}
    assert "description" not in seen or seen["description"] is None  # kiosks see no details


def test_steps_must_follow_in_order(centre, kiosk_http, staff_http):
    no = submit(kiosk_http, centre).json()["tracking_no"]
    r = staff_http.post(f"{centre.url}/v1/staff/reports/{no}/dispatch", json={"unit": "x"})
    assert r.status_code == 409 and r.json()["reason"] == "report.wrong_step"
    assert r.json()["expected"] == "accepted"


def test_kiosks_cannot_use_staff_endpoints(centre, kiosk_http):
    no = submit(kiosk_http, centre).json()["tracking_no"]
    r = kiosk_http.post(f"{centre.url}/v1/staff/reports/{no}/accept", json={})
    assert r.status_code == 403 and r.json()["reason"] == "auth.staff_only"


def test_retried_report_is_recorded_once(centre, kiosk_http, staff_http):
    first = submit(kiosk_http, centre, key="report-key-1")
    again = submit(kiosk_http, centre, key="report-key-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert len(staff_http.get(f"{centre.url}/v1/staff/reports").json()) == 1


def test_report_requires_an_idempotency_key(centre, kiosk_http):
    r = kiosk_http.post(f"{centre.url}/v1/reports", json=REPORT, timeout=10)
    assert r.status_code == 422 and r.json()["reason"] == "request.idempotency_key_missing"


def test_promises_across_golden_week_and_its_makeup_saturday(database_url, clock):
    clock.set(dt.datetime(2026, 9, 30, 15, 0, tzinfo=HALL_TZ))  # Wed before National Day
    with running_centre(database_url, clock=clock) as centre:
        with requests.Session() as s:
            s.headers.update(centre.kiosk_headers())
            receipt = submit(s, centre).json()
        # Oct 1-7 off; Sat Oct 10 is a make-up working day: 8, 9, 10, 12, 13.
        assert receipt["promised_date"] == "2026-10-13"
        s2 = requests.Session()
        s2.headers.update(centre.staff_headers())
        base = f"{centre.url}/v1/staff/reports/{receipt['tracking_no']}"
        s2.post(f"{base}/accept", json={}).raise_for_status()
        out = s2.post(f"{base}/classify", json={"kind": "not_yet", "complexity": "complex"})
        assert out.json()["promised_date"] == "2026-10-20"  # + 14, 15, 16, 19, 20
        s2.close()


def test_calendar_counts_makeup_days_and_accepts_local_overrides():
    cal = HallCalendar()
    assert cal.add_working_days(dt.date(2026, 9, 30), 5) == dt.date(2026, 10, 13)
    assert cal.is_makeup_workday(dt.date(2026, 10, 10))
    assert not cal.is_working_day(dt.date(2026, 10, 5))
    local = HallCalendar(extra_holidays=[dt.date(2026, 10, 12)],
                         extra_workdays=[dt.date(2026, 10, 11)])
    assert local.add_working_days(dt.date(2026, 9, 30), 5) == dt.date(2026, 10, 13)
    assert local.add_working_days(dt.date(2026, 9, 30), 4) == dt.date(2026, 10, 11)


def by_card(session, centre, id_hash, **params):
    return session.get(f"{centre.url}/v1/card-reports", headers={"Id-Hash": id_hash},
                       params=params, timeout=10)


def test_a_card_finds_its_holders_reports_newest_first(centre, clock, kiosk_http, staff_http):
    from hall.idhash import hash_id_number

    mine = hash_id_number("11010519491231002X", "demo-salt")
    other = hash_id_number("110105194912310037", "demo-salt")
    numbers = []
    for _ in range(7):
        numbers.append(submit(kiosk_http, centre, id_hash=mine).json()["tracking_no"])
        clock.set(clock.when + dt.timedelta(minutes=5))
    theirs = submit(kiosk_http, centre, id_hash=other).json()["tracking_no"]
    submit(kiosk_http, centre)  # no card: found by nobody's card
    staff_http.post(f"{centre.url}/v1/staff/reports/{numbers[-1]}/accept",
                    json={}).raise_for_status()

    found = by_card(kiosk_http, centre, mine)
    assert found.status_code == 200
    listed = [r["tracking_no"] for r in found.json()]
    assert listed == numbers[::-1][:5]  # newest first, five by default
    assert theirs not in listed
    newest = found.json()[0]
    assert newest["status"] == "accepted" and newest["steps"][0]["done_at"]
    # Nothing beyond the tracking-number look-up: no code, no phone, no description.
    assert newest["check_code"] is None and newest["phone"] is None
    assert newest["description"] is None and newest["phone_masked"] == "138****8000"
    assert [r["tracking_no"] for r in by_card(kiosk_http, centre, mine, limit=2).json()] \
        == numbers[::-1][:2]
    assert by_card(kiosk_http, centre, "0" * 64).json() == []
    bad = by_card(kiosk_http, centre, "11010519491231002X")  # a raw number is refused
    assert bad.status_code == 422


def test_card_look_ups_stay_in_the_kiosks_hall(centre, kiosk_http):
    from hall.idhash import hash_id_number

    mine = hash_id_number("11010519491231002X", "demo-salt")
    submit(kiosk_http, centre, id_hash=mine)
    with centre.service.db.write() as tx:
        tx.execute("UPDATE reports SET hall_id = 'elsewhere'")
    assert by_card(kiosk_http, centre, mine).json() == []


def test_card_look_ups_share_the_kiosks_rate_limit(tmp_path, clock):
    from central.limits import RateLimits

    with running_centre(tmp_path / "c.db", clock=clock,
                        limits=RateLimits(lookups_per_kiosk=3)) as centre, \
            requests.Session() as s:
        s.headers.update(centre.kiosk_headers())
        assert [by_card(s, centre, "a" * 64).status_code for _ in range(3)] == [200] * 3
        limited = by_card(s, centre, "b" * 64)
        assert limited.status_code == 429 and limited.json()["reason"] == "report.lookup_limited"
        assert int(limited.headers["Retry-After"]) >= 1
