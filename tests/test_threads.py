"""The settled kiosk runs the threads docs/performance.md lists, and sessions add none.

The kiosk starts in simulation in a fresh process (``python -m bench.threads``: the soak driver
with the simulated reader, virtual printer and reference centre), runs 50 citizen sessions of
every flow and one visit to the service menu. A fresh process, because this one holds threads
of earlier tests; a census at rest, because Qt's own pool threads come and go while painting
(see the documentation). The documented table is the expectation, so the two cannot drift.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
SESSIONS = 50

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def documented_threads() -> tuple[Counter[str], int]:
    """The names in the settled-threads table and the bold total under it."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- settled-threads:start -->", 1)[1].split(
        "<!-- settled-threads:end -->", 1)[0]
    names = Counter(re.findall(r"^\| `([^`]+)` \|", table, flags=re.MULTILINE))
    total = re.search(r"<!-- settled-threads:end -->\s*\*\*(\d+) threads\*\*", text)
    assert total is not None, "docs/performance.md lost the bold thread total under the table"
    return names, int(total.group(1))


def census() -> list[dict[str, object]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "bench.threads", "--sessions", str(SESSIONS)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=540)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and len(lines) == 2, done.stderr[-3000:]
    return lines


def test_documented_table_and_total_agree() -> None:
    names, total = documented_threads()
    assert sum(names.values()) == total
    assert {"MainThread", "central-io", "local-io"} <= set(names)


def test_fifty_sessions_leave_the_documented_threads_and_no_more() -> None:
    expected, total = documented_threads()
    settled, after = census()
    assert after["sessions"] == SESSIONS
    flows = after["flows"]
    assert isinstance(flows, dict)
    assert {"ticket", "report", "help", "evaluation"} <= set(flows), flows
    for line in (settled, after):
        names = Counter(line["names"])  # type: ignore[arg-type]
        assert names == expected and line["threads"] == total, (
            f"{line['at']}: {line['threads']} threads, documented {total}; "
            f"not documented: {sorted((names - expected).elements())}; "
            f"missing: {sorted((expected - names).elements())}; all: {line['names']}")
