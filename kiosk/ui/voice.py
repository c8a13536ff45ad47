"""Prompts read aloud in elder mode, through Qt TextToSpeech.

A Mandarin voice is chosen by name, not by locale (speech-dispatcher with espeak-ng reports
its voices under locale "C"). Without an engine or a matching voice the kiosk stays silent and
says so once in the log; nothing a citizen does depends on the voice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger("kiosk.ui.voice")

#: Voice names to look for, best first, per language (speechd + espeak-ng naming).
VOICE_NAMES = {
    "zh": ("cmn", "Chinese (Mandarin", "Mandarin", "Chinese"),
    "en": ("en-gb", "English (Great Britain)", "English"),
}


def pick_voice(names: list[str], wanted_names: tuple[str, ...]) -> str | None:
    """The first voice whose name is, or starts with, a wanted name (no '+variant' voices)."""
    plain = [n for n in names if "+" not in n]
    for wanted in wanted_names:
        for name in plain:
            if name == wanted or name.startswith(wanted):
                return name
    return None


class Voice(QObject):
    """Speaks message keys in the citizen's language."""

    def __init__(self, text_for: Callable[[str, str], str], *, engine: str = "speechd",
                 volume_percent: int = 70, enabled: bool = True,
                 voice_names: dict[str, tuple[str, ...]] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text_for = text_for
        self._names = voice_names or VOICE_NAMES
        self.enabled = enabled
        self.last_spoken = ""
        self._speech: QTextToSpeech | None = None
        self._engine, self._volume = engine, volume_percent
        self._voices: dict[str, object] = {}

    def start(self) -> None:
        """Connect to the speech engine (speech-dispatcher may take ~2 s to spawn: call this
        while nobody is at the screen, e.g. a few seconds after start-up)."""
        if not self.enabled or self._speech is not None:
            return
        if self._engine not in QTextToSpeech.availableEngines():
            log.warning("no text-to-speech engine %r: prompts are not read aloud", self._engine)
            self.enabled = False
            return
        self._speech = QTextToSpeech(self._engine, self)
        self._speech.setVolume(self._volume / 100)

    def _voice_for(self, language: str) -> object | None:
        if language not in self._voices:
            available = {v.name(): v for v in self._speech.availableVoices()}
            name = pick_voice(list(available), self._names.get(language, ()))
            if name is None:
                log.warning("no %s voice among %d voices: that language stays silent",
                            language, len(available))
            self._voices[language] = available.get(name) if name else None
        return self._voices[language]

    def say(self, key: str, language: str) -> bool:
        """Read a message aloud, interrupting whatever was being read; False if silent."""
        if self._speech is None:
            return False
        voice = self._voice_for(language)
        if voice is None and self._speech.availableVoices():
            return False  # a Chinese sentence in an English voice helps nobody
        text = self._text_for(key, language)
        if voice is not None:
            self._speech.setVoice(voice)
        self._speech.stop()
        self._speech.say(text)
        self.last_spoken = text
        return True
