"""The clerk's window page over real HTTP on SQLite and PostgreSQL: a logged-in clerk opens a
(comprehensive) window and calls, recalls, serves, marks no-show, transfers and pauses through
the desk's forms; each action is the calling service's and is in the audit log; a unit
handler cannot call; a form without the session's CSRF token changes nothing."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from collections.abc import Iterator

import pytest
import requests

from central.desk.accounts import Accounts

PASSWORD = "correct horse battery"


class Desk:
    """A person at the desk: a requests session that logs in and posts forms with CSRF."""

    def __init__(self, centre, username: str) -> None:
        self.base = f"{centre.url}/desk"
        self.http = requests.Session()
        self.username = username
        self.csrf = ""

    def login(self) -> None:
        page = self.http.get(f"{self.base}/login", timeout=30)
        answer = self.http.post(f"{self.base}/login", timeout=30, data={
            "csrf": _csrf(page.text), "next": "/desk/window", "username": self.username,
            "password": PASSWORD})
        assert answer.status_code == 200, answer.text[:300]
        self.csrf = _csrf(answer.text)

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.base}{path}", timeout=30)

    def post(self, path: str, data: dict | list | None = None,
             csrf: str | None = None) -> requests.Response:
        form = list(data.items()) if isinstance(data, dict) else list(data or [])
        return self.http.post(f"{self.base}{path}", timeout=30,
                              data=[("csrf", self.csrf if csrf is None else csrf), *form])


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', page)
    assert found, page[:500]
    return found.group(1)


def by_id(page: str, element_id: str) -> str:
    """The text of the element with this id (tags stripped, whitespace squeezed)."""
    found = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, f"no #{element_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(2))).split())


def disabled(page: str, button_id: str) -> bool:
    found = re.search(rf'<button[^>]*\bid="{re.escape(button_id)}"[^>]*>', page)
    assert found, f"no #{button_id}"
    return " disabled" in found.group(0)


@pytest.fixture
def clerk(centre) -> Iterator[Desk]:
    accounts = Accounts(centre.service.db, centre.service.now)
    accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="李娜")
    accounts.add_staff("default", "civil1", PASSWORD, "unit", unit="区民政局")
    accounts.add_staff("default", "duty1", PASSWORD, "duty", display_name="张伟")
    desk = Desk(centre, "clerk1")
    desk.login()
    yield desk
    desk.http.close()


def take(centre, matter: str, **extra) -> dict:
    r = requests.post(f"{centre.url}/v1/tickets", json={"matter_id": matter, **extra},
                      headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex},
                      timeout=30)
    assert r.status_code == 201, r.text
    return r.json()


def later(centre, minutes: float) -> None:
    centre.clock.set(centre.clock.when + dt.timedelta(minutes=minutes))


def status(centre, ticket: dict) -> tuple[str, str | None]:
    with centre.service.db.read() as tx:
        row = tx.one("SELECT status, window_no, queue_matter FROM tickets WHERE id = ?",
                     (ticket["id"],))
    assert row is not None
    return row["status"], row["window_no"]


def audit(centre) -> list[tuple[str, str, str | None]]:
    with centre.service.db.read() as tx:
        rows = tx.all("SELECT username, action, detail FROM audit_log WHERE action LIKE "
                      "'window_%' ORDER BY id")
    return [(r["username"], r["action"], r["detail"]) for r in rows]


def act(desk: Desk, window: str, action: str, data: dict | None = None) -> str:
    answer = desk.post(f"/window/{window}/{action}", data)
    assert answer.status_code == 200 and f"/desk/window/{window}" in answer.url, answer.url
    return answer.text


def test_a_clerk_opens_a_comprehensive_window_and_calls_both_queues(centre, clerk):
    first = take(centre, "birth-cert")
    later(centre, 1)
    second = take(centre, "elderly-allowance")
    later(centre, 1)
    elder = take(centre, "elderly-allowance", priority="elderly")
    take(centre, "id-card")  # not this window's matter
    chooser = clerk.get("/window")
    assert chooser.status_code == 200 and "还没有开设窗口" in chooser.text
    opened = clerk.post("/window/open", [("window", "5"), ("matter", "birth-cert"),
                                         ("matter", "elderly-allowance")])
    assert opened.url.endswith("/desk/window/5?done=open")
    page = opened.text
    assert "综合窗口" in by_id(page, "pooled")
    assert by_id(page, "current-number") == "—"
    assert re.search(r'id="waiting-birth-cert" data-waiting="1"', page)
    assert re.search(r'id="waiting-elderly-allowance" data-waiting="2"', page)
    assert disabled(page, "do-recall") and disabled(page, "do-no-show")

    called = []
    for _ in range(3):
        page = act(clerk, "5", "call-next")
        called.append(by_id(page, "current-number"))
        later(centre, 2)
    # The elder's green-channel ticket first, then both matters by the time they were issued.
    assert called == [elder["number"], first["number"], second["number"]]
    assert f"已叫号 {second['number']}" in by_id(page, "done")
    assert status(centre, elder) == ("served", "5")  # calling the next one served it
    assert status(centre, second) == ("called", "5")
    recent = re.findall(r'<tr data-number="([^"]+)" data-kind="([a-z_]+)"', page)
    assert recent[:3] == [(second["number"], "called"), (first["number"], "served"),
                          (first["number"], "called")]
    # Nobody left: the page says so and nothing changes.
    page = act(clerk, "5", "call-next")
    assert "没有等候的号" in by_id(page, "problem")
    assert by_id(page, "current-number") == second["number"]
    # The staff API and the display see the same state: it is the same service.
    windows = requests.get(f"{centre.url}/v1/staff/windows", headers=centre.staff_headers(),
                           timeout=30).json()
    assert windows[0]["current"]["number"] == second["number"]
    rows = audit(centre)
    assert rows[0][:2] == ("clerk1", "window_open")
    assert [(u, a) for u, a, _ in rows[1:]] == [("clerk1", "window_call_next")] * 3
    assert f'"number": "{elder["number"]}"' in (rows[1][2] or "")
    assert '"window": "5"' in (rows[1][2] or "")


def test_recall_before_no_show_served_and_pause(centre, clerk):
    ticket = take(centre, "marriage-reg")
    regular = take(centre, "marriage-reg")
    clerk.post("/window/open", [("window", "21"), ("matter", "marriage-reg")])
    page = act(clerk, "21", "call-next")
    assert by_id(page, "current-number") == ticket["number"]
    assert disabled(page, "do-no-show") and "再重呼 2 次后可用" in by_id(page, "no-show-hint")
    # No-show posted too early (a stale page) is refused, and the ticket stays called.
    page = act(clerk, "21", "no-show")
    assert "请先重呼" in by_id(page, "problem")
    assert status(centre, ticket) == ("called", "21")
    page = act(clerk, "21", "recall")
    assert "已重呼 1/2 次" in by_id(page, "current-recalls") and disabled(page, "do-no-show")
    page = act(clerk, "21", "recall")
    assert not disabled(page, "do-no-show")
    page = act(clerk, "21", "no-show")
    assert status(centre, ticket) == ("no_show", "21")
    assert by_id(page, "current-number") == "—"
    page = act(clerk, "21", "call-next")
    later(centre, 4)
    page = act(clerk, "21", "served")
    assert status(centre, regular) == ("served", "21")
    assert disabled(page, "do-served")
    # Paused: call next is refused (and its button greyed out) until resumed.
    waiting = take(centre, "marriage-reg")
    page = act(clerk, "21", "pause")
    assert "已暂停" in by_id(page, "state") and disabled(page, "do-call-next")
    page = act(clerk, "21", "call-next")
    assert "已暂停叫号" in by_id(page, "problem")
    assert status(centre, waiting) == ("waiting", None)
    page = act(clerk, "21", "resume")
    page = act(clerk, "21", "call-next")
    assert by_id(page, "current-number") == waiting["number"]
    assert [a for _, a, _ in audit(centre)] == [
        "window_open", "window_call_next", "window_recall", "window_recall", "window_no_show",
        "window_call_next", "window_served", "window_pause", "window_resume",
        "window_call_next"]
    # The duty officer reads these actions, in words, in the audit log.
    duty = Desk(centre, "duty1")
    duty.login()
    log = duty.get("/audit").text
    assert "过号" in log and "重呼" in log and f"号码：{ticket['number']}" in log
    duty.http.close()


def test_transfer_to_a_matter_and_to_a_window(centre, clerk):
    ticket = take(centre, "marriage-reg")
    clerk.post("/window/open", [("window", "21"), ("matter", "marriage-reg")])
    clerk.post("/window/open", [("window", "8"), ("matter", "hukou-newborn")])
    act(clerk, "21", "call-next")
    page = act(clerk, "21", "transfer", {"to_matter": "hukou-newborn"})
    assert "已转移" in by_id(page, "done") and by_id(page, "current-number") == "—"
    assert status(centre, ticket) == ("waiting", None)
    page = act(clerk, "8", "call-next")  # window 8 serves that matter: it gets the ticket
    assert by_id(page, "current-number") == ticket["number"]
    page = act(clerk, "8", "transfer", {"to_window": "22"})
    assert status(centre, ticket) == ("called", "22")
    # A bad window number or this window itself is refused in words, nothing moves.
    page = act(clerk, "22", "transfer", {"to_window": "22"})
    assert "请求内容不正确" in by_id(page, "problem")
    page = act(clerk, "22", "transfer", {"to_window": "<b>"})
    assert "请求内容不正确" in by_id(page, "problem")
    assert status(centre, ticket) == ("called", "22")
    details = [d for _, a, d in audit(centre) if a == "window_transfer"]
    assert '"to_matter": "hukou-newborn"' in details[0] and '"to_window": "22"' in details[1]


def test_a_unit_handler_cannot_call_and_a_form_without_csrf_changes_nothing(centre, clerk):
    ticket = take(centre, "marriage-reg")
    clerk.post("/window/open", [("window", "21"), ("matter", "marriage-reg")])
    handler = Desk(centre, "civil1")
    page = handler.http.get(f"{handler.base}/login", timeout=30)
    answer = handler.http.post(f"{handler.base}/login", timeout=30, data={
        "csrf": _csrf(page.text), "next": "/desk/inbox", "username": "civil1",
        "password": PASSWORD})
    handler.csrf = _csrf(answer.text)
    assert "窗口叫号" not in answer.text  # no link to a page the role cannot use
    assert handler.get("/window").status_code == 403
    assert handler.get("/window/21").status_code == 403
    refused = handler.post("/window/21/call-next")
    assert refused.status_code == 403 and "无权" in refused.text
    handler.http.close()
    forged = clerk.post("/window/21/call-next", csrf="not-the-token")
    assert forged.status_code == 403
    assert status(centre, ticket) == ("waiting", None)
    assert audit(centre) == [audit(centre)[0]] and audit(centre)[0][1] == "window_open"
    # Not logged in: the login page, with the window page to come back to.
    anonymous = requests.get(f"{centre.url}/desk/window/21", timeout=30)
    assert "/desk/login?next=/desk/window/21" in anonymous.url
    bad = clerk.get("/window/%3Cscript%3E")
    assert bad.status_code == 422
