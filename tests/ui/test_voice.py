"""Elder mode reads each screen's prompt aloud, in the citizen's language, by a named voice."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from typing import Any

from kiosk.ui.voice import VOICE_NAMES, pick_voice

#: The never-answering speech server's listening socket stays open until the process ends:
#: closing it under a client still waiting in spd_open() crashes libspeechd.
_KEPT_OPEN: list[int] = []


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

    from kiosk.catalogue import Catalogue

    demo = Path(__file__).resolve().parents[2] / "central" / "demo_config.toml"
    app.services.configsync.current = Catalogue.from_dict(tomllib.loads(demo.read_text("utf-8")))


def _open(app: Any, entry: str) -> None:
    """Open a flow as its home-screen entry does (this test is about the voice, not layout)."""
    from PySide6.QtCore import Q_ARG, QMetaObject

    QMetaObject.invokeMethod(app.engine.rootObjects()[0], "openEntry", Q_ARG("QVariant", entry))


def _mock_voice(app: Any, qtbot: Any) -> Any:
    """Qt's silent mock engine has two English voices; let them stand for both languages."""
    from kiosk.ui.voice import Voice

    app.voice.close()
    app.voice = Voice(app.translations.text, engine="mock",
                      voice_names={"zh": ("Anne",), "en": ("Bob",)}, parent=app.root)
    app.voice.start()
    qtbot.waitUntil(lambda: app.voice.state == "ready", timeout=5000)
    for bridge in app.flows.bridges:
        bridge.spoke.connect(lambda key: app.voice.say(key, app.shell.language))
    return app.voice


def test_elder_mode_reads_the_flow_prompt_aloud(make_app: Any, settings: Any, tap: Any,
                                                qtbot: Any) -> None:
    app = make_app(settings)
    _with_demo_catalogue(app)
    voice = _mock_voice(app, qtbot)
    tap(app.window, "elderButton")
    qtbot.waitUntil(lambda: app.shell.elderMode, timeout=3000)
    _open(app, "ticket")
    qtbot.waitUntil(lambda: app.shell.screen != "home", timeout=5000)
    qtbot.waitUntil(lambda: voice.last_spoken != "", timeout=5000)
    spoken = voice.last_spoken
    assert any("\u4e00" <= ch <= "\u9fff" for ch in spoken)  # Chinese words, not a key


def test_no_voice_outside_elder_mode(make_app: Any, settings: Any, qtbot: Any) -> None:
    app = make_app(settings)
    _with_demo_catalogue(app)
    voice = _mock_voice(app, qtbot)
    _open(app, "ticket")
    qtbot.waitUntil(lambda: app.shell.screen != "home", timeout=5000)
    qtbot.wait(300)
    assert voice.last_spoken == ""


def test_closing_the_app_ends_the_speech_thread(make_app: Any, settings: Any, qtbot: Any) -> None:
    app = make_app(settings.replace("ui", voice=True))
    app.voice.start()
    qtbot.waitUntil(lambda: app.voice.state == "ready", timeout=5000)
    thread = app.voice._thread
    assert thread is not None and thread.is_alive()
    app.voice.close()
    assert app.voice.state == "off"
    assert not thread.is_alive() and thread not in threading.enumerate()


def _speech_server_that_never_answers(tmp_path: Path) -> str:
    """A unix socket that accepts connections (the kernel's backlog) and never replies: what a
    hung speech-dispatcher looks like to libspeechd's spd_open()."""
    path = tmp_path / "speechd.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    _KEPT_OPEN.append(os.dup(server.fileno()))  # see _KEPT_OPEN
    server.close()
    return f"unix_socket:{path}"


def test_a_speech_engine_that_never_connects_stalls_nothing(
        make_app: Any, settings: Any, tap: Any, qtbot: Any, monkeypatch: Any,
        tmp_path: Path) -> None:
    """The real speechd plugin, blocked for good inside spd_open() on its own thread: the UI
    thread goes on handling taps, the start is given up, and the app still closes."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    from kiosk.ui.voice import Voice

    if "speechd" not in QTextToSpeech.availableEngines():
        import pytest

        pytest.skip("Qt's speechd plugin needs libspeechd2 (.ci/setup installs it)")
    monkeypatch.setenv("SPEECHD_ADDRESS", _speech_server_that_never_answers(tmp_path))
    app = make_app(settings)
    _with_demo_catalogue(app)
    app.voice.close()
    app.voice = voice = Voice(app.translations.text, engine="speechd", start_timeout_ms=1500,
                              parent=app.root)
    voice.start()
    assert voice.state == "starting"
    # The kiosk keeps answering taps while the engine's connection hangs.
    tap(app.window, "elderButton")
    qtbot.waitUntil(lambda: app.shell.elderMode, timeout=5000)
    _open(app, "ticket")
    qtbot.waitUntil(lambda: app.shell.screen != "home", timeout=5000)
    assert voice.state == "starting"  # still hanging: what was tapped did not wait for it
    assert voice.say("voice.test", "zh") is False  # and saying something does not wait either
    qtbot.waitUntil(lambda: voice.state == "unavailable", timeout=10_000)
    tap(app.window, "elderButton")  # elder mode off again, well after the start was given up
    qtbot.waitUntil(lambda: not app.shell.elderMode, timeout=5000)
    voice.close()  # returns although the speech thread is still stuck (it is a daemon)
    assert voice.state == "off"
    # The next start of that engine in this process does not pile up another stuck thread.
    again = Voice(app.translations.text, engine="speechd", parent=app.root)
    threads = threading.active_count()
    again.start()
    assert again.state == "unavailable" and threading.active_count() == threads
