"""A demo hall's desk: units, one account per role, and a few reports in different states.

Used by ``python -m central serve --demo`` (and the screenshot command) so the desk has
something to work the moment it starts. Every demo account gets the same fresh random
password each start; only the admin's is printed.
"""

from __future__ import annotations

import datetime as dt
import secrets

from central.desk.accounts import AccountError, Accounts, Staff
from central.desk.orders import Actor, WorkOrders
from central.desk.ratings import Ratings
from central.service import CentralService

DEMO_UNITS = ("区民政局", "区人力资源和社会保障局", "区市场监督管理局")
DEMO_STAFF = (  # username, display name, role, unit
    ("demo-admin", "管理员 王敏", "admin", None),
    ("demo-clerk", "窗口 李娜", "clerk", None),
    ("demo-duty", "值班长 张伟", "duty", None),
    ("demo-unit", "民政局 刘洋", "unit", DEMO_UNITS[0]),
)
# 好差评: windows 3 and 5, two 差评; "report": rates the service on that demo report (its matter)
DEMO_RATINGS: tuple[dict[str, object], ...] = (
    {"level": 5, "reasons": [], "window": "3"},
    {"level": 5, "reasons": [], "window": "5", "report": 0},
    {"level": 4, "reasons": [], "window": "3"},
    {"level": 3, "reasons": [], "window": "5", "report": 0},
    {"level": 2, "reasons": ["slow", "many_visits"], "window": "3", "phone": "13512345678"},
    {"level": 1, "reasons": ["attitude"], "window": "5"},
)
DEMO_REPORTS: tuple[dict[str, str | None], ...] = (
    {"matter_id": "marriage-reg", "situation": "not_accepted",
     "description": "户口本地址与身份证不一致，窗口不予受理结婚登记。", "phone": "13800138000"},
    {"matter_id": None, "situation": "repeated_visits",
     "description": "社保转移已经跑了三次，每次都说缺不同的材料。", "phone": "13912345678"},
    {"matter_id": None, "situation": "staff_attitude",
     "description": "窗口工作人员让我去别的部门开证明，那边又说不需要。", "phone": "13700001111"},
    {"matter_id": None, "situation": "other",
     "description": "个体户营业执照变更经营范围，网上系统一直提示错误。", "phone": "13600002222",
     "language": "zh"},
)


def seed_desk_demo(service: CentralService, hall: str, kiosk_id: str) -> tuple[str, str]:
    """Make (or re-key) the demo accounts and seed reports once; return the admin's login."""
    accounts = Accounts(service.db, service.now)
    orders = WorkOrders(service)
    password = secrets.token_urlsafe(12)
    prefix = "" if hall == "default" else f"{hall}-"
    for username, name, role, unit in DEMO_STAFF:
        try:
            accounts.add_staff(hall, prefix + username, password, role, display_name=name,
                               unit=unit)
        except AccountError:
            accounts.set_password(prefix + username, password)
    admin = Actor(None, "demo", hall)
    for unit in DEMO_UNITS:
        orders.add_unit(admin, unit)
    with service.db.read() as tx:
        have = tx.scalar("SELECT COUNT(*) FROM reports WHERE hall_id = ?", (hall,))
    if not have:
        numbers = []
        for i, report in enumerate(DEMO_REPORTS):
            body = {k: v for k, v in report.items() if v is not None}
            body.setdefault("language", "zh")
            _status, receipt = service.submit_report(kiosk_id, body, f"demo-report-{hall}-{i}",
                                                     hall)
            numbers.append(receipt["tracking_no"])
        clerk = accounts.staff_by_username(prefix + "demo-clerk")
        if clerk is not None:
            orders.act(clerk, numbers[2], "accept", {"note": "首问负责"})
            orders.act(clerk, numbers[3], "accept", {})
            orders.act(clerk, numbers[3], "classify", {"kind": "hard", "complexity": "simple"})
            orders.act(clerk, numbers[3], "dispatch", {"unit": DEMO_UNITS[0],
                                                       "note": "请核实系统问题"})
            # Demo only: this one was promised for yesterday, so the desk shows an overdue
            # order and escalates it to the duty officer.
            yesterday = (service.now().date() - dt.timedelta(days=1)).isoformat()
            with service.db.write() as tx:
                tx.execute("UPDATE reports SET promised_date = ? WHERE tracking_no = ?",
                           (yesterday, numbers[3]))
        seed_ratings_demo(service, hall, kiosk_id, clerk, numbers)
        # One open help call from the kiosk, for the 求助呼叫 page (escalates when unanswered).
        service.call_help(kiosk_id, {"location": "一楼24小时自助服务区", "reason": "assist",
                                     "language": "zh"}, f"demo-help-{hall}", hall)
    return prefix + "demo-admin", password


def seed_ratings_demo(service: CentralService, hall: str, kiosk_id: str,
                      clerk: Staff | None, reports: list[str]) -> list[str]:
    """A few ratings; the two 差评 open 整改 orders, one of them accepted and dispatched by
    the demo clerk. Returns the 整改 numbers."""
    numbers = []
    for i, rating in enumerate(DEMO_RATINGS):
        body = {k: v for k, v in rating.items() if k != "report"}
        if "report" in rating and reports:
            body["tracking_no"] = reports[int(str(rating["report"]))]
        _status, answer = service.submit_evaluation(kiosk_id, body, f"demo-rating-{hall}-{i}",
                                                    hall)
        if answer.get("rectification_no"):
            numbers.append(str(answer["rectification_no"]))
    if clerk is not None and numbers:
        ratings = Ratings(WorkOrders(service))
        ratings.act(clerk, numbers[0], "accept", {"note": "首问负责"})
        ratings.act(clerk, numbers[0], "dispatch", {"unit": DEMO_UNITS[1],
                                                    "note": "请核实窗口排队时长"})
    return numbers
