"""Prompts read aloud in elder mode, through Qt TextToSpeech on a thread of its own.

A Mandarin voice is chosen by name, not by locale (speech-dispatcher with espeak-ng reports
its voices under locale "C"). Without an engine or a matching voice, a prompt rendered at build
time into assets/voice/ (kiosk.ui.voice_clips) is played instead; without that either, the kiosk
stays silent and says so once in the log. Nothing a citizen does depends on the voice.

Why a thread, and why the engine is switched by a queued call: Qt's speechd plugin connects in
``spd_open()``, which waits for the server's first reply with no timeout (a server that accepted
the socket but never answers blocks it for good; seen on headless machines), and every later
call (say, stop, volume, voice) is a round trip of the same kind. PySide keeps the GIL while a
Python frame calls into a Qt constructor or method, so a blocked call on *any* thread made from
Python would freeze the whole interpreter, UI included. So no Python frame ever calls into the
speechd engine: the speech thread creates a QTextToSpeech on Qt's built-in "mock" engine,
then has its own event loop run ``setEngine()`` as a queued call, and every request from the
UI thread reaches the engine's C++ slots through queued signal connections. A start that never
comes back is given up after ``start_timeout_ms``, a request the engine does not get through
after ``REQUEST_TIMEOUT_MS`` likewise (logged once). The thread is a daemon and its objects are
owned by Qt's thread object, not by Python, so a stuck one never holds up exit (PySide deletes
Python-owned objects at exit, and the engine's destructor would wait on the stuck call), and no
second one is started against the same server.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    Q_ARG,
    QEventLoop,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

from kiosk.ui import voice_clips

if TYPE_CHECKING:
    from PySide6.QtCore import QProcess
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

log = logging.getLogger("kiosk.ui.voice")

#: Voice names to look for, best first, per language (speechd + espeak-ng naming), chosen by
#: what the voice really pronounces. espeak-ng 1.51's "cmn" voice, which speech-dispatcher
#: lists as "Chinese (Mandarin, latin as English)", reads hanzi through English (取号成功:
#: "qu three, hao four ..."; ``espeak-ng -v cmn -x`` shows the ``(en)`` switches), so it is not
#: among them: its "cmn-latn-pinyin" voice speaks Mandarin, and speechd's espeak-ng module
#: selects it by the name it lists ("Chinese (Mandarin, latin as Pinyin)", passed on to
#: espeak_SetVoiceByName). Without one of these the pre-rendered clips play instead.
VOICE_NAMES = {
    "zh": ("Chinese (Mandarin, latin as Pinyin)", "cmn-latn-pinyin", "cmn-Latn-pinyin"),
    "en": ("en-gb", "English (Great Britain)", "English"),
}

#: Engine that loads instantly and never blocks; the speech thread starts on it.
HARMLESS_ENGINE = "mock"
START_TIMEOUT_MS = 10_000
#: A request (say, stop, volume) the engine has not got through after this long means the
#: server hung mid-way (speech-dispatcher 0.11 deadlocks on its first sentence when no audio
#: server runs): the voice is given up like a start that never came back.
REQUEST_TIMEOUT_MS = 8_000
JOIN_TIMEOUT_S = 2.0

#: Speech threads that never came back, per engine and server: never start another one there.
_stuck: dict[str, threading.Thread] = {}


def _server_key(engine: str) -> str:
    return f"{engine}@{os.environ.get('SPEECHD_ADDRESS', 'default')}"


def pick_voice(names: list[str], wanted_names: tuple[str, ...]) -> str | None:
    """The first voice whose name is, or starts with, a wanted name (no '+variant' voices)."""
    plain = [n for n in names if "+" not in n]
    for wanted in wanted_names:
        for name in plain:
            if name == wanted or name.startswith(wanted):
                return name
    return None


class _EngineHost(QObject):
    """Lives on the speech thread and owns the QTextToSpeech there.

    Its Python slots only make objects and queue calls; the engine's blocking work runs in C++
    from the thread's event loop, where no Python frame (and so no GIL) is involved.
    """

    ready = Signal(bool, str, list)  # (usable, error text, voices) once the engine is set
    pong = Signal(int)  # every request queued before ping(n) has been through the engine

    def __init__(self, engine: str, volume: float, loop: QEventLoop) -> None:
        super().__init__()
        self.engine = engine
        self._loop = loop
        self.speech = QTextToSpeech(HARMLESS_ENGINE, self)
        self.speech.setVolume(volume)  # stored by Qt and applied to the real engine when set
        self.speech.destroyed.connect(loop.quit)

    def begin(self) -> None:
        if self.engine != HARMLESS_ENGINE:
            QMetaObject.invokeMethod(self.speech, "setEngine", Qt.ConnectionType.QueuedConnection,
                                     Q_ARG(str, self.engine))
        QMetaObject.invokeMethod(self, "_report", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _report(self) -> None:
        # Both values are cached by the engine: reading them makes no server round trip.
        speech = self.speech
        usable = speech.engine() == self.engine and speech.state() != QTextToSpeech.State.Error
        self.ready.emit(usable, speech.errorString(), list(speech.availableVoices()))

    @Slot(int)
    def ping(self, sequence: int) -> None:
        self.pong.emit(sequence)

    @Slot()
    def shutdown(self) -> None:
        """Close the engine from the event loop (its destructor may talk to the server)."""
        self.speech.deleteLater()  # its 'destroyed' quits the loop


class Voice(QObject):
    """Speaks message keys in the citizen's language; never blocks the thread it is used on."""

    stateChanged = Signal(str)
    textSpoken = Signal(str)  # words from the screen handed to the engine (say_text)
    # Requests to the engine, connected (queued) to QTextToSpeech's own C++ slots.
    _sayRequested = Signal(str)
    _enqueueRequested = Signal(str)
    _stopRequested = Signal()
    _voiceRequested = Signal(QVoice)
    _volumeRequested = Signal(float)
    _pingRequested = Signal(int)

    def __init__(self, text_for: Callable[[str, str], str], *, engine: str = "speechd",
                 volume_percent: int = 70, enabled: bool = True,
                 voice_names: dict[str, tuple[str, ...]] | None = None,
                 start_timeout_ms: int = START_TIMEOUT_MS,
                 clips_dir: Path | str | None = "default",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text_for = text_for
        self._names = voice_names or VOICE_NAMES
        self.enabled = enabled
        self.last_spoken = ""
        self._engine, self._volume = engine, max(0, min(100, volume_percent))
        self._muted = False
        self._state = "off"
        self._voices: dict[str, QVoice] = {}
        self._chosen: dict[str, QVoice | None] = {}
        self._current_voice = ""
        self._thread: threading.Thread | None = None
        self._host: _EngineHost | None = None
        self._closing = False
        self._lock = threading.Lock()
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(max(1, start_timeout_ms))
        self._start_timer.timeout.connect(self._start_timed_out)
        self._sequence = 0
        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.setInterval(REQUEST_TIMEOUT_MS)
        self._request_timer.timeout.connect(self._request_timed_out)
        self._key = _server_key(engine)
        self._answered = False  # the speech thread got through its start
        self._hung = False  # ... and later stopped answering
        # Qt's mock engine is the silent one tests use: no recorded prompts with it either.
        if clips_dir == "default":
            clips_dir = None if engine == HARMLESS_ENGINE else voice_clips.CLIPS_DIR
        self._clips = _ClipPlayer(Path(clips_dir), self) if clips_dir is not None else None
        self.last_source = ""  # 'engine' or 'recording': what read the last prompt

    # -- state ------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        """'off' (disabled or not started), 'starting', 'ready' or 'unavailable'."""
        return self._state

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state)

    @property
    def volume_percent(self) -> int:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    # -- start and stop -----------------------------------------------------------------------
    def start(self) -> None:
        """Start the speech thread and return at once (the engine connects over there)."""
        if not self.enabled or self._state != "off" or self._closing:
            return
        if self._engine not in QTextToSpeech.availableEngines():
            log.warning("no text-to-speech engine %r: prompts are not read aloud", self._engine)
            self._set_state("unavailable")
            return
        stuck = _stuck.get(self._key)
        if stuck is not None and stuck.is_alive():
            log.warning("text-to-speech engine %r is still stuck from an earlier start: "
                        "prompts are not read aloud", self._engine)
            self._set_state("unavailable")
            return
        if HARMLESS_ENGINE not in QTextToSpeech.availableEngines():
            log.warning("Qt's %r speech engine is missing: cannot start %r safely; "
                        "prompts are not read aloud", HARMLESS_ENGINE, self._engine)
            self._set_state("unavailable")
            return
        self._set_state("starting")
        self._thread = threading.Thread(target=self._run, name="voice", daemon=True)
        self._thread.start()
        self._start_timer.start()

    def _run(self) -> None:
        """The speech thread: an engine host and its event loop, until shutdown."""
        adopted = QThread.currentThread()  # Qt's object for this thread, owned by Qt
        loop = QEventLoop(adopted)
        host = _EngineHost(self._engine, self._effective_volume(), loop)
        host.setParent(adopted)  # see the module docstring: never deleted by Python at exit
        speech = host.speech
        queued = Qt.ConnectionType.QueuedConnection
        host.ready.connect(self._on_ready)
        host.pong.connect(self._on_pong)
        self._pingRequested.connect(host.ping, queued)
        self._sayRequested.connect(speech.say, queued)
        self._enqueueRequested.connect(speech.enqueue, queued)
        self._stopRequested.connect(speech.stop, queued)
        self._voiceRequested.connect(speech.setVoice, queued)
        self._volumeRequested.connect(speech.setVolume, queued)
        with self._lock:
            started = not self._closing  # else closed before the thread got here
            if started:
                self._host = host
        if started:
            host.begin()
            loop.exec()  # until shutdown has closed the engine
        with self._lock:
            self._host = None
        shiboken6.delete(host)
        shiboken6.delete(loop)

    @Slot(bool, str, list)
    def _on_ready(self, usable: bool, error: str, voices: list[Any]) -> None:
        if self._closing or self._state not in ("starting", "unavailable"):
            return
        late = self._state == "unavailable"
        self._start_timer.stop()
        self._answered = True
        if not usable:
            log.warning("text-to-speech engine %r failed (%s): prompts are not read aloud",
                        self._engine, error or "unknown error")
            self._set_state("unavailable")
            return
        self._voices = {v.name(): v for v in voices}
        self._chosen.clear()
        log.info("text-to-speech engine %r ready with %d voices%s", self._engine, len(voices),
                 " (after its start had been given up)" if late else "")
        if late:
            _stuck.pop(self._key, None)
            self._hung = False
        self._set_state("ready")
        self.set_volume(self._volume)  # whatever staff set while the engine was starting

    def _start_timed_out(self) -> None:
        if self._state != "starting":
            return
        log.warning("text-to-speech engine %r did not answer within %d s: prompts are not "
                    "read aloud", self._engine, round(self._start_timer.interval() / 1000))
        self._give_up()

    def _give_up(self) -> None:
        self._hung = True
        if self._thread is not None:
            _stuck[self._key] = self._thread
        self._set_state("unavailable")

    def _sent(self) -> None:
        """Follow the requests just queued: the engine must get through them in time."""
        self._sequence += 1
        self._pingRequested.emit(self._sequence)
        if not self._request_timer.isActive():
            self._request_timer.start()

    @Slot(int)
    def _on_pong(self, sequence: int) -> None:
        if sequence == self._sequence:
            self._request_timer.stop()
        elif self._request_timer.isActive():
            self._request_timer.start()  # older requests are through: it is moving

    def _request_timed_out(self) -> None:
        if self._state != "ready":
            return
        log.warning("text-to-speech engine %r stopped answering (a request took over %d s): "
                    "prompts are not read aloud", self._engine, REQUEST_TIMEOUT_MS // 1000)
        self._give_up()

    def close(self) -> None:
        """Stop speaking and end the speech thread (bounded: a stuck one is left behind)."""
        self._start_timer.stop()
        self._request_timer.stop()
        # Only a working engine is waited for: a stuck one could not handle the shutdown.
        wait_s = JOIN_TIMEOUT_S if self._answered and not self._hung else 0.0
        with self._lock:
            self._closing = True
            host = self._host
        if host is not None:
            QMetaObject.invokeMethod(host, "shutdown", Qt.ConnectionType.QueuedConnection)
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(wait_s)
            if thread.is_alive():
                log.warning("text-to-speech engine %r did not close; its thread is left behind "
                            "(a daemon: it does not hold up exit)", self._engine)
                _stuck[self._key] = thread
        if self._clips is not None:
            self._clips.close()
        self._set_state("off")

    # -- volume ---------------------------------------------------------------------------
    def _effective_volume(self) -> float:
        return 0.0 if self._muted else self._volume / 100

    def set_volume(self, percent: int, muted: bool | None = None) -> None:
        """Change the volume (and mute) at once, also in the middle of a sentence."""
        self._volume = max(0, min(100, int(percent)))
        if muted is not None:
            self._muted = bool(muted)
        if self._clips is not None:
            self._clips.set_volume(self._effective_volume())
        if self._state != "ready":
            return  # the engine gets the volume when it starts
        if self._muted:
            self._stopRequested.emit()
        self._volumeRequested.emit(self._effective_volume())
        self._sent()

    # -- speaking -------------------------------------------------------------------------
    def _voice_for(self, language: str) -> QVoice | None:
        if language not in self._chosen:
            name = pick_voice(list(self._voices), self._names.get(language, ()))
            if name is None:
                log.warning("no %s voice among %d voices: that language stays silent",
                            language, len(self._voices))
            self._chosen[language] = self._voices.get(name) if name else None
        return self._chosen[language]

    def say(self, key: str, language: str) -> bool:
        """Read a message aloud, interrupting whatever was being read; False if silent."""
        if self._muted or not self.enabled:
            return False
        voice = self._voice_for(language) if self._state == "ready" else None
        # A Chinese sentence in an English voice helps nobody: then the recording, if any.
        if self._state == "ready" and (voice is not None or not self._voices):
            self._speak(self._text_for(key, language), voice)
            self.last_source = "engine"
            return True
        if self._clips is not None and self._clips.play(key, language, self._volume / 100):
            self.last_spoken = self._text_for(key, language)
            self.last_source = "recording"
            return True
        return False

    def say_text(self, text: str, language: str, *, queued: bool = False) -> bool:
        """Read words the screen shows aloud (the focused control, a ticket number, a promised
        date): after what is being read (``queued``) or instead of it. False if silent.

        The recordings hold the fixed prompts, not these words: without an engine they are
        rendered on the spot by the espeak-ng program (kiosk.ui.voice_clips's voice).
        """
        text = " ".join(text.split())
        if self._muted or not self.enabled or not text:
            return False
        voice = self._voice_for(language) if self._state == "ready" else None
        if self._state != "ready" or (voice is None and self._voices):
            # No engine, or none that speaks the language: espeak-ng renders the words with
            # the clips' voice, off the UI thread, and they play like a recording.
            if self._clips is None or not self._clips.say_live(text, language, queued,
                                                               self._volume / 100):
                return False
            self.last_spoken, self.last_source = text, "recording"
            self.textSpoken.emit(text)
            return True
        if queued:
            self._select(voice)
            self._enqueueRequested.emit(text)
            self._sent()
            self.last_spoken = text
        else:
            self._speak(text, voice)
        self.last_source = "engine"
        self.textSpoken.emit(text)
        return True

    def _select(self, voice: QVoice | None) -> None:
        if voice is not None and voice.name() != self._current_voice:
            self._voiceRequested.emit(voice)
            self._current_voice = voice.name()

    def _speak(self, text: str, voice: QVoice | None) -> None:
        self._select(voice)
        self._stopRequested.emit()
        self._sayRequested.emit(text)
        self._sent()
        self.last_spoken = text


class _ClipPlayer(QObject):
    """Plays the pre-rendered prompts (QMediaPlayer; made on first use, on this thread)."""

    def __init__(self, directory: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        self._player: QMediaPlayer | None = None
        self._output: QAudioOutput | None = None
        self._told: set[str] = set()
        self._pending: list[Path] = []  # rendered words waiting for what is playing
        self._live_dir: Path | None = None  # private folder of words rendered on the spot
        self._live_count = 0
        self._rendering: set[QProcess] = set()

    def _once(self, what: str, message: str, *args: Any) -> None:
        if what not in self._told:
            self._told.add(what)
            log.warning(message, *args)

    def path_for(self, key: str, language: str) -> Path | None:
        path = voice_clips.clip_path(key, language, self.directory)
        return path if path.is_file() else None

    def play(self, key: str, language: str, volume: float) -> bool:
        path = self.path_for(key, language)
        if path is None:
            self._once(f"{language}/{key}", "no recorded prompt %s/%s: not read aloud",
                       language, key)
            return False
        from PySide6.QtMultimedia import QMediaDevices

        if not QMediaDevices.audioOutputs():
            self._once("no-output", "no audio output device: recorded prompts are not played")
            return False
        self._pending.clear()
        return self.play_file(path, volume)

    # -- words rendered on the spot (no engine): espeak-ng in a QProcess, never blocking ----
    def say_live(self, text: str, language: str, queued: bool, volume: float) -> bool:
        """Render ``text`` with espeak-ng and play it (after what plays, when ``queued``)."""
        from PySide6.QtMultimedia import QMediaDevices

        if not QMediaDevices.audioOutputs():
            self._once("no-output", "no audio output device: recorded prompts are not played")
            return False
        return self.render_live(text, language, lambda path: self._rendered(path, queued, volume))

    def render_live(self, text: str, language: str, done: Callable[[Path | None], None]) -> bool:
        """Start espeak-ng on ``text``; ``done`` gets the WAV file (None if it failed)."""
        import shutil
        import tempfile

        from PySide6.QtCore import QProcess

        espeak = shutil.which("espeak-ng")
        if espeak is None or language not in voice_clips.ESPEAK_VOICES:
            self._once("no-espeak", "no espeak-ng program: words on screen are not read aloud")
            return False
        if self._live_dir is None:
            self._live_dir = Path(tempfile.mkdtemp(prefix="kiosk-voice-"))  # private (0700)
        self._live_count += 1
        path = self._live_dir / f"{self._live_count}.wav"
        process = QProcess(self)
        self._rendering.add(process)
        process.finished.connect(lambda code, _status: self._finished(process, path, code, done))
        # The words go in on stdin: nothing a screen shows can be taken for an option.
        process.start(espeak, ["-v", voice_clips.ESPEAK_VOICES[language],
                               "-s", str(voice_clips.SPEED_WPM), "-w", str(path)])
        process.write(text.encode("utf-8"))
        process.closeWriteChannel()
        return True

    def _finished(self, process: QProcess, path: Path, code: int,
                  done: Callable[[Path | None], None]) -> None:
        self._rendering.discard(process)
        process.deleteLater()
        if code != 0 or not path.is_file():
            self._once("espeak-failed", "espeak-ng could not render words on screen (exit %s)",
                       code)
            done(None)
            return
        done(path)

    def _rendered(self, path: Path | None, queued: bool, volume: float) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if path is None:
            return
        if (queued and self._player is not None
                and self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState):
            self._pending.append(path)
            return
        self.play_file(path, volume)

    def play_file(self, path: Path, volume: float) -> bool:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        player, output = self._player, self._output
        if player is None or output is None:
            output = self._output = QAudioOutput(self)
            player = self._player = QMediaPlayer(self)
            player.setAudioOutput(output)
            player.mediaStatusChanged.connect(self._next)
        output.setVolume(volume)
        player.stop()
        player.setSource(QUrl.fromLocalFile(str(path)))
        player.play()
        if self._live_dir is not None:  # words already read are not kept
            for old in self._live_dir.glob("*.wav"):
                if old != path and old not in self._pending:
                    old.unlink(missing_ok=True)
        return True

    def _next(self, status: QMediaPlayer.MediaStatus) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if (status == QMediaPlayer.MediaStatus.EndOfMedia and self._pending
                and self._output is not None):
            self.play_file(self._pending.pop(0), self._output.volume())

    def close(self) -> None:
        """Forget words rendered on the spot (they may name a ticket or tracking number)."""
        import shutil

        self._pending.clear()
        if self._live_dir is not None:
            shutil.rmtree(self._live_dir, ignore_errors=True)
            self._live_dir = None

    def set_volume(self, volume: float) -> None:
        if self._output is not None:
            self._output.setVolume(volume)
            if volume == 0:
                self._pending.clear()
                if self._player is not None:
                    self._player.stop()
