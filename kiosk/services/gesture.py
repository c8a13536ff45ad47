"""The hidden service-menu gesture as pure logic: corner taps, then a hold; time is passed in.

Default: five taps inside the top-right 120 x 120 px corner within three seconds, then a touch
held there for two seconds. Anything else resets the count, so a citizen tapping around the
screen (or tapping the corner six times) never opens the PIN pad. The caller feeds touch events
with timestamps and, while a finger is down, calls ``poll(now)`` at ``hold_deadline``.
"""

from __future__ import annotations

from dataclasses import dataclass

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")


@dataclass(frozen=True)
class GestureSpec:
    """What counts as the gesture; region sizes in pixels (convert millimetres before)."""

    corner: str = "top-right"
    region_px: float = 120.0
    taps: int = 5
    tap_window_s: float = 3.0  # from the first tap's press to the last tap's release
    hold_s: float = 2.0
    max_tap_s: float = 0.6  # a press longer than this is not a tap
    max_gap_s: float = 1.5  # the hold must start this soon after the last tap

    def __post_init__(self) -> None:
        if self.corner not in CORNERS:
            raise ValueError(f"corner must be one of {', '.join(CORNERS)}, got {self.corner!r}")
        if self.taps < 1 or self.region_px <= 0 or min(self.tap_window_s, self.hold_s,
                                                       self.max_tap_s, self.max_gap_s) <= 0:
            raise ValueError("gesture counts, sizes and times must be positive")


class HiddenEntryGesture:
    """Recognises the gesture; ``press``/``release``/``move``/``poll`` return True once on success."""

    def __init__(self, screen_width: float, screen_height: float,
                 spec: GestureSpec | None = None) -> None:
        self.spec = spec or GestureSpec()
        self.screen_width = screen_width
        self.screen_height = screen_height
        self._taps: list[tuple[float, float]] = []  # (press time, release time)
        self._pressed_at: float | None = None
        self._holding = False  # the current press is the hold candidate

    def in_region(self, x: float, y: float) -> bool:
        size = self.spec.region_px
        right, bottom = self.spec.corner.endswith("right"), self.spec.corner.startswith("bottom")
        inside_x = x >= self.screen_width - size if right else x < size
        inside_y = y >= self.screen_height - size if bottom else y < size
        return 0 <= x <= self.screen_width and 0 <= y <= self.screen_height and inside_x and inside_y

    @property
    def hold_deadline(self) -> float | None:
        """When the current hold completes (for a single-shot timer), or None."""
        if self._holding and self._pressed_at is not None:
            return self._pressed_at + self.spec.hold_s
        return None

    def reset(self) -> None:
        self._taps.clear()
        self._pressed_at = None
        self._holding = False

    def press(self, x: float, y: float, t: float) -> bool:
        if not self.in_region(x, y):
            self.reset()
            return False
        if len(self._taps) >= self.spec.taps and t - self._taps[-1][1] > self.spec.max_gap_s:
            self._taps.clear()  # waited too long for the hold; this press starts afresh
        self._pressed_at = t
        self._holding = len(self._taps) >= self.spec.taps
        return False

    def move(self, x: float, y: float, t: float) -> bool:
        if self._pressed_at is None:
            return False
        if not self.in_region(x, y):
            self.reset()
            return False
        return self.poll(t)

    def release(self, x: float, y: float, t: float) -> bool:
        if self._pressed_at is None:
            return False
        if self.poll(t):
            return True
        pressed_at, holding = self._pressed_at, self._holding
        self._pressed_at = None
        if holding or not self.in_region(x, y) or t - pressed_at > self.spec.max_tap_s:
            self.reset()  # hold too short, slid out, or a long press that is no tap
            return False
        self._taps.append((pressed_at, t))
        if self._taps[-1][1] - self._taps[0][0] > self.spec.tap_window_s:
            # Too slow: keep only the recent taps that still fit in the window.
            self._taps = [tap for tap in self._taps if t - tap[0] <= self.spec.tap_window_s]
        return False

    def poll(self, t: float) -> bool:
        """Call while a finger is down; True when the hold has lasted long enough (then resets)."""
        deadline = self.hold_deadline
        if deadline is not None and t >= deadline:
            self.reset()
            return True
        return False
