"""The one theme: colours, type scale and spacing, sized in millimetres from the panel's size.

Touch targets and text are specified in physical units (15 mm targets, 5 mm body text; 24 mm
and 7 mm in elder mode) and converted to pixels from the configured diagonal and the resolution
the screen reports (kiosk.ui.window keeps it current), so the same build is usable on a 21.5"
and a 32" panel, portrait or landscape. Without a configured diagonal the screen's own physical
size is used.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Signal

from kiosk.ui.qtproperty import Property

FONT_FAMILY = "Noto Sans CJK SC"  # named explicitly: the fallback picks Japanese glyph shapes

# Colours: every text/background pair is checked for >= 4.5:1 contrast by tests/ui/test_theme.py.
COLOURS = {
    "background": "#F4F6FA",
    "surface": "#FFFFFF",
    "text": "#1A1F2B",
    "muted": "#4A5468",
    "primary": "#0B4F9C",
    "onPrimary": "#FFFFFF",
    "accent": "#B3261E",
    "onAccent": "#FFFFFF",
    "success": "#1E6B35",
    "warning": "#8A5300",
    "border": "#6B7588",
    "focus": "#E0A100",
}
# Sizes in millimetres on the panel (floors of shared/domain.md): captions as large as body text,
# keyboard keys as large as touch targets, the candidate strip at least a normal touch target.
CAPTION_MM, CAPTION_MM_ELDER = 5.0, 7.0
KEYBOARD_KEY_MM, KEYBOARD_KEY_MM_ELDER = 15.0, 24.0
KEYBOARD_CANDIDATES_MM, KEYBOARD_CANDIDATES_MM_ELDER = 10.0, 15.0

TEXT_PAIRS = [
    ("text", "background"), ("text", "surface"), ("muted", "surface"), ("muted", "background"),
    ("onPrimary", "primary"), ("onAccent", "accent"), ("primary", "surface"),
    ("success", "surface"), ("warning", "surface"), ("accent", "surface"),
]


#: Pixel density when neither kiosk.toml nor the screen says how big the panel is (96 dpi).
FALLBACK_PX_PER_MM = 96 / 25.4


def pixels_per_mm(width_px: int, height_px: int, diagonal_inches: float,
                  physical_mm: tuple[float, float] | None = None) -> float:
    """Physical pixel density of the panel: from the configured diagonal, else from the size
    the screen reports in millimetres (EDID; 0 when unknown), else 96 dpi."""
    if diagonal_inches > 0:
        return math.hypot(width_px, height_px) / diagonal_inches / 25.4
    if physical_mm and min(physical_mm) > 0:
        return math.hypot(width_px, height_px) / math.hypot(*physical_mm)
    return FALLBACK_PX_PER_MM


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class Theme(QObject):
    """Sizes in pixels for QML; they grow when elder mode is switched on."""

    changed = Signal()

    def __init__(self, width_px: int, height_px: int, diagonal_inches: float,
                 parent: QObject | None = None, *, rotation: int = 0) -> None:
        super().__init__(parent)
        self._diagonal = diagonal_inches
        self._sideways = rotation in (90, 270)
        self._mm = pixels_per_mm(width_px, height_px, diagonal_inches)
        self._landscape = self._wide(width_px, height_px)
        self._elder = False

    def _wide(self, width_px: int, height_px: int) -> bool:
        """Whether the content is wider than high: the window's sides, swapped when the
        content is turned a quarter (a panel mounted sideways, Main.qml's keyRoot)."""
        if self._sideways:
            width_px, height_px = height_px, width_px
        return width_px > height_px

    def fit(self, width_px: int, height_px: int,
            physical_mm: tuple[float, float] | None = None) -> None:
        """The window now has this many pixels (a new screen or mode): size millimetres anew."""
        mm = pixels_per_mm(width_px, height_px, self._diagonal, physical_mm)
        landscape = self._wide(width_px, height_px)
        if abs(mm - self._mm) > 1e-9 or landscape != self._landscape:
            self._mm = mm
            self._landscape = landscape
            self.changed.emit()

    def set_elder(self, elder: bool) -> None:
        if elder != self._elder:
            self._elder = elder
            self.changed.emit()

    def _px(self, mm: float) -> int:
        return round(mm * self._mm)

    def _px_at_least(self, mm: float) -> int:
        """Whole pixels never below ``mm``: a floor must not be rounded under."""
        return math.ceil(mm * self._mm - 1e-9)

    @Property(float, notify=changed)
    def mm(self) -> float:
        return self._mm

    @Property(bool, notify=changed)
    def elder(self) -> bool:
        return self._elder

    @Property(bool, notify=changed)
    def landscape(self) -> bool:
        """The one place that decides the layout: wider than high (1920×1080) lays screens
        out in columns and docks a narrower keyboard; portrait keeps its single column."""
        return self._landscape

    @Property(str, constant=True)
    def fontFamily(self) -> str:
        return FONT_FAMILY

    @Property(int, notify=changed)
    def touchTarget(self) -> int:
        return self._px(24 if self._elder else 15)

    @Property(int, notify=changed)
    def bodySize(self) -> int:
        return self._px_at_least(7 if self._elder else 5)

    @Property(int, notify=changed)
    def smallSize(self) -> int:  # captions: the same floors as body text (shared/domain.md)
        return self._px_at_least(CAPTION_MM_ELDER if self._elder else CAPTION_MM)

    @Property(float, notify=changed)
    def keyboardKeyMm(self) -> float:
        """Smallest height of an on-screen keyboard key (Keyboard.qml scales its style to it)."""
        return KEYBOARD_KEY_MM_ELDER if self._elder else KEYBOARD_KEY_MM

    @Property(float, notify=changed)
    def keyboardCandidatesMm(self) -> float:
        """Smallest height of the keyboard's strip of pinyin candidates."""
        return KEYBOARD_CANDIDATES_MM_ELDER if self._elder else KEYBOARD_CANDIDATES_MM

    @Property(int, notify=changed)
    def titleSize(self) -> int:
        return self._px(10 if self._elder else 8)

    @Property(int, notify=changed)
    def displaySize(self) -> int:  # hall name, ticket number
        return self._px(16 if self._elder else 12)

    @Property(int, notify=changed)
    def spacing(self) -> int:
        return self._px(6 if self._elder else 4)

    @Property(int, notify=changed)
    def radius(self) -> int:
        return self._px(2)

    @Property("QVariantMap", constant=True)
    def colours(self) -> dict[str, str]:
        return dict(COLOURS)
