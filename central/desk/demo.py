"""A demo hall's desk: units, one account per role, and a few reports in different states.

Used by ``python -m central serve --demo`` (and the screenshot command) so the desk has
something to work the moment it starts. Every demo account gets the same fresh random
password each start; only the admin's is printed.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from typing import Any

from central.db import Transaction
from central.desk.accounts import AccountError, Accounts, Staff
from central.desk.orders import Actor, WorkOrders
from central.desk.ratings import Ratings
from central.problems import Problem
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
        clerk_name = clerk.username if clerk is not None else prefix + "demo-clerk"
        seed_statistics_history(service, hall, kiosk_id, clerk_name)
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


#: Tickets an hour on an ordinary day: the morning rush, the lunch lull, the afternoon.
HOURLY_TICKETS = {9: 11, 10: 14, 11: 9, 12: 3, 13: 5, 14: 11, 15: 9, 16: 5}
HISTORY_WORKING_DAYS = 20


def seed_statistics_history(service: CentralService, hall: str, kiosk_id: str,
                            clerk_username: str, working_days: int = HISTORY_WORKING_DAYS
                            ) -> int:
    """A few weeks of finished days before today, so the statistics page has something to draw.

    Demo only, written straight into the tables (through the calling state machine it would
    take thousands of fsynced transactions at every demo start): per working day some 60-80
    tickets over the hall's hours with their call and finish times and events, a few help
    calls answered by the demo clerk, and ratings of the upper three levels (a 差评 belongs to
    the 整改 follow-up, which makes its own demo). Nothing of today: the live queue, the
    inbox and the help-call page stay as the demo set them. Returns the tickets written."""
    try:
        cat = service.catalogue(hall)[1]
    except Problem:
        return 0
    matters = [m for m in cat.matters if m.needs_staff]
    if not matters:
        return 0
    weights = [5 if i < 3 else 2 for i in range(len(matters))]  # a few matters are the busy ones
    tz = service.tz
    day = service.now().date()
    days: list[dt.date] = []
    while len(days) < working_days:
        day -= dt.timedelta(days=1)
        if service.calendar.is_working_day(day):
            days.append(day)
    tickets: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    calls: list[tuple[Any, ...]] = []
    ratings: list[tuple[Any, ...]] = []
    for day in sorted(days):
        rng = random.Random(f"{hall}-{day.isoformat()}")
        busy = 1.25 if day.weekday() == 0 else rng.uniform(0.8, 1.1)  # Mondays are busiest
        numbers: dict[str, int] = {}
        day_events: list[tuple[dt.datetime, str, str, str, str]] = []
        for hour, per_hour in HOURLY_TICKETS.items():
            for _ in range(max(0, round(rng.gauss(per_hour * busy, 1.5)))):
                matter = rng.choices(matters, weights)[0]
                numbers[matter.id] = numbers.get(matter.id, 0) + 1
                issued = dt.datetime.combine(day, dt.time(hour, rng.randrange(60),
                                                          rng.randrange(60)), tz)
                # Waits grow with the morning's queue; services differ by matter.
                wait_min = rng.expovariate(1 / (6 + 2 * HOURLY_TICKETS[hour] * busy / 3))
                called = issued + dt.timedelta(minutes=min(wait_min, 90))
                service_min = rng.lognormvariate(1.6 + 0.1 * (matters.index(matter) % 4), 0.45)
                finished = called + dt.timedelta(minutes=service_min)
                status = "no_show" if rng.random() < 0.04 else "served"
                if status == "no_show":
                    finished = called + dt.timedelta(minutes=2)
                ticket_id = uuid.uuid4().hex
                window = str(1 + matters.index(matter) % 6)
                tickets.append((ticket_id, hall, matter.id, day.isoformat(), numbers[matter.id],
                                f"{matter.prefix}{numbers[matter.id]:03d}", kiosk_id, status,
                                window, issued.isoformat(), called.isoformat(), matter.id,
                                finished.isoformat()))
                day_events += [(called, "called", ticket_id, matter.id, window),
                               (finished, status, ticket_id, matter.id, window)]
        for seq, (when, kind, ticket_id, matter_id, window) in enumerate(sorted(day_events),
                                                                         start=1):
            events.append((hall, day.isoformat(), seq, ticket_id, kind, window, matter_id,
                           when.isoformat()))
        for _ in range(rng.choice((1, 2, 2, 3))):
            made = dt.datetime.combine(day, dt.time(rng.randrange(9, 17), rng.randrange(60)), tz)
            coming = made + dt.timedelta(seconds=rng.choice((35, 50, 70, 90, 120, 150, 240)))
            calls.append((uuid.uuid4().hex, kiosk_id, "一楼24小时自助服务区", "assist", "zh",
                          "closed", made.isoformat(), (coming + dt.timedelta(minutes=8))
                          .isoformat(), hall, clerk_username, DEMO_STAFF[1][1], "clerk",
                          coming.isoformat()))
        for _ in range(rng.randrange(4, 9)):
            when = dt.datetime.combine(day, dt.time(rng.randrange(9, 17), rng.randrange(60)), tz)
            ratings.append((uuid.uuid4().hex, kiosk_id, rng.choices((5, 4, 3), (12, 5, 1))[0],
                            "[]", when.isoformat(), hall))
    try:
        _write_history(service, tickets, events, calls, ratings)
    except service.db.integrity_errors():
        return 0  # another instance started on this database at the same moment wrote it
    return len(tickets)


def _write_history(service: CentralService, tickets: list[tuple[Any, ...]],
                   events: list[tuple[Any, ...]], calls: list[tuple[Any, ...]],
                   ratings: list[tuple[Any, ...]]) -> None:
    with service.db.write() as tx:
        _insert(tx, "tickets (id, hall_id, matter_id, day, number, display, kiosk_id, status, "
                "window_no, created_at, called_at, queue_matter, finished_at)", tickets)
        _insert(tx, "ticket_events (hall_id, day, seq, ticket_id, kind, window_no, matter_id, "
                "at)", events)
        _insert(tx, "help_calls (id, kiosk_id, location, reason, language, status, created_at, "
                "closed_at, hall_id, closed_by, coming_name, coming_role, coming_at)", calls)
        _insert(tx, "evaluations (id, kiosk_id, level, reasons, created_at, hall_id)", ratings)


def _insert(tx: Transaction, into: str, rows: list[tuple[Any, ...]], chunk: int = 200) -> None:
    """Many rows, ``chunk`` to a statement (one round trip each on PostgreSQL)."""
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        marks = "(" + ", ".join("?" * len(part[0])) + ")"
        tx.execute(f"INSERT INTO {into} VALUES " + ", ".join([marks] * len(part)),
                   [v for row in part for v in row])
