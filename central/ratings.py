"""好差评 follow-up at the centre: what a rating is linked to, and the 整改 order a 差评 opens.

Provincial practice: every 差评 (the two lowest of the five levels) is followed by a
rectification (整改) within set working days and a call back (回访) to the citizen. The centre
opens the 整改 work order in the same transaction that stores the rating, so a 差评 without
its order cannot exist. Deadlines count working days on the hall's calendar and come from
the hall's published configuration, ``[ratings] rectify_days`` (default 5: as long as an
ordinary 办不成事 case) and ``callback_days`` (default 2, counted from the day the
rectification was recorded). The seed articles give no figure for 差评; these are the
defaults a hall changes in its config.

The satisfaction rate used on the desk (and meant for the statistics pages): the share of
ratings in the top two levels, 非常满意 and 满意, among all ratings of the period.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
import uuid
from typing import Any

from central.db import Transaction
from hall.calendar import HallCalendar
from hall.catalogue import RatingSettings
from hall.phone import mask_mobile

LOW_LEVELS = (1, 2)  # 不满意, 非常不满意: each one is a 差评
SATISFIED_LEVELS = (4, 5)  # 满意, 非常满意: what the satisfaction rate counts
SYSTEM = "system"


def satisfaction_rate(satisfied: int, total: int) -> float | None:
    """Share of the top two levels among all ratings; None when there is none to count."""
    return satisfied / total if total else None


def new_rectification_no() -> str:
    """Z and 12 random digits (Z for 整改): never confused with a report's R number."""
    return f"Z{secrets.randbelow(10**12):012d}"


def link_rating(tx: Transaction, hall: str, body: dict[str, Any]) -> tuple[str | None,
                                                                            str | None]:
    """(matter, window) a rating is about: the window typed, else the linked ticket's; the
    matter of the linked ticket (the queue it was last in) or report."""
    window, matter = body.get("window"), None
    if body.get("ticket_id"):
        row = tx.one("SELECT matter_id, queue_matter, window_no FROM tickets "
                     "WHERE id = ? AND hall_id = ?", (body["ticket_id"], hall))
        if row is not None:
            matter = row["queue_matter"] or row["matter_id"]
            window = window or row["window_no"]
    if matter is None and body.get("tracking_no"):
        matter = tx.scalar("SELECT matter_id FROM reports WHERE tracking_no = ? AND hall_id = ?",
                           (body["tracking_no"], hall))
    return matter, window


def open_rectification(tx: Transaction, *, hall: str, evaluation_id: str, level: int,
                       matter: str | None, window: str | None, phone: str | None,
                       now: dt.datetime, calendar: HallCalendar,
                       settings: RatingSettings) -> dict[str, str]:
    """Open the 整改 order of one 差评 and write its first audit row; return its number and
    due date. ``phone`` (the citizen's call-back number, optional) is kept only until the
    回访 is closed."""
    number = new_rectification_no()
    due = calendar.add_working_days(now.date(), settings.rectify_days)
    tx.execute(
        "INSERT INTO rectifications (id, hall_id, evaluation_id, level, matter_id, window_no, "
        "phone, phone_masked, status, created_at, rectify_due, due_date) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?)",
        (number, hall, evaluation_id, level, matter, window, phone,
         mask_mobile(phone) if phone else None, now.isoformat(), due.isoformat(),
         due.isoformat()))
    tx.execute("INSERT INTO audit_log (id, at, hall_id, staff_id, username, action, "
               "tracking_no, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (f"{time.time_ns():020d}{uuid.uuid4().hex[:12]}", now.isoformat(), hall, None,
                SYSTEM, "rectify_open", number,
                json.dumps({"level": level, "due": due.isoformat()}, ensure_ascii=False)))
    return {"rectification_no": number, "rectify_due": due.isoformat()}
