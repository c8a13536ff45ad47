"""Full soak: N seeded citizen sessions through the real kiosk; figures as JSON lines.

    python -m bench.soak --sessions 10000

Prints a progress line every ``--every`` sessions and one final line with sessions, seconds,
sessions/s, RSS after the warm-up (10 %) and at the end, thread, task and fd counts, Qt warnings
and whether every report and evaluation is at the centre exactly once. Exit status 1 if not.
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
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from bench.soak_driver import SoakDriver, rss_mb
    from kiosk import logsetup

    logsetup.setup(None, "WARNING")
    started = time.monotonic()

    def progress(done: int) -> None:
        if done % args.every == 0:
            print(json.dumps({"bench": "soak", "progress": done,
                              "seconds": round(time.monotonic() - started, 1),
                              "rss_mb": round(rss_mb(), 2)}), flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        driver = SoakDriver(Path(tmp), seed=args.seed)
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
