"""The pinyin keyboard learns nothing from one citizen that it could show the next.

Qt's pinyin decoder keeps a user dictionary: a phrase composed from chosen candidates is
learned and offered, ranked higher, the next time anyone types the same pinyin. On a kiosk that
would hand one citizen's words (a name, a complaint) to the next. Citizen text fields set
``Qt.ImhSensitiveData``, which turns that learning off.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtQml import QJSValue, QQmlComponent

from tests import vkeyboard

QML_DIR = Path(__file__).resolve().parents[2] / "kiosk" / "ui" / "qml"
# The candidate bar's model: what it offers, and choosing a word as a tap on it does.
CANDIDATES_QML = b"""
import QtQuick
import QtQuick.VirtualKeyboard
QtObject {
    function shown() {
        var model = InputContext.inputEngine.wordCandidateListModel, out = []
        for (var i = 0; i < Math.min(model.count, 8); i++) out.push(model.dataAt(i))
        return out.join(",")
    }
    function choose(word) {  // what a candidate's delegate does when it is tapped
        var model = InputContext.inputEngine.wordCandidateListModel
        for (var i = 0; i < model.count; i++)
            if (String(model.dataAt(i)) === word) { model.selectItem(i); return true }
        return false
    }
}
"""


def _candidates_probe(app: Any) -> tuple[Any, Any]:
    component = QQmlComponent(app.engine)
    component.setData(CANDIDATES_QML, QUrl("candidates.qml"))
    probe = component.create()
    assert probe is not None, component.errorString()
    return component, app.engine.toScriptValue(probe)


def _open_description(app: Any, tap: Any, screen: Any, qtbot: Any, find: Any) -> Any:
    tap(app.window, "entry_report")
    screen(app, "report.identify")
    tap(app.window, "usePhoneButton")
    screen(app, "report.enter_phone")
    for digit in "13812345678":
        tap(app.window, f"key_{digit}")
    tap(app.window, "keyNext")
    screen(app, "report.choose_matter")
    tap(app.window, "matter_marriage-reg")
    screen(app, "report.situation")
    tap(app.window, "situation_other")
    screen(app, "report.describe")
    tap(app.window, "descriptionField")
    qtbot.waitUntil(lambda: vkeyboard.panel_shown(app.window), timeout=5000)
    return find(app.window, "descriptionField")


def test_a_phrase_one_citizen_composed_is_not_offered_to_the_next(
        kiosk: Any, tap: Any, screen: Any, find: Any, qtbot: Any) -> None:
    keep, candidates = _candidates_probe(kiosk)
    shown = lambda: candidates.property("shown").callWithInstance(candidates).toString()  # noqa: E731

    # The first citizen composes 是股 (not a word: the decoder would learn it) piece by piece.
    field = _open_description(kiosk, tap, screen, qtbot, find)
    vkeyboard.type_letters(kiosk.window, "shigu", qtbot)
    qtbot.waitUntil(lambda: shown() != "", timeout=3000)
    first_citizen_saw = shown()
    assert "是股" not in first_citizen_saw.split(",")
    for word in ("是", "股"):  # chosen on the candidate bar, piece by piece
        chosen = candidates.property("choose").callWithInstance(candidates, [QJSValue(word)])
        assert chosen.toBool(), (word, shown())
        qtbot.wait(50)
    qtbot.waitUntil(lambda: "是股" in field.property("text"), timeout=3000)
    tap(kiosk.window, "homeButton")
    screen(kiosk, "home")

    # The next citizen types the same pinyin and is offered what the first one was offered.
    _open_description(kiosk, tap, screen, qtbot, find)
    assert find(kiosk.window, "descriptionField").property("text") == ""
    vkeyboard.type_letters(kiosk.window, "shigu", qtbot)
    qtbot.waitUntil(lambda: shown() != "", timeout=3000)
    assert shown() == first_citizen_saw
    tap(kiosk.window, "homeButton")  # the keyboard's state is the process's: leave it down
    screen(kiosk, "home")
    del keep


def _block(source: str, opening: int) -> str:
    """The text of the QML object whose ``{`` is at ``opening``, up to its matching ``}``."""
    depth = 0
    for index in range(opening, len(source)):
        depth += {"{": 1, "}": -1}.get(source[index], 0)
        if depth == 0:
            return source[opening:index + 1]
    return source[opening:]


def test_every_text_field_a_citizen_types_into_turns_learning_off() -> None:
    """A new field without the hint would bring the leak back: each one must carry it."""
    fields, missing = 0, []
    for path in sorted(QML_DIR.rglob("*.qml")):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\b(TextField|TextArea|TextInput|TextEdit)\s*\{", source):
            fields += 1
            if "Qt.ImhSensitiveData" not in _block(source, match.end() - 1):
                missing.append(f"{path.relative_to(QML_DIR)}:{source.count(chr(10), 0, match.start()) + 1}")
    assert fields >= 4  # the report's search and description, the guide's and the ticket's search
    assert missing == []
