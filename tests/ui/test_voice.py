"""Elder mode reads each screen's prompt aloud, in the citizen's language, by a named voice."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.voice import VOICE_NAMES, pick_voice

#: Sockets of the fake speech servers below, open until the process ends (see there).
_KEPT_OPEN: list[socket.socket] = []


#: What speech-dispatcher 0.11's espeak-ng module lists for Mandarin (its LIST VOICES answer).
SPEECHD_MANDARIN = ["Chinese (Mandarin, latin as English)", "Chinese (Mandarin, latin as English)+Adam",
                    "Chinese (Mandarin, latin as Pinyin)", "Chinese (Mandarin, latin as Pinyin)+Adam"]


def test_mandarin_is_picked_by_name_not_locale() -> None:
    names = ["English (Great Britain)", *SPEECHD_MANDARIN, "Chinese (Cantonese)"]
    assert pick_voice(names, VOICE_NAMES["zh"]) == "Chinese (Mandarin, latin as Pinyin)"
    assert pick_voice(["cmn", "cmn-latn-pinyin"], VOICE_NAMES["zh"]) == "cmn-latn-pinyin"
    assert pick_voice(names, VOICE_NAMES["en"]) == "English (Great Britain)"
    assert pick_voice(["Deutsch"], VOICE_NAMES["zh"]) is None


def test_the_voice_that_reads_hanzi_through_english_is_never_picked() -> None:
    """espeak-ng 1.51's 'cmn' reads 取号成功 as 'qu three, hao four ...': then the recordings."""
    english_latin = [n for n in SPEECHD_MANDARIN if "English" in n] + ["cmn", "Chinese (Cantonese)"]
    assert pick_voice(english_latin, VOICE_NAMES["zh"]) is None


def _phonemes(voice: str, text: str) -> str:
    import shutil
    import subprocess

    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.skip("espeak-ng is not installed (.ci/setup installs it)")
    return subprocess.run([espeak, "-v", voice, "-x", "-q", text], check=True,
                          capture_output=True, text=True, timeout=30).stdout


def test_the_check_hears_english_in_the_cmn_voice() -> None:
    """The check below can fail: espeak-ng's 'cmn' voice switches to English on hanzi."""
    assert "(en)" in _phonemes("cmn", "取号成功")
    assert "(en)" not in _phonemes("cmn-latn-pinyin", "取号成功")


def test_every_zh_prompt_is_spoken_in_mandarin_by_the_voices_chosen() -> None:
    """No zh prompt switches to English in the clip voice or in any espeak-ng voice the engine
    may pick by name (speechd passes the listed name on to espeak-ng)."""
    from kiosk.ui import voice_clips
    from kiosk.words import WORDS as texts
    voices = {voice_clips.ESPEAK_VOICES["zh"], *VOICE_NAMES["zh"]}
    # ... and the results read after them (SpeakOnShow), filled as the screens fill them.
    sample = {"floor": "3", "zone_name": "婚姻登记区", "windows": "21-23号窗口", "ahead": "5",
              "promised_date": "2026-12-10", "step": "受理"}
    results = {key: texts[key][0].format(**sample) for key in (
        "take.ticket.your_number", "take.ticket.go_to", "take.ticket.ahead",
        "take.priority.elderly", "take.priority.disabled", "report.tracking_label",
        "progress.promised", "report.registered", "progress.next_step",
        "progress.promised_words", *(f"progress.now.{state}" for state in (
            "received", "accepted", "classified", "dispatched", "resolved", "answered")))}
    spoken = {**{key: texts[key][0] for key in voice_clips.prompt_keys()}, **results}
    english = {}
    for key, text in spoken.items():
        for voice in voices:
            phonemes = _phonemes(voice, text)
            assert phonemes.strip(), f"{voice} said nothing for {key}"
            if "(en)" in phonemes:
                english[f"{voice}: {key}"] = phonemes.strip()
    assert english == {}, "English inside Mandarin prompts"


def _with_demo_catalogue(app: Any) -> None:
    """The demo hall's catalogue, as if the centre had pushed it (no centre runs here)."""
    import tomllib

    from hall.catalogue import Catalogue

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


class FakeSpeechDispatcher:
    """A speech-dispatcher on a unix socket, speaking SSIP well enough for Qt's speechd plugin
    (client name, notifications, modules, two voices, settings), that stops answering for good
    at the first command starting with ``hang_at``: what a hung server looks like to libspeechd.

    Its socket stays open until the process ends: closing it under a client still waiting for
    a reply crashes libspeechd.
    """

    VOICES = ("249-Chinese (Mandarin, latin as English)\tcmn\tnone\r\n"
              "249-Chinese (Mandarin, latin as Pinyin)\tcmn-LATN-PINYIN\tnone\r\n"
              "249 OK VOICE LIST SENT\r\n")

    def __init__(self, directory: Path, hang_at: str) -> None:
        self.hang_at = hang_at.upper()
        self.commands: list[str] = []
        self.path = directory / "speechd.sock"
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(self.path))
        self._server.listen(8)
        _KEPT_OPEN.append(self._server)
        threading.Thread(target=self._accept, name="fake-speechd", daemon=True).start()

    @property
    def address(self) -> str:
        return f"unix_socket:{self.path}"

    def _accept(self) -> None:
        while True:
            connection, _ = self._server.accept()
            _KEPT_OPEN.append(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        lines = connection.makefile("rb")
        hung = False
        while line := lines.readline():
            command = line.decode("utf-8", "replace").strip()
            self.commands.append(command)
            hung = hung or command.upper().startswith(self.hang_at)
            if not hung:
                connection.sendall(self._reply(command.upper()).encode())

    def _reply(self, command: str) -> str:
        if command.startswith("LIST OUTPUT_MODULES"):
            return "250-espeak-ng\r\n250 OK MODULE LIST SENT\r\n"
        if command.startswith("LIST SYNTHESIS_VOICES"):
            return self.VOICES
        if command.startswith("GET OUTPUT_MODULE"):
            return "251-espeak-ng\r\n251 OK GET RETURNED\r\n"
        if command.startswith("GET VOLUME"):
            return "251-40\r\n251 OK GET RETURNED\r\n"
        return "200 OK\r\n"


def _speechd_voice(app: Any, monkeypatch: Any, server: FakeSpeechDispatcher, **kwargs: Any) -> Any:
    from PySide6.QtTextToSpeech import QTextToSpeech

    from kiosk.ui.voice import Voice

    if "speechd" not in QTextToSpeech.availableEngines():
        import pytest

        pytest.skip("Qt's speechd plugin needs libspeechd2 (.ci/setup installs it)")
    monkeypatch.setenv("SPEECHD_ADDRESS", server.address)
    app.voice.close()
    # The recorded prompts are not what these tests are about (and there is no audio device).
    app.voice = Voice(app.translations.text, engine="speechd", clips_dir=None, parent=app.root,
                      **kwargs)
    return app.voice


def test_a_speech_engine_that_never_connects_stalls_nothing(
        make_app: Any, settings: Any, tap: Any, qtbot: Any, monkeypatch: Any,
        tmp_path: Path) -> None:
    """The real speechd plugin, blocked for good inside spd_open() on the speech thread: the
    UI thread goes on handling taps, the start is given up, and the app still closes."""
    server = FakeSpeechDispatcher(tmp_path, hang_at="SET SELF CLIENT_NAME")
    app = make_app(settings)
    _with_demo_catalogue(app)
    voice = _speechd_voice(app, monkeypatch, server, start_timeout_ms=1500)
    voice.start()
    assert voice.state == "starting"
    # The kiosk keeps answering taps while the engine's connection hangs.
    tap(app.window, "elderButton")
    qtbot.waitUntil(lambda: app.shell.elderMode, timeout=5000)
    _open(app, "ticket")
    qtbot.waitUntil(lambda: app.shell.screen != "home", timeout=5000)
    qtbot.waitUntil(lambda: server.commands != [], timeout=5000)
    assert voice.state == "starting"  # still hanging: what was tapped did not wait for it
    assert voice.say("voice.test", "zh") is False  # and saying something does not wait either
    qtbot.waitUntil(lambda: voice.state == "unavailable", timeout=10_000)
    tap(app.window, "elderButton")  # elder mode off again, after the start was given up
    qtbot.waitUntil(lambda: not app.shell.elderMode, timeout=5000)
    voice.close()  # returns although the speech thread is still stuck (it is a daemon)
    assert voice.state == "off"
    # The next start against that server does not pile up another stuck thread.
    from kiosk.ui.voice import Voice

    again = Voice(app.translations.text, engine="speechd", clips_dir=None, parent=app.root)
    threads = threading.active_count()
    again.start()
    assert again.state == "unavailable" and threading.active_count() == threads


def test_a_speech_server_that_hangs_mid_sentence_stalls_nothing(
        make_app: Any, settings: Any, tap: Any, qtbot: Any, monkeypatch: Any,
        tmp_path: Path) -> None:
    """speech-dispatcher 0.11 deadlocks on its first sentence without an audio server: the
    engine's say() never returns. The kiosk notices, stops sending, and goes on."""
    import kiosk.ui.voice as voice_module

    monkeypatch.setattr(voice_module, "REQUEST_TIMEOUT_MS", 1500)
    server = FakeSpeechDispatcher(tmp_path, hang_at="SPEAK")
    app = make_app(settings)
    voice = _speechd_voice(app, monkeypatch, server)
    voice.start()
    qtbot.waitUntil(lambda: voice.state == "ready", timeout=10_000)
    assert "SET SELF CLIENT_NAME" in server.commands[0].upper()
    assert voice.say("voice.test", "zh")  # the Mandarin voice, chosen by name
    qtbot.waitUntil(lambda: any(c.upper() == "SPEAK" for c in server.commands), timeout=5000)
    before_speaking = server.commands[:[c.upper() for c in server.commands].index("SPEAK")]
    chosen = [c for c in before_speaking if c.upper().startswith("SET SELF SYNTHESIS_VOICE ")]
    # Qt sets the first voice it lists at start; the sentence is read by the Pinyin one.
    assert chosen[-1] == "SET SELF SYNTHESIS_VOICE Chinese (Mandarin, latin as Pinyin)"
    tap(app.window, "elderButton")  # the UI answers while the engine is stuck in say()
    qtbot.waitUntil(lambda: app.shell.elderMode, timeout=5000)
    qtbot.waitUntil(lambda: voice.state == "unavailable", timeout=10_000)
    sent = len(server.commands)
    assert voice.say("voice.test", "zh") is False  # nothing more is piled onto it
    voice.set_volume(30)
    qtbot.wait(100)
    assert len(server.commands) == sent
    voice.close()
    assert voice.state == "off"


# -- recorded prompts (assets/voice, rendered by `python -m kiosk.ui.voice_clips`) ----------
MULTIMEDIA_PROBING = ("Couldn't (load|resolve) va", "PulseAudioService", "No audio device")


def test_every_prompt_has_a_current_recording_in_both_languages() -> None:
    from kiosk.ui import voice_clips

    keys = voice_clips.prompt_keys()
    assert {"take.choose_zone", "report.describe", "voice.test"} <= set(keys)
    assert voice_clips.stale_clips() == [], "run: python -m kiosk.ui.voice_clips"
    for language in ("zh", "en"):
        assert voice_clips.clip_path("take.choose_zone", language).name == "take.choose_zone.wav"
        assert voice_clips.clip_path("take.choose_zone", language).parent.name == language
    total = sum(p.stat().st_size for p in voice_clips.CLIPS_DIR.rglob("*.wav"))
    assert total < 3 * 1024 * 1024  # kept small: mu-law, 11 kHz, trimmed


def test_a_changed_text_or_a_missing_recording_is_detected(tmp_path: Path) -> None:
    import shutil

    from kiosk.ui import voice_clips
    from kiosk.words import WORDS

    copy = tmp_path / "voice"
    shutil.copytree(voice_clips.CLIPS_DIR, copy)
    texts = dict(WORDS)
    assert voice_clips.stale_clips(copy, texts=texts) == []
    zh, en = texts["take.ticket"]
    texts["take.ticket"] = (zh + "请保管好号票", en)  # the Chinese text changed, English not
    assert voice_clips.stale_clips(copy, texts=texts) == ["zh/take.ticket"]
    voice_clips.clip_path("common.home", "en", copy).unlink()
    assert set(voice_clips.stale_clips(copy, texts=texts)) == {"en/common.home", "zh/take.ticket"}


@pytest.mark.qt_log_ignore(*MULTIMEDIA_PROBING)
def test_recordings_decode_with_qt_multimedia_in_both_languages(qtbot: Any) -> None:
    """Qt's FFmpeg backend reads the committed files (whether a speaker is attached or not)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QAudioDecoder

    from kiosk.ui import voice_clips

    for language in ("zh", "en"):
        decoder = QAudioDecoder()
        frames: list[int] = []
        decoder.bufferReady.connect(lambda d=decoder, f=frames: f.append(d.read().frameCount()))
        decoder.setSource(QUrl.fromLocalFile(str(voice_clips.clip_path("take.ticket", language))))
        with qtbot.waitSignal(decoder.finished, timeout=10_000):
            decoder.start()
        assert decoder.error() == QAudioDecoder.Error.NoError
        assert sum(frames) > voice_clips.RATE_HZ // 2  # over half a second of speech


@pytest.mark.qt_log_ignore(*MULTIMEDIA_PROBING)
def test_without_a_voice_for_the_language_the_recording_is_used(qtbot: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QObject
    from PySide6.QtMultimedia import QMediaDevices

    from kiosk.ui import voice_clips
    from kiosk.ui.i18n import Translations
    from kiosk.ui.voice import Voice

    parent = QObject()
    translations = Translations(QCoreApplication.instance())
    # Qt's mock engine has English voices only: no Mandarin voice to read a Chinese prompt.
    voice = Voice(translations.text, engine="mock", voice_names={"zh": ("cmn",), "en": ("Bob",)},
                  clips_dir=voice_clips.CLIPS_DIR, parent=parent)
    try:
        voice.start()
        qtbot.waitUntil(lambda: voice.state == "ready", timeout=5000)
        assert voice._clips.path_for("take.ticket", "zh") == voice_clips.clip_path("take.ticket", "zh")
        assert voice._clips.path_for("no.such.prompt", "zh") is None
        spoken = voice.say("take.ticket", "zh")
        if QMediaDevices.audioOutputs():  # a machine with a sound card plays the recording
            assert spoken and voice.last_source == "recording"
        else:  # here (CI): nothing to play on, and it says so instead of pretending
            assert not spoken and voice.last_source == ""
        assert voice.say("take.ticket", "en") and voice.last_source == "engine"
    finally:
        voice.close()


def _clip_samples(path: Path) -> tuple[list[int], int]:
    """A committed clip (G.711 mu-law WAV) decoded to 16-bit samples, and its rate."""
    import struct

    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    position, rate, body = 12, 0, b""
    while position < len(data):
        chunk, size = data[position:position + 4], struct.unpack("<I", data[position + 4:position + 8])[0]
        content = data[position + 8:position + 8 + size]
        if chunk == b"fmt ":
            assert struct.unpack("<H", content[:2])[0] == 7  # mu-law
            rate = struct.unpack("<I", content[4:8])[0]
        elif chunk == b"data":
            body = content
        position += 8 + size + size % 2

    def linear(byte: int) -> int:
        byte = ~byte & 0xFF
        magnitude = ((((byte & 0x0F) << 3) + 0x84) << ((byte >> 4) & 0x07)) - 0x84
        return -magnitude if byte & 0x80 else magnitude

    return [linear(b) for b in body], rate


def test_every_zh_clip_is_speech_of_a_sensible_length() -> None:
    """Heard, not just present: each Mandarin clip is loud enough and lasts about as long as
    its syllables take at the rendering speed (silence or a cut-off clip fails)."""
    import math

    from kiosk.ui import voice_clips
    from kiosk.words import WORDS as texts
    for key in voice_clips.prompt_keys():
        samples, rate = _clip_samples(voice_clips.clip_path(key, "zh"))
        seconds = len(samples) / rate
        syllables = sum("\u4e00" <= ch <= "\u9fff" or ch.isdigit() for ch in texts[key][0])
        rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
        assert rms > 0.03, f"{key}: too quiet ({rms:.3f})"
        assert 0.15 * syllables <= seconds <= 0.6 * syllables + 0.5, \
            f"{key}: {seconds:.1f} s for {syllables} syllables"


@pytest.mark.qt_log_ignore(*MULTIMEDIA_PROBING)
def test_words_on_screen_are_rendered_on_the_spot_without_an_engine(qtbot: Any,
                                                                      tmp_path: Path) -> None:
    """No engine: a ticket number cannot be pre-recorded, so espeak-ng renders it (off the UI
    thread, the clips' Mandarin voice); the file is speech, and it goes when the voice closes."""
    import math
    import shutil
    import wave

    from PySide6.QtCore import QObject

    from kiosk.ui.voice import _ClipPlayer

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (.ci/setup installs it)")
    owner = QObject()
    player = _ClipPlayer(tmp_path, owner)
    got: list[Any] = []
    words = "您的号码，C 0 2 3，请到3楼 21-23号窗口，前面还有5人"
    assert player.render_live(words, "zh", got.append)
    qtbot.waitUntil(lambda: got != [], timeout=10_000)
    [path] = got
    with wave.open(str(path)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
        frames = audio.readframes(audio.getnframes())
    samples = memoryview(frames).cast("h")
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    assert 4 < seconds < 15 and rms > 0.03  # about 20 syllables of speech, not silence
    assert path.parent.stat().st_mode & 0o077 == 0  # a private folder
    player.close()
    assert not path.exists()
