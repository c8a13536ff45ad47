"""Screen brightness through Linux's backlight class: /sys/class/backlight/<device>/.

Plain file I/O (the service menu calls it on a worker thread: a backlight driver may take a
moment to answer). Where there is no backlight device, or the kiosk user may not write it, the
status says which, so the menu can say so in words instead of showing a control that does
nothing. The root folder is configurable ([display] backlight_root) for tests and odd boards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_ROOT = Path("/sys/class/backlight")
STEP_PERCENT = 10
MIN_PERCENT = 5  # never all the way to black: staff must still see the menu


@dataclass(frozen=True)
class BacklightStatus:
    """What the menu shows: a percentage, or why brightness cannot be set here."""

    device: str = ""
    percent: int | None = None
    problem: str = ""  # "" (adjustable), "none" (no device), "read_only", "unreadable"

    @property
    def adjustable(self) -> bool:
        return self.problem == "" and self.percent is not None


class Backlight:
    """The first backlight device under ``root`` that has brightness and max_brightness."""

    def __init__(self, root: Path | str = DEFAULT_ROOT) -> None:
        self.root = Path(root)

    def _device(self) -> Path | None:
        try:
            candidates = sorted(self.root.iterdir())
        except OSError:
            return None
        for device in candidates:
            if (device / "brightness").is_file() and (device / "max_brightness").is_file():
                return device
        return None

    @staticmethod
    def _read_int(path: Path) -> int:
        return int(path.read_text("ascii").strip())

    def status(self) -> BacklightStatus:
        device = self._device()
        if device is None:
            return BacklightStatus(problem="none")
        try:
            maximum = self._read_int(device / "max_brightness")
            current = self._read_int(device / "brightness")
        except (OSError, ValueError):
            return BacklightStatus(device.name, problem="unreadable")
        if maximum <= 0:
            return BacklightStatus(device.name, problem="unreadable")
        percent = max(0, min(100, round(current * 100 / maximum)))
        try:  # root may write what is 0444 on a plain file, but not on sysfs: try it
            with open(device / "brightness", "r+b"):
                pass
        except OSError:
            return BacklightStatus(device.name, percent, problem="read_only")
        return BacklightStatus(device.name, percent)

    def set_percent(self, percent: int) -> BacklightStatus:
        """Set the brightness (clamped to MIN_PERCENT..100) and return the status read back."""
        device = self._device()
        if device is None:
            return BacklightStatus(problem="none")
        try:
            maximum = self._read_int(device / "max_brightness")
            value = round(max(MIN_PERCENT, min(100, percent)) * maximum / 100)
            (device / "brightness").write_text(f"{value}\n", "ascii")
        except PermissionError:
            return self.status()
        except (OSError, ValueError):
            return BacklightStatus(device.name, problem="unreadable")
        return self.status()
