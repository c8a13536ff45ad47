"""Counter calling over HTTP on both engines: pooled windows, green channel, recall, no-show,
served, transfer, pause, measured times, and the public display / phone feeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import queue
import threading
import time
import uuid

import pytest
import requests

from central.web.pages import RateLimiter


def take(centre, matter, **extra) -> dict:
    r = requests.post(f"{centre.url}/v1/tickets", json={"matter_id": matter, **extra},
                      headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex},
                      timeout=30)
    assert r.status_code == 201, r.text
    return r.json()


def staff(centre, method, path, body=None) -> requests.Response:
    return requests.request(method, f"{centre.url}/v1/staff{path}", json=body,
                            headers=centre.staff_headers(), timeout=30)


def act(centre, window, action, body=None, expect=200) -> dict:
    r = staff(centre, "POST", f"/windows/{window}/{action}", body)
    assert r.status_code == expect, r.text
    return r.json()


def later(centre, minutes: float) -> None:
    centre.clock.set(centre.clock.when + dt.timedelta(minutes=minutes))


def events(centre, ticket_id) -> list[tuple[str, str]]:
    with centre.service.db.read() as tx:
        rows = tx.all("SELECT kind, at FROM ticket_events WHERE ticket_id = ? ORDER BY seq",
                      (ticket_id,))
    return [(r["kind"], r["at"]) for r in rows]


def test_comprehensive_window_pools_two_matters_green_channel_first(centre):
    """无差别综合窗口: one window, two matters' queues, called as one by issue time."""
    r = staff(centre, "PUT", "/windows/5", {"matters": ["birth-cert", "elderly-allowance"]})
    assert r.status_code == 200 and r.json()["matters"] == ["birth-cert", "elderly-allowance"]
    k1 = take(centre, "birth-cert")
    later(centre, 1)
    n1 = take(centre, "elderly-allowance")
    later(centre, 1)
    k2 = take(centre, "birth-cert")
    later(centre, 1)
    n2 = take(centre, "elderly-allowance", priority="elderly")
    other = take(centre, "id-card")  # not this window's matter
    assert staff(centre, "GET", "/windows").json()[0]["waiting"] == 4

    called = [act(centre, "5", "call-next")["number"] for _ in range(4)]
    # The elder's green-channel ticket first, then both matters by the time they were issued.
    assert called == [n2["number"], k1["number"], n1["number"], k2["number"]]
    r = staff(centre, "POST", "/windows/5/call-next")
    assert r.status_code == 404 and r.json()["reason"] == "queue.empty"
    # Calling the next one finished the previous ones as served; id-card still waits.
    with centre.service.db.read() as tx:
        statuses = {row["id"]: row["status"] for row in tx.all("SELECT id, status FROM tickets")}
    assert [statuses[t["id"]] for t in (n2, k1, n1)] == ["served"] * 3
    assert statuses[k2["id"]] == "called" and statuses[other["id"]] == "waiting"


def test_hall_rule_lets_a_regular_ticket_through_after_n_priority_calls(centre):
    assert staff(centre, "PUT", "/calling-rules",
                 {"priority_every": 2, "no_show_after": 2}).json()["priority_every"] == 2
    staff(centre, "PUT", "/windows/1", {"matters": ["elderly-allowance"]})
    regular = take(centre, "elderly-allowance")
    green = [take(centre, "elderly-allowance", priority="elderly") for _ in range(3)]
    called = [act(centre, "1", "call-next")["number"] for _ in range(4)]
    assert called == [green[0]["number"], green[1]["number"], regular["number"],
                      green[2]["number"]]


def test_recall_then_no_show_after_the_halls_recalls(centre):
    staff(centre, "PUT", "/windows/21", {"matters": ["marriage-reg"]})
    t = take(centre, "marriage-reg")
    assert act(centre, "21", "call-next")["window"] == "21"
    refused = staff(centre, "POST", "/windows/21/no-show")
    assert refused.status_code == 409 and refused.json()["reason"] == "ticket.recall_first"
    assert act(centre, "21", "recall")["recalls"] == 1
    assert staff(centre, "POST", "/windows/21/no-show").status_code == 409
    assert act(centre, "21", "recall")["recalls"] == 2
    gone = act(centre, "21", "no-show")
    assert gone["status"] == "no_show"
    assert [k for k, _ in events(centre, t["id"])] == ["called", "recalled", "recalled",
                                                        "no_show"]
    # The window is free again: nothing to recall.
    assert staff(centre, "POST", "/windows/21/recall").json()["reason"] == "window.idle"
    # The kiosk's status call knows the new state too.
    status = requests.get(f"{centre.url}/v1/tickets/{t['id']}", headers=centre.kiosk_headers(),
                          timeout=10).json()
    assert status["status"] == "no_show"


def test_served_times_are_stored_and_feed_the_estimated_wait(centre):
    staff(centre, "PUT", "/windows/24", {"matters": ["housing-fund-withdraw"]})
    first = take(centre, "housing-fund-withdraw")
    assert first["estimated_wait_min"] == 0  # nobody ahead
    waiting = [take(centre, "housing-fund-withdraw") for _ in range(3)]
    later(centre, 5)
    act(centre, "24", "call-next")
    later(centre, 8)
    done = act(centre, "24", "served")
    assert done["status"] == "served"
    kinds = events(centre, first["id"])
    assert [k for k, _ in kinds] == ["called", "served"]
    called_at, served_at = (dt.datetime.fromisoformat(at) for _, at in kinds)
    assert served_at - called_at == dt.timedelta(minutes=8)
    # The last of three waiting has two ahead: 2 x the measured 8 minutes at one window.
    page = requests.get(f"{centre.url}/t/{waiting[2]['id']}", timeout=10)
    assert page.status_code == 200
    assert "前面还有 <span id=\"ahead\">2</span> 人" in page.text
    assert "预计等候约 <span class=\"minutes\">16</span> 分钟" in page.text
    # A second window on the same matter halves the estimate.
    staff(centre, "PUT", "/windows/25", {"matters": ["housing-fund-withdraw"]})
    page = requests.get(f"{centre.url}/t/{waiting[2]['id']}", timeout=10)
    assert "预计等候约 <span class=\"minutes\">8</span> 分钟" in page.text
    # A new ticket's answer (and so the kiosk's screen and paper) carries the estimate: three
    # ahead x 8 minutes / two windows.
    assert take(centre, "housing-fund-withdraw")["estimated_wait_min"] == 12


def test_transfer_to_another_matter_or_window(centre):
    staff(centre, "PUT", "/windows/13", {"matters": ["realestate-transfer"]})
    staff(centre, "PUT", "/windows/18", {"matters": ["realestate-mortgage"]})
    moved = take(centre, "realestate-transfer")
    later(centre, 2)
    mortgage = take(centre, "realestate-mortgage")
    act(centre, "13", "call-next")
    out = act(centre, "13", "transfer", {"to_matter": "realestate-mortgage"})
    assert out["status"] == "waiting" and out["matter_id"] == "realestate-mortgage"
    # It keeps its original issue time: ahead of the mortgage ticket issued after it.
    assert act(centre, "18", "call-next")["number"] == moved["number"]
    assert act(centre, "18", "call-next")["number"] == mortgage["number"]

    # Transfer to a window: called there at once; a busy window refuses.
    take(centre, "realestate-transfer")
    act(centre, "13", "call-next")
    busy = staff(centre, "POST", "/windows/13/transfer", {"to_window": "18"})
    assert busy.status_code == 409 and busy.json()["reason"] == "window.busy"
    sent = act(centre, "13", "transfer", {"to_window": "19"})
    assert sent["status"] == "called" and sent["window"] == "19"
    assert act(centre, "19", "served")["status"] == "served"
    bad = staff(centre, "POST", "/windows/13/transfer", {"to_matter": "x", "to_window": "1"})
    assert bad.status_code in (409, 422)


def test_paused_window_calls_nobody_until_resumed(centre):
    staff(centre, "PUT", "/windows/32", {"matters": ["hukou-newborn"]})
    take(centre, "hukou-newborn")
    assert act(centre, "32", "pause")["paused"] is True
    r = staff(centre, "POST", "/windows/32/call-next")
    assert r.status_code == 409 and r.json()["reason"] == "window.paused"
    assert act(centre, "32", "resume")["paused"] is False
    assert act(centre, "32", "call-next")["status"] == "called"
    with centre.service.db.read() as tx:
        kinds = [r["kind"] for r in tx.all("SELECT kind FROM ticket_events WHERE "
                                           "window_no = '32' ORDER BY seq")]
    assert kinds == ["paused", "resumed", "called"]


def test_calling_needs_the_staff_token(centre):
    r = requests.post(f"{centre.url}/v1/staff/windows/5/call-next",
                      headers=centre.kiosk_headers(), timeout=10)
    assert r.status_code == 403
    r = requests.post(f"{centre.url}/v1/staff/windows/5/call-next", timeout=10)
    assert r.status_code == 401


def sse(url: str, out: queue.Queue, stop: threading.Event) -> None:
    """Read a public event stream (no token) and put (time, event, data) on ``out``."""
    try:
        with requests.get(url, stream=True, timeout=30) as r:
            out.put((time.monotonic(), "status_code", r.status_code))
            name = None
            for line in r.iter_lines(decode_unicode=True):
                if stop.is_set():
                    return
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    out.put((time.monotonic(), name, json.loads(line[6:])))
    except requests.RequestException:  # the test's server stopped under the open stream
        return


def next_event(out: queue.Queue, name: str, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            at, got, data = out.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if got == name:
            return at, data
    raise AssertionError(f"no {name} event within {timeout} s")


def test_display_and_phone_feeds_are_public_and_live(centre):
    t = take(centre, "birth-cert")
    assert t["track_url"] == f"{centre.url}/t/{t['id']}"
    assert t["tracking_url"] == t["track_url"]  # the demo hall has no page of its own
    staff(centre, "PUT", "/windows/5", {"matters": ["birth-cert"]})
    stop = threading.Event()
    display: queue.Queue = queue.Queue()
    phone: queue.Queue = queue.Queue()
    for url, out in ((f"{centre.url}/display/events", display),
                     (f"{centre.url}/t/{t['id']}/events", phone)):
        threading.Thread(target=sse, args=(url, out, stop), daemon=True).start()
    try:
        assert next_event(display, "status_code")[1] == 200
        assert next_event(display, "recent")[1] == {"calls": []}
        assert next_event(phone, "status")[1]["status"] == "waiting"
        sent = time.monotonic()
        act(centre, "5", "call-next")
        at, call = next_event(display, "call")
        assert at - sent < 1.0
        assert call["number"] == t["number"] and call["window"] == "5"
        assert call["zone_name"] == "综合窗口区"
        at, status = next_event(phone, "status")
        assert at - sent < 2.0 and status["status"] == "called" and status["window"] == "5"
        act(centre, "5", "recall")
        assert next_event(display, "call")[1]["kind"] == "recalled"
        wav = requests.get(centre.url + call["audio_url"], timeout=30)
        assert wav.status_code == 200 and wav.headers["content-type"] == "audio/wav"
        assert wav.content[:4] == b"RIFF"
    finally:
        stop.set()


def test_public_pages_are_rate_limited(centre):
    # The running app's bucket for public pages, made tiny for this test.
    limiter: RateLimiter = centre.server.config.app.state.public_limiter
    limiter.burst, limiter.per_s = 3, 0.01
    limiter._buckets.clear()
    codes = [requests.get(f"{centre.url}/display", timeout=10).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert requests.get(f"{centre.url}/display", timeout=10).json()["reason"] == \
        "request.rate_limited"


def test_unknown_ticket_page_is_404(centre):
    assert requests.get(f"{centre.url}/t/{'0' * 32}", timeout=10).status_code == 404


def test_demo_prints_display_url_and_the_pages_need_no_token(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "central", "serve", "--demo", "--port", "0",
                             "--open-all-hours", "--database", str(tmp_path / "demo.db")],
                            stdout=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(root)})
    try:
        line = json.loads(proc.stdout.readline())
        assert line["display_url"] == f"{line['url']}/display"
        page = requests.get(line["display_url"], timeout=10)
        assert page.status_code == 200 and "最近叫号" in page.text
        ticket = requests.post(f"{line['url']}/v1/tickets", json={"matter_id": "birth-cert"},
                               headers={"Authorization": f"Bearer {line['kiosk_token']}",
                                        "Idempotency-Key": uuid.uuid4().hex}, timeout=10).json()
        assert ticket["track_url"] == f"{line['url']}/t/{ticket['id']}"
        phone = requests.get(ticket["track_url"], timeout=10)
        assert phone.status_code == 200 and ticket["number"] in phone.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def test_a_halls_display_and_windows_see_only_its_own_calls(centre):
    from central.publishing import publish_config
    from central.testing import demo_config

    publish_config(centre.service, demo_config(), centre.key, hall="east")
    east_kiosk = centre.service.add_kiosk("east-01", "east")
    east_staff = {"Authorization": f"Bearer {centre.service.set_staff_token('east')}"}
    r = requests.post(f"{centre.url}/v1/tickets", json={"matter_id": "birth-cert"},
                      headers={"Authorization": f"Bearer {east_kiosk}",
                               "Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    east_ticket = r.json()
    mine = take(centre, "birth-cert")
    assert east_ticket["number"] == mine["number"] == "K001"  # numbers run per hall
    stop = threading.Event()
    default_display: queue.Queue = queue.Queue()
    east_display: queue.Queue = queue.Queue()
    for url, out in ((f"{centre.url}/display/events", default_display),
                     (f"{centre.url}/display/events?hall=east", east_display)):
        threading.Thread(target=sse, args=(url, out, stop), daemon=True).start()
    try:
        next_event(default_display, "recent")
        next_event(east_display, "recent")
        requests.put(f"{centre.url}/v1/staff/windows/5", json={"matters": ["birth-cert"]},
                     headers=east_staff, timeout=10).raise_for_status()
        called = requests.post(f"{centre.url}/v1/staff/windows/5/call-next",
                               headers=east_staff, timeout=10).json()
        assert called["id"] == east_ticket["id"]
        assert next_event(east_display, "call")[1]["number"] == "K001"
        with pytest.raises(AssertionError):
            next_event(default_display, "call", timeout=1.5)
        # The default hall's window 5 does not exist and its ticket still waits.
        assert staff(centre, "GET", "/windows").json() == []
        page = requests.get(mine["track_url"], timeout=10)
        assert 'data-status="waiting"' in page.text
        assert requests.get(f"{centre.url}/display?hall=nowhere", timeout=10).status_code == 404
    finally:
        stop.set()


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_call_on_one_instance_reaches_displays_on_another_by_notify(database_url, clock):
    from central.testing import running_centre

    with running_centre(database_url, clock=clock) as first, \
            running_centre(database_url, clock=clock) as second:
        second.server.config.app.state.live.poll_s = 60  # only NOTIFY can tell it in time
        # The second start re-keyed the demo kiosk and staff: use its tokens on the first.
        first = dataclasses.replace(first, kiosk_token=second.kiosk_token,
                                    staff_token=second.staff_token)
        hub = second.server.config.app.state.hub
        assert hub.listening.wait(10)
        time.sleep(1.5)  # the second instance's poll is now asleep for a minute
        take(first, "birth-cert")
        stop = threading.Event()
        display: queue.Queue = queue.Queue()
        threading.Thread(target=sse, args=(f"{second.url}/display/events", display, stop),
                         daemon=True).start()
        try:
            next_event(display, "recent")
            staff(first, "PUT", "/windows/5", {"matters": ["birth-cert"]})
            sent = time.monotonic()
            act(first, "5", "call-next")
            at, call = next_event(display, "call", timeout=3)
            assert call["number"] == "K001" and at - sent < 1.0
        finally:
            stop.set()
