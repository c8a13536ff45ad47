"""Thread census: every thread of the settled kiosk by name, before and after citizen sessions.

    .venv/bin/python -m bench.threads --sessions 50

Runs the real kiosk in simulation in this process (the soak driver: simulated reader, virtual
printer, local reference centre), prints one JSON line when the kiosk has settled and one after
the sessions and a visit to the service menu. The simulators' own threads (``idcard-sim``,
``virtual-printer-*``) live in this process too; they are listed apart, as ``simulator``.
tests/test_threads.py runs this in a fresh process and compares it with docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Threads of the simulated hall (drivers/idcard/simulator.py, drivers/printer/virtual.py),
#: not of the kiosk.
SIMULATOR_PREFIXES = ("idcard-sim", "virtual-printer")
#: Qt's thread pool: the software scene-graph renderer (the offscreen platform; a kiosk without
#: a GPU) borrows up to QThread.idealThreadCount() of these to scale an image it paints, and
#: Qt ends each 30 s after its last job. A census waits for them to go (docs/performance.md).
QT_POOL = "Thread (pooled)"
POOL_EXPIRY_WAIT_S = 45.0


def census(driver: Any, sessions: int, at: str) -> dict[str, Any]:
    """The threads at rest: once Qt's pool threads, if painting borrowed any, have ended."""
    from kiosk.services.workers import thread_names

    driver.pump(lambda: QT_POOL not in thread_names(), timeout_s=POOL_EXPIRY_WAIT_S,
                what="Qt's pool threads to expire")
    names = thread_names()
    simulator = [n for n in names if n.startswith(SIMULATOR_PREFIXES)]
    kiosk = [n for n in names if not n.startswith(SIMULATOR_PREFIXES)]
    return {"bench": "threads", "at": at, "sessions": sessions, "threads": len(kiosk),
            "names": kiosk, "simulator": simulator}


def visit_the_menu(driver: Any) -> None:
    """Staff open the menu: a PIN check (local-io), the centre's latency (central-io), the
    backlight (local-io), a config fetch (central-io). None of it may start a thread."""
    menu = driver.app.maintenance
    menu.openPinPad()
    menu.checker.submit("000000")
    driver.pump(lambda: not menu.checker.busy, what="the PIN check")
    menu.openMenu()
    driver.pump(lambda: menu.status_value("centre").endswith(" ms"), what="the centre's latency")
    menu.syncConfig()
    syncing = menu.noticeEn
    driver.pump(lambda: menu.noticeEn != syncing, what="the config fetch")
    menu.close()


def run(sessions: int, workdir: Path) -> Iterator[dict[str, Any]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.soak_driver import SoakDriver

    driver = SoakDriver(workdir, seed=13)
    driver.start()
    try:
        yield census(driver, 0, "settled")
        result = driver.run(sessions, warm_up=1)
        visit_the_menu(driver)
        driver.snapshot(sessions)  # at home, the freed heap given back, the scene still
        line = census(driver, sessions, "after_sessions")
        line["flows"] = dict(result.flows_run)
        yield line
    finally:
        driver.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="threads-") as tmp:
        for line in run(args.sessions, Path(tmp)):
            print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
