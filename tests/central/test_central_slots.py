"""Appointment slots and the one calling order, over HTTP on both engines, with the test's clock.

A checked-in appointment is called in its booked slot's place: from the slot's start it stands
in the priority line at the slot's time (so among green-channel tickets by that time, ahead of
every walk-in); before its slot it waits as a walk-in from its check-in; checked in later than
the hall's grace after the slot's start, it has lost the slot and is a walk-in.

People ahead (ticket answer, kiosk status, phone page) come from the same order the windows
call by: the property test below lets the windows call and counts.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import uuid

import pytest
import requests

from central.limits import RateLimits
from central.testing import HALL_TZ, running_centre

DAY = "2026-11-24"  # the test clock's Tuesday


def at(hhmm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime(2026, 11, 24, hour, minute, tzinfo=HALL_TZ)


def staff(centre, method: str, path: str, body: dict | None = None) -> requests.Response:
    return requests.request(method, f"{centre.url}/v1/staff{path}", json=body,
                            headers=centre.staff_headers(), timeout=30)


def take(centre, matter: str, **extra) -> dict:
    r = requests.post(f"{centre.url}/v1/tickets", json={"matter_id": matter, **extra},
                      headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex},
                      timeout=30)
    assert r.status_code == 201, r.text
    return r.json()


def book(centre, matter: str, slot: str) -> str:
    r = staff(centre, "POST", "/appointments", {"matter_id": matter, "day": DAY, "slot": slot})
    assert r.status_code == 201, r.text
    assert r.json()["slot_at"] == at(slot).isoformat()
    return r.json()["code"]


def check_in(centre, matter: str, slot: str) -> dict:
    ticket = take(centre, matter, appointment_code=book(centre, matter, slot))
    assert ticket["priority"] == "appointment"
    return ticket


def call(centre, window: str) -> dict:
    r = staff(centre, "POST", f"/windows/{window}/call-next")
    assert r.status_code == 200, r.text
    return r.json()


def ahead(centre, ticket: dict) -> int:
    r = requests.get(f"{centre.url}/v1/tickets/{ticket['id']}", headers=centre.kiosk_headers(),
                     timeout=30)
    assert r.status_code == 200 and r.json()["status"] == "waiting", r.text
    return int(r.json()["ahead"])


def test_an_early_appointment_waits_as_a_walk_in_and_is_called_in_its_slots_place(centre):
    clock = centre.clock
    staff(centre, "PUT", "/windows/21", {"matters": ["marriage-reg"]})
    clock.set(at("10:00"))
    w1 = take(centre, "marriage-reg")
    clock.set(at("10:01"))
    w2 = take(centre, "marriage-reg")
    clock.set(at("10:02"))
    appt = check_in(centre, "marriage-reg", "10:30")  # 28 minutes early
    # Early: a walk-in from its check-in, so the answer says two ahead.
    assert appt["ahead"] == 2
    clock.set(at("10:03"))
    w3 = take(centre, "marriage-reg")
    assert w3["ahead"] == 3

    clock.set(at("10:10"))
    assert call(centre, "21")["number"] == w1["number"]
    assert [ahead(centre, t) for t in (w2, appt, w3)] == [0, 1, 2]

    clock.set(at("10:30"))  # the slot starts: the appointment goes ahead of the walk-ins
    assert [ahead(centre, t) for t in (w2, appt, w3)] == [1, 0, 2]
    called = call(centre, "21")
    assert called["number"] == appt["number"]
    assert called["appointment_slot"] == at("10:30").isoformat()
    assert [call(centre, "21")["number"] for _ in range(2)] == [w2["number"], w3["number"]]
    # The stored call says it came from its slot (it counts towards priority_every).
    with centre.service.db.read() as tx:
        detail = tx.scalar("SELECT detail FROM ticket_events WHERE ticket_id = ? AND "
                           "kind = 'called'", (appt["id"],))
    assert detail == "slot"


def test_a_late_check_in_beyond_the_grace_loses_the_slot_and_the_grace_is_the_halls(centre):
    clock = centre.clock
    rules = staff(centre, "PUT", "/calling-rules",
                  {"priority_every": 0, "no_show_after": 2, "slot_grace_min": 5}).json()
    assert rules == {"priority_every": 0, "no_show_after": 2, "slot_grace_min": 5}
    staff(centre, "PUT", "/windows/21", {"matters": ["marriage-reg"]})
    clock.set(at("10:00"))
    walk_in = take(centre, "marriage-reg")
    clock.set(at("10:04"))
    in_grace = check_in(centre, "marriage-reg", "10:00")  # 4 min late: keeps its place
    assert in_grace["ahead"] == 0
    clock.set(at("10:07"))
    too_late = check_in(centre, "marriage-reg", "10:00")  # 7 min late: a walk-in now
    assert too_late["ahead"] == 2
    clock.set(at("10:08"))
    assert [ahead(centre, t) for t in (walk_in, in_grace, too_late)] == [1, 0, 2]

    # A longer grace (the hall's setting, read at every call) gives the slot back.
    assert staff(centre, "PUT", "/calling-rules", {"priority_every": 0, "no_show_after": 2,
                                                    "slot_grace_min": 10}).status_code == 200
    assert [ahead(centre, t) for t in (walk_in, in_grace, too_late)] == [2, 0, 1]
    # Leaving it out keeps it.
    kept = staff(centre, "PUT", "/calling-rules", {"priority_every": 0, "no_show_after": 2})
    assert kept.json()["slot_grace_min"] == 10
    assert [call(centre, "21")["number"] for _ in range(3)] == [
        in_grace["number"], too_late["number"], walk_in["number"]]


def test_a_slot_takes_its_place_among_the_green_channel_by_its_time(centre):
    clock = centre.clock
    staff(centre, "PUT", "/windows/21", {"matters": ["marriage-reg"]})
    clock.set(at("10:20"))
    walk_in = take(centre, "marriage-reg")
    appt = check_in(centre, "marriage-reg", "10:35")
    clock.set(at("10:31"))
    elder_before = take(centre, "marriage-reg", priority="elderly")
    clock.set(at("10:40"))
    elder_after = take(centre, "marriage-reg", priority="disabled")
    # 10:40: the 10:35 slot has started; the 10:31 elder came before it, the 10:40 one after.
    assert elder_after["ahead"] == 2
    clock.set(at("10:45"))
    order = [call(centre, "21") for _ in range(4)]
    assert [t["number"] for t in order] == [elder_before["number"], appt["number"],
                                            elder_after["number"], walk_in["number"]]
    assert order[0]["green_channel"] and not order[1]["green_channel"]


def test_slots_keep_the_halls_priority_every_rule(centre):
    """One walk-in after every N priority-line calls: slots count as priority-line calls."""
    clock = centre.clock
    staff(centre, "PUT", "/calling-rules", {"priority_every": 2, "no_show_after": 2})
    staff(centre, "PUT", "/windows/21", {"matters": ["marriage-reg"]})
    clock.set(at("10:00"))
    walk_in = take(centre, "marriage-reg")
    slots = [check_in(centre, "marriage-reg", "10:10") for _ in range(3)]
    clock.set(at("10:10"))
    assert ahead(centre, walk_in) == 2
    assert [call(centre, "21")["number"] for _ in range(4)] == [
        slots[0]["number"], slots[1]["number"], walk_in["number"], slots[2]["number"]]


def test_estimated_wait_is_people_ahead_at_the_pace_of_the_windows_serving_the_queue(centre):
    """Window 1 serves in 6 minutes, window 2 in 12: together one ticket every 4 minutes."""
    clock = centre.clock
    clock.set(at("10:00"))
    staff(centre, "PUT", "/windows/1", {"matters": ["birth-cert"]})
    staff(centre, "PUT", "/windows/2", {"matters": ["birth-cert", "elderly-allowance"]})
    for _ in range(2):
        take(centre, "birth-cert")
    call(centre, "1")
    call(centre, "2")
    clock.set(at("10:06"))
    assert staff(centre, "POST", "/windows/1/served").status_code == 200
    clock.set(at("10:12"))
    assert staff(centre, "POST", "/windows/2/served").status_code == 200
    waiting = []
    for minute in ("10:13", "10:14", "10:15"):
        clock.set(at(minute))
        waiting.append(take(centre, "birth-cert"))
    clock.set(at("10:16"))
    mine = take(centre, "elderly-allowance")
    # Windows 1 and 2 take turns: birth-cert, birth-cert (2), birth-cert (1), then mine (2).
    assert [ahead(centre, t) for t in waiting] == [0, 1, 2]
    # Mine: only window 2 serves its queue, and it calls one birth-cert ticket first.
    assert ahead(centre, mine) == 1 and mine["ahead"] == 1
    page = requests.get(mine["track_url"], timeout=30).text
    assert re.search(r'id="ahead">1<', page)
    assert "预计等候约 <span class=\"minutes\">12</span> 分钟" in page  # 1 x 12 min at window 2
    page = requests.get(waiting[2]["track_url"], timeout=30).text
    assert "预计等候约 <span class=\"minutes\">8</span> 分钟" in page  # 2 / (1/6 + 1/12)
    assert waiting[2]["estimated_wait_min"] == 8


MATTERS = ("marriage-reg", "divorce-reg", "birth-cert")  # the first two take appointments


@pytest.fixture
def unlimited_centre(database_url, clock):
    """The test's one kiosk stands in for a hall's several: its per-kiosk limit is off."""
    with running_centre(database_url, clock=clock, limits=RateLimits.off()) as running:
        yield running


@pytest.mark.parametrize("seed", range(8))  # 0: the streak, 3: the turns matter
def test_people_ahead_is_the_number_the_windows_call_first(unlimited_centre, seed):
    """Random small queues, pooled windows, green channel, slots and priority_every: each
    waiting ticket's people ahead equals the tickets the windows then call before it (by
    windows that serve its queue), the windows taking turns, the one idle longest first."""
    centre = unlimited_centre
    rng = random.Random(seed)
    clock = centre.clock
    every = rng.choice([0, 1, 2])
    staff(centre, "PUT", "/calling-rules", {"priority_every": every, "no_show_after": 2,
                                            "slot_grace_min": 15})
    windows: dict[str, set[str]] = {}
    for w in ("1", "2", "3")[: rng.choice([2, 3])]:
        windows[w] = set(rng.sample(MATTERS, rng.choice([1, 2, 3])))
    for missing in set(MATTERS) - set().union(*windows.values()):
        windows[rng.choice(sorted(windows))].add(missing)  # every queue has a window
    for w, matters in windows.items():
        assert staff(centre, "PUT", f"/windows/{w}", {"matters": sorted(matters)}).ok

    history: list[str] = []  # windows in the order they called
    tickets: list[dict] = []
    clock.set(at("10:00"))
    for i in range(rng.randint(8, 13)):
        clock.set(at("10:00") + dt.timedelta(minutes=2 * i))
        matter = rng.choice(MATTERS)
        kind = rng.choice(["walk-in", "walk-in", "green", "slot"] if matter != "birth-cert"
                          else ["walk-in", "green"])
        if kind == "green":
            tickets.append(take(centre, matter, priority="elderly"))
        elif kind == "walk-in":
            tickets.append(take(centre, matter))
        else:
            now = clock.when
            slot = rng.choice([now + dt.timedelta(minutes=rng.choice([-10, 0, 5])),  # due
                               at("10:40") + dt.timedelta(minutes=rng.choice([5, 30])),  # early
                               now - dt.timedelta(minutes=20)])  # too late
            tickets.append(check_in(centre, matter, f"{slot:%H:%M}"))
        if rng.random() < 0.25:  # now and then a window calls while people still arrive
            w = rng.choice(sorted(windows))
            if staff(centre, "POST", f"/windows/{w}/call-next").status_code == 200:
                history.append(w)
    clock.set(at("10:30") if clock.when < at("10:30") else clock.when)
    # The last ticket: issued now, its answer's people ahead is what the windows will do.
    last = take(centre, rng.choice(MATTERS))
    tickets.append(last)

    with centre.service.db.read() as tx:
        status = {r["id"]: r["status"] for r in tx.all("SELECT id, status FROM tickets")}
        queue = {r["id"]: r["q"] for r in tx.all(
            "SELECT id, COALESCE(queue_matter, matter_id) AS q FROM tickets")}
    waiting = [t for t in tickets if status[t["id"]] == "waiting"]
    predicted = {t["id"]: ahead(centre, t) for t in waiting}
    # The phone page says the same.
    probe = rng.choice(waiting)
    page = requests.get(probe["track_url"], timeout=30).text
    assert f'id="ahead">{predicted[probe["id"]]}<' in page

    # The windows take turns: never-called first (by number), then the one that called
    # longest ago; a window with nobody left for it drops out.
    last_call = {w: max((i for i, h in enumerate(history) if h == w), default=-1)
                 for w in windows}
    rotation = sorted(windows, key=lambda w: (last_call[w], int(w)))
    calls: list[tuple[str, str]] = []  # (window, ticket id)
    while rotation:
        w = rotation.pop(0)
        r = staff(centre, "POST", f"/windows/{w}/call-next")
        if r.status_code == 404:
            assert r.json()["reason"] == "queue.empty"
            continue
        assert r.status_code == 200, r.text
        calls.append((w, r.json()["id"]))
        rotation.append(w)
    order = [tid for _w, tid in calls]
    assert sorted(order) == sorted(predicted), "every waiting ticket is called once"
    for t in waiting:
        position = order.index(t["id"])
        called_before = sum(1 for w, _tid in calls[:position] if queue[t["id"]] in windows[w])
        assert predicted[t["id"]] == called_before, (t["number"], calls)
    assert last["ahead"] == predicted[last["id"]]


def test_a_queue_no_window_serves_counts_its_place_the_same_both_ways(unlimited_centre):
    """Before any window opens the ticket answer counts in SQL (the kiosks' morning rush);
    the phone pages' snapshot orders the whole hall. Both give every ticket the same place."""
    centre = unlimited_centre
    clock = centre.clock
    rng = random.Random(7)
    tickets = []
    for i in range(14):
        clock.set(at("10:00") + dt.timedelta(minutes=i))
        kind = rng.choice(["walk-in", "walk-in", "green", "due", "early", "late"])
        if kind == "walk-in":
            tickets.append(take(centre, "marriage-reg"))
        elif kind == "green":
            tickets.append(take(centre, "marriage-reg", priority="disabled"))
        else:
            slot = {"due": clock.when, "early": at("10:45"),
                    "late": clock.when - dt.timedelta(minutes=20)}[kind]
            tickets.append(check_in(centre, "marriage-reg", f"{slot:%H:%M}"))
    clock.set(at("10:20"))
    calling = centre.service.calling
    snapshot = calling.snapshot("default")
    places = [calling.place("default", t["id"]) for t in tickets]
    assert [p[0] for p in places if p] == [snapshot.ahead[t["id"]][1] for t in tickets]
    assert [p[1] for p in places if p] == [snapshot.waits[t["id"]] for t in tickets]
    assert sorted(p[0] for p in places if p) == list(range(len(tickets)))


def test_a_new_walk_ins_quick_answer_is_the_place_the_order_gives_it(unlimited_centre):
    """A new walk-in's answer comes from the hall's cached view while no open window serves
    its queue (no worker-thread trip): it must be exactly the place and wait the calling order
    gives it, with green channel and appointments waiting, and stop being used the moment a
    window opens for the queue (the pooled order differs) or pauses."""
    centre = unlimited_centre
    clock = centre.clock
    clock.set(at("10:00"))
    take(centre, "marriage-reg", priority="elderly")
    check_in(centre, "marriage-reg", "10:45")  # early: a walk-in until its slot
    take(centre, "divorce-reg")
    staff(centre, "PUT", "/windows/7", {"matters": ["birth-cert"]})  # serves another queue

    def agrees(ticket: dict) -> None:
        placed = centre.service.calling.place("default", ticket["id"])
        assert placed is not None and ahead(centre, ticket) == placed[0]
        assert (ticket["ahead"], ticket["estimated_wait_min"]) == (placed[0],
                                                                  math.ceil(placed[1] / 60))

    for minute in range(1, 6):
        clock.set(at("10:00") + dt.timedelta(minutes=minute))
        ticket = take(centre, "marriage-reg")
        assert ticket["ahead"] == minute + 1
        agrees(ticket)
    # Window 21 pools both queues: the divorce walk-in issued at 10:00 now comes first.
    staff(centre, "PUT", "/windows/21", {"matters": ["marriage-reg", "divorce-reg"]})
    clock.set(at("10:10"))
    pooled = take(centre, "marriage-reg")
    assert pooled["ahead"] == 8  # the seven marriage tickets and, pooled, the 10:00 divorce one
    agrees(pooled)
    assert staff(centre, "POST", "/windows/21/pause").ok
    clock.set(at("10:11"))
    paused = take(centre, "marriage-reg")
    assert paused["ahead"] == 8  # its own queue only again: the paused window calls nobody
    agrees(paused)


def test_the_phone_feed_moves_an_early_appointment_up_when_its_slot_starts(centre):
    """Nobody calls at the slot's start, yet the open phone pages hear the new order then:
    the live feed's slot timer refreshes the hall (the test clock ticks in real time here)."""
    import json
    import time

    clock = centre.clock
    staff(centre, "PUT", "/windows/21", {"matters": ["marriage-reg"]})
    clock.set(at("10:00"))
    walk_in = take(centre, "marriage-reg")
    start = at("10:30") - dt.timedelta(seconds=3)
    clock.set(start)
    appt = check_in(centre, "marriage-reg", "10:30")  # 3 s early: behind the walk-in
    assert appt["ahead"] == 1
    page = page_text(centre, appt)
    assert "预约时段 10:30" in page and "Appointment 10:30" in page
    assert "You move up at 10:30, when your appointment starts" in page
    clock.run_from(start)
    seen: list[tuple[float, dict]] = []
    began = time.monotonic()
    with requests.get(f"{centre.url}/t/{walk_in['id']}/events", stream=True,
                      timeout=(5, 10)) as walk_feed, \
            requests.get(f"{centre.url}/t/{appt['id']}/events", stream=True,
                         timeout=(5, 10)) as appt_feed:
        lines = appt_feed.iter_lines(decode_unicode=True)
        for line in lines:
            if line.startswith("data: "):
                status = json.loads(line[len("data: "):])
                seen.append((time.monotonic() - began, status))
                if status["ahead"] == 0:
                    break
        walk_lines = walk_feed.iter_lines(decode_unicode=True)
        walk = [json.loads(x[len("data: "):]) for x in
                (next(line for line in walk_lines if line.startswith("data: ")),
                 next(line for line in walk_lines if line.startswith("data: ")))]
    first, last = seen[0][1], seen[-1][1]
    assert (first["ahead"], first["slot_state"]) == (1, "early")
    assert (last["ahead"], last["slot_state"]) == (0, "in_place")
    # At the slot's start (about 3 s in), not at the 60 s re-check nor at a call.
    assert 1.5 < seen[-1][0] < 6.0, seen
    assert [w["ahead"] for w in walk] == [0, 1]
    with centre.service.db.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM ticket_events WHERE kind = 'called'") == 0


def test_the_phone_page_says_a_late_appointment_is_in_the_ordinary_queue(centre):
    staff(centre, "PUT", "/windows/21", {"matters": ["marriage-reg"]})
    code = book(centre, "marriage-reg", "10:00")
    centre.clock.set(at("10:20"))  # beyond the 15 min grace
    late = take(centre, "marriage-reg", appointment_code=code)
    page = page_text(centre, late)
    assert "预约时段 10:00" in page
    assert "现按普通排队顺序办理" in page and "you are now in the ordinary queue" in page
    assert "will move up" not in page and "You move up" not in page


def page_text(centre, ticket: dict) -> str:
    """The phone page's visible text (hidden sections dropped, tags stripped)."""
    html = requests.get(f"{centre.url}/t/{ticket['id']}", timeout=30).text
    html = re.sub(r"<(p|section)\b[^>]*\bhidden\b[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
