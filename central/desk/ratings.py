"""好差评 on the desk: ratings by matter, window and month, and the 整改 orders 差评 open.

A 整改 (rectification) order is opened by the centre when a 差评 arrives
(:func:`central.ratings.open_rectification`). Here staff work it on the same machinery as a
办不成事 order: accept (names the owner, 首问负责), dispatch to a unit (转办), record the
rectification (整改措施), call the citizen back (回访: when, by whom, outcome, note), escalate
by hand or automatically when a deadline passes. Deadlines count working days on the hall's
calendar (:meth:`WorkOrders.working_days_left`); every action is an audit-log row under the
order's Z number. The citizen's number is shown masked; showing it in full (to dial it) is an
audited action of its own, and it is erased when the 回访 closes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from central.db import Transaction
from central.desk.accounts import Staff
from central.desk.exports import Sheet, csv_text
from central.desk.orders import (
    ACTIONS,
    BOXES,
    DUE_SOON_WORKING_DAYS,
    PAGE_SIZE,
    SYSTEM,
    Actor,
    DeskProblem,
    WorkOrders,
    _ordered_id,
    boxes_for,
)
from central.desk.window import DeskKit
from central.problems import Problem
from central.ratings import LOW_LEVELS, SATISFIED_LEVELS, satisfaction_rate
from central.service import EVALUATION_LEVELS
from hall.catalogue import RatingSettings

RECTIFY_STATUS = {
    "received": ("待受理", "New"),
    "accepted": ("已受理", "Accepted"),
    "dispatched": ("已转办", "Dispatched"),
    "rectified": ("已整改，待回访", "Rectified, call back due"),
    "closed": ("已回访办结", "Called back, closed"),
}
OUTCOMES = {
    "satisfied": ("满意", "Satisfied"),
    "not_satisfied": ("不满意", "Not satisfied"),
    "unreachable": ("未联系上", "Unreachable"),
}
REASON_NAMES = {
    "attitude": ("服务态度不好", "Unfriendly staff"),
    "slow": ("等候或办理太慢", "Too slow"),
    "unclear": ("告知不清楚", "Unclear information"),
    "many_visits": ("让我跑了多次", "Had to come several times"),
    "not_done": ("事情没办成", "The matter was not done"),
    "environment": ("环境设施不好", "Poor facilities"),
}
CALLBACK_ATTEMPTS = 3  # unreachable this many times (or no number left): the 回访 closes
# 回访不满意 = the rectification is not accepted: the order goes back to rectification (再整改)
# with new working days. The second unsatisfied call back escalates it to the duty officer
# (提级) for one last rectification; an unsatisfied call back after that closes the order with
# the outcome on record instead of looping forever.
UNSATISFIED_ESCALATE = 2
RATING_ACTIONS: dict[str, tuple[str, str]] = {
    "rectify_open": ("差评自动生成整改工单", "整改 order opened by a 差评"),
    "rectify": ("整改完成", "Rectified"),
    "callback": ("回访", "Called back"),
    "show_phone": ("查看回访号码", "Showed the call-back number"),
    "reopen": ("回访不满意，退回再整改", "Not satisfied: back to rectification"),
    "reopen_escalate": ("回访再次不满意，提级值班长",
                        "Not satisfied again: escalated to the duty officer"),
}
ACTIONS.update(RATING_ACTIONS)  # the audit log page names these rows too
NEXT_ACTION = {"received": "accept", "accepted": "dispatch", "dispatched": "rectify",
               "rectified": "callback"}
OPEN = "r.status <> 'closed'"
# How many call backs found the citizen not satisfied: the order's round is this + 1.
REJECTED = ("(SELECT COUNT(*) FROM callbacks c WHERE c.rectification_id = r.id "
            "AND c.outcome = 'not_satisfied') AS rejected")


class Ratings:
    """Queries and actions of the ratings page and the 整改 orders."""

    def __init__(self, orders: WorkOrders) -> None:
        self.orders = orders
        self.service = orders.service
        self.db = orders.db

    def settings(self, hall: str) -> RatingSettings:
        try:
            return self.service.catalogue(hall)[1].ratings
        except Problem:
            return RatingSettings()

    # -- the ratings page ----------------------------------------------------------------
    def summary(self, hall: str, month: str) -> dict[str, Any]:
        """Counts per level and the satisfaction rate: by month (the last 12), and by matter
        and by window for ``month`` (YYYY-MM)."""
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError as exc:
            raise DeskProblem("月份格式应为 YYYY-MM", "The month is YYYY-MM", 422) from exc
        after = (first + dt.timedelta(days=32)).replace(day=1)
        year_ago = (first - dt.timedelta(days=335)).replace(day=1)
        with self.db.read() as tx:
            by_month = tx.all(
                "SELECT substr(e.created_at, 1, 7) AS k, e.level, COUNT(*) AS n "
                "FROM evaluations e WHERE e.hall_id = ? AND e.created_at >= ? "
                "AND e.created_at < ? GROUP BY substr(e.created_at, 1, 7), e.level",
                (hall, year_ago.isoformat(), after.isoformat()))
            by_matter = tx.all(
                "SELECT e.matter_id AS k, e.level, COUNT(*) AS n FROM evaluations e "
                "WHERE e.hall_id = ? AND e.created_at >= ? AND e.created_at < ? "
                "GROUP BY e.matter_id, e.level", (hall, first.isoformat(), after.isoformat()))
            by_window = tx.all(
                "SELECT e.window_no AS k, e.level, COUNT(*) AS n FROM evaluations e "
                "WHERE e.hall_id = ? AND e.created_at >= ? AND e.created_at < ? "
                "GROUP BY e.window_no, e.level", (hall, first.isoformat(), after.isoformat()))
            follow = tx.all(
                "SELECT substr(r.created_at, 1, 7) AS k, COUNT(*) AS opened, "
                "SUM(CASE WHEN r.rectified_at IS NOT NULL AND "
                "substr(r.rectified_at, 1, 10) <= r.rectify_due THEN 1 ELSE 0 END) AS on_time, "
                "SUM(CASE WHEN r.status = 'closed' THEN 1 ELSE 0 END) AS called_back "
                "FROM rectifications r WHERE r.hall_id = ? AND r.created_at >= ? "
                "AND r.created_at < ? GROUP BY substr(r.created_at, 1, 7)",
                (hall, year_ago.isoformat(), after.isoformat()))
            recent = tx.all(
                "SELECT r.id, r.level, r.status, r.created_at, r.window_no, r.matter_id, "
                f"r.due_date, {REJECTED} FROM rectifications r WHERE r.hall_id = ? AND r.created_at >= ? "
                "AND r.created_at < ? ORDER BY r.created_at DESC LIMIT 50",
                (hall, first.isoformat(), after.isoformat()))
        months = _tally(by_month)
        for row in follow:
            if row["k"] in months:
                months[row["k"]].update(rectified_on_time=int(row["on_time"] or 0),
                                        called_back=int(row["called_back"] or 0))
        matters = _tally(by_matter)
        for key, row in matters.items():
            row["name"] = self.orders._matter_name(hall, key) if key else None
        return {
            "month": month,
            "months": [months[k] for k in sorted(months, reverse=True)],
            "matters": sorted(matters.values(), key=lambda r: (-r["total"], str(r["key"]))),
            "windows": sorted(_tally(by_window).values(),
                              key=lambda r: (r["key"] is None, str(r["key"]))),
            "total": sum(r["total"] for r in matters.values()),
            "recent": [{**r, "status_name": RECTIFY_STATUS[r["status"]],
                        "level_name": EVALUATION_LEVELS[r["level"]],
                        "round": _round(r["rejected"]),
                        "received": r["created_at"][:16].replace("T", " ")} for r in recent],
        }

    # -- 回访台账: the month's 整改 orders as CSV rows --------------------------------------
    LEDGER_COLUMNS = ("整改编号 No.", "收到 Received", "评价 Rating", "原因 Reasons",
                      "窗口 Window", "事项 Matter", "负责人 Owner", "承办单位 Unit",
                      "整改期限 Rectify by", "整改措施 Rectification", "整改时间 Rectified at",
                      "按期整改 On time", "回访期限 Call back by", "回访 Call backs",
                      "回访结果 Outcome", "整改轮次 Round", "状态 Status", "提级 Escalated",
                      "联系电话 Phone")

    def ledger(self, hall: str, month: str) -> list[list[str]]:
        """One row per 差评 of ``month``: its rectification and every call back (phone masked)."""
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError as exc:
            raise DeskProblem("月份格式应为 YYYY-MM", "The month is YYYY-MM", 422) from exc
        after = (first + dt.timedelta(days=32)).replace(day=1)
        with self.db.read() as tx:
            rows = tx.all("SELECT r.*, s.display_name AS owner_name, e.reasons "
                          "FROM rectifications r LEFT JOIN staff s ON s.id = r.owner_id "
                          "LEFT JOIN evaluations e ON e.id = r.evaluation_id "
                          "WHERE r.hall_id = ? AND r.created_at >= ? AND r.created_at < ? "
                          "ORDER BY r.created_at, r.id",
                          (hall, first.isoformat(), after.isoformat()))
            calls = tx.all("SELECT c.rectification_id, c.called_at, c.staff_name, c.outcome "
                           "FROM callbacks c JOIN rectifications r ON r.id = c.rectification_id "
                           "WHERE r.hall_id = ? AND r.created_at >= ? AND r.created_at < ? "
                           "ORDER BY c.called_at, c.id",
                           (hall, first.isoformat(), after.isoformat()))
        by_order: dict[str, list[dict[str, Any]]] = {}
        for call in calls:
            by_order.setdefault(call["rectification_id"], []).append(call)
        today = self.orders.today()
        out = []
        for r in rows:
            if r["rectified_at"]:
                on_time = "是" if r["rectified_at"][:10] <= r["rectify_due"] else "否"
            else:
                on_time = "否（超期未整改）" if r["rectify_due"] < today.isoformat() else "整改中"
            mine = by_order.get(r["id"], [])
            matter = self.orders._matter_name(hall, r["matter_id"])
            out.append([
                r["id"], _minute(r["created_at"]), EVALUATION_LEVELS[r["level"]][0],
                "、".join(REASON_NAMES.get(x, (x,))[0] for x in json.loads(r["reasons"] or "[]")),
                r["window_no"] or "", matter[0] if matter else "", r["owner_name"] or "",
                r["unit"] or "", r["rectify_due"], r["measures"] or "",
                _minute(r["rectified_at"]), on_time, r["callback_due"] or "",
                "；".join(f"{_minute(c['called_at'])} {c['staff_name']} "
                         f"{OUTCOMES[c['outcome']][0]}" for c in mine),
                OUTCOMES[mine[-1]["outcome"]][0] if mine else "",
                str(_round(sum(c["outcome"] == "not_satisfied" for c in mine))),
                RECTIFY_STATUS[r["status"]][0], _minute(r["escalated_at"]),
                r["phone_masked"] or ""])
        return out

    # -- 整改 inboxes ---------------------------------------------------------------------
    def _where(self, staff: Staff, box: str, today: dt.date) -> tuple[str, list[Any]]:
        where = ["r.hall_id = ?"]
        params: list[Any] = [staff.hall]
        if staff.role == "unit":
            where.append("r.unit = ?")
            params.append(staff.unit)
        if box == "new":
            where.append("r.status = 'received'")
        elif box == "mine":
            where.append(f"r.owner_id = ? AND {OPEN}")
            params.append(staff.id)
        elif box == "unit":
            where.append("r.status = 'dispatched'")
        elif box == "due_soon":
            where.append(f"{OPEN} AND r.due_date >= ? AND r.due_date <= ?")
            soon = self.service.calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
            params += [today.isoformat(), soon.isoformat()]
        elif box == "overdue":
            where.append(f"{OPEN} AND r.due_date < ?")
            params.append(today.isoformat())
        elif box == "escalated":
            where.append(f"r.escalated_at IS NOT NULL AND {OPEN}")
        elif box != "all":
            raise DeskProblem("没有这个收件箱", "No such inbox", 404)
        return " AND ".join(where), params

    def counts(self, staff: Staff) -> dict[str, int]:
        today = self.orders.today()
        out = {}
        with self.db.read() as tx:
            for box in boxes_for(staff):
                where, params = self._where(staff, box, today)
                out[box] = int(tx.scalar(f"SELECT COUNT(*) FROM rectifications r WHERE {where}",
                                         params) or 0)
        return out

    def inbox(self, staff: Staff, box: str) -> list[dict[str, Any]]:
        today = self.orders.today()
        where, params = self._where(staff, box, today)
        order = "r.created_at DESC" if box == "all" else "r.due_date, r.created_at"
        with self.db.read() as tx:
            rows = tx.all(
                "SELECT r.id, r.level, r.status, r.created_at, r.due_date, r.rectify_due, "
                "r.callback_due, r.window_no, r.matter_id, r.unit, r.escalated_at, "
                f"s.display_name AS owner_name, {REJECTED} FROM rectifications r "
                f"LEFT JOIN staff s ON s.id = r.owner_id WHERE {where} "
                f"ORDER BY {order} LIMIT {PAGE_SIZE}", params)
        return [self._describe(r, today) for r in rows]

    def _describe(self, r: dict[str, Any], today: dt.date) -> dict[str, Any]:
        due = dt.date.fromisoformat(r["due_date"])
        open_ = r["status"] != "closed"
        out = dict(r)
        out.update(
            status_name=RECTIFY_STATUS[r["status"]],
            level_name=EVALUATION_LEVELS[r["level"]],
            phase=("callback" if r["status"] == "rectified" else
                   "closed" if r["status"] == "closed" else "rectify"),
            days_left=self.orders.working_days_left(due, today),
            overdue=open_ and due < today,
            due_soon=open_ and today <= due <= self.service.calendar.add_working_days(
                today, DUE_SOON_WORKING_DAYS),
            received=r["created_at"][:16].replace("T", " "),
            round=_round(r.get("rejected")),  # 2 = 第2次整改 after one 不满意
        )
        return out

    # -- one order -----------------------------------------------------------------------
    def order(self, staff: Staff, number: str) -> dict[str, Any]:
        with self.db.read() as tx:
            row = tx.one("SELECT r.*, s.display_name AS owner_name, e.reasons, e.comment, "
                         f"e.kiosk_id, e.ticket_id, e.tracking_no AS report_no, {REJECTED} "
                         "FROM rectifications r LEFT JOIN staff s ON s.id = r.owner_id "
                         "LEFT JOIN evaluations e ON e.id = r.evaluation_id "
                         "WHERE r.id = ? AND r.hall_id = ?", (number, staff.hall))
            if row is None or (staff.role == "unit" and row["unit"] != staff.unit):
                raise DeskProblem("没有这个整改工单，或不属于本单位",
                                  "No such rectification order, or not dispatched to your unit",
                                  404)
            callbacks = tx.all("SELECT called_at, staff_name, outcome, note FROM callbacks "
                               "WHERE rectification_id = ? ORDER BY called_at, id", (number,))
            audit = tx.all("SELECT at, username, action, detail FROM audit_log "
                           "WHERE tracking_no = ? AND hall_id = ? ORDER BY at, id",
                           (number, staff.hall))
        out = self._describe(row, self.orders.today())
        reasons = json.loads(row["reasons"] or "[]")
        out.update(
            matter_name=self.orders._matter_name(staff.hall, row["matter_id"]),
            reasons=[REASON_NAMES.get(r, (r, r)) for r in reasons],
            comment=row["comment"], kiosk_id=row["kiosk_id"], report_no=row["report_no"],
            has_phone=row["phone"] is not None, phone_masked=row["phone_masked"],
            measures=row["measures"], escalation_reason=row["escalation_reason"],
            rectified=(row["rectified_at"] or "")[:16].replace("T", " "),
            closed=(row["closed_at"] or "")[:16].replace("T", " "),
            callbacks=[{**c, "outcome_name": OUTCOMES[c["outcome"]],
                        "when": c["called_at"][:16].replace("T", " ")} for c in callbacks],
            audit=[{**a, "action_name": ACTIONS.get(a["action"], (a["action"],) * 2)}
                   for a in audit],
            callback_days=self.settings(staff.hall).callback_days,
            next_action=NEXT_ACTION.get(row["status"]),
        )
        return out

    def allowed(self, staff: Staff, order: dict[str, Any]) -> list[str]:
        """What this person may do on this 整改 order now (the buttons on its page)."""
        acts: list[str] = []
        status = order["status"]
        if staff.works_orders:
            if status == "received":
                acts.append("accept")
            if status == "accepted":
                acts += ["dispatch", "rectify"]  # a unit's help is not always needed
            if status == "dispatched":
                acts.append("rectify")
            if status == "rectified":
                acts.append("callback")
            if status != "closed" and not order["escalated_at"]:
                acts.append("escalate")
        elif staff.role == "unit" and status == "dispatched" and order["unit"] == staff.unit:
            acts.append("rectify")
        return acts

    def act(self, staff: Staff, number: str, action: str, form: dict[str, str]) -> None:
        """Do one action as ``staff``; refuses what the role or the order's state does not allow."""
        order = self.order(staff, number)
        if action not in self.allowed(staff, order):
            if staff.works_orders and action in ("accept", "dispatch", "rectify", "callback"):
                raise DeskProblem(f"整改工单当前为「{order['status_name'][0]}」，不能{ACTIONS[action][0]}",
                                  f"The order is {order['status_name'][1].lower()}: "
                                  f"cannot {action} now")
            raise DeskProblem("您的角色不能进行此操作", "Your role cannot do this", 403)
        actor = Actor(staff.id, staff.username, staff.hall)
        note = (form.get("note") or "").strip()[:1000] or None
        now = self.service.now()
        detail: dict[str, Any] = {}
        follow: tuple[str, dict[str, Any]] | None = None
        if action == "escalate":
            reason = (form.get("reason") or "").strip()
            if not reason or len(reason) > 500:
                raise DeskProblem("请写明提级原因", "Say why you escalate", 422)
            with self.db.write() as tx:
                self._escalate(tx, actor, number, reason, "escalate")
            return
        if action == "accept":
            sql, params = "status = 'accepted', owner_id = ?", [staff.id]
        elif action == "dispatch":
            unit = (form.get("unit") or "").strip()
            if unit not in self.orders.units(staff.hall):
                raise DeskProblem("请选择承办单位", "Choose the unit", 422)
            sql, params = "status = 'dispatched', unit = ?", [unit]
            detail["unit"] = unit
        elif action == "rectify":
            measures = (form.get("measures") or "").strip()
            if not measures or len(measures) > 2000:
                raise DeskProblem("请填写整改措施（不超过2000字）",
                                  "Write what was rectified (up to 2,000 characters)", 422)
            callback_due = self.service.calendar.add_working_days(
                now.date(), self.settings(staff.hall).callback_days).isoformat()
            sql = "status = 'rectified', measures = ?, rectified_at = ?, callback_due = ?, " \
                  "due_date = ?"
            params = [measures, now.isoformat(), callback_due, callback_due]
            detail.update(round=order["round"], measures=measures, callback_due=callback_due)
        else:  # callback
            sql, params, follow = self._callback(staff, order, form, now)
            detail["outcome"] = OUTCOMES[form["outcome"]][0]
        if note:
            detail["note"] = note
        with self.db.write() as tx:
            done = tx.execute(f"UPDATE rectifications SET {sql} WHERE id = ? AND hall_id = ? "
                              "AND status = ?", (*params, number, staff.hall, order["status"]))
            if done.rowcount != 1:
                raise DeskProblem("工单已被他人处理，请刷新", "Someone else moved this order on; reload")
            if action == "callback":
                tx.execute("INSERT INTO callbacks (id, rectification_id, hall_id, called_at, "
                           "staff_id, staff_name, outcome, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (_ordered_id(), number, staff.hall, now.isoformat(), staff.id,
                            staff.display_name, form["outcome"], note))
            self.orders.audit(tx, actor, action, number, detail)
            if follow is not None:
                self.orders.audit(tx, actor, follow[0], number, follow[1])

    def _callback(self, staff: Staff, order: dict[str, Any], form: dict[str, str],
                  now: dt.datetime) -> tuple[str, list[Any], tuple[str, dict[str, Any]] | None]:
        """The UPDATE of one 回访 and, when it reopens the order, the follow-up audit row."""
        outcome = form.get("outcome", "")
        if outcome not in OUTCOMES:
            raise DeskProblem("请选择回访结果", "Choose the call's outcome", 422)
        if outcome == "not_satisfied" and order["round"] <= UNSATISFIED_ESCALATE:
            return self._reopen(staff, order, now)
        unreachable_before = sum(1 for c in order["callbacks"] if c["outcome"] == "unreachable")
        if (outcome == "unreachable" and order["has_phone"]
                and unreachable_before + 1 < CALLBACK_ATTEMPTS):
            return "status = status", [], None  # try again: the order stays due for its 回访
        # Closed: the number was only for this call; the masked form stays on the record.
        return "status = 'closed', closed_at = ?, phone = NULL", [now.isoformat()], None

    def _reopen(self, staff: Staff, order: dict[str, Any],
                now: dt.datetime) -> tuple[str, list[Any], tuple[str, dict[str, Any]]]:
        """再整改: back to the owner (or the unit it was dispatched to) with a new rectification
        deadline; the earlier measures stay in the audit log (the 'rectify' row) and the call
        back in its table. The UNSATISFIED_ESCALATE-th time it also goes to the duty officer."""
        due = self.service.calendar.add_working_days(
            now.date(), self.settings(staff.hall).rectify_days).isoformat()
        status = "dispatched" if order["unit"] else "accepted"
        sql = ("status = ?, rectify_due = ?, due_date = ?, callback_due = NULL, "
               "measures = NULL, rectified_at = NULL")
        params: list[Any] = [status, due, due]
        detail: dict[str, Any] = {"round": order["round"] + 1, "rectify_due": due}
        if order["round"] < UNSATISFIED_ESCALATE:
            return sql, params, ("reopen", detail)
        reason = (f"第{order['round']}次回访仍不满意，提级值班长 / "
                  f"not satisfied at call back {order['round']}: escalated")
        sql += ", escalated_at = ?, escalation_reason = ?"
        params += [now.isoformat(), reason]
        detail["reason"] = reason
        return sql, params, ("reopen_escalate", detail)

    def show_phone(self, staff: Staff, number: str) -> str:
        """The full call-back number, to dial it; writes who looked and when."""
        if not staff.works_orders:
            raise DeskProblem("您的角色不能进行此操作", "Your role cannot do this", 403)
        with self.db.write() as tx:
            phone = tx.scalar("SELECT phone FROM rectifications WHERE id = ? AND hall_id = ? "
                              "AND status = 'rectified'", (number, staff.hall))
            if not phone:
                raise DeskProblem("没有可回访的号码（未留电话、尚未整改或已回访办结）",
                                  "No number to call (none left, not rectified yet, or closed)",
                                  404)
            self.orders.audit(tx, Actor(staff.id, staff.username, staff.hall), "show_phone",
                              number)
        return str(phone)

    # -- escalation ----------------------------------------------------------------------
    def _escalate(self, tx: Transaction, actor: Actor, number: str, reason: str,
                  action: str) -> bool:
        done = tx.execute("UPDATE rectifications SET escalated_at = ?, escalation_reason = ? "
                          "WHERE id = ? AND hall_id = ? AND escalated_at IS NULL "
                          "AND status <> 'closed'",
                          (self.service.now().isoformat(), reason, number, actor.hall))
        if done.rowcount == 1:
            self.orders.audit(tx, actor, action, number, {"reason": reason})
            return True
        return False

    def escalate_overdue(self, hall: str | None = None) -> int:
        """Escalate every open 整改 order past its due date (rectification or 回访), once."""
        sql = ("SELECT id, hall_id, status, due_date FROM rectifications WHERE "
               "status <> 'closed' AND escalated_at IS NULL AND due_date < ?")
        params: list[Any] = [self.orders.today().isoformat()]
        if hall is not None:
            sql += " AND hall_id = ?"
            params.append(hall)
        with self.db.read() as tx:
            late = tx.all(sql, params)
        count = 0
        for row in late:
            what = "回访" if row["status"] == "rectified" else "整改"
            with self.db.write() as tx:
                if self._escalate(tx, Actor(None, SYSTEM, row["hall_id"]), row["id"],
                                  f"{what}超期（应于{row['due_date']}前完成）/ overdue",
                                  "auto_escalate"):
                    count += 1
        return count


def _round(rejected: Any) -> int:
    """Which rectification an order is in: one more per unsatisfied call back, up to the
    escalated one (an unsatisfied call back after it closes the order, opens no round)."""
    return min(int(rejected or 0), UNSATISFIED_ESCALATE) + 1


def _minute(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


def _tally(rows: list[dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    """Rows of (key, level, n) as one row per key with counts per level and the rate."""
    out: dict[Any, dict[str, Any]] = {}
    for r in rows:
        row = out.setdefault(r["k"], {"key": r["k"], "levels": dict.fromkeys(range(1, 6), 0),
                                      "total": 0})
        row["levels"][int(r["level"])] += int(r["n"])
        row["total"] += int(r["n"])
    for row in out.values():
        satisfied = sum(row["levels"][lv] for lv in SATISFIED_LEVELS)
        row["satisfied"] = satisfied
        row["bad"] = sum(row["levels"][lv] for lv in LOW_LEVELS)
        rate = satisfaction_rate(satisfied, row["total"])
        row["rate"] = None if rate is None else f"{rate * 100:.1f}%"
    return out


def install(router: APIRouter, kit: DeskKit, ratings: Ratings) -> None:
    """``/desk/ratings`` (the figures) and ``/desk/rectify`` (整改 inboxes and orders)."""
    prefix = kit.prefix

    @router.get("/ratings")
    async def ratings_page(request: Request, month: str | None = None) -> Response:
        session = await kit.session_of(request)
        kit.require(session.staff, "clerk", "duty", "admin")
        month = month or ratings.service.now().strftime("%Y-%m")
        summary = await run_in_threadpool(ratings.summary, session.staff.hall, month)
        return kit.page(request, "ratings.html", me=session.staff, csrf=session.csrf_token,
                        s=summary, LEVELS=EVALUATION_LEVELS,
                        settings=ratings.settings(session.staff.hall))

    @router.get("/rectify.csv")
    async def rectify_ledger(request: Request, month: str) -> Response:
        """The month's 整改 and 回访 ledger (回访台账) for Excel: UTF-8 with BOM, no formulas."""
        session = await kit.session_of(request)
        kit.require(session.staff, "duty", "admin")
        rows = await run_in_threadpool(ratings.ledger, session.staff.hall, month)
        table = csv_text([Sheet("rectification", Ratings.LEDGER_COLUMNS, rows)], titles=False)
        name = f"rectification-{session.staff.hall}-{month}.csv"
        return Response(table, media_type="text/csv; charset=utf-8",
                        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                                 "Content-Disposition": f'attachment; filename="{name}"'})

    @router.get("/rectify")
    async def rectify_inbox(request: Request, box: str | None = None) -> Response:
        session = await kit.session_of(request)
        me = session.staff
        mine = boxes_for(me)
        box = box or mine[0]
        if box not in mine:
            raise DeskProblem("没有这个收件箱", "No such inbox", 404)
        await run_in_threadpool(ratings.escalate_overdue, me.hall)
        rows = await run_in_threadpool(ratings.inbox, me, box)
        counts = await run_in_threadpool(ratings.counts, me)
        return kit.page(request, "rectify_inbox.html", me=me, csrf=session.csrf_token, box=box,
                        boxes=mine, counts=counts, rows=rows, BOXES=BOXES)

    async def show(request: Request, number: str, phone: str | None = None) -> Response:
        session = await kit.session_of(request)
        order = await run_in_threadpool(ratings.order, session.staff, number)
        return kit.page(request, "rectify_order.html", me=session.staff, csrf=session.csrf_token,
                        o=order, allowed=ratings.allowed(session.staff, order),
                        units=await run_in_threadpool(ratings.orders.units, session.staff.hall),
                        OUTCOMES=OUTCOMES, UNSATISFIED_ESCALATE=UNSATISFIED_ESCALATE, phone=phone,
                        done=request.query_params.get("done"))

    @router.get("/rectify/{number}")
    async def rectify_order(request: Request, number: str) -> Response:
        return await show(request, number)

    @router.post("/rectify/{number}/show-phone")
    async def rectify_phone(request: Request, number: str) -> Response:
        """Answers the page itself (no redirect): the number is never put in a URL."""
        session = await kit.session_of(request)
        await kit.form_of(request, session)
        phone = await run_in_threadpool(ratings.show_phone, session.staff, number)
        return await show(request, number, phone)

    @router.post("/rectify/{number}/{action}")
    async def rectify_action(request: Request, number: str, action: str) -> Response:
        session = await kit.session_of(request)
        form = await kit.form_of(request, session)
        await run_in_threadpool(ratings.act, session.staff, number, action, form)
        return kit.back(f"{prefix}/rectify/{quote(number)}?done={quote(action)}")


