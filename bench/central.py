"""Benchmark of the reference centre: tickets/s and latency under 50 kiosks, client overhead.

Runs every combination of ``--engines`` (SQLite in WAL mode in a temp dir; PostgreSQL on a
throwaway server from Debian's binaries, fsync on) and ``--instances`` (1 and 2 ``central
serve`` processes on the same database, the kiosks split between them), each started exactly
as simulation mode does (``python -m central serve --demo``, its own process), then:

1. ``central.tickets``: 50 concurrent kiosks (one keep-alive connection each, on one asyncio
   loop in ``--client-procs`` load processes speaking raw HTTP/1.1, so the load generator stays
   light on the 2-core machine it shares with the server) take numbers for one matter as fast
   as they can (closed loop: latency there is mostly queueing, 50 / throughput); prints
   tickets/s, p50/p99 latency, the server's and the load generator's CPU per ticket, and checks
   the numbers are consecutive without a gap or a repeat.
   ``central.tickets_paced``: the same 50 kiosks asking at a fixed total rate
   (``--offered-per-s``, default 500/s, the goal's rate and far above a real hall); latency runs
   from when each request was due, so a late answer also delays the figures of those behind it.
2. ``central.client_overhead``: the same GET through ``CentralClient.ticket_status`` and through
   a bare ``requests.Session.get``, sequentially; prints both medians and their ratio.

3. ``central.event_streams``: ``--streams`` kiosks (default 1,000) hold the config event
   stream of one instance; prints the server's resident memory with them attached and how long
   a publish takes to reach all of them (goal: <= 300 MB, <= 2 s).

After PostgreSQL with 2 instances, one ``central.tickets_goal`` line gives issue 15's verdict
(``met``: closed loop >= 500 tickets/s, and paced at 500/s kept up with p99 <= 100 ms, no
errors, gapless numbers). Ticket lines also carry ``postgres_cpu_ms_per_ticket`` (the
PostgreSQL server's own processes) and ``load_avg_1m`` before and after the run: on a shared
machine the load decides the absolute figures; CPU per ticket is the steadier one.

Each kind runs ``--repeats`` times (one ``*_run`` line each), then one line with the medians.
Each figure is one JSON object per line; every line names its ``backend`` and ``instances``.
Usage: ``python -m bench.central [--engines sqlite,postgresql] [--instances 1,2]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
MATTER = "birth-cert"  # no daily quota in the demo hall


def start_server(workdir: str | Path, *, open_all_hours: bool = True, database: str = "",
                 key: Path | None = None) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """The reference centre with the demo hall, in its own process; its announcement line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "central", "serve", "--demo",
         *(["--open-all-hours"] if open_all_hours else []), "--port", "0",
         "--database", database or str(Path(workdir) / "central.db"),
         *(["--key", str(key)] if key else []),
         # one token plays every kiosk here: its per-kiosk and per-person limits are off
         "--kiosk-ticket-rate", "0", "--person-tickets", "0"],
        stdout=subprocess.PIPE, text=True, cwd=workdir, env=env)
    line = proc.stdout.readline() if proc.stdout else ""
    if not line:
        proc.kill()
        raise SystemExit("central server did not start")
    return proc, json.loads(line)


async def _kiosk(host: str, port: int, request: bytes, count: int, start_at: float,
                 interval_s: float, latencies: list[float], numbers: list[str],
                 errors: list[str]) -> None:
    """One kiosk: a keep-alive connection taking ``count`` numbers, paced or back to back.

    Raw HTTP/1.1 over asyncio streams: ~50 µs of client CPU per request instead of the
    ~1 ms of a requests.Session, so the load generator does not take the server's core.
    Paced latency runs from the moment the request was due (no coordinated omission).
    """
    import asyncio

    reader, writer = await asyncio.open_connection(host, port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, start_at - time.time()))
    first = loop.time() + random.uniform(0, interval_s)
    try:
        for i in range(count):
            due = loop.time()
            if interval_s:  # paced: a kiosk sends at its own rhythm, not as fast as it can
                due = first + i * interval_s
                if due > loop.time():
                    await asyncio.sleep(due - loop.time())
            key = uuid.uuid4().hex.encode()
            writer.write(request.replace(b"@KEY@", key))
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            latencies.append(loop.time() - due)
            if status != 201:
                errors.append(f"{status} {body[:120]!r}")
                return
            numbers.append(json.loads(body)["number"])
    finally:
        writer.close()


def client_process(url: str, token: str, kiosks: int, per_kiosk: int, start_at: float,
                   out: mp.Queue, interval_s: float = 0.0) -> None:
    """One load process: ``kiosks`` concurrent keep-alive connections on one asyncio loop."""
    import asyncio
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    body = json.dumps({"matter_id": MATTER}).encode()
    request = (f"POST /v1/tickets HTTP/1.1\r\nHost: {parts.netloc}\r\n"
               f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
               f"Idempotency-Key: @KEY@\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    latencies: list[float] = []
    numbers: list[str] = []
    errors: list[str] = []

    async def run() -> None:
        await asyncio.gather(*(
            _kiosk(parts.hostname or "127.0.0.1", parts.port or 80, request, per_kiosk, start_at,
                   interval_s, latencies, numbers, errors) for _ in range(kiosks)))

    cpu = time.process_time()
    asyncio.run(run())
    out.put((latencies, numbers, errors, time.time(), time.process_time() - cpu))


def _cpu_s(pid: int) -> float:
    """CPU seconds used so far by a process (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_pids(data_dir: Path | None) -> list[int]:
    """The throwaway PostgreSQL server's processes: the postmaster and its children (one
    backend per pooled connection, WAL writer, checkpointer...)."""
    if data_dir is None:
        return []
    try:
        postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    pids = [postmaster]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def _cpu_of(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            out[pid] = _cpu_s(pid)
        except (OSError, ValueError, IndexError):  # a process that ended
            continue
    return out


def bench_tickets(info: dict[str, str], clients: int, total: int, procs: int,
                  server_pids: list[int], offered_per_s: float = 0.0,
                  urls: list[str] | None = None, backend: str = "sqlite-wal",
                  postgres_data: Path | None = None) -> dict:
    """``urls``: one per instance; each load process talks to one of them (round robin).
    ``postgres_data``: the PostgreSQL server's data directory, to count its CPU too."""
    urls = urls or [info["url"]]
    procs = max(procs, len(urls))
    per_kiosk = max(1, total // clients)
    total = per_kiosk * clients
    start_at = time.time() + 1.0
    queue: mp.Queue = mp.Queue()
    split = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    interval = clients / offered_per_s if offered_per_s else 0.0
    children = [mp.Process(target=client_process,
                           args=(urls[i % len(urls)], info["kiosk_token"], n, per_kiosk,
                                 start_at, queue, interval))
                for i, n in enumerate(split) if n]
    for child in children:
        child.start()
    load_before = os.getloadavg()[0]
    cpu_before = sum(_cpu_s(pid) for pid in server_pids)
    pg_before = _cpu_of(_postgres_pids(postgres_data))
    results = [queue.get(timeout=600) for _ in children]
    server_cpu = sum(_cpu_s(pid) for pid in server_pids) - cpu_before
    # Backends born during the run (the pools grow on demand) count from zero.
    pg_after = _cpu_of(_postgres_pids(postgres_data))
    postgres_cpu = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
    load_after = os.getloadavg()[0]
    for child in children:
        child.join()
    latencies = sorted(x for r in results for x in r[0])
    numbers = [n for r in results for n in r[1]]
    errors = [e for r in results for e in r[2]]
    elapsed = max(r[3] for r in results) - start_at
    client_cpu = sum(r[4] for r in results)
    ordered = sorted(int(n[1:]) for n in numbers)  # a later run continues the day's sequence
    gapless = bool(ordered) and ordered == list(range(ordered[0], ordered[0] + len(ordered)))
    return {
        "bench": "central.tickets_paced" if offered_per_s else "central.tickets",
        "offered_per_s": offered_per_s or None,
        "backend": backend,
        "instances": len(urls),
        "clients": clients,
        "tickets": len(numbers),
        "errors": len(errors),
        "tickets_per_s": round(len(numbers) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "server_cpu_ms_per_ticket": round(server_cpu / max(1, len(numbers)) * 1000, 3),
        # PostgreSQL's own processes (its backends, WAL writer...) on the same two cores
        "postgres_cpu_ms_per_ticket": (round(postgres_cpu / max(1, len(numbers)) * 1000, 3)
                                       if postgres_data is not None else None),
        "load_cpu_ms_per_ticket": round(client_cpu / max(1, len(numbers)) * 1000, 3),
        # Cores' worth of CPU the server got while it had 50 kiosks waiting: well under 1 with
        # high latency means other processes on the machine took its core (a noisy machine).
        "server_cpu_share": round(server_cpu / max(elapsed, 1e-9), 2),
        "load_generator": f"asyncio raw HTTP/1.1, {len(children)} process(es)",
        "numbers_distinct_and_gapless": gapless and len(set(numbers)) == len(numbers) == total,
        "goal_tickets_per_s": 500,
        "goal_p99_ms": 100,
        "cpus": os.cpu_count(),
        # The machine's 1-minute load average before and after: above the core count, other
        # work took CPU from the server and its figures are lower bounds.
        "load_avg_1m": [round(load_before, 2), round(load_after, 2)],
    }


def bench_client_overhead(info: dict[str, str], rounds: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from kiosk.services.central import CentralClient

    url, token = info["url"], info["kiosk_token"]
    client = CentralClient(url, token, info["kiosk_id"])
    ticket = client.take_ticket(MATTER, idempotency_key=uuid.uuid4().hex)
    raw = requests.Session()
    raw.headers["Authorization"] = f"Bearer {token}"
    raw_times, client_times = [], []
    for _ in range(rounds):  # interleaved, so drift affects both the same way
        t0 = time.perf_counter()
        r = raw.get(f"{url}/v1/tickets/{ticket.id}", timeout=10)
        r.json()
        raw_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        client.ticket_status(ticket.id)
        client_times.append(time.perf_counter() - t0)
    raw_ms = statistics.median(raw_times) * 1000
    client_ms = statistics.median(client_times) * 1000
    return {
        "bench": "central.client_overhead",
        "requests": rounds,
        "raw_requests_median_ms": round(raw_ms, 3),
        "central_client_median_ms": round(client_ms, 3),
        "overhead_ms": round(client_ms - raw_ms, 3),
        "ratio_to_raw": round(client_ms / raw_ms, 3),
    }


def median_of_runs(runs: list[dict]) -> dict:
    """One summary line over repeated runs: each figure's median, correctness over all runs."""
    summary = dict(runs[0])
    summary["bench"] = runs[0]["bench"].removesuffix("_run")
    summary["runs"] = len(runs)
    for key in ("tickets_per_s", "p50_ms", "p99_ms", "server_cpu_ms_per_ticket",
                "postgres_cpu_ms_per_ticket", "load_cpu_ms_per_ticket", "server_cpu_share"):
        if runs[0].get(key) is not None:
            summary[key] = round(statistics.median(r[key] for r in runs), 3)
    summary["load_avg_1m"] = [min(r["load_avg_1m"][0] for r in runs),
                              max(r["load_avg_1m"][1] for r in runs)]
    summary["tickets"] = sum(r["tickets"] for r in runs)
    summary["errors"] = sum(r["errors"] for r in runs)
    summary["numbers_distinct_and_gapless"] = all(r["numbers_distinct_and_gapless"] for r in runs)
    return summary


def goal_verdict(closed: dict, paced: dict, offered_per_s: float) -> dict:
    """Issue 15's goal, PostgreSQL with 2 instances: >= 500 tickets/s with p99 <= 100 ms.

    Read as two measured conditions, both required: the closed loop (50 kiosks as fast as
    they can) sustains >= 500 tickets/s, and at 500 tickets/s offered (paced) the server keeps
    up (>= 97 % served, as bench/__main__.py counts it) with a p99, counted from when each
    request was due, <= 100 ms. A closed loop's own p99 cannot be the test:
    50 requests always waiting at 500/s are 100 ms of queue by Little's law. Correctness
    (no error, numbers distinct and gapless) is required too. Also says how loaded the
    machine was, since a shared 2-core machine decides these figures more than the code."""
    rate_ok = closed["tickets_per_s"] >= closed["goal_tickets_per_s"]
    p99_ok = (offered_per_s >= paced["goal_tickets_per_s"]
              and paced["tickets_per_s"] >= 0.97 * offered_per_s  # kept up (as bench/__main__)
              and paced["p99_ms"] <= paced["goal_p99_ms"])
    correct = all(s["errors"] == 0 and s["numbers_distinct_and_gapless"]
                  for s in (closed, paced))
    return {
        "bench": "central.tickets_goal",
        "backend": closed["backend"],
        "instances": closed["instances"],
        "goal": "closed loop >= 500 tickets/s and, paced at 500/s, p99 <= 100 ms",
        "closed_loop_tickets_per_s": closed["tickets_per_s"],
        "paced_offered_per_s": offered_per_s,
        "paced_tickets_per_s": paced["tickets_per_s"],
        "paced_p99_ms": paced["p99_ms"],
        "rate_met": rate_ok,
        "p99_met": p99_ok,
        "correct": correct,
        "met": rate_ok and p99_ok and correct,
        "load_avg_1m": [min(closed["load_avg_1m"][0], paced["load_avg_1m"][0]),
                        max(closed["load_avg_1m"][1], paced["load_avg_1m"][1])],
        "cpus": os.cpu_count(),
    }


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_event_streams(info: dict[str, str], server_pid: int, streams: int, database: str,
                        key_path: Path, backend: str) -> dict:
    """``streams`` kiosks hold /events of one instance; one publish must reach all of them."""
    import asyncio
    from urllib.parse import urlsplit

    sys.path.insert(0, str(ROOT))
    from central.db import Database
    from central.publishing import load_key, publish_config
    from central.service import CentralService

    parts = urlsplit(info["url"])
    request = (f"GET /v1/kiosks/{info['kiosk_id']}/events HTTP/1.1\r\nHost: {parts.netloc}\r\n"
               f"Authorization: Bearer {info['kiosk_token']}\r\n\r\n").encode()
    rss_before = _rss_mb(server_pid)

    async def run() -> dict:
        connected = 0
        arrivals: list[float] = []
        all_connected = asyncio.Event()
        published_at: list[float] = []

        async def kiosk() -> None:
            nonlocal connected
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
            writer.write(request)
            seen = 0
            try:
                while True:
                    line = await reader.readline()
                    if not line:
                        return
                    if line.startswith(b"event: config"):
                        seen += 1
                        if seen == 1:
                            connected += 1
                            if connected == streams:
                                all_connected.set()
                        else:
                            arrivals.append(time.perf_counter())
                            return
            finally:
                writer.close()

        tasks = []
        for _ in range(streams):  # connect at ~500/s, as kiosks coming back after a restart
            tasks.append(asyncio.create_task(kiosk()))
            await asyncio.sleep(0.002)
        await asyncio.wait_for(all_connected.wait(), 120)
        rss = _rss_mb(server_pid)
        publisher = CentralService(Database(database, pool_size=1))
        # The same hall again (a new version): the ticket runs after this still find it open.
        config = json.loads(publisher.config_bundle()["body"])["config"]
        t0 = time.perf_counter()
        await asyncio.to_thread(publish_config, publisher, config, load_key(key_path))
        published_at.append(t0)
        _done, pending = await asyncio.wait(tasks, timeout=30)
        publisher.db.close()
        for task in pending:
            task.cancel()
        reach = max(arrivals) - t0 if len(arrivals) == streams else None
        return {"rss": rss, "reach_s": reach, "reached": len(arrivals)}

    result = asyncio.run(run())
    return {
        "bench": "central.event_streams",
        "backend": backend,
        "instances": 1,
        "streams": streams,
        "server_rss_mb_before": round(rss_before, 1),
        "server_rss_mb_with_streams": round(result["rss"], 1),
        "publish_reached": result["reached"],
        "publish_reached_all_s": (round(result["reach_s"], 3)
                                  if result["reach_s"] is not None else None),
        "goal_rss_mb": 300,
        "goal_reach_s": 2.0,
    }


def run_configuration(args: argparse.Namespace, engine: str, instances: int,
                      postgres: object | None, overhead: bool) -> None:
    """One engine x instance count: its ticket runs (closed loop, paced) and summaries."""
    sys.path.insert(0, str(ROOT))
    from central.testing import serve_processes

    with tempfile.TemporaryDirectory(prefix="bench-central-") as workdir:
        if engine == "postgresql":
            database = postgres.create_database("bench")  # type: ignore[attr-defined]
            backend = "postgresql-" + Path(postgres.bin).parts[-2]  # type: ignore[attr-defined]
        else:
            database = str(Path(workdir) / "central.db")
            backend = "sqlite-wal"
        key = Path(workdir) / "signing.pem"
        proc, info = start_server(workdir, database=database, key=key)
        no_limits = ["--kiosk-ticket-rate", "0", "--person-tickets", "0"]
        others = serve_processes(database, instances - 1, extra=no_limits) if instances > 1 else []
        urls = [info["url"], *(o.url for o in others)]
        pids = [proc.pid, *(o.proc.pid for o in others)]
        pg_data = postgres.data if engine == "postgresql" else None  # type: ignore[attr-defined]
        try:
            summaries = []
            for total, offered in ((args.tickets, 0.0), (args.paced_tickets, args.offered_per_s)):
                runs = []
                for _ in range(max(1, args.repeats)):
                    run = bench_tickets(info, args.clients, total, args.client_procs, pids,
                                        offered, urls, backend, pg_data)
                    run["bench"] += "_run"
                    print(json.dumps(run), flush=True)
                    runs.append(run)
                summaries.append(median_of_runs(runs))
                print(json.dumps(summaries[-1]), flush=True)
            if engine == "postgresql" and instances == 2:
                print(json.dumps(goal_verdict(*summaries, args.offered_per_s)), flush=True)
            if instances == 1 and args.streams:
                print(json.dumps(bench_event_streams(info, proc.pid, args.streams, database,
                                                     key, backend)), flush=True)
            if overhead:
                print(json.dumps(bench_client_overhead(info, args.overhead_rounds)), flush=True)
        finally:
            for other in others:
                other.stop()
            proc.terminate()
            proc.wait(timeout=10)
            if engine == "postgresql":
                postgres.drop_database(database)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--tickets", type=int, default=4000, help="per closed-loop run")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of each kind; the summary lines give their medians")
    parser.add_argument("--client-procs", type=int, default=1)
    parser.add_argument("--overhead-rounds", type=int, default=500)
    parser.add_argument("--offered-per-s", type=float, default=500.0,
                        help="paced run: total tickets/s the 50 kiosks ask for")
    parser.add_argument("--paced-tickets", type=int, default=2500, help="per paced run")
    parser.add_argument("--engines", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--instances", default="1,2", help="comma-separated instance counts")
    parser.add_argument("--streams", type=int, default=1000,
                        help="event streams held to one instance (0: skip)")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    counts = [int(n) for n in args.instances.split(",") if n.strip()]
    postgres = None
    if "postgresql" in engines:
        sys.path.insert(0, str(ROOT))
        from central.testing import ThrowawayPostgres

        postgres = ThrowawayPostgres(durable=True)  # fsync on: figures a real centre can have
    try:
        first = True
        for engine in engines:
            for instances in counts:
                run_configuration(args, engine, instances, postgres, overhead=first)
                first = False
    finally:
        if postgres is not None:
            postgres.stop()


if __name__ == "__main__":
    main()
