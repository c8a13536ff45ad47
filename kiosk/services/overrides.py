"""Settings staff change in the service menu, kept in the data folder (never in kiosk.toml).

kiosk.toml is the operator's file (and may be pushed by the centre); what a technician sets at
the machine itself (volume, mute) survives restarts in ``<data_dir>/local/overrides.json``.
A missing or damaged file means "no overrides": the configured values apply.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from kiosk.services.files import write_json_atomically

log = logging.getLogger("kiosk.services.overrides")

FILE_NAME = "overrides.json"


class LocalOverrides:
    """A small JSON object on disk, written atomically (a power cut leaves old or new)."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / FILE_NAME

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable %s (%s)", self.path, type(error).__name__)
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, **values: Any) -> None:
        """Merge ``values`` into the file."""
        data = self.load()
        data.update(values)
        write_json_atomically(self.path, data, sort_keys=True)

    def volume(self, configured_percent: int) -> tuple[int, bool]:
        """(volume percent, muted) as staff last left them, else as configured."""
        data = self.load()
        volume = data.get("volume_percent", configured_percent)
        if not isinstance(volume, int) or isinstance(volume, bool) or not 0 <= volume <= 100:
            volume = configured_percent
        return volume, data.get("muted") is True
