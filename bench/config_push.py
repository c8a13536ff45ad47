"""Config push to applied: a bundle published at the centre until the kiosk's ConfigSync applied it.

Starts the reference centre as simulation mode does (``python -m central serve --demo``, its own
process, SQLite in a temp dir) and a real ``ConfigSync`` in this process following its event
stream. Each round publishes the next version the way ``python -m central publish`` does
(validate, sign with the demo key, store in the centre's database) and times until
``bundleApplied`` has fired in the kiosk: the centre noticing the new version (it polls its
database every 0.5 s, so another process's publish is seen), the server-sent event, the kiosk's
fetch, signature and schema checks, the fsync'd save and the catalogue swap. Rounds start at a
random moment so the centre's poll phase is sampled evenly. Prints one JSON line.

    python -m bench.config_push [--pushes 10]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_POLL_S = 0.5  # central.events.EventHub's default, what `central serve` runs with


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="4 pushes")
    args = parser.parse_args()
    pushes = 4 if args.quick else args.pushes
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from bench.central import start_server
    from central.db import Database
    from central.publishing import load_key, publish_config, read_config
    from central.service import CentralService
    from kiosk.services.central import CentralClient
    from kiosk.services.configsync import ConfigSync

    qt = QCoreApplication.instance() or QCoreApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-config-push-") as tmp:
        workdir = Path(tmp)
        proc, info = start_server(workdir, open_all_hours=False)
        publisher = CentralService(Database(info["database"]))
        key = load_key(Path(info["database"] + ".signing.pem"))
        config = read_config(ROOT / "central" / "demo_config.toml")
        sync = ConfigSync(CentralClient(info["url"], info["kiosk_token"], info["kiosk_id"]),
                          info["public_key"], workdir / "kiosk-state")
        applied: list[tuple[int | None, float]] = []
        arrived = threading.Event()

        def on_applied(_catalogue: object) -> None:
            applied.append((sync.current_version, time.perf_counter()))
            arrived.set()

        def wait_applied(timeout_s: float) -> bool:
            """Run the Qt loop (queued deliveries) until a bundle was applied or time is up."""
            deadline = time.monotonic() + timeout_s
            while not arrived.is_set() and time.monotonic() < deadline:
                loop = QEventLoop()
                QTimer.singleShot(5, loop.quit)
                loop.exec()
            return arrived.is_set()

        sync.bundleApplied.connect(on_applied)
        times_ms: list[float] = []
        try:
            sync.start()
            if not wait_applied(15):
                raise SystemExit("the kiosk never applied the centre's first bundle")
            deadline = time.monotonic() + 15
            while sync.connection != "live" and time.monotonic() < deadline:
                wait_applied(0.05)
            for round_no in range(pushes):
                time.sleep(random.uniform(0.1, 0.1 + SERVER_POLL_S))
                arrived.clear()
                config["notices"] = [{"zh": f"第{round_no + 1}次推送", "en": f"push {round_no + 1}"}]
                started = time.perf_counter()
                bundle = publish_config(publisher, config, key)
                if not wait_applied(10):
                    raise SystemExit(f"version {bundle['version']} was not applied within 10 s")
                version, at = applied[-1]
                if version != bundle["version"]:
                    raise SystemExit(f"applied version {version}, published {bundle['version']}")
                times_ms.append((at - started) * 1000)
        finally:
            sync.stop()
            publisher.db.close()
            proc.terminate()
            proc.wait(timeout=10)
    del qt
    print(json.dumps({
        "bench": "config_push", "pushes": len(times_ms),
        "push_to_applied_median_ms": round(statistics.median(times_ms), 1),
        "push_to_applied_max_ms": round(max(times_ms), 1),
        "push_to_applied_min_ms": round(min(times_ms), 1),
        "centre_poll_s": SERVER_POLL_S,
        "path": "publish -> centre poll -> SSE -> fetch -> verify -> save -> applied",
    }), flush=True)


if __name__ == "__main__":
    main()
