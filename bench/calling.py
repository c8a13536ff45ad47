"""Call to screen: a window calls a number until the hall displays and the phone pages show it.

Starts the centre as a hall runs it (``python -m central serve --demo --open-all-hours``, its
own process, SQLite in a temp dir), takes 300 numbers, opens 300 phone pages' event streams
(one per ticket, from 30 client addresses 127.0.0.x as phones behind a hall's Wi-Fi) and 4
hall displays' streams, then calls ``--calls`` numbers at one window, ``--gap`` seconds apart.
Every call changes every phone page still in play (people ahead, "go to window", or "served"
for the one called before), so each call gives up to 300 phone latencies and 4 display ones,
timed from sending the call to the event arriving.
Prints one JSON line; goals: display p95 <= 1 s, phone p95 <= 2 s.

    python -m bench.calling [--phones 300] [--displays 4] [--calls 20] [--gap 1.5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]


async def stream(host: str, port: int, path: str, source: str, sink: list, ready: asyncio.Event,
                 want: str) -> None:
    """Read one event stream over HTTP/1.0 (no chunking); note (time, event, data)."""
    reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
    writer.write(f"GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
                 .encode())
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"{path}: {status!r}")
    name = None
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            text = line.decode().rstrip("\r\n")
            if text.startswith("event: "):
                name = text[7:]
            elif text.startswith("data: ") and name == want:
                sink.append((time.monotonic(), json.loads(text[6:])))
                ready.set()
    finally:
        writer.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(url: str, staff: dict, kiosk: dict, phones: int, displays: int, calls: int,
              gap: float) -> dict:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    with requests.Session() as s:
        s.put(f"{url}/v1/staff/windows/5", json={"matters": ["birth-cert"]},
              headers=staff, timeout=10).raise_for_status()
        tickets = []
        for _ in range(phones):
            r = s.post(f"{url}/v1/tickets", json={"matter_id": "birth-cert"},
                       headers={**kiosk, "Idempotency-Key": uuid.uuid4().hex}, timeout=30)
            r.raise_for_status()
            tickets.append(r.json())
    phone_events: list[list] = [[] for _ in tickets]
    display_events: list[list] = [[] for _ in range(displays)]
    tasks = []
    readies = []
    for i, ticket in enumerate(tickets):
        ready = asyncio.Event()
        readies.append(ready)
        tasks.append(asyncio.create_task(stream(
            host, port, f"/t/{ticket['id']}/events", f"127.0.0.{2 + i % 30}",
            phone_events[i], ready, "status")))
    for d in range(displays):
        ready = asyncio.Event()
        readies.append(ready)
        tasks.append(asyncio.create_task(stream(
            host, port, "/display/events", f"127.0.0.{40 + d}", display_events[d], ready,
            "recent")))
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=60)
    for events in phone_events:
        events.clear()  # the status each page got on connect
    for d in range(displays):  # now listen for calls on the displays
        display_events[d].clear()
    display_calls: list[list] = [[] for _ in range(displays)]
    for d in range(displays):
        tasks.append(asyncio.create_task(stream(
            host, port, "/display/events", f"127.0.0.{50 + d}", display_calls[d],
            asyncio.Event(), "call")))
    await asyncio.sleep(1.0)
    sent: list[tuple[float, str]] = []
    loop = asyncio.get_running_loop()
    with requests.Session() as s:
        for _ in range(calls):
            at = time.monotonic()
            r = await loop.run_in_executor(None, lambda: s.post(
                f"{url}/v1/staff/windows/5/call-next", headers=staff, timeout=30))
            r.raise_for_status()
            sent.append((at, r.json()["number"]))
            await asyncio.sleep(gap)
    await asyncio.sleep(2.0)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    display_lat = []
    for events in display_calls:
        arrivals = {data["number"]: at for at, data in events if data["kind"] == "called"}
        display_lat += [arrivals[n] - at for at, n in sent if n in arrivals]
    missing_display = displays * calls - len(display_lat)
    phone_lat = []
    missing_phone = 0
    for j, events in enumerate(phone_events):
        times = [at for at, _data in events]
        for k, (at, _n) in enumerate(sent):
            if k > j + 1:  # ticket j is called by call j and served by call j+1: then still
                continue
            end = sent[k + 1][0] if k + 1 < len(sent) else at + gap + 2.0
            got = [t for t in times if at <= t < end]
            if got:
                phone_lat.append(got[0] - at)
            else:
                missing_phone += 1
    return {
        "bench": "calling", "phones": phones, "displays": displays, "calls": calls,
        "display_p50_s": round(statistics.median(display_lat), 3),
        "display_p95_s": round(percentile(display_lat, 95), 3),
        "display_max_s": round(max(display_lat), 3), "display_missing": missing_display,
        "phone_p50_s": round(statistics.median(phone_lat), 3),
        "phone_p95_s": round(percentile(phone_lat, 95), 3),
        "phone_max_s": round(max(phone_lat), 3), "phone_missing": missing_phone,
        "goal_display_p95_s": 1.0, "goal_phone_p95_s": 2.0,
        "goal_met": percentile(display_lat, 95) <= 1.0 and percentile(phone_lat, 95) <= 2.0
        and not missing_display and not missing_phone,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--displays", type=int, default=4)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--gap", type=float, default=1.5)
    parser.add_argument("--quick", action="store_true", help="100 phones, 8 calls")
    args = parser.parse_args()
    if args.quick:
        args.phones, args.calls = 100, 8
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--demo", "--open-all-hours", "--port",
             "0", "--database", str(Path(tmp) / "central.db"),
             "--kiosk-ticket-rate", "0"],  # one kiosk token stands in for the hall's kiosks
            stdout=subprocess.PIPE, text=True, cwd=tmp,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            line = json.loads(proc.stdout.readline())  # type: ignore[union-attr]
            staff = {"Authorization": f"Bearer {line['staff_token']}"}
            kiosk = {"Authorization": f"Bearer {line['kiosk_token']}"}
            result = asyncio.run(run(line["url"], staff, kiosk, args.phones, args.displays,
                                     args.calls, args.gap))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
