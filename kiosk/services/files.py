"""Files the kiosk keeps across restarts, written so a power cut leaves the old or the new one."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_json_atomically(path: Path, data: Any, **dump_options: Any) -> None:
    """Write ``data`` as JSON to a temporary file beside ``path``, flush it to disk, rename it
    over ``path`` and flush the folder: never half a file, and the rename survives a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(data, out, **dump_options)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
