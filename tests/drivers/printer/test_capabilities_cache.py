"""escpos's capability cache can't leave a kiosk unable to start.

python-escpos 3.1 writes its cache non-atomically at import: a process killed in that window
(or one starting beside another) left an empty pickle, and every later import died with
EOFError. Seen in a clean-clone CI run, where kiosks started in parallel shared the folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from drivers.printer.capabilities_cache import pickle_path

ROOT = Path(__file__).resolve().parents[3]
IMPORT_PRINTER = "import drivers.printer; print('ok')"


def run_import(cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ESCPOS_CAPABILITIES_PICKLE_DIR=str(cache))
    return subprocess.run([sys.executable, "-c", IMPORT_PRINTER], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)


def test_an_empty_cache_left_by_a_killed_start_is_rebuilt(tmp_path: Path) -> None:
    pickle_path(tmp_path).write_bytes(b"")  # what a kill during escpos's YAML parse leaves
    result = run_import(tmp_path)
    assert result.returncode == 0, result.stderr[-1500:]
    assert result.stdout.strip() == "ok"
    assert pickle_path(tmp_path).stat().st_size > 10_000  # a whole database now
    assert run_import(tmp_path).returncode == 0  # and the next start reads it


def test_a_truncated_cache_is_rebuilt_too(tmp_path: Path) -> None:
    first = run_import(tmp_path)
    assert first.returncode == 0, first.stderr[-1500:]
    whole = pickle_path(tmp_path).read_bytes()
    pickle_path(tmp_path).write_bytes(whole[: len(whole) // 2])  # power cut mid-write
    result = run_import(tmp_path)
    assert result.returncode == 0, result.stderr[-1500:]
    assert pickle_path(tmp_path).read_bytes() == whole


def test_kiosks_starting_together_all_start(tmp_path: Path) -> None:
    env = dict(os.environ, ESCPOS_CAPABILITIES_PICKLE_DIR=str(tmp_path))
    starts = [subprocess.Popen([sys.executable, "-c", IMPORT_PRINTER], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(4)]
    results = [start.communicate(timeout=60) for start in starts]
    assert [start.returncode for start in starts] == [0, 0, 0, 0], [err[-500:] for _, err in results]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".capabilities-")]  # no leftovers
