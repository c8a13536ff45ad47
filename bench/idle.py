"""Idle CPU of the kiosk on its home screen (clock running), as a percentage of one core.

Starts ``main.py --simulate`` offscreen with its data folder in a temporary directory, waits
for it to settle (start-up work, first config fetch, font caches), then reads the process's
CPU times (user + system, via psutil) at the start and end of the measuring window. The
simulated stand-ins (reader pty, virtual printer, local centre) run in child processes; their
CPU is reported separately because a real kiosk does not run them.

    python -m bench.idle [--duration 60] [--settle 15]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
GOAL_PERCENT = 1.0


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def children_cpu_seconds(process: psutil.Process) -> float:
    total = 0.0
    for child in process.children(recursive=True):
        try:
            total += cpu_seconds(child)
        except psutil.Error:
            continue  # a child that ended between listing and reading
    return total


def measure(duration_s: float, settle_s: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "kiosk.toml"
        config.write_text((ROOT / "kiosk.toml").read_text(encoding="utf-8").replace(
            'data_dir = "var"', f'data_dir = "{tmp}/var"'), encoding="utf-8")
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   PYTHONPATH=str(ROOT))
        command = [sys.executable, str(ROOT / "main.py"), "--config", str(config), "--simulate"]
        kiosk = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        try:
            process = psutil.Process(kiosk.pid)
            deadline = time.monotonic() + settle_s
            while time.monotonic() < deadline:
                if kiosk.poll() is not None:
                    raise SystemExit(f"kiosk exited during settling: "
                                     f"{kiosk.stderr.read().decode(errors='replace')[-500:]}")
                time.sleep(0.2)
            start_wall = time.monotonic()
            start_cpu = cpu_seconds(process)
            start_children = children_cpu_seconds(process)
            time.sleep(duration_s)
            if kiosk.poll() is not None:
                raise SystemExit("kiosk exited while being measured")
            wall = time.monotonic() - start_wall
            used = cpu_seconds(process) - start_cpu
            used_children = children_cpu_seconds(process) - start_children
            threads = process.num_threads()
            rss_mb = process.memory_info().rss / 1024 / 1024
        finally:
            kiosk.send_signal(signal.SIGTERM)
            try:
                kiosk.wait(timeout=15)
            except subprocess.TimeoutExpired:
                kiosk.kill()
                kiosk.wait(timeout=5)
            if kiosk.stderr is not None:
                kiosk.stderr.close()
    return {
        "bench": "idle",
        "duration_s": round(wall, 1),
        "settle_s": settle_s,
        "idle_cpu_percent": round(100.0 * used / wall, 2),
        "simulators_cpu_percent": round(100.0 * max(0.0, used_children) / wall, 2),
        "threads": threads,
        "rss_mb": round(rss_mb, 1),
        "goal": {"idle_cpu_percent": GOAL_PERCENT},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="measuring window (s)")
    parser.add_argument("--settle", type=float, default=15.0,
                        help="wait this long after start before measuring (s)")
    args = parser.parse_args()
    print(json.dumps(measure(args.duration, args.settle)), flush=True)


if __name__ == "__main__":
    main()
