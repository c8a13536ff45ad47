"""Benchmark of the staff desk: an inbox page with 100,000 reports in the hall's history.

Goal (issue 16): the inbox answers in <= 300 ms p95 on PostgreSQL with 100,000 reports.
For each engine (``--engines sqlite,postgresql``; PostgreSQL is a throwaway server from
Debian's binaries, fsync on) this fills one hall with ``--reports`` reports spread over two
years (almost all answered, a few hundred open, some overdue, a fifth dispatched to one of
five units), starts the real centre on 127.0.0.1, logs in through the login form and GETs
every inbox of a duty officer and of a unit handler ``--loads`` times each, one request at a
time over one keep-alive connection. A load is what a person gets: the overdue check, the
counts of every tab and up to 200 rows rendered as HTML.

Prints one JSON line per engine and role: p50/p95/max in ms and the goal.

The statistics page (``desk.stats``) is measured on the same data plus the last 30 days of
counter tickets (``--tickets-per-day``, default 500: a county hall's busy day) with their call
and finish events: the month's page and one day's, as a duty officer loads them.

Usage: ``python -m bench.desk [--engines postgresql] [--reports 100000] [--loads 30]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import requests

from central.db import Database
from central.desk.accounts import Accounts
from central.desk.orders import boxes_for
from central.testing import Clock, ThrowawayPostgres, running_centre

PASSWORD = "bench password 1"
UNITS = ("区民政局", "区人社局", "区市监局", "区公安分局", "区住建局")
GOAL_P95_MS = 300.0
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def fill(url: str, count: int) -> None:
    """``count`` reports in hall 'default', written in batches of 2,000 rows."""
    db = Database(url)
    start = NOW - dt.timedelta(days=730)
    batch: list[tuple] = []

    def flush() -> None:
        with db.write() as tx:
            cursor_sql = ("INSERT INTO reports (tracking_no, kiosk_id, matter_id, situation, "
                          "description, phone, language, created_at, promised_date, complexity, "
                          "kind, unit, status, hall_id) VALUES "
                          + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'default')"]
                                      * len(batch)))
            tx.execute(cursor_sql, [v for row in batch for v in row])
        batch.clear()

    for i in range(count):
        created = start + dt.timedelta(minutes=i * 730 * 24 * 60 / count)
        open_ = i >= count - 400  # the newest 400 are still open
        status = ("received", "accepted", "classified", "dispatched")[i % 4] if open_ \
            else "answered"
        unit = UNITS[i % 5] if i % 5 == 0 or status == "dispatched" else None
        promised = (created + dt.timedelta(days=7)).date().isoformat()
        batch.append((f"B{i:012d}", "kiosk-01", None, "other", "bench", "13800138000", "zh",
                      created.isoformat(), promised, "ordinary",
                      None if status in ("received", "accepted") else "hard", unit, status))
        if len(batch) == 2000:
            flush()
    if batch:
        flush()
    with db.write() as tx:
        if db.is_postgres:
            tx.execute("ANALYZE reports")
    db.close()


def fill_tickets(url: str, per_day: int, days: int = 30) -> int:
    """``per_day`` tickets a day for the ``days`` before NOW (hall hours 9-17), each called
    after a wait and served (or a no-show), with its ``called`` and finish events."""
    db = Database(url)
    rng = random.Random(16)
    matters = [f"matter-{i:02d}" for i in range(12)]
    written = 0
    for back in range(days, 0, -1):
        day = (NOW - dt.timedelta(days=back)).date()
        opening = dt.datetime.combine(day, dt.time(9), NOW.tzinfo)
        tickets, events = [], []
        for n in range(per_day):
            issued = opening + dt.timedelta(seconds=rng.randrange(8 * 3600))
            called = issued + dt.timedelta(seconds=rng.randrange(60, 3600))
            finished = called + dt.timedelta(seconds=rng.randrange(120, 1200))
            status = "served" if n % 25 else "no_show"
            tid = uuid.uuid4().hex
            matter = matters[n % len(matters)]
            tickets.append((tid, matter, day.isoformat(), n + 1, f"A{n + 1:03d}", status,
                            issued.isoformat(), called.isoformat(), matter,
                            finished.isoformat()))
            events += [(called, "called", tid, matter), (finished, status, tid, matter)]
        events.sort()
        rows = [(day.isoformat(), seq, tid, kind, matter, when.isoformat())
                for seq, (when, kind, tid, matter) in enumerate(events, start=1)]
        with db.write() as tx:
            for i in range(0, len(tickets), 500):
                part = tickets[i:i + 500]
                tx.execute("INSERT INTO tickets (id, hall_id, matter_id, day, number, display, "
                           "kiosk_id, status, window_no, created_at, called_at, queue_matter, "
                           "finished_at) VALUES " + ", ".join(
                               ["(?, 'default', ?, ?, ?, ?, 'kiosk-01', ?, '1', ?, ?, ?, ?)"]
                               * len(part)), [v for row in part for v in row])
            for i in range(0, len(rows), 500):
                part = rows[i:i + 500]
                tx.execute("INSERT INTO ticket_events (hall_id, day, seq, ticket_id, kind, "
                           "window_no, matter_id, at) VALUES " + ", ".join(
                               ["('default', ?, ?, ?, ?, '1', ?, ?)"] * len(part)),
                           [v for row in part for v in row])
        written += len(tickets)
    with db.write() as tx:
        if db.is_postgres:
            tx.execute("ANALYZE tickets")
            tx.execute("ANALYZE ticket_events")
    db.close()
    return written


def _line(bench: str, engine: str, times: list[float], **extra: object) -> dict:
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return {"bench": bench, "backend": engine, **extra, "requests": len(times),
            "p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
            "max_ms": round(times[-1], 1), "goal_p95_ms": GOAL_P95_MS}


def log_in(base: str, username: str) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{base}/desk/login", timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    answer = http.post(f"{base}/desk/login", timeout=30, data={
        "csrf": token.group(1), "next": "/desk/inbox", "username": username,
        "password": PASSWORD})
    assert "/desk/inbox" in answer.url, answer.url
    return http


def measure(engine: str, url: str, reports: int, loads: int, tickets_per_day: int
            ) -> list[dict]:
    began = time.monotonic()
    fill(url, reports)
    fill_s = time.monotonic() - began
    tickets = fill_tickets(url, tickets_per_day) if tickets_per_day else 0
    out = []
    with running_centre(url, clock=Clock(NOW)) as centre:
        accounts = Accounts(centre.service.db, centre.service.now)
        duty = accounts.add_staff("default", "duty", PASSWORD, "duty")
        unit = accounts.add_staff("default", "unit", PASSWORD, "unit", unit=UNITS[0])
        for staff in (duty, unit):
            http = log_in(centre.url, staff.username)
            http.get(f"{centre.url}/desk/inbox", timeout=60)  # first load escalates the late
            times = []
            for _ in range(loads):
                for box in boxes_for(staff):
                    t0 = time.perf_counter()
                    page = http.get(f"{centre.url}/desk/inbox?box={box}", timeout=60)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert page.status_code == 200
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            out.append({"bench": "desk.inbox", "backend": engine, "reports": reports,
                        "role": staff.role, "requests": len(times),
                        "p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
                        "max_ms": round(times[-1], 1), "goal_p95_ms": GOAL_P95_MS,
                        "fill_s": round(fill_s, 1)})
        # The statistics page: this month's and yesterday's figures, as the duty officer sees
        # them (every query, the charts and the tables rendered).
        http = log_in(centre.url, duty.username)
        yesterday = (NOW - dt.timedelta(days=1)).date().isoformat()
        for period in (NOW.strftime("%Y-%m"), yesterday):
            http.get(f"{centre.url}/desk/stats?period={period}", timeout=60)  # warm
            times = []
            for _ in range(loads):
                t0 = time.perf_counter()
                page = http.get(f"{centre.url}/desk/stats?period={period}", timeout=60)
                times.append((time.perf_counter() - t0) * 1000)
                assert page.status_code == 200 and 'id="fig-tickets"' in page.text
            out.append(_line("desk.stats", engine, times, reports=reports, tickets=tickets,
                             period=period))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--loads", type=int, default=30)
    parser.add_argument("--tickets-per-day", type=int, default=500)
    args = parser.parse_args()
    for engine in args.engines.split(","):
        if engine == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                lines = measure(engine, str(Path(tmp) / "central.db"), args.reports, args.loads,
                                args.tickets_per_day)
        else:
            server = ThrowawayPostgres(durable=True)
            try:
                lines = measure(engine, server.create_database("bench"), args.reports,
                                args.loads, args.tickets_per_day)
            finally:
                server.stop()
        for line in lines:
            print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
