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
Usage: ``python -m bench.desk [--engines postgresql] [--reports 100000] [--loads 30]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import tempfile
import time
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


def measure(engine: str, url: str, reports: int, loads: int) -> list[dict]:
    began = time.monotonic()
    fill(url, reports)
    fill_s = time.monotonic() - began
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
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--loads", type=int, default=30)
    args = parser.parse_args()
    for engine in args.engines.split(","):
        if engine == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                lines = measure(engine, str(Path(tmp) / "central.db"), args.reports, args.loads)
        else:
            server = ThrowawayPostgres(durable=True)
            try:
                lines = measure(engine, server.create_database("bench"), args.reports,
                                args.loads)
            finally:
                server.stop()
        for line in lines:
            print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
