"""Theme and translations: readable contrast, physical sizes, every QML text in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.ui import i18n
from kiosk.ui.theme import COLOURS, TEXT_PAIRS, Theme, contrast_ratio, pixels_per_mm
from kiosk.words import WORDS

QML = Path(__file__).resolve().parents[2] / "kiosk" / "ui" / "qml"


@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS)
def test_text_colours_have_at_least_4_5_contrast(fg: str, bg: str) -> None:
    assert contrast_ratio(COLOURS[fg], COLOURS[bg]) >= 4.5


def test_contrast_formula_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_sizes_follow_the_panel(qapp: object) -> None:
    assert pixels_per_mm(1080, 1920, 21.5) == pytest.approx(4.03, abs=0.01)
    small, large = Theme(1080, 1920, 21.5), Theme(1080, 1920, 32)
    assert small.touchTarget == round(15 * small.mm) > large.touchTarget
    small.set_elder(True)
    assert small.touchTarget == round(24 * small.mm)
    # Text floors are never rounded under: the next whole pixel at or above 7 mm.
    assert 7 * small.mm <= small.bodySize < 7 * small.mm + 1
    assert 7 * small.mm <= small.smallSize < 7 * small.mm + 1


def test_translations_are_compiled_from_the_current_tables() -> None:
    assert i18n.is_current(), "run: python -m kiosk.ui.i18n"


def test_every_text_id_used_in_qml_exists_in_both_languages() -> None:
    used: set[str] = set()
    for path in QML.rglob("*.qml"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'qsTrId\("([^"]+)"\)', source))
    messages = WORDS
    missing = sorted(used - set(messages))
    assert not missing, missing
    for key, (zh, en) in messages.items():
        assert zh.strip() and en.strip(), key
    for entry in ("ticket", "report", "guide", "progress", "evaluation", "help"):
        assert f"entry.{entry}" in messages and f"entry.{entry}.sub" in messages


def test_no_bare_string_literals_shown_in_qml() -> None:
    """Visible text comes from qsTrId or data, never a literal in a text: property."""
    offenders = []
    for path in QML.rglob("*.qml"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r'\b(text|title|caption)\s*:\s*"[^"]*[A-Za-z\u4e00-\u9fff]', line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
