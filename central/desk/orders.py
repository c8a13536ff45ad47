"""办不成事 work orders on the desk: inboxes per role, actions, escalation, the audit log.

A work order is a report (``reports`` row) with an owner (首问负责), a unit it was dispatched to
(转办) and, when it ran late or someone asked for it, an escalation to the duty officer
(提级). Steps go through :meth:`CentralService.advance_report`, the same state machine as the
staff API, with the owner and the audit row written in the same transaction. Deadlines count
working days on the hall's calendar.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from central.db import Transaction
from central.desk.accounts import Staff
from central.desk.notify import Message, Notifier, TableNotifier
from central.problems import Problem
from central.service import REPORT_KINDS, SITUATIONS, CentralService, mask_phone

DUE_SOON_WORKING_DAYS = 2  # "due soon": the promised date is at most this many working days off
PAGE_SIZE = 200

STATUS_NAMES = {
    "received": ("待受理", "New"),
    "accepted": ("已受理", "Accepted"),
    "classified": ("已分类", "Classified"),
    "dispatched": ("已转办", "Dispatched"),
    "resolved": ("已办结", "Resolved"),
    "answered": ("已反馈", "Answered"),
}
COMPLEXITIES = {
    "simple": ("简单", "Simple"),
    "ordinary": ("一般", "Ordinary"),
    "complex": ("复杂", "Complex"),
}
BOXES: dict[str, tuple[str, str]] = {
    "escalated": ("已提级", "Escalated"),
    "new": ("新工单", "New"),
    "mine": ("我的工单", "Mine"),
    "unit": ("转办本单位", "Dispatched to my unit"),
    "due_soon": ("即将到期", "Due soon"),
    "overdue": ("已超期", "Overdue"),
    "all": ("全部", "All"),
}
DELIVERY_NAMES = {
    "table": ("仅记录", "recorded only"),
    "sms": ("短信", "SMS"),
    "recorded": ("已记录", "recorded"),
    "sent": ("已发送", "sent"),
    "failed": ("发送失败", "failed"),
}
ACTIONS: dict[str, tuple[str, str]] = {
    "accept": ("受理", "Accept"),
    "classify": ("分类", "Classify"),
    "dispatch": ("转办", "Dispatch"),
    "resolve": ("办结", "Resolve"),
    "answer": ("答复群众", "Answer the citizen"),
    "escalate": ("提级", "Escalate"),
    "auto_escalate": ("超期自动提级", "Escalated automatically (overdue)"),
    "login": ("登录", "Logged in"),
    "add_staff": ("新增人员", "Added staff"),
    "add_unit": ("新增单位", "Added unit"),
    "unlock": ("解锁账号", "Unlocked account"),
    "help_coming": ("求助：我来了", "Help call: I'm coming"),
    "help_close": ("求助：已处理", "Help call: handled"),
    "help_escalate": ("求助超时提级", "Help call escalated (unanswered)"),
    "help_escalate_sent": ("求助提级已通知值班长", "Help call escalation sent to the duty officer"),
    "change_password": ("修改本人密码", "Changed own password"),
    "disable_staff": ("停用账号", "Disabled account"),
    "enable_staff": ("启用账号", "Re-enabled account"),
    "reset_password": ("重置密码", "Reset password"),
}
STEP_OF_ACTION = {"accept": "accepted", "classify": "classified", "dispatch": "dispatched",
                  "resolve": "resolved", "answer": "answered"}
ACTION_OF_STATUS = {"received": "accept", "accepted": "classify", "classified": "dispatch",
                    "dispatched": "resolve", "resolved": "answer"}


class DeskProblem(Exception):
    """An action the desk refuses, with words for the person who tried it."""

    def __init__(self, zh: str, en: str, status: int = 409) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.status = status


@dataclass(frozen=True)
class Actor:
    """Who did something: a person, or the centre itself (automatic escalation)."""

    staff_id: str | None
    username: str
    hall: str


SYSTEM = "system"


def _ordered_id() -> str:
    """Audit ids sort in the order rows were written (wall-clock ns, then random)."""
    return f"{time.time_ns():020d}{uuid.uuid4().hex[:12]}"


def boxes_for(staff: Staff) -> list[str]:
    if staff.role == "unit":
        return ["unit", "due_soon", "overdue", "all"]
    if staff.role == "clerk":
        return ["new", "mine", "due_soon", "overdue", "escalated", "all"]
    return ["escalated", "new", "mine", "due_soon", "overdue", "all"]


class WorkOrders:
    def __init__(self, service: CentralService, notifier: Notifier | None = None) -> None:
        self.service = service
        self.db = service.db
        self.notifier = notifier or TableNotifier()

    # -- time ----------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self.service.now().date()

    def working_days_left(self, promised: dt.date, today: dt.date | None = None) -> int:
        """Working days from today to the promised date; negative when overdue."""
        today = today or self.today()
        cal = self.service.calendar
        if promised >= today:
            return sum(1 for i in range(1, (promised - today).days + 1)
                       if cal.is_working_day(today + dt.timedelta(days=i)))
        return -sum(1 for i in range(1, (today - promised).days + 1)
                    if cal.is_working_day(promised + dt.timedelta(days=i)))

    def _soon(self, today: dt.date) -> dt.date:
        return self.service.calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)

    # -- inboxes -------------------------------------------------------------------------
    def _where(self, staff: Staff, box: str, today: dt.date) -> tuple[str, list[Any]]:
        where = ["r.hall_id = ?"]
        params: list[Any] = [staff.hall]
        if staff.role == "unit":  # a unit handler sees what was dispatched to the unit only
            where.append("r.unit = ?")
            params.append(staff.unit)
        if box == "new":
            where.append("r.status = 'received'")
        elif box == "mine":
            where.append("r.owner_id = ? AND r.status <> 'answered'")
            params.append(staff.id)
        elif box == "unit":
            where.append("r.status = 'dispatched'")
        elif box == "due_soon":
            where.append("r.status <> 'answered' AND r.promised_date >= ? "
                         "AND r.promised_date <= ?")
            params += [today.isoformat(), self._soon(today).isoformat()]
        elif box == "overdue":
            where.append("r.status <> 'answered' AND r.promised_date < ?")
            params.append(today.isoformat())
        elif box == "escalated":
            where.append("r.escalated_at IS NOT NULL AND r.status <> 'answered'")
        elif box != "all":
            raise DeskProblem("没有这个收件箱", "No such inbox", 404)
        return " AND ".join(where), params

    def counts(self, staff: Staff) -> dict[str, int]:
        today = self.today()
        out = {}
        with self.db.read() as tx:
            for box in boxes_for(staff):
                where, params = self._where(staff, box, today)
                out[box] = int(tx.scalar(f"SELECT COUNT(*) FROM reports r WHERE {where}",
                                         params) or 0)
        return out

    def inbox(self, staff: Staff, box: str) -> list[dict[str, Any]]:
        today = self.today()
        where, params = self._where(staff, box, today)
        order = "r.created_at DESC" if box == "all" else "r.promised_date, r.created_at"
        with self.db.read() as tx:
            rows = tx.all(
                "SELECT r.tracking_no, r.matter_id, r.situation, r.status, r.created_at, "
                "r.promised_date, r.complexity, r.kind, r.unit, r.escalated_at, "
                "s.display_name AS owner_name FROM reports r "
                f"LEFT JOIN staff s ON s.id = r.owner_id WHERE {where} "
                f"ORDER BY {order} LIMIT {PAGE_SIZE}", params)
        return [self._describe(r, today) for r in rows]

    def _describe(self, r: dict[str, Any], today: dt.date) -> dict[str, Any]:
        promised = dt.date.fromisoformat(r["promised_date"])
        open_ = r["status"] != "answered"
        left = self.working_days_left(promised, today)
        out = dict(r)
        out.update(
            status_name=STATUS_NAMES[r["status"]],
            situation_name=SITUATIONS.get(r["situation"], (r["situation"], r["situation"])),
            kind_name=REPORT_KINDS[r["kind"]] if r.get("kind") else None,
            complexity_name=COMPLEXITIES.get(r["complexity"]),
            days_left=left,
            overdue=open_ and promised < today,
            due_soon=open_ and today <= promised <= self._soon(today),
            received=r["created_at"][:16].replace("T", " "),
        )
        return out

    # -- one order -----------------------------------------------------------------------
    def order(self, staff: Staff, tracking_no: str) -> dict[str, Any]:
        with self.db.read() as tx:
            row = tx.one("SELECT r.*, s.display_name AS owner_name FROM reports r "
                         "LEFT JOIN staff s ON s.id = r.owner_id "
                         "WHERE r.tracking_no = ? AND r.hall_id = ?", (tracking_no, staff.hall))
            if row is None or (staff.role == "unit" and row["unit"] != staff.unit):
                raise DeskProblem("没有这个工单，或不属于本单位",
                                  "No such work order, or not dispatched to your unit", 404)
            steps = tx.all("SELECT step, at, note FROM report_steps WHERE tracking_no = ? "
                           "ORDER BY at", (tracking_no,))
            audit = tx.all("SELECT at, username, action, detail FROM audit_log "
                           "WHERE tracking_no = ? AND hall_id = ? ORDER BY at, id",
                           (tracking_no, staff.hall))
            messages = tx.all("SELECT sent_at, channel, recipient, body, status, error "
                              "FROM messages_sent WHERE tracking_no = ? AND hall_id = ? "
                              "ORDER BY sent_at", (tracking_no, staff.hall))
        out = self._describe(row, self.today())
        out.update(matter_name=self._matter_name(staff.hall, row["matter_id"]),
                   description=row["description"], phone_masked=mask_phone(row["phone"]),
                   resolution=row["resolution"], answer=row["answer"],
                   escalation_reason=row["escalation_reason"], kiosk_id=row["kiosk_id"],
                   language=row["language"],
                   steps=[{**s, "name": STATUS_NAMES[s["step"]]} for s in steps],
                   audit=[{**a, "action_name": ACTIONS.get(a["action"], (a["action"],) * 2)}
                          for a in audit],
                   messages=[{**m, "recipient": mask_phone(m["recipient"])} for m in messages],
                   next_action=ACTION_OF_STATUS.get(row["status"]))
        return out

    def _matter_name(self, hall: str, matter_id: str | None) -> tuple[str, str] | None:
        if not matter_id:
            return None
        try:
            cat = self.service.catalogue(hall)[1]
            if cat.has_matter(matter_id):
                matter = cat.matter(matter_id)
                return matter.name, matter.name_en
        except Problem:
            pass
        return matter_id, matter_id

    def allowed(self, staff: Staff, order: dict[str, Any]) -> list[str]:
        """The actions this person may take on this order now (buttons on the page)."""
        acts = []
        nxt = order.get("next_action")
        if staff.works_orders and nxt:
            acts.append(nxt)
        elif staff.role == "unit" and nxt == "resolve" and order.get("unit") == staff.unit:
            acts.append("resolve")
        if staff.works_orders and order["status"] != "answered" and not order["escalated_at"]:
            acts.append("escalate")
        return acts

    def act(self, staff: Staff, tracking_no: str, action: str,
            form: dict[str, str]) -> dict[str, Any]:
        """Do one action as ``staff``; refuses what the role or the order's state does not allow."""
        order = self.order(staff, tracking_no)
        if action not in self.allowed(staff, order):
            if action in ACTIONS and action in STEP_OF_ACTION and staff.works_orders:
                raise DeskProblem(f"工单当前为「{order['status_name'][0]}」，不能{ACTIONS[action][0]}",
                                  f"The order is {order['status_name'][1].lower()}: "
                                  f"cannot {action} now")
            raise DeskProblem("您的角色不能进行此操作", "Your role cannot do this", 403)
        actor = Actor(staff.id, staff.username, staff.hall)
        note = (form.get("note") or "").strip() or None
        if action == "escalate":
            reason = (form.get("reason") or "").strip()
            if not reason:
                raise DeskProblem("请写明提级原因", "Say why you escalate", 422)
            with self.db.write() as tx:
                self._escalate(tx, actor, tracking_no, reason, "escalate")
            return self.order(staff, tracking_no)
        body: dict[str, Any] = {"note": note}
        detail: dict[str, Any] = {}
        if action == "classify":
            kind, complexity = form.get("kind", ""), form.get("complexity", "")
            if kind not in REPORT_KINDS or complexity not in COMPLEXITIES:
                raise DeskProblem("请选择类别和复杂程度", "Choose a kind and a complexity", 422)
            body.update(kind=kind, complexity=complexity)
            detail = {"kind": kind, "complexity": complexity}
        elif action == "dispatch":
            unit = (form.get("unit") or "").strip()
            if unit not in self.units(staff.hall):
                raise DeskProblem("请选择承办单位", "Choose the unit", 422)
            body["unit"] = unit
            detail = {"unit": unit}
        elif action in ("resolve", "answer"):
            text = (form.get(action if action == "answer" else "resolution") or "").strip()
            if not text or len(text) > 2000:
                raise DeskProblem("请填写内容（不超过2000字）", "Write the text (up to 2,000 characters)",
                                  422)
            body["answer" if action == "answer" else "resolution"] = text
        step = STEP_OF_ACTION[action]

        def record(tx: Transaction) -> None:
            if action == "accept":
                tx.execute("UPDATE reports SET owner_id = ? WHERE tracking_no = ?",
                           (staff.id, tracking_no))
            if note:
                detail["note"] = note
            self.audit(tx, actor, action, tracking_no, detail)

        try:
            self.service.advance_report(tracking_no, step, body, staff.hall, also=record)
        except Problem as exc:  # someone else moved it on meanwhile
            raise DeskProblem("工单已被他人处理，请刷新", "Someone else moved this order on; reload",
                              409) from exc
        if action == "answer":
            self._tell_citizen(staff.hall, tracking_no, body["answer"])
        return self.order(staff, tracking_no)

    def _tell_citizen(self, hall: str, tracking_no: str, answer: str) -> None:
        with self.db.read() as tx:
            row = tx.one("SELECT phone, language FROM reports WHERE tracking_no = ?",
                         (tracking_no,))
        if row is None:
            return
        try:
            hall_name = self.service.catalogue(hall)[1].hall
            name = hall_name.name_en if row["language"] == "en" else hall_name.name
        except Problem:
            name = "Service Hall" if row["language"] == "en" else "政务服务中心"
        if row["language"] == "en":
            text = f"[{name}] Your report {tracking_no} has an answer: {answer}"
        else:
            text = f"【{name}】您反映的问题（编号{tracking_no}）已有答复：{answer}"
        message = Message(hall, tracking_no, row["phone"], text)
        delivery = self.notifier.send(message)
        with self.db.write() as tx:
            tx.execute("INSERT INTO messages_sent (id, hall_id, tracking_no, channel, recipient, "
                       "body, status, error, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (uuid.uuid4().hex, hall, tracking_no, delivery.channel, message.recipient,
                        text, delivery.status, delivery.error,
                        self.service.now().isoformat()))

    # -- escalation ----------------------------------------------------------------------
    def _escalate(self, tx: Transaction, actor: Actor, tracking_no: str, reason: str,
                  action: str) -> bool:
        done = tx.execute("UPDATE reports SET escalated_at = ?, escalation_reason = ? "
                          "WHERE tracking_no = ? AND hall_id = ? AND escalated_at IS NULL "
                          "AND status <> 'answered'",
                          (self.service.now().isoformat(), reason, tracking_no, actor.hall))
        if done.rowcount == 1:
            self.audit(tx, actor, action, tracking_no, {"reason": reason})
            return True
        return False

    def escalate_overdue(self, hall: str | None = None) -> int:
        """Escalate every open order past its promised date to the duty officer (once each)."""
        today = self.today().isoformat()
        sql = ("SELECT tracking_no, hall_id, promised_date FROM reports WHERE "
               "status <> 'answered' AND escalated_at IS NULL AND promised_date < ?")
        params: list[Any] = [today]
        if hall is not None:
            sql += " AND hall_id = ?"
            params.append(hall)
        with self.db.read() as tx:
            late = tx.all(sql, params)
        count = 0
        for row in late:
            with self.db.write() as tx:
                if self._escalate(tx, Actor(None, SYSTEM, row["hall_id"]), row["tracking_no"],
                                  f"超期未办结（承诺{row['promised_date']}）/ overdue",
                                  "auto_escalate"):
                    count += 1
        return count

    # -- ledger (工作台账) ----------------------------------------------------------------
    LEDGER_COLUMNS = ("编号 No.", "收到 Received", "情形 Situation", "事项 Matter", "类别 Kind",
                      "复杂程度 Complexity", "承诺日期 Promised", "状态 Status", "负责人 Owner",
                      "承办单位 Unit", "提级 Escalated", "办结情况 Resolution", "答复 Answer",
                      "答复时间 Answered at", "按期 On time", "联系电话 Phone")

    def ledger(self, hall: str, month: str) -> list[list[str]]:
        """One row per report received in ``month`` (YYYY-MM), for the monthly ledger.

        The citizen's own words stay out of the export (personal information); the phone is
        masked. Whether an answer was on time compares its day with the promised date."""
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError as exc:
            raise DeskProblem("月份格式应为 YYYY-MM", "The month is YYYY-MM", 422) from exc
        after = (first + dt.timedelta(days=32)).replace(day=1)
        with self.db.read() as tx:
            rows = tx.all(
                "SELECT r.*, s.display_name AS owner_name, a.at AS answered_at FROM reports r "
                "LEFT JOIN staff s ON s.id = r.owner_id LEFT JOIN report_steps a "
                "ON a.tracking_no = r.tracking_no AND a.step = 'answered' "
                "WHERE r.hall_id = ? AND r.created_at >= ? AND r.created_at < ? "
                "ORDER BY r.created_at, r.tracking_no",
                (hall, first.isoformat(), after.isoformat()))
        today = self.today()
        out = []
        for r in rows:
            promised = dt.date.fromisoformat(r["promised_date"])
            if r["answered_at"]:
                on_time = "是" if dt.date.fromisoformat(r["answered_at"][:10]) <= promised \
                    else "否"
            else:
                on_time = "否（超期未答复）" if promised < today else "办理中"
            matter = self._matter_name(hall, r["matter_id"])
            out.append([
                r["tracking_no"], r["created_at"][:16].replace("T", " "),
                SITUATIONS.get(r["situation"], (r["situation"],))[0],
                matter[0] if matter else "", REPORT_KINDS[r["kind"]][0] if r["kind"] else "",
                COMPLEXITIES.get(r["complexity"], ("",))[0], r["promised_date"],
                STATUS_NAMES[r["status"]][0], r["owner_name"] or "", r["unit"] or "",
                (r["escalated_at"] or "")[:16].replace("T", " "), r["resolution"] or "",
                r["answer"] or "", (r["answered_at"] or "")[:16].replace("T", " "), on_time,
                mask_phone(r["phone"])])
        return out

    # -- audit, units, messages ----------------------------------------------------------
    def audit(self, tx: Transaction, actor: Actor, action: str, tracking_no: str | None,
              detail: dict[str, Any] | None = None) -> None:
        """Append one row; the desk has no way to change or delete audit rows."""
        tx.execute("INSERT INTO audit_log (id, at, hall_id, staff_id, username, action, "
                   "tracking_no, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (_ordered_id(), self.service.now().isoformat(), actor.hall, actor.staff_id,
                    actor.username, action, tracking_no,
                    json.dumps(detail, ensure_ascii=False) if detail else None))

    def record(self, actor: Actor, action: str, detail: dict[str, Any] | None = None) -> None:
        with self.db.write() as tx:
            self.audit(tx, actor, action, None, detail)

    def audit_log(self, hall: str, limit: int = 500) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            rows = tx.all("SELECT at, username, action, tracking_no, detail FROM audit_log "
                          f"WHERE hall_id = ? ORDER BY at DESC, id DESC LIMIT {int(limit)}",
                          (hall,))
        return [{**r, "action_name": ACTIONS.get(r["action"], (r["action"],) * 2)} for r in rows]

    def units(self, hall: str) -> list[str]:
        with self.db.read() as tx:
            return [r["name"] for r in tx.all("SELECT name FROM units WHERE hall_id = ? "
                                              "ORDER BY name", (hall,))]

    def add_unit(self, actor: Actor, name: str) -> None:
        name = name.strip()
        if not name or len(name) > 200:
            raise DeskProblem("请填写单位名称（不超过200字）", "Give the unit's name (up to 200)", 422)
        with self.db.write() as tx:
            tx.execute("INSERT INTO units (hall_id, name, created_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (hall_id, name) DO NOTHING",
                       (actor.hall, name, self.service.now().isoformat()))
            self.audit(tx, actor, "add_unit", None, {"unit": name})

    def messages(self, hall: str, limit: int = 500) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            rows = tx.all("SELECT sent_at, tracking_no, channel, recipient, body, status, error "
                          "FROM messages_sent WHERE hall_id = ? ORDER BY sent_at DESC, id DESC "
                          f"LIMIT {int(limit)}", (hall,))
        return [{**r, "recipient": mask_phone(r["recipient"])} for r in rows]
