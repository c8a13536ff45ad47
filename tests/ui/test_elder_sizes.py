"""Elder mode reaches the keyboard and the small print: sizes measured in millimetres on the
running scene (offscreen) of a 21.5" 1080x1920 panel, against the floors of shared/domain.md.

Keys of the pinyin keyboard: 15 mm, 24 mm in elder mode (both sides of a key); the strip of
candidates: 10 mm, 15 mm in elder mode; captions (home tile subtitles, notices, the ID card
hint, QR captions): 5 mm, 7 mm in elder mode. And one name for the mode wherever it is named.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtQml import QQmlComponent

from kiosk.words import WORDS
from tests import vkeyboard
from tests.ui.test_keyboard import _text_field

ROOT = Path(__file__).resolve().parents[2]
FLOORS = {False: {"key": 15, "strip": 10, "caption": 5}, True: {"key": 24, "strip": 15, "caption": 7}}
_alive: list[Any] = []


@pytest.fixture(autouse=True)
def _keyboard_put_away(qtbot: Any) -> Any:
    """The input method is one per process: hide it for the tests that follow."""
    yield
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.inputMethod().hide()
    qtbot.wait(50)


@pytest.fixture
def panel_settings(settings: Any) -> Any:
    """The hall's real panel: its size in pixels and inches gives the millimetres."""
    return settings.replace("display", width=1080, height=1920, diagonal_inches=21.5)


def _items(root: Any) -> list[Any]:
    found, pending = [], [root]
    while pending:
        item = pending.pop()
        found.append(item)
        pending.extend(item.childItems())
    return found


def _named(root: Any, name: str) -> Any:
    return next(i for i in _items(root) if i.objectName() == name and i.isVisible())


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_keyboard_keys_and_candidates_are_big_enough(make_app: Any, panel_settings: Any,
                                                    find: Any, qtbot: Any, elder: bool) -> None:
    app = make_app(panel_settings)
    app.shell.setElderMode(elder)
    mm = app.theme.property("mm")
    _text_field(app, find, qtbot)
    qtbot.waitUntil(lambda: vkeyboard.panel_shown(app.window), timeout=5000)
    panel = vkeyboard.panel(app.window)
    floor = FLOORS[elder]

    def smallest_key_mm() -> float:
        keys = [vkeyboard.shown_key(panel, letter, qtbot) for letter in "qazpml"]
        return min(min(k.width(), k.height()) for k in keys) / mm

    qtbot.waitUntil(lambda: smallest_key_mm() >= floor["key"], timeout=5000)
    vkeyboard.type_letters(app.window, "ni", qtbot)
    qtbot.waitUntil(lambda: vkeyboard._offered(app.window, "你"), timeout=3000)
    strip = _named(panel, "wordCandidateView")
    assert strip.height() / mm >= floor["strip"]
    word = vkeyboard.candidate(app.window, panel, "你").parentItem()  # the label's delegate
    assert word.height() / mm >= floor["strip"]  # the candidate's tap area fills the strip
    # The keyboard still leaves most of the screen to the screen being typed into.
    assert panel.height() < app.window.height() * 0.45


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_captions_meet_the_text_floor(make_app: Any, panel_settings: Any, find: Any,
                                      qtbot: Any, elder: bool) -> None:
    app = make_app(panel_settings)
    app.shell.set_hall({}, [{"zh": "今晚22点起系统维护一小时", "en": "Maintenance from 22:00"}])
    app.shell.setElderMode(elder)
    mm = app.theme.property("mm")
    floor = FLOORS[elder]["caption"]
    home = find(app.window, "homeScreen")
    qtbot.waitUntil(lambda: any(i.objectName() == "notice_0" for i in _items(home)), timeout=3000)
    captions = [i for i in _items(home) if i.objectName() in ("subText", "notice_0", "cardHint")]
    assert {i.objectName() for i in captions} == {"subText", "notice_0", "cardHint"}
    assert len([i for i in captions if i.objectName() == "subText"]) == 6  # every tile's
    for caption in captions:
        size = caption.property("font").pixelSize() / mm
        assert size >= floor, f"{caption.objectName()} {caption.property('text')!r}: {size:.1f} mm"

    component = QQmlComponent(app.engine, QUrl.fromLocalFile(
        str(ROOT / "kiosk/ui/qml/components/QrCode.qml")))
    qr = component.createWithInitialProperties({"text": "https://hall.example/q/1",
                                                "caption": "扫码查看排队进度"})
    assert qr is not None, component.errorString()
    _alive.append((component, qr))
    qr.setParentItem(home)
    label = _named(qr, "qrCaption")
    assert label.property("font").pixelSize() / mm >= floor


def test_home_tiles_have_pictures_and_titles_sized_to_the_tile(make_app: Any,
                                                               panel_settings: Any,
                                                               find: Any) -> None:
    app = make_app(panel_settings)
    mm = app.theme.property("mm")
    for entry in ("ticket", "report", "guide", "progress", "evaluation", "help"):
        tile = find(app.window, f"entry_{entry}")
        icon = _named(tile, "icon")
        assert icon.property("sourceSize").width() > 0, entry
        assert icon.property("progress") == 1.0, entry  # the SVG loaded and was drawn
        assert icon.property("paintedWidth") > 0, entry
        assert icon.width() / mm >= 15
        assert _named(tile, "label").property("font").pixelSize() / mm >= 7.5  # was 5 mm
        assert (ROOT / "assets/icons" / f"{entry}.svg").is_file()
    assert "Apache-2.0" in (ROOT / "assets/icons/README.md").read_text(encoding="utf-8")


def test_the_mode_has_one_name_everywhere() -> None:
    """长者模式 / Elder mode: no 关怀模式, 适老模式, 老年模式 or 'easy mode' next to it."""
    other_names = re.compile(r"关怀模式|适老模式|老年模式|大字模式|敬老模式|easy mode|senior mode"
                             r"|care mode", re.IGNORECASE)
    texts = [f"{key}: {zh} / {en}" for key, (zh, en) in WORDS.items()]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "kiosk/ui/qml").rglob("*.qml")]
    assert [t[:80] for t in texts if other_names.search(t)] == []
    zh, en = WORDS["nav.elder"]
    assert (zh, en) == ("长者模式", "Elder mode")
    assert zh in WORDS["common.offer_elder_mode"][0]
    assert en.lower() in WORDS["common.offer_elder_mode"][1].lower()


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_candidate_words_are_body_size(make_app: Any, panel_settings: Any, find: Any,
                                       qtbot: Any, elder: bool) -> None:
    app = make_app(panel_settings)
    app.shell.setElderMode(elder)
    mm = app.theme.property("mm")
    _text_field(app, find, qtbot)
    qtbot.waitUntil(lambda: vkeyboard.panel_shown(app.window), timeout=5000)
    vkeyboard.type_letters(app.window, "ni", qtbot)
    qtbot.waitUntil(lambda: vkeyboard._offered(app.window, "你"), timeout=3000)
    label = vkeyboard.candidate(app.window, vkeyboard.panel(app.window), "你")
    floor = 7 if elder else 5
    qtbot.waitUntil(lambda: label.property("font").pixelSize() / mm >= floor, timeout=3000)
