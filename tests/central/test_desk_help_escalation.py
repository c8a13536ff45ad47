"""An unanswered help call reaches the duty officer, on SQLite and PostgreSQL: in staffed
hours the escalation goes to the duty phone through the notifier (a real HTTP SMS gateway on
127.0.0.1), once per call, audited; a call already phoned after hours is not phoned again."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from typing import ClassVar

import pytest
import requests

from central.desk.accounts import Accounts
from central.desk.helpcalls import HelpCalls
from central.desk.notify import HttpSmsNotifier
from central.desk.orders import WorkOrders
from central.testing import HALL_TZ
from kiosk.services.central import CentralClient

PASSWORD = "correct horse battery"
DUTY_PHONE = "13900001111"
CALL = {"location": "一楼自助区 2 号机", "reason": "assist", "language": "zh"}


class Gateway(http.server.BaseHTTPRequestHandler):
    """An SMS gateway stand-in: records every message, answers ``status``."""

    received: ClassVar[list[dict]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    Gateway.received = []
    Gateway.status = 200
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def kiosk(centre) -> Iterator[CentralClient]:
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def helpdesk(centre, gateway) -> HelpCalls:
    """The running centre's help calls, with a duty phone and the SMS gateway as notifier."""
    Accounts(centre.service.db, centre.service.now).add_staff(
        "default", "duty1", PASSWORD, "duty", display_name="张伟")
    calls: HelpCalls = centre.server.config.app.state.desk.help_calls
    calls.notifier = HttpSmsNotifier(gateway)
    calls.duty_phone = DUTY_PHONE
    calls.escalate_after_s = 60
    return calls


def help_call(kiosk: CentralClient) -> str:
    return str(kiosk.call_help(dict(CALL), idempotency_key=uuid.uuid4().hex)["id"])


def wait_for(check, seconds: float = 6.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    return check()


def audit(centre) -> list[tuple[str, dict]]:
    with centre.service.db.read() as tx:
        rows = tx.all("SELECT action, detail FROM audit_log WHERE action LIKE 'help_escalate%' "
                      "ORDER BY at, id")
    return [(r["action"], json.loads(r["detail"])) for r in rows]


def log_in(centre) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{centre.url}/desk/login", timeout=10)
    token = re.search(r'name="csrf" value="([^"]*)"', page.text).group(1)
    http.post(f"{centre.url}/desk/login", timeout=10, data={
        "csrf": token, "next": "/desk/help", "username": "duty1", "password": PASSWORD})
    return http


def test_an_escalation_in_staffed_hours_reaches_the_duty_phone_once(centre, kiosk, helpdesk):
    waiting = help_call(kiosk)  # Tuesday 10:00: staffed hours, nobody phoned yet
    answered = help_call(kiosk)
    http = log_in(centre)
    try:
        csrf = re.search(r'name="csrf" value="([^"]*)"',
                         http.get(f"{centre.url}/desk/help", timeout=10).text).group(1)
        http.post(f"{centre.url}/desk/help/{answered}/coming", data={"csrf": csrf}, timeout=10)
        time.sleep(1.5)
        assert Gateway.received == []  # in staffed hours a new call phones nobody
        centre.clock.set(centre.clock() + dt.timedelta(seconds=61))
        assert wait_for(lambda: Gateway.received)
        time.sleep(2.5)  # the check runs every second: it must not send again
        assert len(Gateway.received) == 1
        sms = Gateway.received[0]
        assert sms["to"] == DUTY_PHONE
        assert CALL["location"] in sms["text"] and "10:00" in sms["text"]
        assert "提级" in sms["text"] and "1 分钟无人响应" in sms["text"]
        assert audit(centre) == [
            ("help_escalate", {"call": waiting}),
            ("help_escalate_sent", {"call": waiting, "channel": "sms", "status": "sent"})]
        page = wait_for(lambda: (lambda t: t if "已通知值班电话" in t else "")(
            http.get(f"{centre.url}/desk/help", timeout=10).text))
        escalated = re.search(rf'data-call="{waiting}">.*?</li>', page, re.S)
        assert escalated and "已提级至值班长，已通知值班电话" in escalated.group(0)
        messages = http.get(f"{centre.url}/desk/messages", timeout=10).text
        assert "139****1111" in messages and DUTY_PHONE not in messages
    finally:
        http.close()


def test_a_failed_gateway_is_recorded_not_retried_in_a_loop(centre, kiosk, helpdesk):
    Gateway.status = 503
    help_call(kiosk)
    centre.clock.set(centre.clock() + dt.timedelta(seconds=61))
    assert wait_for(lambda: Gateway.received)
    time.sleep(2.5)
    assert len(Gateway.received) == 1
    with centre.service.db.read() as tx:
        sent = tx.all("SELECT status, error FROM messages_sent")
    assert sent == [{"status": "failed", "error": "gateway answered HTTP 503"}]
    assert audit(centre)[-1][1]["status"] == "failed"


def test_a_call_phoned_after_hours_is_not_phoned_again_when_it_escalates(centre, kiosk,
                                                                         helpdesk):
    centre.clock.set(dt.datetime(2026, 11, 24, 21, 30, tzinfo=HALL_TZ))
    at_night = help_call(kiosk)
    assert wait_for(lambda: Gateway.received)
    assert "非工作时间" in Gateway.received[0]["text"]
    centre.clock.set(centre.clock() + dt.timedelta(minutes=5))
    assert wait_for(lambda: audit(centre))
    time.sleep(2.5)
    assert len(Gateway.received) == 1
    assert audit(centre) == [("help_escalate", {"call": at_night})]


def test_without_a_duty_phone_the_escalation_shows_on_the_desk_only(centre, kiosk, helpdesk):
    helpdesk.duty_phone = ""
    help_call(kiosk)
    centre.clock.set(centre.clock() + dt.timedelta(seconds=61))
    assert wait_for(lambda: audit(centre))
    time.sleep(1.5)
    assert Gateway.received == [] and [a for a, _d in audit(centre)] == ["help_escalate"]


def test_instances_escalating_at_once_send_one_message_per_call(centre, kiosk, helpdesk,
                                                                gateway):
    """Four escalation checks at the same moment (as four centre instances on one database
    would run them): each call is escalated and phoned exactly once."""
    calls = [help_call(kiosk) for _ in range(3)]
    checks = []
    for _ in range(4):
        orders = WorkOrders(centre.service)
        checks.append(HelpCalls(centre.service, orders, HttpSmsNotifier(gateway),
                                escalate_after_s=30, duty_phone=DUTY_PHONE))
    gate = threading.Barrier(len(checks))
    errors: list[BaseException] = []

    def run(check: HelpCalls) -> None:
        gate.wait()
        try:
            check.escalate_unanswered()
        except BaseException as exc:
            errors.append(exc)

    centre.clock.set(centre.clock() + dt.timedelta(seconds=40))  # before the hub's 60 s
    threads = [threading.Thread(target=run, args=(c,)) for c in checks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert len(Gateway.received) == 3
    escalated = [d["call"] for a, d in audit(centre) if a == "help_escalate"]
    assert sorted(escalated) == sorted(calls)
