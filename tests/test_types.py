"""The type checker passes: mypy, configured in pyproject.toml ([tool.mypy], strict), over the
kiosk, its drivers, the centre and the shared package below both.

A run of the whole suite therefore runs mypy too (CI's one test command). Its cache lives in
.mypy_cache/ (ignored by git), so a second run only re-checks what changed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["hall", "drivers", "kiosk", "central"]  # hall/: what kiosk and centre share


def test_mypy_finds_no_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context", *CHECKED],
        cwd=ROOT, capture_output=True, text=True, timeout=200, check=False)
    assert result.returncode == 0, f"mypy found errors:\n{result.stdout}{result.stderr}"
    assert result.stdout.strip() == "", result.stdout
