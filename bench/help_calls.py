"""Help call to desk: a kiosk's help call until every open desk page's event stream has it.

Starts the centre as a hall runs it (``python -m central serve --demo``, its own process,
SQLite in a temp dir), logs ``--desks`` desk sessions in and opens their help-call event
streams (``/desk/help/events``), then makes ``--calls`` help calls with the kiosk's own client
(``kiosk.services.central.CentralClient``), ``--gap`` seconds apart, each timed from sending
the call to the event naming it arriving at each desk. Prints one JSON line; goal: p95 <= 1 s.

    python -m bench.help_calls [--desks 10] [--calls 30] [--gap 0.5] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

from kiosk.services.central import CentralClient

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 1.0


def desk_stream(url: str, user: str, password: str, seen: dict[str, list[float]],
                ready: threading.Barrier, stop: threading.Event) -> None:
    """Log in as one desk, read its event stream; note when each call id first appears."""
    with requests.Session() as http:
        page = http.get(f"{url}/desk/login", timeout=10)
        token = re.search(r'name="csrf" value="([^"]*)"', page.text)
        assert token is not None
        http.post(f"{url}/desk/login", timeout=10, data={
            "csrf": token.group(1), "next": "/desk/help", "username": user,
            "password": password})
        known: set[str] = set()
        with http.get(f"{url}/desk/help/events", stream=True, timeout=30) as answer:
            answer.raise_for_status()
            ready.wait()
            try:
                for line in answer.iter_lines(decode_unicode=True):
                    if stop.is_set():
                        return
                    if not line.startswith("data: "):
                        continue
                    now = time.monotonic()
                    for call in json.loads(line[6:]).get("calls", []):
                        if call["id"] not in known:
                            known.add(call["id"])
                            seen.setdefault(call["id"], []).append(now)
            except requests.RequestException:  # the centre stopped at the end of the run
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desks", type=int, default=10)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--gap", type=float, default=0.5)
    parser.add_argument("--quick", action="store_true", help="4 desks, 10 calls")
    args = parser.parse_args()
    if args.quick:
        args.desks, args.calls = 4, 10
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--demo", "--port", "0",
             "--database", str(Path(tmp) / "central.db")],
            stdout=subprocess.PIPE, text=True, cwd=tmp,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            line = json.loads(proc.stdout.readline())  # type: ignore[union-attr]
            url = line["url"]
            seen: dict[str, list[float]] = {}
            ready = threading.Barrier(args.desks + 1)
            stop = threading.Event()
            users = ("demo-clerk", "demo-duty", "demo-admin")
            for i in range(args.desks):
                threading.Thread(target=desk_stream, daemon=True, args=(
                    url, users[i % len(users)], line["desk_password"], seen, ready,
                    stop)).start()
            ready.wait(timeout=60)
            time.sleep(0.5)  # every stream has had its snapshot
            kiosk = CentralClient(url, line["kiosk_token"], line["kiosk_id"])
            sent: dict[str, float] = {}
            for n in range(args.calls):
                started = time.monotonic()
                answer = kiosk.call_help({"location": f"bench kiosk {n}", "reason": "assist",
                                          "language": "zh"}, idempotency_key=uuid.uuid4().hex)
                sent[str(answer["id"])] = started
                time.sleep(args.gap)
            time.sleep(2.0)
            stop.set()
            kiosk.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    latencies = sorted(t - sent[call] for call, times in seen.items() if call in sent
                       for t in times)
    expected = args.calls * args.desks
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else None
    result = {"bench": "help_call_to_desk", "engine": "sqlite", "desks": args.desks,
              "calls": args.calls, "deliveries": len(latencies), "expected": expected,
              "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
              "p95_ms": round(p95 * 1000, 1) if p95 is not None else None,
              "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
              "goal_p95_ms": GOAL_S * 1000,
              "met": p95 is not None and p95 <= GOAL_S and len(latencies) == expected}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
