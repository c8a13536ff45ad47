"""The report progress page is live: /r/{tracking_no}/events?c={check_code}, on both engines.

The stream is guarded like the page (a wrong code and an unknown number answer the same, the
same allowances are spent), says only the step the page shows, hears the desk's every step
within a second - also one taken on another instance of a PostgreSQL database, by NOTIFY -
and ends once the report is answered.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import queue
import re
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest
import requests

from central.desk.accounts import Accounts

PASSWORD = "correct horse battery"
REPORT = {"matter_id": "marriage-reg", "situation": "not_accepted",
          "description": "材料齐全但窗口不予受理", "phone": "13800138000"}
ANSWER = "已容缺受理，请补交照片。联系电话 13912345678。"


def submit(centre) -> dict:
    r = requests.post(f"{centre.url}/v1/reports", json=REPORT, timeout=10,
                      headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 201, r.text
    return r.json()


def events_url(receipt: dict, code: str | None = None) -> str:
    base = receipt["progress_url"].split("?")[0]
    return f"{base}/events?c={receipt['check_code'] if code is None else code}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10000:04d}"


def get(url: str, source: str = "127.0.0.1") -> tuple[int, str, dict[str, str]]:
    """GET from a chosen loopback address (another phone); reads a refusal's whole body."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10,
                                      source_address=(source, 0))
    try:
        conn.request("GET", f"{parts.path}?{parts.query}")
        answer = conn.getresponse()
        body = answer.read().decode() if answer.status != 200 else ""
        return answer.status, body, {k.lower(): v for k, v in answer.getheaders()}
    finally:
        conn.close()


def listen(url: str, out: queue.Queue) -> None:
    """Read a stream as a phone does; (time, event, data), then (time, 'end', None)."""
    try:
        with requests.get(url, stream=True, timeout=30) as r:
            out.put((time.monotonic(), "status_code", r.status_code))
            name = None
            for line in r.iter_lines(decode_unicode=True):
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    out.put((time.monotonic(), name, json.loads(line[6:])))
        out.put((time.monotonic(), "end", None))
    except requests.RequestException:  # the test's server stopped under the open stream
        return


def open_stream(url: str) -> queue.Queue:
    out: queue.Queue = queue.Queue()
    threading.Thread(target=listen, args=(url, out), daemon=True).start()
    return out


def next_event(out: queue.Queue, name: str, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            at, got, data = out.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if got == name:
            return at, data
        assert got in ("ping", "status_code"), (got, data)  # nothing else in between
    raise AssertionError(f"no {name} event within {timeout} s")


class Desk:
    """A clerk at the desk: logs in and posts the order's forms, CSRF token included."""

    def __init__(self, url: str, username: str) -> None:
        self.base = f"{url}/desk"
        self.http = requests.Session()
        page = self.http.get(f"{self.base}/login", timeout=10)
        answer = self.http.post(f"{self.base}/login", timeout=10, data={
            "csrf": self._csrf(page.text), "next": "/desk/inbox", "username": username,
            "password": PASSWORD})
        assert "/desk/inbox" in answer.url, answer.url
        self.csrf = self._csrf(answer.text)

    @staticmethod
    def _csrf(html: str) -> str:
        found = re.search(r'name="csrf" value="([^"]*)"', html)
        assert found, html[:300]
        return found.group(1)

    def act(self, no: str, action: str, **form: str) -> float:
        """Do the action; the time the clerk pressed the button (before the step was stored)."""
        pressed = time.monotonic()
        r = self.http.post(f"{self.base}/orders/{no}/{action}", timeout=10,
                           data={"csrf": self.csrf, **form}, allow_redirects=False)
        assert r.status_code in (200, 303), r.text[:300]
        return pressed

    def close(self) -> None:
        self.http.close()


def add_people(centre) -> None:
    accounts = Accounts(centre.service.db, centre.service.now)
    accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="李娜")
    accounts.add_staff("default", "civil1", PASSWORD, "unit", unit="区民政局")


STEPS = [("accept", {}, "accepted"),
         ("classify", {"kind": "hard", "complexity": "complex"}, "classified"),
         ("dispatch", {"unit": "区民政局"}, "dispatched"),
         ("resolve", {"resolution": "已与民政核实"}, "resolved"),
         ("answer", {"answer": ANSWER}, "answered")]


def test_the_stream_refuses_a_wrong_code_exactly_as_an_unknown_number(centre):
    receipt = submit(centre)
    no, code = receipt["tracking_no"], receipt["check_code"]
    unknown = "R000000000001" if no != "R000000000001" else "R000000000002"
    status_w, body_w, headers_w = get(events_url(receipt, wrong(code)), "127.0.4.1")
    status_u, body_u, headers_u = get(events_url({**receipt, "progress_url": receipt[
        "progress_url"].replace(no, unknown)}, wrong(code)), "127.0.4.1")
    assert status_w == status_u == 404
    assert body_w.replace(no, "R?") == body_u.replace(unknown, "R?")  # the path is echoed
    assert {k: v for k, v in headers_w.items() if k not in ("date", "content-length")} \
        == {k: v for k, v in headers_u.items() if k not in ("date", "content-length")}
    assert "text/event-stream" not in headers_w["content-type"]
    # No code, or one of the wrong shape: the same refusal.
    assert get(events_url(receipt, ""), "127.0.4.1")[0] == 404
    assert get(events_url(receipt, "12"), "127.0.4.1")[0] == 404
    # Those were misses like the page's: six more from this address and it is held back,
    # the right code included, on the stream and on the page alike.
    for _ in range(6):
        get(events_url(receipt, wrong(code)), "127.0.4.1")
    status, refusal, headers = get(events_url(receipt), "127.0.4.1")
    assert status == 429 and int(headers["retry-after"]) > 0
    assert json.loads(refusal)["reason"] == "request.rate_limited"
    assert get(receipt["progress_url"], "127.0.4.1")[0] == 429
    # Another phone with the right code opens it, and hears only the step the page shows.
    out = open_stream(events_url(receipt))
    assert next_event(out, "status_code")[1] == 200
    assert next_event(out, "status")[1] == {"step": "received", "answered": False}


def test_opening_the_stream_spends_the_public_pages_allowance(centre):
    receipt = submit(centre)
    limiter = centre.server.config.app.state.public_limiter
    limiter.burst, limiter.per_s = 3, 0.01
    answers = [get(events_url(receipt), "127.0.4.2")[0] for _ in range(5)]
    assert answers[:3] == [200] * 3 and answers[3:] == [429, 429]


def test_every_step_on_the_desk_reaches_an_open_stream_within_a_second(centre):
    add_people(centre)
    receipt = submit(centre)
    no = receipt["tracking_no"]
    out = open_stream(events_url(receipt))
    assert next_event(out, "status")[1]["step"] == "received"
    clerk, civil = Desk(centre.url, "clerk1"), Desk(centre.url, "civil1")
    try:
        for action, form, step in STEPS:
            done = (civil if action == "resolve" else clerk).act(no, action, **form)
            at, data = next_event(out, "status", timeout=3)
            assert data == {"step": step, "answered": step == "answered"}
            assert at - done < 1.0, f"{action}: {at - done:.2f} s"
    finally:
        clerk.close()
        civil.close()
    # Answered: the stream ends (nothing more to wait for), and a new one ends at once.
    next_event(out, "end", timeout=3)
    again = open_stream(events_url(receipt))
    assert next_event(again, "status")[1] == {"step": "answered", "answered": True}
    next_event(again, "end", timeout=3)
    assert not centre.server.config.app.state.report_feed._subscribers.get(no)


def test_the_page_is_live_without_a_fast_refresh(centre):
    receipt = submit(centre)
    html = requests.get(receipt["progress_url"], timeout=10).text
    assert '<script src="/web/static/report.js"></script>' in html
    # Without JavaScript it still looks again, once a minute (never under 10 s).
    refresh = re.search(r'<noscript><meta http-equiv="refresh" content="(\d+)"></noscript>', html)
    assert refresh and int(refresh.group(1)) >= 10
    assert 'data-step="received"' in html
    script = requests.get(f"{centre.url}/web/static/report.js", timeout=10)
    assert script.status_code == 200 and "EventSource" in script.text


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_step_on_one_instance_reaches_a_page_on_another_by_notify(database_url, clock):
    from central.testing import running_centre

    with running_centre(database_url, clock=clock) as first, \
            running_centre(database_url, clock=clock) as second:
        second.server.config.app.state.report_feed.poll_s = 60  # only NOTIFY can tell it
        # The second start re-keyed the demo kiosk and staff: use its tokens on the first.
        first = dataclasses.replace(first, kiosk_token=second.kiosk_token,
                                    staff_token=second.staff_token)
        assert second.server.config.app.state.hub.listening.wait(10)
        add_people(first)
        receipt = submit(first)
        no = receipt["tracking_no"]
        time.sleep(1.5)  # the second instance's poll is now asleep for a minute
        out = open_stream(events_url(receipt).replace(first.url, second.url))
        assert next_event(out, "status")[1]["step"] == "received"
        clerk = Desk(first.url, "clerk1")
        try:
            done = clerk.act(no, "accept")
            at, data = next_event(out, "status", timeout=3)
            assert data["step"] == "accepted" and at - done < 1.0
        finally:
            clerk.close()
