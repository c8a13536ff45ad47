"""好差评 follow-up over real HTTP on SQLite and PostgreSQL: a 差评 opens a 整改 order (a 好评
does not), its deadlines in working days, the 回访 record, escalation, the ratings page."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from central.desk.accounts import Accounts
from central.testing import HALL_TZ, demo_config
from tests.central.test_desk import OPEN_SESSIONS, PASSWORD, Desk, _close_desk_sessions

__all__ = ["OPEN_SESSIONS", "_close_desk_sessions"]  # the autouse fixture closes Desk sessions


class RatingDesk(Desk):
    def inbox_rectify(self, box: str) -> list[str]:
        page = self.get(f"/rectify?box={box}")
        assert page.status_code == 200 and "/desk/login" not in page.url, page.url
        return re.findall(r'data-no="(Z\d+)"', page.text)


@pytest.fixture
def people(centre):
    accounts = Accounts(centre.service.db, centre.service.now)
    accounts.add_staff("default", "clerk1", PASSWORD, "clerk", display_name="李娜")
    accounts.add_staff("default", "duty1", PASSWORD, "duty", display_name="张伟")
    accounts.add_staff("default", "civil1", PASSWORD, "unit", unit="区民政局")
    accounts.add_staff("default", "market1", PASSWORD, "unit", unit="区市场监督管理局")
    from central.desk.orders import Actor, WorkOrders

    orders = WorkOrders(centre.service)
    for unit in ("区民政局", "区市场监督管理局"):
        orders.add_unit(Actor(None, "test", "default"), unit)
    return accounts


def rate(centre, kiosk_http, level: int, **extra) -> dict:
    answer = kiosk_http.post(f"{centre.url}/v1/evaluations", timeout=10,
                             json={"level": level, "reasons": ["slow"] if level <= 2 else [],
                                   **extra},
                             headers={"Idempotency-Key": uuid.uuid4().hex})
    assert answer.status_code == 201, answer.text
    return answer.json()


def rectifications(centre) -> list[dict]:
    with centre.service.db.read() as tx:
        return tx.all("SELECT * FROM rectifications ORDER BY level DESC, created_at")


def test_a_bad_rating_opens_a_rectification_order_and_a_good_one_does_not(centre, kiosk_http,
                                                                          people):
    for level in (5, 4, 3):
        assert rate(centre, kiosk_http, level, window="3").get("rectification_no") is None
    assert rectifications(centre) == []
    bad = rate(centre, kiosk_http, 2, window="3", phone="13800138000")
    worst = rate(centre, kiosk_http, 1, window="5")
    rows = rectifications(centre)
    assert [r["id"] for r in rows] == [bad["rectification_no"], worst["rectification_no"]]
    assert all(r["status"] == "received" for r in rows)
    # Tuesday 24 Nov + 5 working days = Tuesday 1 Dec (the demo config's rectify_days).
    assert bad["rectify_due"] == "2026-12-01" and rows[0]["due_date"] == "2026-12-01"
    assert rows[0]["phone_masked"] == "138****8000" and rows[1]["phone"] is None

    clerk = RatingDesk(centre, "clerk1")
    clerk.login()
    page = clerk.get("/rectify?box=new")
    assert bad["rectification_no"] in page.text and worst["rectification_no"] in page.text
    order = clerk.get(f"/rectify/{bad['rectification_no']}").text
    assert "138****8000" in order and "13800138000" not in order
    assert "等候或办理太慢" in order  # the citizen's reason
    with centre.service.db.read() as tx:
        opened = tx.all("SELECT username, action FROM audit_log WHERE tracking_no = ?",
                        (bad["rectification_no"],))
    assert opened == [{"username": "system", "action": "rectify_open"}]


def test_a_phone_goes_only_with_a_bad_rating_and_must_be_a_mobile(centre, kiosk_http):
    for body in ({"level": 4, "phone": "13800138000"}, {"level": 1, "phone": "12345"},
                 {"level": 1, "phone": 13800138000}):
        answer = kiosk_http.post(f"{centre.url}/v1/evaluations", json=body, timeout=10,
                                 headers={"Idempotency-Key": uuid.uuid4().hex})
        assert answer.status_code == 422, (body, answer.text)
    assert rectifications(centre) == []


def test_a_retried_bad_rating_opens_one_order(centre, kiosk_http):
    key = uuid.uuid4().hex
    body = {"level": 1, "reasons": ["attitude"], "window": "7", "phone": "13900001111"}
    first = kiosk_http.post(f"{centre.url}/v1/evaluations", json=body, timeout=10,
                            headers={"Idempotency-Key": key})
    again = kiosk_http.post(f"{centre.url}/v1/evaluations", json=body, timeout=10,
                            headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert len(rectifications(centre)) == 1


def test_rectify_and_call_back_with_deadlines_and_an_audit_trail(centre, kiosk_http, people):
    no = rate(centre, kiosk_http, 1, window="3", phone="13800138000")["rectification_no"]
    clerk = RatingDesk(centre, "clerk1")
    clerk.login()
    assert clerk.post(f"/rectify/{no}/callback", outcome="satisfied").status_code == 409
    assert clerk.post(f"/rectify/{no}/accept").status_code == 200
    page = clerk.post(f"/rectify/{no}/dispatch", unit="区民政局", note="窗口服务态度")
    assert 'id="unit">区民政局' in page.text
    # The other unit sees nothing of it; its own unit rectifies it.
    market = RatingDesk(centre, "market1")
    market.login()
    assert market.get(f"/rectify/{no}").status_code == 404
    civil = RatingDesk(centre, "civil1")
    civil.login()
    assert "****8000" not in civil.get(f"/rectify/{no}").text  # a unit needs no number
    assert civil.post(f"/rectify/{no}/callback", outcome="satisfied").status_code == 403
    centre.clock.set(dt.datetime(2026, 11, 26, 15, 0, tzinfo=HALL_TZ))  # Thursday
    civil.login()
    page = civil.post(f"/rectify/{no}/rectify", measures="已对窗口人员进行服务规范培训")
    assert page.status_code == 200
    # 回访 due 2 working days after the rectification: Thu 26 Nov -> Mon 30 Nov.
    assert 'id="callback-due">2026-11-30' in page.text
    clerk.login()
    assert no in clerk.inbox_rectify("due_soon")
    # The full number only on request, and that request is audited.
    shown = clerk.post(f"/rectify/{no}/show-phone")
    assert "13800138000" in shown.text
    first = clerk.post(f"/rectify/{no}/callback", outcome="unreachable", note="无人接听")
    assert '尚未回访' not in first.text and "未联系上" in first.text
    assert 'id="status">已整改' in first.text  # one missed call: still due
    done = clerk.post(f"/rectify/{no}/callback", outcome="satisfied", note="群众表示满意")
    assert 'id="status">已回访办结' in done.text
    with centre.service.db.read() as tx:
        row = tx.one("SELECT status, phone, phone_masked, closed_at FROM rectifications "
                     "WHERE id = ?", (no,))
        calls = tx.all("SELECT staff_name, outcome, note, called_at FROM callbacks "
                       "WHERE rectification_id = ? ORDER BY called_at, id", (no,))
        audit = [r["action"] for r in tx.all(
            "SELECT action FROM audit_log WHERE tracking_no = ? ORDER BY at, id", (no,))]
    assert row["status"] == "closed" and row["phone"] is None  # the number is gone
    assert row["phone_masked"] == "138****8000" and row["closed_at"].startswith("2026-11-26")
    assert [(c["staff_name"], c["outcome"], c["note"]) for c in calls] == [
        ("李娜", "unreachable", "无人接听"), ("李娜", "satisfied", "群众表示满意")]
    assert audit == ["rectify_open", "accept", "dispatch", "rectify", "show_phone", "callback",
                     "callback"]
    assert clerk.post(f"/rectify/{no}/show-phone").status_code == 404  # closed: no number


def test_without_a_number_one_unreachable_call_closes_the_order(centre, kiosk_http, people):
    no = rate(centre, kiosk_http, 2, window="3")["rectification_no"]
    clerk = RatingDesk(centre, "clerk1")
    clerk.login()
    clerk.post(f"/rectify/{no}/accept")
    clerk.post(f"/rectify/{no}/rectify", measures="已调整取号引导")
    page = clerk.post(f"/rectify/{no}/callback", outcome="unreachable", note="未留电话")
    assert 'id="status">已回访办结' in page.text


def test_an_overdue_rectification_escalates_once_and_so_does_a_late_call_back(centre,
                                                                               kiosk_http,
                                                                               people):
    late = rate(centre, kiosk_http, 1, window="3")["rectification_no"]  # due Tue 1 Dec
    duty = RatingDesk(centre, "duty1")
    centre.clock.set(dt.datetime(2026, 12, 1, 9, 0, tzinfo=HALL_TZ))
    duty.login()
    assert duty.inbox_rectify("overdue") == [] and duty.inbox_rectify("due_soon") == [late]
    centre.clock.set(dt.datetime(2026, 12, 2, 9, 0, tzinfo=HALL_TZ))
    duty.login()
    assert duty.inbox_rectify("overdue") == [late]
    assert duty.inbox_rectify("escalated") == [late]
    duty.inbox_rectify("escalated")
    with centre.service.db.read() as tx:
        rows = tx.all("SELECT username, action, detail FROM audit_log WHERE tracking_no = ? "
                      "AND action = 'auto_escalate'", (late,))
    assert len(rows) == 1 and rows[0]["username"] == "system" and "整改超期" in rows[0]["detail"]
    # A 回访 not made within its days escalates too.
    other = rate(centre, kiosk_http, 2, window="4", phone="13700001111")["rectification_no"]
    duty.post(f"/rectify/{other}/accept")
    duty.post(f"/rectify/{other}/rectify", measures="已整改")  # Wed 2 Dec: call back by Fri 4
    centre.clock.set(dt.datetime(2026, 12, 7, 9, 0, tzinfo=HALL_TZ))  # Monday
    duty.login()
    assert set(duty.inbox_rectify("escalated")) == {late, other}
    with centre.service.db.read() as tx:
        reason = tx.scalar("SELECT escalation_reason FROM rectifications WHERE id = ?", (other,))
    assert reason.startswith("回访超期") and "2026-12-04" in reason


def test_the_hall_sets_its_own_working_days(centre, kiosk_http, people):
    config = demo_config()
    config["ratings"] = {"rectify_days": 3, "callback_days": 1}
    centre.publish(config)
    answer = rate(centre, kiosk_http, 1, window="3")
    assert answer["rectify_due"] == "2026-11-27"  # Tue + 3 working days = Fri
    clerk = RatingDesk(centre, "clerk1")
    clerk.login()
    page = clerk.get("/ratings").text
    assert "3 个工作日内整改" in page and "1 个工作日内回访" in page


def test_the_ratings_page_by_matter_window_and_month(centre, kiosk_http, people):
    ticket = kiosk_http.post(f"{centre.url}/v1/tickets", json={"matter_id": "marriage-reg"},
                             timeout=10, headers={"Idempotency-Key": uuid.uuid4().hex}).json()
    for level in (5, 5, 4, 1):
        rate(centre, kiosk_http, level, window="3")
    rate(centre, kiosk_http, 3, ticket_id=ticket["id"])
    centre.clock.set(dt.datetime(2026, 10, 20, 10, 0, tzinfo=HALL_TZ))
    rate(centre, kiosk_http, 2, window="3")
    centre.clock.set(dt.datetime(2026, 11, 24, 11, 0, tzinfo=HALL_TZ))
    clerk = RatingDesk(centre, "clerk1")
    clerk.login()
    page = clerk.get("/ratings").text
    assert "满意率" in page and "前两级" in page and "top two of the five levels" in page
    months = _rows(page, "by-month")
    # November: 5 ratings, 3 in the top two levels = 60.0 %; October: one 差评, 0.0 %.
    assert months["2026-11"][:3] == ["2026-11", "5", "60.0%"]
    assert months["2026-10"][:3] == ["2026-10", "1", "0.0%"]
    windows = _rows(page, "by-window")
    assert windows["3"][1:4] == ["4", "75.0%", "1"]
    matters = _rows(page, "by-matter")
    assert matters["marriage-reg"][1:4] == ["1", "0.0%", "0"]
    october = _rows(clerk.get("/ratings?month=2026-10").text, "by-window")
    assert october["3"][1:4] == ["1", "0.0%", "1"]
    assert clerk.get("/ratings?month=Nov").status_code == 422
    civil = RatingDesk(centre, "civil1")
    civil.login()
    assert civil.get("/ratings").status_code == 403


def _rows(html: str, table_id: str) -> dict[str, list[str]]:
    """Rows of one table as {key: [cell texts]}: the key is the row's data-* attribute."""
    table = html[html.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    out = {}
    for key, body in re.findall(r'<tr data-\w+="([^"]*)">(.*?)</tr>', table, re.S):
        cells = [re.sub(r"<small>.*?</small>|<svg.*?</svg>|<[^>]+>", "", c, flags=re.S).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
        out[key] = cells
    return out


def test_the_monthly_call_back_ledger_exports_csv_with_the_phone_masked(centre, kiosk_http,
                                                                         people):
    import csv
    import io

    no = rate(centre, kiosk_http, 2, window="3", phone="13800138000")["rectification_no"]
    rate(centre, kiosk_http, 5, window="3")
    clerk = RatingDesk(centre, "clerk1")
    clerk.login()
    assert clerk.get("/rectify.csv?month=2026-11").status_code == 403  # duty and admin only
    duty = RatingDesk(centre, "duty1")
    duty.login()
    duty.post(f"/rectify/{no}/accept")
    duty.post(f"/rectify/{no}/rectify", measures="=HYPERLINK(\"x\") 已培训")
    duty.post(f"/rectify/{no}/callback", outcome="satisfied")
    answer = duty.get("/rectify.csv?month=2026-11")
    assert answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][0] == "整改编号 No." and len(rows) == 2  # the 好评 is not a row
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["整改编号 No."] == no and row["评价 Rating"] == "不满意"
    assert row["原因 Reasons"] == "等候或办理太慢" and row["按期整改 On time"] == "是"
    assert row["回访结果 Outcome"] == "满意" and "张伟 满意" in row["回访 Call backs"]
    assert row["整改措施 Rectification"].startswith("'=")  # no formula reaches Excel
    assert row["联系电话 Phone"] == "138****8000" and b"13800138000" not in answer.content
    assert row["整改轮次 Round"] == "1"
    assert duty.get("/rectify.csv?month=2026-13").status_code == 422


def test_an_unsatisfied_call_back_sends_the_order_back_and_the_second_escalates_it(
        centre, kiosk_http, people):
    no = rate(centre, kiosk_http, 1, window="3", phone="13800138000")["rectification_no"]
    clerk = RatingDesk(centre, "clerk1")
    clerk.login()
    clerk.post(f"/rectify/{no}/accept")
    clerk.post(f"/rectify/{no}/dispatch", unit="区民政局")
    clerk.post(f"/rectify/{no}/rectify", measures="第一次：窗口人员培训")  # Tue 24 Nov
    page = clerk.post(f"/rectify/{no}/callback", outcome="not_satisfied", note="仍然排队太久")
    # Back to the unit for 再整改: 5 new working days from Tue 24 Nov = Tue 1 Dec.
    assert 'id="status">已转办' in page.text and 'id="round">第2次整改' in page.text
    assert 'id="reopened"' in page.text and 'id="rectify-due">2026-12-01' in page.text
    assert 'id="closed"' not in page.text and "仍然排队太久" in page.text  # the call kept
    assert "第一次：窗口人员培训" in page.text  # the first measures stay in the history
    assert no in clerk.inbox_rectify("all")
    inbox = clerk.get("/rectify?box=all").text
    assert "第2次整改" in inbox and "2nd rectification" in inbox
    # The figures: reopened is neither called back nor (yet) rectified.
    month = _rows(clerk.get("/ratings").text, "by-month")["2026-11"]
    assert month[4:6] == ["0 / 1", "0 / 1"]

    centre.clock.set(dt.datetime(2026, 11, 30, 10, 0, tzinfo=HALL_TZ))  # Monday
    clerk.login()
    clerk.post(f"/rectify/{no}/rectify", measures="第二次：高峰时段增开窗口")
    month = _rows(clerk.get("/ratings").text, "by-month")["2026-11"]
    assert month[4:6] == ["1 / 1", "0 / 1"]  # rectified on time against the new date
    page = clerk.post(f"/rectify/{no}/callback", outcome="not_satisfied")
    # The second 不满意: a third rectification, and the duty officer has it.
    assert 'id="round">第3次整改' in page.text and 'id="escalated"' in page.text
    assert 'id="rectify-due">2026-12-07' in page.text  # Mon 30 Nov + 5 working days
    duty = RatingDesk(centre, "duty1")
    duty.login()
    assert duty.inbox_rectify("escalated") == [no]
    with centre.service.db.read() as tx:
        row = tx.one("SELECT status, escalation_reason, phone FROM rectifications WHERE id = ?",
                     (no,))
        audit = [(r["action"], r["detail"]) for r in tx.all(
            "SELECT action, detail FROM audit_log WHERE tracking_no = ? ORDER BY at, id", (no,))]
    assert row["status"] == "dispatched" and row["phone"] == "13800138000"
    assert "不满意" in row["escalation_reason"]
    assert [a for a, _ in audit] == ["rectify_open", "accept", "dispatch", "rectify", "callback",
                                     "reopen", "rectify", "callback", "reopen_escalate"]
    assert "第一次" in audit[3][1] and '"round": 2' in audit[5][1]

    # A third rectification that satisfies the citizen closes it, and the figures say so.
    duty.post(f"/rectify/{no}/rectify", measures="第三次：值班长督办，专人引导")
    done = duty.post(f"/rectify/{no}/callback", outcome="satisfied")
    assert 'id="status">已回访办结' in done.text and 'id="reopened"' not in done.text
    month = _rows(duty.get("/ratings").text, "by-month")["2026-11"]
    assert month[4:6] == ["1 / 1", "1 / 1"]
    with centre.service.db.read() as tx:
        calls = [r["outcome"] for r in tx.all(
            "SELECT outcome FROM callbacks WHERE rectification_id = ? ORDER BY called_at, id",
            (no,))]
    assert calls == ["not_satisfied", "not_satisfied", "satisfied"]
    ledger = duty.get("/rectify.csv?month=2026-11").content.decode("utf-8-sig")
    assert ",3,已回访办结," in ledger and "仍然排队太久" not in ledger  # notes stay on the desk


def test_satisfied_after_one_re_rectification_closes_and_a_late_no_does_not_loop(
        centre, kiosk_http, people):
    once = rate(centre, kiosk_http, 2, window="4")["rectification_no"]
    clerk = RatingDesk(centre, "clerk1")
    clerk.login()
    clerk.post(f"/rectify/{once}/accept")
    clerk.post(f"/rectify/{once}/rectify", measures="调整引导")
    page = clerk.post(f"/rectify/{once}/callback", outcome="not_satisfied")
    assert 'id="status">已受理' in page.text  # no unit: back to its owner
    clerk.post(f"/rectify/{once}/rectify", measures="再次调整引导")
    page = clerk.post(f"/rectify/{once}/callback", outcome="satisfied")
    assert 'id="status">已回访办结' in page.text and 'id="escalated"' not in page.text
    # After the escalated round an unsatisfied call back closes it: no endless loop.
    for _ in range(2):
        clerk.post(f"/rectify/{once}/callback", outcome="not_satisfied")  # closed: refused
    again = rate(centre, kiosk_http, 1, window="4")["rectification_no"]
    clerk.post(f"/rectify/{again}/accept")
    for _ in range(2):
        clerk.post(f"/rectify/{again}/rectify", measures="整改")
        clerk.post(f"/rectify/{again}/callback", outcome="not_satisfied")
    clerk.post(f"/rectify/{again}/rectify", measures="值班长督办整改")
    last = clerk.post(f"/rectify/{again}/callback", outcome="not_satisfied", note="仍不满意")
    assert 'id="status">已回访办结' in last.text and 'id="round-no">第3次整改' in last.text
    with centre.service.db.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM callbacks WHERE rectification_id = ?",
                         (once,)) == 2
