"""Full soak: N seeded citizen sessions through the real kiosk; figures as JSON lines.

    python -m bench.soak --sessions 10000

Prints a progress line every ``--every`` sessions and one final line with sessions, seconds,
sessions/s, RSS after the warm-up (10 %) and at the end, thread, task, fd, QObject and Python
object counts, Qt warnings, config pushes published/applied/held mid-session, and whether every
report and evaluation is at the centre exactly once. Exit status 1 if not.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--every", type=int, default=500, help="progress line interval")
    parser.add_argument("--push-every", type=int, default=50,
                        help="one signed config push per this many sessions on average (0: none)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from bench.soak_driver import SoakDriver, rss_by_kind
    from kiosk import logsetup

    logsetup.setup(None, "WARNING")
    started = time.monotonic()

    def progress(done: int) -> None:
        if done % args.every == 0:
            now = driver.snapshot(done)
            print(json.dumps({"bench": "soak", "progress": done,
                              "seconds": round(time.monotonic() - started, 1),
                              "rss_mb": now.rss_mb, "qobjects": now.qobjects, "items": now.items,
                              "py_objects": now.py_objects, "tasks": now.tasks,
                              "fds": now.fds, "rss_by_kind": rss_by_kind()}), flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        driver = SoakDriver(Path(tmp), seed=args.seed, push_every=args.push_every)
        driver.start()
        try:
            result = driver.run(args.sessions, progress=progress)
        finally:
            driver.stop()
    figures = result.figures()
    print(json.dumps(figures), flush=True)
    for message in result.warnings[:20]:
        print(json.dumps({"bench": "soak", "qt_warning": message}), flush=True)
    return 0 if result.reports_ok and result.evaluations_ok else 1


if __name__ == "__main__":
    sys.exit(main())
