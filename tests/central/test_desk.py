"""The staff desk over real HTTP on SQLite and PostgreSQL: accounts, sessions, CSRF, roles,
the work-order loop, escalation, and the answer reaching the kiosk's progress query."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import requests

from central.desk.accounts import MAX_FAILURES, Accounts
from central.desk.notify import HttpSmsNotifier
from central.testing import HALL_TZ, demo_config
from kiosk.services.central import CentralClient

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
REPORT = {"matter_id": "marriage-reg", "situation": "not_accepted",
          "description": "材料齐全但窗口不予受理", "phone": "13800138000"}


#: Every desk session a test opened; closed after the test (no socket outlives it).
OPEN_SESSIONS: list[requests.Session] = []


@pytest.fixture(autouse=True)
def _close_desk_sessions() -> Iterator[None]:
    yield
    while OPEN_SESSIONS:
        OPEN_SESSIONS.pop().close()


class Desk:
    """A person at the desk: a requests session that logs in and posts forms with CSRF."""

    def __init__(self, centre, username: str, password: str = PASSWORD) -> None:
        self.base = f"{centre.url}/desk"
        self.http = requests.Session()
        OPEN_SESSIONS.append(self.http)
        self.username = username
        self.password = password
        self.csrf = ""

    def login(self, password: str | None = None) -> requests.Response:
        page = self.http.get(f"{self.base}/login", timeout=10)
        token = _csrf(page.text)
        answer = self.http.post(f"{self.base}/login", timeout=10, data={
            "csrf": token, "next": "/desk/inbox", "username": self.username,
            "password": password or self.password})
        if answer.ok and "/desk/inbox" in answer.url:
            self.csrf = _csrf(answer.text)
        return answer

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.base}{path}", timeout=10)

    def post(self, path: str, csrf: str | None = None, **form: str) -> requests.Response:
        return self.http.post(f"{self.base}{path}", timeout=10,
                              data={"csrf": self.csrf if csrf is None else csrf, **form})

    def inbox(self, box: str) -> list[str]:
        page = self.get(f"/inbox?box={box}")
        assert page.status_code == 200 and "/desk/login" not in page.url, page.url
        return re.findall(r'data-no="(R\d+)"', page.text)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, html[:500]
    return found.group(1)


def submit(centre, kiosk_http) -> str:
    answer = kiosk_http.post(f"{centre.url}/v1/reports", json=REPORT, timeout=10,
                             headers={"Idempotency-Key": uuid.uuid4().hex})
    answer.raise_for_status()
    CHECK_CODES[answer.json()["tracking_no"]] = answer.json()["check_code"]
    return str(answer.json()["tracking_no"])


#: The receipt's check code of every report submit() made: a kiosk's look-up needs it.
CHECK_CODES: dict[str, str] = {}


@pytest.fixture
def people(centre):
    accounts = Accounts(centre.service.db, centre.service.now)
    accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="李娜")
    accounts.add_staff("default", "duty1", PASSWORD, "duty", display_name="张伟")
    accounts.add_staff("default", "admin1", PASSWORD, "admin")
    accounts.add_staff("default", "civil1", PASSWORD, "unit", unit="区民政局")
    accounts.add_staff("default", "market1", PASSWORD, "unit", unit="区市场监督管理局")
    return accounts


def test_passwords_are_stored_as_argon2_hashes(centre, people):
    with centre.service.db.read() as tx:
        stored = tx.scalar("SELECT password_hash FROM staff WHERE username = 'clerk1'")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_pages_need_a_login_and_a_session_cookie_is_httponly_lax(centre, people):
    desk = Desk(centre, "clerk1")
    first = desk.get("/inbox?box=new")
    assert first.url.endswith("/desk/login?next=/desk/inbox%3Fbox%3Dnew")
    answer = desk.login()
    assert answer.status_code == 200 and "李娜" in answer.text
    cookie = next(c for c in answer.history[0].raw.headers.getlist("set-cookie")
                  if c.startswith("desk_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/desk" in cookie
    # Kiosk and staff bearer tokens open no desk page: the desk knows only its sessions.
    bearer = requests.get(f"{centre.url}/desk/inbox", headers=centre.staff_headers(),
                          timeout=10)
    assert bearer.url.endswith("/desk/login?next=/desk/inbox")


def test_wrong_passwords_lock_the_account_even_for_the_right_one(centre, people):
    desk = Desk(centre, "clerk1")
    for _ in range(MAX_FAILURES - 1):
        wrong = desk.login("wrong password!")
        assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    locked = desk.login("wrong password!")
    assert locked.status_code == 401 and "已锁定" in locked.text
    still = desk.login(PASSWORD)
    assert still.status_code == 401 and "已锁定" in still.text
    centre.clock.set(centre.clock.when + dt.timedelta(minutes=16))
    assert desk.login(PASSWORD).status_code == 200


def test_a_post_without_the_session_csrf_token_is_refused(centre, kiosk_http, people):
    no = submit(centre, kiosk_http)
    desk = Desk(centre, "clerk1")
    desk.login()
    refused = desk.post(f"/orders/{no}/accept", csrf="forged")
    assert refused.status_code == 403 and "页面已过期" in refused.text
    assert no in desk.inbox("new")  # nothing happened


def test_the_whole_loop_reaches_the_kiosk(centre, kiosk_http, people):
    no = submit(centre, kiosk_http)
    clerk = Desk(centre, "clerk1")
    clerk.login()
    assert no in clerk.inbox("new")
    assert clerk.post(f"/orders/{no}/accept", note="首问负责").status_code == 200
    assert no in clerk.inbox("mine") and no not in clerk.inbox("new")
    page = clerk.post(f"/orders/{no}/classify", kind="hard", complexity="complex")
    assert "不好办" in page.text and "2026-12-08" in page.text  # 10 working days
    clerk.post(f"/orders/{no}/dispatch", unit="区民政局", note="请核实户籍")

    civil, market = Desk(centre, "civil1"), Desk(centre, "market1")
    civil.login()
    market.login()
    assert civil.inbox("unit") == [no]
    assert market.inbox("unit") == [] and market.inbox("all") == []
    assert market.get(f"/orders/{no}").status_code == 404
    assert civil.post(f"/orders/{no}/answer", answer="x").status_code == 403
    civil.post(f"/orders/{no}/resolve", resolution="已容缺受理")

    answer = "已容缺受理，请补交照片"
    done = clerk.post(f"/orders/{no}/answer", answer=answer)
    assert done.status_code == 200 and "已反馈" in done.text
    # The kiosk's own client reads the answer and the state on its progress query.
    client = CentralClient(centre.url, centre.kiosk_token, centre.kiosk_id)
    seen = client.report_status(no, CHECK_CODES[no])
    assert seen.status == "answered" and seen.answer == answer
    raw = kiosk_http.get(f"{centre.url}/v1/reports/{no}", timeout=10,
                         headers={"Check-Code": CHECK_CODES[no]}).json()
    assert (raw["status_name"], raw["status_name_en"]) == ("已答复", "Answered")
    # The citizen was told through the notifier; the desk lists it, the phone masked.
    messages = clerk.get("/messages").text
    assert no in messages and answer in messages and "138****8000" in messages
    assert "13800138000" not in messages
    history = clerk.get(f"/orders/{no}").text
    for who in ("clerk1", "civil1"):
        assert who in history


def test_an_overdue_order_escalates_to_the_duty_officer_once(centre, kiosk_http, people):
    no = submit(centre, kiosk_http)  # Tue 24 Nov, promised Tue 1 Dec (5 working days)
    duty = Desk(centre, "duty1")
    duty.login()
    assert duty.inbox("escalated") == []
    centre.clock.set(dt.datetime(2026, 12, 2, 9, 0, tzinfo=HALL_TZ))
    assert duty.get("/inbox").url.endswith("/desk/login?next=/desk/inbox")  # 12 h sessions
    duty.login()
    assert duty.inbox("overdue") == [no]
    assert duty.inbox("escalated") == [no]
    duty.inbox("escalated")
    with centre.service.db.read() as tx:
        rows = tx.all("SELECT username, action FROM audit_log WHERE tracking_no = ?", (no,))
    assert rows == [{"username": "system", "action": "auto_escalate"}]


def test_due_soon_counts_working_days_not_calendar_days(centre, kiosk_http, people):
    no = submit(centre, kiosk_http)  # promised Tue 1 Dec
    clerk = Desk(centre, "clerk1")
    centre.clock.set(dt.datetime(2026, 11, 26, 10, 0, tzinfo=HALL_TZ))  # Thu: 3 working days
    clerk.login()
    assert clerk.inbox("due_soon") == []
    centre.clock.set(dt.datetime(2026, 11, 27, 10, 0, tzinfo=HALL_TZ))  # Fri: Mon, Tue left
    clerk.login()
    assert clerk.inbox("due_soon") == [no]


def test_escalation_by_hand_needs_a_reason(centre, kiosk_http, people):
    no = submit(centre, kiosk_http)
    clerk = Desk(centre, "clerk1")
    clerk.login()
    assert clerk.post(f"/orders/{no}/escalate", reason="").status_code == 422
    assert clerk.post(f"/orders/{no}/escalate", reason="群众情绪激动").status_code == 200
    duty = Desk(centre, "duty1")
    duty.login()
    assert duty.inbox("escalated") == [no]


def test_a_clerk_cannot_reach_admin_pages(centre, people):
    clerk = Desk(centre, "clerk1")
    clerk.login()
    assert clerk.get("/admin").status_code == 403
    assert clerk.get("/audit").status_code == 403
    added = clerk.post("/admin/staff", username="mole", password="x" * 12, role="admin")
    assert added.status_code == 403
    assert people.staff_by_username("mole") is None


def test_an_admin_adds_a_unit_and_a_handler_who_can_log_in(centre, people):
    admin = Desk(centre, "admin1")
    admin.login()
    admin.post("/admin/units", name="区卫生健康委员会")
    page = admin.post("/admin/staff", username="health1", password="p" * 12, role="unit",
                      unit="区卫生健康委员会", display_name="赵医生")
    assert page.status_code == 200 and "health1" in page.text
    handler = Desk(centre, "health1", "p" * 12)
    assert handler.login().status_code == 200
    assert handler.get("/admin").status_code == 403
    audit = admin.get("/audit").text
    assert "新增人员" in audit and "新增单位" in audit


def test_steps_out_of_order_are_refused_in_words(centre, kiosk_http, people):
    no = submit(centre, kiosk_http)
    clerk = Desk(centre, "clerk1")
    clerk.login()
    refused = clerk.post(f"/orders/{no}/dispatch", unit="区民政局")
    assert refused.status_code == 409 and "待受理" in refused.text and "不能转办" in refused.text


def test_the_monthly_ledger_exports_csv_without_the_citizens_words(centre, kiosk_http, people):
    answered, waiting = submit(centre, kiosk_http), submit(centre, kiosk_http)
    clerk = Desk(centre, "clerk1")
    clerk.login()
    clerk.post(f"/orders/{answered}/accept")
    clerk.post(f"/orders/{answered}/classify", kind="cannot", complexity="simple")
    clerk.post(f"/orders/{answered}/dispatch", unit="区民政局")
    clerk.post(f"/orders/{answered}/resolve", resolution="=HYPERLINK(\"x\")")
    clerk.post(f"/orders/{answered}/answer", answer="已办结")
    assert clerk.get("/ledger.csv?month=2026-11").status_code == 403  # duty and admin only
    duty = Desk(centre, "duty1")
    duty.login()
    export = duty.get("/ledger.csv?month=2026-11")
    assert export.headers["content-type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    # Both reports came in the same instant (the test clock): their order is the random
    # tracking numbers', so the rows are compared as a set.
    assert lines[0][0] == "编号 No." and sorted(row[0] for row in lines[1:]) == sorted(
        [answered, waiting])
    by_no = {row[0]: row for row in lines[1:]}
    assert by_no[answered][14] == "是" and by_no[waiting][14] == "办理中"
    assert by_no[answered][11] == "'=HYPERLINK(\"x\")"  # no formula reaches a spreadsheet
    assert "13800138000" not in text and "138****8000" in text
    assert REPORT["description"] not in text
    assert duty.get("/ledger.csv?month=2026-12").content.decode("utf-8-sig").count("\n") == 1


class Gateway(http.server.BaseHTTPRequestHandler):
    """A real SMS gateway stand-in on 127.0.0.1: records what it is sent, answers ``status``."""

    received: ClassVar[list[dict]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append({"auth": self.headers.get("Authorization"),
                                    **json.loads(self.rfile.read(length))})
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def gateway():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    Gateway.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_answer_goes_out_through_an_http_sms_gateway(centre, kiosk_http, people, gateway):
    desk_runtime = centre.server.config.app.state.desk
    desk_runtime.orders.notifier = HttpSmsNotifier(
        f"http://127.0.0.1:{gateway.server_address[1]}/sms", token="gw-secret")
    first, second = submit(centre, kiosk_http), submit(centre, kiosk_http)
    clerk = Desk(centre, "clerk1")
    clerk.login()
    for no in (first, second):
        clerk.post(f"/orders/{no}/accept")
        clerk.post(f"/orders/{no}/classify", kind="hard", complexity="simple")
        clerk.post(f"/orders/{no}/dispatch", unit="区民政局")
        clerk.post(f"/orders/{no}/resolve", resolution="已办")
    clerk.post(f"/orders/{first}/answer", answer="请到3号窗口领取")
    text = f"【示范区政务服务中心】您反映的问题（编号{first}）已有答复：请到3号窗口领取"
    assert Gateway.received == [{"auth": "Bearer gw-secret", "to": "13800138000", "text": text}]
    Gateway.status = 503
    try:
        clerk.post(f"/orders/{second}/answer", answer="已办结")
    finally:
        Gateway.status = 200
    page = clerk.get("/messages").text
    assert page.count("短信 <small>SMS</small>") == 2 and "发送失败" in page
    assert "gateway answered HTTP 503" in page  # a failed send is shown, not hidden


def _demo(database_url: str, tmp_path) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-m", "central", "serve", "--demo", "--port", "0",
                             "--database", database_url], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    return proc, json.loads(proc.stdout.readline() if proc.stdout else "")


def _demo_login(line: dict) -> requests.Session:
    http = requests.Session()
    OPEN_SESSIONS.append(http)
    page = http.get(line["desk_url"], timeout=10)
    answer = http.post(f"{line['desk_url']}login", timeout=10, data={
        "csrf": _csrf(page.text), "next": "/desk/inbox", "username": line["desk_user"],
        "password": line["desk_password"]})
    assert answer.status_code == 200 and "/desk/inbox" in answer.url
    return http


def test_the_demo_prints_a_desk_login_with_reports_to_work(database_url, tmp_path):
    proc, line = _demo(database_url, tmp_path)
    try:
        assert line["desk_url"] == f"{line['url']}/desk/" and line["desk_user"] == "demo-admin"
        http = _demo_login(line)
        everything = http.get(f"{line['desk_url']}inbox?box=all", timeout=10).text
        assert len(re.findall(r'data-no="(R\d+)"', everything)) == 4
        escalated = http.get(f"{line['desk_url']}inbox?box=escalated", timeout=10).text
        assert len(re.findall(r'data-no="(R\d+)"', escalated)) == 1
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()
    # A restart on the same database re-keys the demo accounts and adds no reports.
    proc, again = _demo(database_url, tmp_path)
    try:
        assert again["desk_password"] != line["desk_password"]
        http = _demo_login(again)
        everything = http.get(f"{again['desk_url']}inbox?box=all", timeout=10).text
        assert len(re.findall(r'data-no="(R\d+)"', everything)) == 4
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()


def test_add_staff_makes_the_first_admin_from_the_command_line(database_url, tmp_path):
    def add(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "central", "add-staff", *args,
                               "--database", database_url], input=stdin, text=True,
                              capture_output=True, cwd=tmp_path, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})

    made = add("boss", "--role", "admin", "--password-stdin", stdin="a long enough secret\n")
    assert made.returncode == 0 and json.loads(made.stdout) == {
        "username": "boss", "role": "admin", "hall": "default"}
    generated = add("clerk9", "--role", "clerk")  # no terminal: a password is made, shown once
    assert generated.returncode == 0 and len(json.loads(generated.stdout)["password"]) >= 12
    taken = add("boss", "--role", "clerk", "--password-stdin", stdin="another long secret\n")
    assert taken.returncode == 2 and "taken" in taken.stderr
    weak = add("weak", "--role", "clerk", "--password-stdin", stdin="short\n")
    assert weak.returncode == 2 and "at least 10" in weak.stderr
    unitless = add("u1", "--role", "unit", "--password-stdin", stdin="a long enough secret\n")
    assert unitless.returncode == 2 and "--unit" in unitless.stderr


def test_staff_of_another_hall_see_none_of_this_halls_orders(centre, kiosk_http, people):
    no = submit(centre, kiosk_http)
    people.add_staff("east", "east-admin", PASSWORD, "admin")
    east = Desk(centre, "east-admin")
    east.login()
    assert east.inbox("all") == [] and east.inbox("new") == []
    assert east.get(f"/orders/{no}").status_code == 404
    assert east.post(f"/orders/{no}/accept").status_code == 404
    assert "clerk1" not in east.get("/admin").text
    clerk = Desk(centre, "clerk1")
    clerk.login()
    assert clerk.inbox("new") == [no]


def test_the_periodic_check_escalates_without_anyone_opening_the_desk(centre, kiosk_http,
                                                                      people):
    from central.desk.routes import DeskRuntime

    no = submit(centre, kiosk_http)
    centre.clock.set(dt.datetime(2026, 12, 2, 9, 0, tzinfo=HALL_TZ))
    runtime = DeskRuntime(centre.service, check_every_s=0.05)

    async def run_a_while() -> None:
        await runtime.start()
        await asyncio.sleep(0.5)
        await runtime.stop()

    asyncio.run(run_a_while())
    with centre.service.db.read() as tx:
        row = tx.one("SELECT escalated_at, escalation_reason FROM reports "
                     "WHERE tracking_no = ?", (no,))
        audits = tx.scalar("SELECT COUNT(*) FROM audit_log WHERE tracking_no = ?", (no,))
    assert row["escalated_at"].startswith("2026-12-02") and "2026-12-01" in row["escalation_reason"]
    assert audits == 1  # checked ten times, escalated once


def test_a_hall_sets_its_own_days_for_simple_cases(centre, kiosk_http, people):
    config = demo_config()
    config["report"]["simple_days"] = 1
    centre.publish(config)
    no = submit(centre, kiosk_http)  # Tue 24 Nov
    clerk = Desk(centre, "clerk1")
    clerk.login()
    clerk.post(f"/orders/{no}/accept")
    page = clerk.post(f"/orders/{no}/classify", kind="not_yet", complexity="simple")
    assert 'id="promised">2026-11-25' in page.text  # the next working day
