"""Staff accounts over real HTTP on SQLite and PostgreSQL: one's own password change, the
admin disabling / re-enabling / resetting accounts, and the audit log that the database
itself keeps append-only (migration 8's triggers)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator

import pytest
import requests

from central.desk.accounts import AccountError, Accounts

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple battery horse 9"


#: Every session a test opened; closed after the test (no socket outlives it).
OPEN: list[requests.Session] = []


@pytest.fixture(autouse=True)
def _close_sessions() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().close()


class Desk:
    """A person at a browser: a requests session that logs in and posts forms with CSRF."""

    def __init__(self, centre, username: str) -> None:
        self.base = f"{centre.url}/desk"
        self.http = requests.Session()
        OPEN.append(self.http)
        self.username = username
        self.csrf = ""

    def login(self, password: str = PASSWORD) -> requests.Response:
        page = self.http.get(f"{self.base}/login", timeout=10)
        answer = self.http.post(f"{self.base}/login", timeout=10, data={
            "csrf": _csrf(page.text), "next": "/desk/inbox", "username": self.username,
            "password": password})
        if answer.ok and "/desk/inbox" in answer.url:
            self.csrf = _csrf(answer.text)
        return answer

    def logged_in(self) -> bool:
        """Whether the session still opens a page (or is sent to the login page)."""
        page = self.http.get(f"{self.base}/account", timeout=10)
        return page.status_code == 200 and "/desk/login" not in page.url

    def post(self, path: str, **form: str) -> requests.Response:
        return self.http.post(f"{self.base}{path}", timeout=10, data={"csrf": self.csrf, **form})

    def change_password(self, current: str, new: str, repeat: str | None = None
                        ) -> requests.Response:
        return self.post("/account/password", current_password=current, new_password=new,
                         repeat_password=new if repeat is None else repeat)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, html[:500]
    return found.group(1)


@pytest.fixture
def people(centre) -> Accounts:
    accounts = Accounts(centre.service.db, centre.service.now)
    accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="李娜")
    accounts.add_staff("default", "duty1", PASSWORD, "duty", display_name="张伟")
    accounts.add_staff("default", "admin1", PASSWORD, "admin", display_name="管理员 王芳")
    return accounts


def staff_id(centre, username: str) -> str:
    with centre.service.db.read() as tx:
        return str(tx.scalar("SELECT id FROM staff WHERE username = ?", (username,)))


def audit(centre, *actions: str) -> list[tuple[str, str, dict]]:
    marks = ", ".join("?" for _ in actions)
    with centre.service.db.read() as tx:
        rows = tx.all(f"SELECT username, action, detail FROM audit_log WHERE action IN ({marks})"
                      " ORDER BY at, id", actions)
    return [(r["username"], r["action"], json.loads(r["detail"] or "{}")) for r in rows]


# -- one's own password ------------------------------------------------------------------
def test_a_password_change_ends_every_other_session_of_the_account(centre, people):
    here, elsewhere, colleague = Desk(centre, "clerk1"), Desk(centre, "clerk1"), \
        Desk(centre, "duty1")
    for desk in (here, elsewhere, colleague):
        assert desk.login().ok
    changed = here.change_password(PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 200 and changed.url.endswith("/desk/account?done=password")
    assert "密码已修改" in changed.text
    assert here.logged_in()  # the session that changed it goes on
    assert not elsewhere.logged_in()  # the other browser is logged out
    assert colleague.logged_in()  # nobody else is touched
    again = Desk(centre, "clerk1")
    assert again.login(PASSWORD).status_code == 401
    assert again.login(NEW_PASSWORD).ok
    assert audit(centre, "change_password") == [
        ("clerk1", "change_password", {"username": "clerk1", "sessions_ended": 1})]


@pytest.mark.parametrize(("current", "new", "repeat", "words"), [
    ("not my password", NEW_PASSWORD, None, "当前密码不正确"),
    (PASSWORD, "short1", None, "密码至少 10 位"),
    (PASSWORD, "clerk1", None, "密码至少 10 位"),
    (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "两次输入的新密码不一致"),
    (PASSWORD, PASSWORD, None, "新密码与当前密码相同"),
])
def test_a_refused_password_change_says_why_and_changes_nothing(centre, people, current, new,
                                                                repeat, words):
    desk = Desk(centre, "clerk1")
    assert desk.login().ok
    refused = desk.change_password(current, new, repeat)
    assert refused.status_code == 422 and words in refused.text
    assert 'id="error"' in refused.text
    assert Desk(centre, "clerk1").login(PASSWORD).ok
    assert audit(centre, "change_password") == []


def test_the_user_name_is_no_password_anywhere(centre, people):
    long_name = "reception-desk-7"
    with pytest.raises(AccountError, match="not the user name"):
        people.add_staff("default", long_name, long_name.upper(), "clerk")
    desk = Desk(centre, "clerk1")
    people.add_staff("default", long_name, PASSWORD, "clerk")
    desk.username = long_name
    assert desk.login().ok
    refused = desk.change_password(PASSWORD, long_name)
    assert refused.status_code == 422 and "不能与用户名相同" in refused.text


def test_guessing_the_current_password_in_an_open_session_locks_the_account(centre, people):
    desk = Desk(centre, "clerk1")
    assert desk.login().ok
    for _ in range(5):
        assert desk.change_password("a wrong guess!", NEW_PASSWORD).status_code == 422
    locked = desk.change_password(PASSWORD, NEW_PASSWORD)
    assert locked.status_code == 422 and "锁定" in locked.text
    assert Desk(centre, "clerk1").login(PASSWORD).status_code == 401  # locked for now


def test_a_post_without_the_session_csrf_token_changes_no_password(centre, people):
    desk = Desk(centre, "clerk1")
    assert desk.login().ok
    desk.csrf = "forged"
    assert desk.change_password(PASSWORD, NEW_PASSWORD).status_code == 403
    assert Desk(centre, "clerk1").login(PASSWORD).ok


# -- the admin's account changes ---------------------------------------------------------
def test_a_disabled_account_cannot_log_in_and_its_open_session_stops(centre, people):
    admin, clerk = Desk(centre, "admin1"), Desk(centre, "clerk1")
    assert admin.login().ok and clerk.login().ok
    target = staff_id(centre, "clerk1")
    done = admin.post(f"/admin/staff/{target}/disable")
    assert done.url.endswith("/desk/admin?done=disable")
    row = re.search(r'<tr data-user="clerk1" class="disabled">.*?</tr>', done.text, re.S)
    assert row and "已停用" in row.group(0)
    # The clerk's open page: the next request goes to the login page, the form is refused.
    assert not clerk.logged_in()
    assert clerk.post("/orders/R1/accept").url.split("?")[0].endswith("/desk/login")
    assert Desk(centre, "clerk1").login().status_code == 401
    # Re-enabled: the same password works again (old sessions stay ended).
    assert admin.post(f"/admin/staff/{target}/enable").url.endswith("?done=enable")
    assert not clerk.logged_in()
    assert Desk(centre, "clerk1").login().ok
    assert audit(centre, "disable_staff", "enable_staff") == [
        ("admin1", "disable_staff", {"username": "clerk1"}),
        ("admin1", "enable_staff", {"username": "clerk1"})]


def test_an_admin_resets_a_forgotten_password_and_ends_its_sessions(centre, people):
    admin, clerk = Desk(centre, "admin1"), Desk(centre, "clerk1")
    assert admin.login().ok and clerk.login().ok
    target = staff_id(centre, "clerk1")
    weak = admin.post(f"/admin/staff/{target}/password", password="short")
    assert weak.status_code == 422 and "密码至少 10 位" in weak.text
    assert clerk.logged_in()
    assert admin.post(f"/admin/staff/{target}/password",
                      password=NEW_PASSWORD).url.endswith("?done=password")
    assert not clerk.logged_in()
    assert Desk(centre, "clerk1").login(PASSWORD).status_code == 401
    assert Desk(centre, "clerk1").login(NEW_PASSWORD).ok
    assert audit(centre, "reset_password") == [
        ("admin1", "reset_password", {"username": "clerk1"})]
    with centre.service.db.read() as tx:  # the audit row never holds the password
        assert tx.scalar("SELECT COUNT(*) FROM audit_log WHERE detail LIKE ?",
                         (f"%{NEW_PASSWORD}%",)) == 0


def test_an_admin_cannot_disable_themselves_or_the_last_admin(centre, people):
    admin = Desk(centre, "admin1")
    assert admin.login().ok
    me = staff_id(centre, "admin1")
    page = admin.http.get(f"{admin.base}/admin", timeout=10).text
    own_row = re.search(r'<tr data-user="admin1".*?</tr>', page, re.S)
    assert own_row and "/disable" not in own_row.group(0)  # no button for oneself
    refused = admin.post(f"/admin/staff/{me}/disable")
    assert refused.status_code == 422 and "不能停用自己的账号" in refused.text
    # With two admins one may be disabled, never both: the hall keeps one who can undo it.
    people.add_staff("default", "admin2", PASSWORD, "admin")
    second = Desk(centre, "admin2")
    assert second.login().ok
    assert admin.post(f"/admin/staff/{staff_id(centre, 'admin2')}/disable").ok
    with pytest.raises(AccountError, match="last admin"):
        people.disable(people.staff_by_username("admin2"), me)  # a disabled admin's attempt
    assert admin.logged_in()
    assert audit(centre, "disable_staff") == [("admin1", "disable_staff",
                                               {"username": "admin2"})]


def test_an_admin_changes_no_account_of_another_hall(centre, people):
    people.add_staff("east", "east-clerk", PASSWORD, "clerk")
    admin = Desk(centre, "admin1")
    assert admin.login().ok
    other = staff_id(centre, "east-clerk")
    for change, form in (("disable", {}), ("password", {"password": NEW_PASSWORD})):
        refused = admin.post(f"/admin/staff/{other}/{change}", **form)
        assert refused.status_code == 422 and "本大厅没有这个账号" in refused.text
    assert Desk(centre, "east-clerk").login(PASSWORD).ok


def test_a_clerk_cannot_disable_or_reset_anyone(centre, people):
    clerk = Desk(centre, "clerk1")
    assert clerk.login().ok
    target = staff_id(centre, "duty1")
    assert clerk.post(f"/admin/staff/{target}/disable").status_code == 403
    assert clerk.post(f"/admin/staff/{target}/password", password=NEW_PASSWORD
                      ).status_code == 403
    assert Desk(centre, "duty1").login().ok


# -- the audit log is append-only in the database -----------------------------------------
def test_the_database_refuses_to_change_or_delete_audit_rows(centre, people, engine,
                                                              database_url):
    admin = Desk(centre, "admin1")
    assert admin.login().ok  # a desk action: writes a "login" audit row
    assert admin.post(f"/admin/staff/{staff_id(centre, 'duty1')}/disable").ok
    with centre.service.db.read() as tx:
        before = tx.all("SELECT * FROM audit_log ORDER BY id")
    assert {r["action"] for r in before} >= {"login", "disable_staff"}
    refusals = [
        "UPDATE audit_log SET username = 'someone-else'",
        "UPDATE audit_log SET detail = NULL WHERE action = 'disable_staff'",
        "DELETE FROM audit_log WHERE action = 'disable_staff'",
        "DELETE FROM audit_log",
    ]
    if engine == "postgresql":
        refusals.append("TRUNCATE audit_log")
    errors = _refused(database_url, engine, refusals)
    for statement, error in zip(refusals, errors, strict=True):
        verb = statement.split()[0]
        assert error is not None, f"{statement!r} was not refused"
        assert "audit_log is append-only" in error and f"{verb} refused" in error, error
    with centre.service.db.read() as tx:
        assert tx.all("SELECT * FROM audit_log ORDER BY id") == before
    # The desk goes on writing its rows through the same database.
    assert admin.post(f"/admin/staff/{staff_id(centre, 'duty1')}/enable").ok
    assert [a for _u, a, _d in audit(centre, "disable_staff", "enable_staff")] == [
        "disable_staff", "enable_staff"]


def _refused(url: str, engine: str, statements: list[str]) -> list[str | None]:
    """Each statement run on its own connection, as psql or sqlite3 would: the error text."""
    out: list[str | None] = []
    for statement in statements:
        if engine == "postgresql":
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                try:
                    conn.execute(statement)
                    out.append(None)
                except psycopg.errors.InsufficientPrivilege as exc:
                    out.append(str(exc))
        else:
            conn = sqlite3.connect(url, isolation_level=None)
            try:
                conn.execute(statement)
                out.append(None)
            except sqlite3.IntegrityError as exc:  # RAISE(ABORT, ...) is a constraint error
                out.append(str(exc))
            finally:
                conn.close()
    return out


def test_an_open_help_call_stream_of_a_disabled_account_ends(centre, people, kiosk_http):
    """The help-calls page keeps one long request open: once its account is disabled, the
    next call ends that stream instead of showing the disabled person the kiosk's call."""
    import queue
    import threading
    import uuid

    clerk, admin = Desk(centre, "clerk1"), Desk(centre, "admin1")
    assert clerk.login().ok and admin.login().ok
    response = clerk.http.get(f"{clerk.base}/help/events", stream=True, timeout=10)
    assert response.status_code == 200
    seen: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        try:
            for line in response.iter_lines(decode_unicode=True):
                if line.startswith("data: "):
                    seen.put(line[6:])
        except Exception:
            pass
        seen.put(None)  # the stream ended

    threading.Thread(target=read, daemon=True).start()
    try:
        assert json.loads(seen.get(timeout=10)) == {"calls": []}
        assert admin.post(f"/admin/staff/{staff_id(centre, 'clerk1')}/disable").ok
        kiosk_http.post(f"{centre.url}/v1/help-calls", timeout=10,
                        json={"location": "一楼自助区 2 号机", "reason": "assist",
                              "language": "zh"},
                        headers={"Idempotency-Key": uuid.uuid4().hex}).raise_for_status()
        assert seen.get(timeout=10) is None  # ended, the call never sent
    finally:
        response.close()
