"""Start-up time to the first frame of the home screen and peak RSS, against a bare window.

Each round starts the kiosk (`main.py --smoke`, real settings, devices absent) and the floor
(bench/floor_window.py) as fresh processes, alternating so machine noise hits both alike.
The project's bytecode is compiled first, as deploy/install.sh does for a release (the kiosk
runs from a folder it cannot write, so without that it would compile its modules on every
start). Start-up is to the home screen's first frame; RSS is the peak once the kiosk is settled
(main.py --smoke: services up, every screen compiled, the keyboard loaded, the voice engine
started), as it is when its first citizen arrives. Prints one JSON line per subject with
medians, then one with the ratios.

    python -m bench.startup [--runs N] [--simulate]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_once(command: list[str], cwd: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPATH=str(ROOT))
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=cwd)
    line = next((line for line in result.stdout.splitlines() if line.startswith("{")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr[-500:]}")
    return json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--simulate", action="store_true",
                        help="measure with simulated devices and a local centre")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "main.py"),
                    *(str(ROOT / package) for package in ("kiosk", "drivers", "central"))],
                   check=True)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "kiosk.toml"
        config.write_text((ROOT / "kiosk.toml").read_text(encoding="utf-8").replace(
            'data_dir = "var"', f'data_dir = "{tmp}/var"'), encoding="utf-8")
        kiosk = [sys.executable, str(ROOT / "main.py"), "--config", str(config), "--smoke"]
        if args.simulate:
            kiosk.append("--simulate")
        floor = [sys.executable, "-m", "bench.floor_window"]
        samples: dict[str, list[dict[str, float]]] = {"kiosk": [], "floor": []}
        run_once(floor, ROOT)  # warm the page cache for both before measuring
        run_once(kiosk, ROOT)
        for _ in range(args.runs):
            samples["floor"].append(run_once(floor, ROOT))
            samples["kiosk"].append(run_once(kiosk, ROOT))
    medians = {}
    keys = ("startup_ms", "rss_mb", "cpu_ms")
    for name, runs in samples.items():
        medians[name] = {key: statistics.median(r[key] for r in runs) for key in keys}
        print(json.dumps({"bench": "startup", "subject": name, "runs": len(runs),
                          "startup_ms_median": medians[name]["startup_ms"],
                          "rss_mb_median": medians[name]["rss_mb"],
                          "cpu_to_first_frame_ms_median": medians[name]["cpu_ms"]}))
    kiosk, floor = medians["kiosk"], medians["floor"]
    print(json.dumps({
        "bench": "startup", "subject": "ratio", "simulate": args.simulate,
        "startup_ratio": round(kiosk["startup_ms"] / floor["startup_ms"], 2),
        "rss_ratio": round(kiosk["rss_mb"] / floor["rss_mb"], 2),
        # The same comparison in CPU time: less stretched by other processes on a busy machine.
        "cpu_to_first_frame_ratio": round(kiosk["cpu_ms"] / max(1, floor["cpu_ms"]), 2),
        "goal": {"startup_ratio": 1.3, "rss_ratio": 1.5},
    }))


if __name__ == "__main__":
    main()
