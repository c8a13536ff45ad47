"""Help calls, live, over real HTTP on SQLite and PostgreSQL: the desk's event stream hears a
kiosk's call, "I'm coming" reaches the kiosk client, a cancel at the kiosk closes the call on
the desk, an unanswered call escalates, and after hours the duty phone is told."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import queue
import re
import threading
import time
import uuid
from collections.abc import Iterator
from typing import ClassVar

import pytest
import requests

from central.desk.accounts import Accounts
from central.testing import HALL_TZ
from kiosk.services.central import CentralClient, CentralRejected, CentralServerError

PASSWORD = "correct horse battery"
CALL = {"location": "一楼自助区 2 号机", "reason": "assist", "language": "zh"}


@pytest.fixture
def people(centre):
    accounts = Accounts(centre.service.db, centre.service.now)
    accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="李娜")
    accounts.add_staff("default", "duty1", PASSWORD, "duty", display_name="张伟")
    accounts.add_staff("default", "civil1", PASSWORD, "unit", unit="区民政局")
    return accounts


@pytest.fixture
def kiosk(centre) -> Iterator[CentralClient]:
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def helpdesk(centre):
    return centre.server.config.app.state.desk.help_calls


def log_in(centre, username: str) -> tuple[requests.Session, str]:
    http = requests.Session()
    page = http.get(f"{centre.url}/desk/login", timeout=10)
    token = re.search(r'name="csrf" value="([^"]*)"', page.text).group(1)
    answer = http.post(f"{centre.url}/desk/login", timeout=10, data={
        "csrf": token, "next": "/desk/help", "username": username, "password": PASSWORD})
    assert answer.ok and answer.url.endswith("/desk/help"), answer.url
    return http, re.search(r'name="csrf" value="([^"]*)"', answer.text).group(1)


class Stream:
    """The desk page's event stream read on a thread: every ``calls`` event in a queue."""

    def __init__(self, http: requests.Session, url: str) -> None:
        self.events: queue.Queue[list[dict]] = queue.Queue()
        self.response = http.get(url, stream=True, timeout=10)
        assert self.response.status_code == 200
        assert self.response.headers["content-type"].startswith("text/event-stream")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        name = None
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name == "calls":
                    self.events.put(json.loads(line[6:])["calls"])
        except Exception:
            return

    def next(self, timeout: float = 5.0) -> list[dict]:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self.response.close()


def help_call(kiosk: CentralClient) -> str:
    return str(kiosk.call_help(dict(CALL), idempotency_key=uuid.uuid4().hex)["id"])


def test_a_call_reaches_the_desk_stream_and_im_coming_reaches_the_kiosk(centre, people, kiosk):
    http, csrf = log_in(centre, "clerk1")
    stream = Stream(http, f"{centre.url}/desk/help/events")
    try:
        assert stream.next() == []  # the snapshot on connect: nothing open
        started = time.monotonic()
        call_id = help_call(kiosk)
        calls = stream.next()
        assert time.monotonic() - started < 1.0
        assert [c["id"] for c in calls] == [call_id]
        assert calls[0]["location"] == CALL["location"] and calls[0]["coming_name"] is None

        before = kiosk.help_call_status(call_id)
        assert before.open and before.coming_name is None

        answer = http.post(f"{centre.url}/desk/help/{call_id}/coming", data={"csrf": csrf},
                           timeout=10)
        assert answer.ok
        assert stream.next()[0]["coming_name"] == "李娜"
        after = kiosk.help_call_status(call_id)
        assert (after.open, after.coming_name, after.coming_role_name,
                after.coming_role_name_en) == (True, "李娜", "窗口人员", "Clerk")
        # the kiosk learns the display name and role only: no username, no staff id
        raw = requests.get(f"{centre.url}/v1/help-calls/{call_id}", timeout=10,
                           headers=centre.kiosk_headers()).json()
        assert "clerk1" not in json.dumps(raw)

        # a second "I'm coming" is refused with who is already on the way
        again = http.post(f"{centre.url}/desk/help/{call_id}/coming", data={"csrf": csrf},
                          timeout=10)
        assert again.status_code == 409 and "李娜" in again.text
        # without the CSRF token nothing happens
        forged = http.post(f"{centre.url}/desk/help/{call_id}/close", data={}, timeout=10)
        assert forged.status_code == 403 and kiosk.help_call_status(call_id).open

        http.post(f"{centre.url}/desk/help/{call_id}/close", data={"csrf": csrf}, timeout=10)
        assert stream.next() == []
        closed = kiosk.help_call_status(call_id)
        assert not closed.open and closed.closed_by == "staff"
        with centre.service.db.read() as tx:
            actions = [r["action"] for r in tx.all(
                "SELECT action FROM audit_log WHERE action LIKE 'help_%' ORDER BY at, id")]
        assert actions == ["help_coming", "help_close"]
    finally:
        stream.close()
        http.close()


def test_a_cancel_at_the_kiosk_closes_the_call_on_the_desk(centre, people, kiosk):
    http, _csrf = log_in(centre, "duty1")
    call_id = help_call(kiosk)
    page = http.get(f"{centre.url}/desk/help", timeout=10)
    assert f'data-call="{call_id}"' in page.text
    stream = Stream(http, f"{centre.url}/desk/help/events")
    try:
        assert [c["id"] for c in stream.next()] == [call_id]
        cancelled = kiosk.cancel_help_call(call_id)
        assert not cancelled.open and cancelled.closed_by == "kiosk"
        assert stream.next() == []
        assert f'data-call="{call_id}"' not in http.get(f"{centre.url}/desk/help",
                                                        timeout=10).text
        assert kiosk.cancel_help_call(call_id).closed_by == "kiosk"  # a repeat is harmless
    finally:
        stream.close()
        http.close()


def test_a_kiosk_sees_and_cancels_only_its_own_calls(centre, people, kiosk):
    call_id = help_call(kiosk)
    other_token = centre.service.add_kiosk("kiosk-02")
    other = CentralClient(centre.url, other_token, "kiosk-02")
    try:
        with pytest.raises(CentralRejected) as seen:
            other.help_call_status(call_id)
        assert seen.value.status == 404
        with pytest.raises(CentralRejected):
            other.cancel_help_call(call_id)
        assert kiosk.help_call_status(call_id).open
    finally:
        other.close()
    # staff tokens use the staff endpoints, not the kiosk's
    answer = requests.get(f"{centre.url}/v1/help-calls/{call_id}", timeout=10,
                          headers=centre.staff_headers())
    assert answer.status_code == 403


def test_an_unanswered_call_escalates_to_the_duty_officer_once(centre, people, kiosk,
                                                               helpdesk):
    helpdesk.escalate_after_s = 60
    answered = help_call(kiosk)
    waiting = help_call(kiosk)
    http, csrf = log_in(centre, "clerk1")
    try:
        http.post(f"{centre.url}/desk/help/{answered}/coming", data={"csrf": csrf}, timeout=10)
        centre.clock.set(centre.clock() + dt.timedelta(seconds=59))
        time.sleep(1.5)  # the check runs every second: nothing is due yet
        assert 'class="call escalated' not in http.get(f"{centre.url}/desk/help", timeout=10).text
        centre.clock.set(centre.clock() + dt.timedelta(seconds=2))
        deadline = time.monotonic() + 5
        page = ""
        while time.monotonic() < deadline:
            page = http.get(f"{centre.url}/desk/help", timeout=10).text
            if "已提级至值班长" in page:
                break
            time.sleep(0.2)
        escalated = re.findall(r'class="call escalated[^"]*" data-call="([0-9a-f]+)"', page)
        assert escalated == [waiting]
        time.sleep(1.5)
        with centre.service.db.read() as tx:
            rows = tx.all("SELECT detail FROM audit_log WHERE action = 'help_escalate'")
        assert [json.loads(r["detail"])["call"] for r in rows] == [waiting]
    finally:
        http.close()


def test_after_hours_the_call_goes_to_the_duty_phone(centre, people, kiosk, helpdesk):
    helpdesk.duty_phone = "13900001111"
    in_hours = help_call(kiosk)  # Tuesday 10:00: staffed, nobody phoned
    centre.clock.set(dt.datetime(2026, 11, 24, 21, 30, tzinfo=HALL_TZ))
    at_night = help_call(kiosk)
    with centre.service.db.read() as tx:
        sent = tx.all("SELECT recipient, body, status FROM messages_sent")
        flags = {r["id"]: (r["after_hours"], r["phoned_at"] is not None) for r in tx.all(
            "SELECT id, after_hours, phoned_at FROM help_calls")}
    assert len(sent) == 1 and sent[0]["recipient"] == "13900001111"
    assert CALL["location"] in sent[0]["body"] and "21:30" in sent[0]["body"]
    assert sent[0]["status"] == "recorded"
    assert flags == {in_hours: (0, False), at_night: (1, True)}
    http, _csrf = log_in(centre, "duty1")
    try:
        assert "已通知值班电话" in http.get(f"{centre.url}/desk/help", timeout=10).text
    finally:
        http.close()


def test_a_unit_handler_has_no_help_calls_page(centre, people):
    http = requests.Session()
    try:
        page = http.get(f"{centre.url}/desk/login", timeout=10)
        token = re.search(r'name="csrf" value="([^"]*)"', page.text).group(1)
        http.post(f"{centre.url}/desk/login", timeout=10, data={
            "csrf": token, "next": "/desk/inbox", "username": "civil1", "password": PASSWORD})
        assert http.get(f"{centre.url}/desk/help", timeout=10).status_code == 403
        assert http.get(f"{centre.url}/desk/help/events", timeout=10).status_code == 403
    finally:
        http.close()


class _Nonsense(http.server.BaseHTTPRequestHandler):
    """A 'centre' that answers a help call's status with shapes off the contract."""

    answers: ClassVar[list[bytes]] = []

    def do_GET(self) -> None:
        body = self.answers.pop(0)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_status_off_the_contract_is_a_clear_error_not_a_name_on_screen() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Nonsense)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Nonsense.answers[:] = [
        b'{"id": "c1", "status": "coming", "coming": null}',
        b'{"id": "c1", "status": "open", "coming": {"name": 7}}',
        b'[1, 2]',
    ]
    client = CentralClient(f"http://127.0.0.1:{server.server_address[1]}", "t", "kiosk-01",
                           retries=0)
    try:
        for _ in range(3):
            with pytest.raises(CentralServerError) as bad:
                client.help_call_status("c1")
            assert bad.value.reason == "central.bad_answer"
    finally:
        client.close()
        server.shutdown()
        server.server_close()


def test_a_call_taken_by_another_instance_reaches_the_desk(database_url):
    """Two `central serve` processes on one database: the kiosk talks to one, the desk page
    is open on the other; the call arrives by the other's 1 s poll, 我来了 travels back."""
    from central.db import Database
    from central.publishing import publish_config
    from central.service import CentralService
    from central.testing import demo_config, serve_processes
    from hall.signing import generate_private_key

    instances = serve_processes(database_url, 2)
    service = CentralService(Database(database_url, pool_size=2))
    try:
        publish_config(service, demo_config(), generate_private_key())
        token = service.add_kiosk("kiosk-09")
        Accounts(service.db, service.now).add_staff("default", "clerk9", PASSWORD, "clerk",
                                                    display_name="窗口 周敏")
        kiosk = CentralClient(instances[0].url, token, "kiosk-09")
        http = requests.Session()
        page = http.get(f"{instances[1].url}/desk/login", timeout=10)
        csrf = re.search(r'name="csrf" value="([^"]*)"', page.text).group(1)
        answer = http.post(f"{instances[1].url}/desk/login", timeout=10, data={
            "csrf": csrf, "next": "/desk/help", "username": "clerk9", "password": PASSWORD})
        csrf = re.search(r'name="csrf" value="([^"]*)"', answer.text).group(1)
        stream = Stream(http, f"{instances[1].url}/desk/help/events")
        try:
            assert stream.next() == []
            started = time.monotonic()
            call_id = help_call(kiosk)
            assert [c["id"] for c in stream.next()] == [call_id]
            assert time.monotonic() - started < 2.5  # the other instance's 1 s poll
            http.post(f"{instances[1].url}/desk/help/{call_id}/coming", data={"csrf": csrf},
                      timeout=10)
            assert kiosk.help_call_status(call_id).coming_name == "窗口 周敏"
        finally:
            stream.close()
            http.close()
            kiosk.close()
    finally:
        service.db.close()
        for instance in instances:
            instance.stop()
