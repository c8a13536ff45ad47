"""Run every bench/ script, check the figures against issue 8's goals, write docs/performance.md.

Each script runs as its own process (so one's threads, caches and memory cannot colour
another's figures) and prints JSON lines; this runner collects them, prints one JSON document
and a Markdown table, and rewrites the generated part of docs/performance.md (text outside the
``<!-- bench:begin -->``/``<!-- bench:end -->`` markers is kept). A missing script is skipped
and a failing one is reported, never fatal: the others still run.

    python -m bench [--json] [--quick] [--only startup,idle] [--no-write] [--from-json F]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

Record = dict[str, Any]


@dataclass(frozen=True)
class Script:
    name: str
    full_args: tuple[str, ...]
    quick_args: tuple[str, ...]
    timeout_s: float


#: In the order they run. Flags come from each script's own --help.
SCRIPTS = (
    Script("startup", ("--runs", "7"), ("--runs", "2"), 600),
    Script("idcard", (), ("--rounds", "5"), 300),
    Script("printer", (), ("--runs", "10"), 300),
    Script("central", (), ("--tickets", "1000", "--paced-tickets", "1000", "--repeats", "1",
                           "--overhead-rounds", "100"), 600),
    Script("flows", (), (), 600),
    Script("search", (), ("--quick",), 120),
    Script("config_push", (), ("--quick",), 300),
    Script("calling", (), ("--quick",), 300),
    Script("idle", ("--duration", "60", "--settle", "15"), ("--duration", "15", "--settle", "8"),
           300),
)


def run_script(script: Script, quick: bool) -> dict[str, Any]:
    """Run one bench script; return its records, exit code and time, or why it was skipped."""
    path = ROOT / "bench" / f"{script.name}.py"
    if not path.exists():
        return {"status": "missing", "records": []}
    args = list(script.quick_args if quick else script.full_args)
    if quick and not args and "--quick" in path.read_text(encoding="utf-8"):
        args = ["--quick"]
    command = [sys.executable, "-m", f"bench.{script.name}", *args]
    env = dict(os.environ, PYTHONPATH=str(ROOT),
               QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=script.timeout_s)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "args": args, "records": [],
                "seconds": round(time.monotonic() - started, 1)}
    records: list[Record] = []
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
    result: dict[str, Any] = {
        "status": "ok" if done.returncode == 0 else "failed", "args": args,
        "returncode": done.returncode, "seconds": round(time.monotonic() - started, 1),
        "records": records,
    }
    if done.returncode != 0:
        result["stderr_tail"] = done.stderr[-800:]
    return result


# -- goals -----------------------------------------------------------------------------------
def _find(records: list[Record], bench: str | None = None, **match: Any) -> Record | None:
    for record in records:
        if bench is not None and record.get("bench") != bench:
            continue
        if all(record.get(k) == v for k, v in match.items()):
            return record
    return None


@dataclass(frozen=True)
class Goal:
    what: str
    target: str
    figure: Callable[[dict[str, list[Record]]], tuple[float | None, str, bool | None]]


def _startup(key: str, limit: float) -> Callable[..., tuple[float | None, str, bool | None]]:
    def figure(by: dict[str, list[Record]]) -> tuple[float | None, str, bool | None]:
        ratio = _find(by.get("startup", []), "startup", subject="ratio")
        if ratio is None:
            return None, "", None
        kiosk = _find(by["startup"], "startup", subject="kiosk") or {}
        floor = _find(by["startup"], "startup", subject="floor") or {}
        unit = "startup_ms_median" if key == "startup_ratio" else "rss_mb_median"
        note = f"kiosk {kiosk.get(unit)} vs floor {floor.get(unit)}"
        if key == "startup_ratio" and "cpu_to_first_frame_ratio" in ratio:
            note += (f" ms; CPU to first frame {kiosk.get('cpu_to_first_frame_ms_median')} vs "
                     f"{floor.get('cpu_to_first_frame_ms_median')} ms = "
                     f"{ratio['cpu_to_first_frame_ratio']}x")
        elif key == "rss_ratio":
            note += " MB (kiosk: peak once settled: services, screens, keyboard, voice)"
        return ratio[key], note, ratio[key] <= limit
    return figure


def _tap(by: dict[str, list[Record]]) -> tuple[float | None, str, bool | None]:
    record = next((r for r in by.get("flows", []) if "tap_to_painted_p95_ms" in r), None)
    if record is None:
        return None, "bench/flows.py did not run", None
    note = (f"p50 {record['tap_to_painted_p50_ms']} ms, max {record['tap_to_painted_max_ms']} ms "
            f"over {record['taps']} taps (real kiosk offscreen, simulated devices)")
    return record["tap_to_painted_p95_ms"], note, record["tap_to_painted_p95_ms"] <= 50


def _idle(by: dict[str, list[Record]]) -> tuple[float | None, str, bool | None]:
    record = _find(by.get("idle", []), "idle")
    if record is None:
        return None, "", None
    note = f"over {record['duration_s']} s; simulators {record['simulators_cpu_percent']} %"
    return record["idle_cpu_percent"], note, record["idle_cpu_percent"] <= 1.0


def _card(by: dict[str, list[Record]]) -> tuple[float | None, str, bool | None]:
    record = _find(by.get("idcard", []), "idcard", figure="placed_to_record_median")
    if record is None:
        return None, "", None
    limit = 1.1 * record["wire_ms"] + 20
    note = f"wire {record['wire_ms']} ms, limit {limit:.1f} ms"
    return record["median_ms"], note, record["median_ms"] <= limit


def _confirm(by: dict[str, list[Record]]) -> tuple[float | None, str, bool | None]:
    record = next((r for r in by.get("flows", []) if "confirm_to_ticket_median_ms" in r), None)
    if record is not None:
        value = record["confirm_to_ticket_median_ms"]
        note = (f"max {record['confirm_to_ticket_max_ms']} ms over {record['runs']} tickets: "
                "centre's number + last byte at the virtual printer")
        return value, note, value <= 300
    record = _find(by.get("printer", []), "printer.queue_ticket_latency")
    if record is None:
        return None, "", None
    value = record["print_to_last_byte_ms_median"]
    return value, "printer only: render + status + send (no centre round trip)", value <= 300


def _central(key: str, bench: str = "central.tickets"
             ) -> Callable[..., tuple[float | None, str, bool | None]]:
    def figure(by: dict[str, list[Record]]) -> tuple[float | None, str, bool | None]:
        record = _find(by.get("central", []), bench)
        if record is None:
            return None, "", None
        value = record[key]
        note = (f"median of {record.get('runs', 1)} runs; {record['clients']} kiosks, "
                f"{record['tickets']} tickets, {record['errors']} errors, numbers "
                f"{'gapless' if record['numbers_distinct_and_gapless'] else 'NOT gapless'}; "
                f"server {record['server_cpu_ms_per_ticket']:g} ms CPU/ticket, got "
                f"{record.get('server_cpu_share', '?')} of a core")
        correct = record["errors"] == 0 and record["numbers_distinct_and_gapless"]
        if bench.endswith("_paced"):
            offered = record["offered_per_s"]
            kept_up = record["tickets_per_s"] >= 0.97 * offered
            note = f"offered {offered:g}/s, served {record['tickets_per_s']:g}/s; " + note
            return value, note, correct and kept_up and value <= 100
        return value, note, correct and (value >= 500 if key == "tickets_per_s" else value <= 100)
    return figure


def _search(by: dict[str, list[Record]]) -> tuple[float | None, str, bool | None]:
    record = _find(by.get("search", []), "search", subject="all")
    if record is None:
        return None, "bench/search.py did not run", None
    note = f"{record['keystrokes']} keystrokes on {record['matters']} matters, max {record['max_ms']} ms"
    return record["p95_ms"], note, record["p95_ms"] <= 50


def _config_push(by: dict[str, list[Record]]) -> tuple[float | None, str, bool | None]:
    record = _find(by.get("config_push", []), "config_push")
    if record is None:
        return None, "no bench measures it yet", None
    note = (f"{record['pushes']} pushes, max {record['push_to_applied_max_ms']} ms; the centre "
            f"polls its database every {record['centre_poll_s']} s")
    return record["push_to_applied_median_ms"], note, None


def _calling(key: str, limit: float) -> Callable[..., tuple[float | None, str, bool | None]]:
    def figure(by: dict[str, list[Record]]) -> tuple[float | None, str, bool | None]:
        record = _find(by.get("calling", []), "calling")
        if record is None:
            return None, "", None
        missing = record["display_missing"] + record["phone_missing"]
        note = (f"{record['phones']} phone pages + {record['displays']} displays on one "
                f"instance, {record['calls']} calls; max {record[key.replace('p95', 'max')]} s"
                + (f"; {missing} updates never arrived" if missing else ""))
        value = record[key]
        return value, note, value <= limit and not missing
    return figure


GOALS = (
    Goal("Cold start to home screen / bare Qt Quick window", "<= 1.3x",
         _startup("startup_ratio", 1.3)),
    Goal("Peak RSS / bare Qt Quick window", "<= 1.5x", _startup("rss_ratio", 1.5)),
    Goal("Tap to painted, p95 (ms)", "<= 50 ms", _tap),
    Goal("Search per keystroke, p95 (ms)", "<= 50 ms", _search),
    Goal("Idle CPU, home screen with clock (% of one core)", "<= 1 %", _idle),
    Goal("Card placed to record, median (ms)", "<= 1.1x wire + 20 ms", _card),
    Goal("Confirm to ticket bytes, median (ms)", "<= 300 ms", _confirm),
    Goal("Central: tickets/s (50 kiosks, closed loop)", ">= 500", _central("tickets_per_s")),
    Goal("Central: p99 latency, closed loop (ms)", "<= 100 ms", _central("p99_ms")),
    Goal("Central: p99 latency, paced at 500 tickets/s (ms)", "<= 100 ms",
         _central("p99_ms", "central.tickets_paced")),
    Goal("Config push to applied, median (ms)", "(no goal)", _config_push),
    Goal("Call to hall display, p95 (s)", "<= 1 s", _calling("display_p95_s", 1.0)),
    Goal("Call to phone page, p95 (s)", "<= 2 s", _calling("phone_p95_s", 2.0)),
)


def evaluate(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    by = {name: result["records"] for name, result in results.items()}
    rows = []
    for goal in GOALS:
        try:
            value, note, passed = goal.figure(by)
        except (KeyError, TypeError) as exc:  # a script changed its output: say so, go on
            value, note, passed = None, f"figure unreadable ({exc})", None
        rows.append({"goal": goal.what, "target": goal.target, "value": value, "note": note,
                     "result": {True: "pass", False: "FAIL", None: "-"}[passed]})
    return rows


# -- machine and report ----------------------------------------------------------------------
def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        ram_gb: float | None = round(psutil.virtual_memory().total / 1024 ** 3, 1)
    except ImportError:
        ram_gb = None
    try:
        from importlib.metadata import version

        pyside = version("PySide6-Essentials")
    except Exception:  # PackageNotFoundError or an odd install: fall back to the module
        try:
            import PySide6

            pyside = PySide6.__version__
        except ImportError:
            pyside = "not installed"
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": ram_gb,
            "python": platform.python_version(), "pyside6": pyside,
            "os": f"{platform.system()} {platform.release()}",
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}


def _fmt(value: Any, missing: str = "not measured") -> str:
    if value is None:
        return missing
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def markdown(document: dict[str, Any]) -> str:
    m = document["machine"]
    lines = [
        f"Run: `python -m bench{' --quick' if document['quick'] else ''}` on {m['date']}.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}, "
        f"Python {m['python']}, PySide6 {m['pyside6']}; load average at start "
        f"{', '.join(map(str, m['load_average_at_start']))}"
        + (f", at end {', '.join(map(str, m['load_average_at_end']))}"
           if m.get("load_average_at_end") else "")
        + (f"; the whole run took {document['total_seconds']:g} s."
           if document.get("total_seconds") else "."),
        "",
        "| Goal | Target | Figure | Result | Notes |",
        "|---|---|---|---|---|",
    ]
    for row in document["goals"]:
        lines.append(f"| {row['goal']} | {row['target']} | {_fmt(row['value'])} | "
                     f"{row['result']} | {row['note']} |")
    lines += ["", "Scripts:", "", "| Script | Status | Seconds | Arguments |", "|---|---|---|---|"]
    for name, result in document["scripts"].items():
        lines.append(f"| bench/{name}.py | {result['status']} | {result.get('seconds', '')} | "
                     f"{' '.join(result.get('args', [])) or '(defaults)'} |")
    lines += ["", "All figures (one row per JSON line):", "", "| Script | Figures |", "|---|---|"]
    for name, result in document["scripts"].items():
        for record in result["records"]:
            shown = ", ".join(f"{k}={_fmt(v, '-')}" for k, v in record.items()
                              if k != "bench" and not isinstance(v, dict | list))
            lines.append(f"| {record.get('bench', name)} | {shown} |")
    return "\n".join(lines) + "\n"


def write_doc(table: str) -> None:
    generated = f"{BEGIN}\n{table}{END}"
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, _, rest = text.partition(BEGIN)
            _, _, tail = rest.partition(END)
            DOC.write_text(head + generated + tail, encoding="utf-8")
            return
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("# Performance\n\nGenerated by `python -m bench`; rerun it to refresh the "
                   "table.\n\n" + generated + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON document")
    parser.add_argument("--quick", action="store_true", help="fewer rounds (minutes, not more)")
    parser.add_argument("--only", default="", help="comma-separated script names")
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md alone")
    parser.add_argument("--from-json", type=Path, metavar="FILE",
                        help="re-render the table from a saved JSON document instead of running")
    args = parser.parse_args(argv)
    if args.from_json:
        document = json.loads(args.from_json.read_text(encoding="utf-8"))
        document["goals"] = evaluate(document["scripts"])
        table = markdown(document)
        print(table)
        if not args.no_write:
            write_doc(table)
        return 0
    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    started = time.monotonic()
    document: dict[str, Any] = {"machine": machine(), "quick": args.quick, "scripts": {}}
    for script in SCRIPTS:
        if wanted and script.name not in wanted:
            continue
        print(f"bench: {script.name} ...", file=sys.stderr, flush=True)
        result = run_script(script, args.quick)
        print(f"bench: {script.name} {result['status']}", file=sys.stderr, flush=True)
        document["scripts"][script.name] = result
    document["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    document["total_seconds"] = round(time.monotonic() - started, 1)
    document["goals"] = evaluate(document["scripts"])
    table = markdown(document)
    print(json.dumps(document, ensure_ascii=False, indent=None if args.json else 2))
    if not args.json:
        print()
        print(table)
    if not args.no_write:
        write_doc(table)
    return 0 if all(r["status"] in ("ok", "missing") for r in document["scripts"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
