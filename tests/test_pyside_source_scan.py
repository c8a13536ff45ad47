"""PySide6 reads, and linecache keeps, the source of every module imported after it.

That was 12 MB of the kiosk's memory at start (and ~400 file reads). ``prepare_environment``
turns the scan off; these tests import a fresh module in a clean interpreter both ways, so
they fail if a PySide upgrade renames the hook (the stop would silently do nothing) or if
the kiosk stops calling it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, linecache, sys
sys.path.insert(0, {folder!r})
if {stop}:
    from kiosk.app import prepare_environment
    prepare_environment(offscreen=True)
else:
    import PySide6.QtCore
import probe_module
print(json.dumps({{"cached": any(name.endswith("probe_module.py") for name in linecache.cache)}}))
"""


def _probe(tmp_path: Path, *, stop: bool) -> bool:
    (tmp_path / "probe_module.py").write_text("VALUE = 1\n" * 1000, encoding="utf-8")
    script = PROBE.format(folder=str(tmp_path), stop=stop)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=ROOT, timeout=60, env={"PYTHONPATH": str(ROOT),
                                                       "QT_QPA_PLATFORM": "offscreen",
                                                       "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])["cached"]


def test_pyside_keeps_the_source_of_later_imports_without_the_stop(tmp_path: Path) -> None:
    assert _probe(tmp_path, stop=False), "PySide no longer scans imports: drop the stop"


def test_the_kiosk_keeps_no_source_of_later_imports(tmp_path: Path) -> None:
    assert not _probe(tmp_path, stop=True)
