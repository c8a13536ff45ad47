"""Files the kiosk keeps across restarts, written so a power cut leaves the old or the new one."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger("kiosk.services.files")


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


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by the kiosk's user only (0700), and
    tighten it if it already exists more open: it holds the outbox, logs and lock-out state."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != 0o700:
        try:
            os.chmod(path, 0o700)
        except PermissionError:  # owned by another user: say so, but the kiosk must run
            log.warning("data folder %s is mode %o and not ours to tighten to 700", path,
                        path.stat().st_mode & 0o777)
    return path
