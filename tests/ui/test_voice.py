"""Elder mode reads each screen's prompt aloud, in the citizen's language, by a named voice."""

from __future__ import annotations

from typing import Any

from kiosk.ui.voice import VOICE_NAMES, pick_voice


def test_mandarin_is_picked_by_name_not_locale() -> None:
    names = ["English (Great Britain)", "Chinese (Mandarin, latin as English)+Adam",
             "Chinese (Mandarin, latin as English)", "Chinese (Cantonese)"]
    assert pick_voice(names, VOICE_NAMES["zh"]) == "Chinese (Mandarin, latin as English)"
    assert pick_voice(["cmn", "Chinese (Mandarin)"], VOICE_NAMES["zh"]) == "cmn"
    assert pick_voice(names, VOICE_NAMES["en"]) == "English (Great Britain)"
    assert pick_voice(["Deutsch"], VOICE_NAMES["zh"]) is None


def _with_demo_catalogue(app: Any) -> None:
    """The demo hall's catalogue, as if the centre had pushed it (no centre runs here)."""
    import tomllib
    from pathlib import Path

    from kiosk.catalogue import Catalogue

    demo = Path(__file__).resolve().parents[2] / "central" / "demo_config.toml"
    app.services.configsync.current = Catalogue.from_dict(tomllib.loads(demo.read_text("utf-8")))


def _open(app: Any, entry: str) -> None:
    """Open a flow as its home-screen entry does (this test is about the voice, not layout)."""
    from PySide6.QtCore import Q_ARG, QMetaObject

    QMetaObject.invokeMethod(app.engine.rootObjects()[0], "openEntry", Q_ARG("QVariant", entry))


def test_elder_mode_reads_the_flow_prompt_aloud(make_app: Any, settings: Any, tap: Any,
                                                qtbot: Any) -> None:
    from kiosk.ui.voice import Voice

    app = make_app(settings.replace("ui", voice_engine="mock"))
    _with_demo_catalogue(app)
    # Qt's mock engine has two English voices; let them stand for both languages here.
    app.voice = Voice(app.translations.text, engine="mock",
                      voice_names={"zh": ("Anne",), "en": ("Bob",)}, parent=app.root)
    app.voice.start()
    for bridge in app.flows.bridges:
        bridge.spoke.connect(lambda key: app.voice.say(key, app.shell.language))
    tap(app.window, "elderButton")
    qtbot.waitUntil(lambda: app.shell.elderMode, timeout=3000)
    _open(app, "ticket")
    qtbot.waitUntil(lambda: app.shell.screen != "home", timeout=5000)
    qtbot.waitUntil(lambda: app.voice.last_spoken != "", timeout=5000)
    spoken = app.voice.last_spoken
    assert any("\u4e00" <= ch <= "\u9fff" for ch in spoken)  # Chinese words, not a key


def test_no_voice_outside_elder_mode(make_app: Any, settings: Any, tap: Any, qtbot: Any) -> None:
    from kiosk.ui.voice import Voice

    app = make_app(settings.replace("ui", voice_engine="mock"))
    _with_demo_catalogue(app)
    app.voice = Voice(app.translations.text, engine="mock",
                      voice_names={"zh": ("Anne",), "en": ("Bob",)}, parent=app.root)
    app.voice.start()
    for bridge in app.flows.bridges:
        bridge.spoke.connect(lambda key: app.voice.say(key, app.shell.language))
    _open(app, "ticket")
    qtbot.waitUntil(lambda: app.shell.screen != "home", timeout=5000)
    qtbot.wait(300)
    assert app.voice.last_spoken == ""
