"""Printer capability profiles (paper, columns, QR, Chinese mode) loaded from profiles.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

PROFILES_FILE = Path(__file__).with_name("profiles.json")


class ProfileError(ValueError):
    """A profile name or override is invalid; the message names the key."""


@dataclass(frozen=True)
class PrinterProfile:
    """What one printer model can do. Data, not code, so a new model is a JSON entry."""

    model: str
    paper_mm: int = 80
    columns: int = 48
    dots_per_line: int = 576
    native_qr: bool = True
    chinese_mode: bool = True
    code_page: int = 0
    max_qr_module: int = 8
    cut: str = "partial"
    description: str = ""

    @property
    def dots_per_column(self) -> int:
        """Font A is 12 dots wide: 48 x 12 = 576, 32 x 12 = 384."""
        return self.dots_per_line // self.columns

    def with_overrides(self, **overrides: Any) -> PrinterProfile:
        """Apply [printer] settings from kiosk.toml on top of the model's data."""
        known = set(PrinterProfile.__dataclass_fields__)
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = sorted(set(clean) - known)
        if unknown:
            raise ProfileError(f"printer profile: unknown key(s) {', '.join(unknown)}")
        return _validated(replace(self, **clean))


def _validated(profile: PrinterProfile) -> PrinterProfile:
    if profile.paper_mm not in (58, 80):
        raise ProfileError(f"printer.paper_mm: expected 58 or 80, got {profile.paper_mm!r}")
    if profile.columns not in (32, 42, 48):
        raise ProfileError(f"printer.columns: expected 32, 42 or 48, got {profile.columns!r}")
    if profile.dots_per_line not in (384, 512, 576):
        raise ProfileError(
            f"printer.dots_per_line: expected 384, 512 or 576, got {profile.dots_per_line!r}"
        )
    if not 1 <= profile.max_qr_module <= 16:
        raise ProfileError(f"printer.max_qr_module: expected 1-16, got {profile.max_qr_module!r}")
    if profile.cut not in ("partial", "full", "none"):
        raise ProfileError(f"printer.cut: expected partial, full or none, got {profile.cut!r}")
    return profile


def available_models() -> list[str]:
    return sorted(k for k in _load() if not k.startswith("_"))


def _load() -> dict[str, Any]:
    profiles: dict[str, Any] = json.loads(PROFILES_FILE.read_text(encoding="utf-8"))
    return profiles


def load_profile(model: str = "generic-80", **overrides: Any) -> PrinterProfile:
    """Profile for a model name from profiles.json, with optional per-site overrides."""
    data = _load()
    if model.startswith("_") or model not in data:
        raise ProfileError(
            f"printer.model: unknown model {model!r}; known: {', '.join(available_models())}"
        )
    base = _validated(PrinterProfile(model=model, **data[model]))
    return base.with_overrides(**overrides) if overrides else base
