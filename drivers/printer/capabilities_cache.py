"""python-escpos's printer database cache, made whole before escpos is imported.

python-escpos 3.1 caches its capability database as a pickle in ESCPOS_CAPABILITIES_PICKLE_DIR
when that is set (the kiosk sets it to its data folder). It opens the file for writing, parses
~0.2 s of YAML, then dumps: another process starting in that window, or any start after one
was killed there (a power cut), finds an empty pickle and dies at import with EOFError. A kiosk
that can never start again. So the pickle is checked first and, when missing or unreadable,
rebuilt from escpos's own capabilities.json (JSON: the same data the YAML parser gives) into a
temporary file that replaces it atomically. escpos then only ever reads a whole file.
"""

from __future__ import annotations

import logging
import os
import pickle
import platform
import tempfile
from importlib import resources
from pathlib import Path

log = logging.getLogger("drivers.printer")


def pickle_path(directory: Path) -> Path:
    """Where escpos looks for its cache in ``directory`` (its own naming)."""
    return directory / f"{platform.python_version()}.capabilities.pickle"


def _source() -> Path:
    configured = os.environ.get("ESCPOS_CAPABILITIES_FILE")
    return Path(configured) if configured else Path(str(resources.files("escpos") / "capabilities.json"))


def _whole(path: Path, source: Path) -> bool:
    """A pickle escpos will load as it is: readable, a database, no older than its source."""
    try:
        if path.stat().st_mtime < source.stat().st_mtime:
            return False
        with path.open("rb") as cached:
            data = pickle.load(cached)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError):
        return False
    return isinstance(data, dict) and "profiles" in data


def ensure_capabilities_cache() -> Path | None:
    """Make the cache escpos is about to read whole; the path, or None when escpos uses a
    temporary folder of its own (nothing shared, nothing to guard)."""
    import json

    directory = os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR")
    if not directory:
        return None
    path, source = pickle_path(Path(directory)), _source()
    if _whole(path, source):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        database = json.loads(source.read_text(encoding="utf-8"))
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".capabilities-")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(database, out, protocol=2)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except (OSError, ValueError) as error:  # read-only folder: escpos tries itself, as before
        log.warning("cannot prepare the printer capability cache in %s: %s", directory, error)
        return None
    log.info("printer capability cache rebuilt in %s", directory)
    return path
