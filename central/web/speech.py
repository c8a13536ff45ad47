"""Spoken calls made on the server: "请 A012 号 到 21 号窗口" as a WAV the display plays.

The display PC needs no speech engine of its own. espeak-ng 1.51's ``cmn`` voice reads hanzi
through English rules, so the sentence is turned into tone-numbered pinyin (pypinyin) and
spoken with ``cmn-latn-pinyin``. Ticket digits are read one by one (零一二), window numbers as a
number (二十一), letters by their usual Chinese letter names. A two-tone chime goes in front;
each sentence is rendered once and cached as a file.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import wave
from pathlib import Path

VOICE = "cmn-latn-pinyin"
NUMBER_PATTERN = r"^[A-Z]{0,2}[0-9]{1,4}$"
WINDOW_PATTERN = r"^[0-9A-Z-]{1,6}$"
DIGITS = "零一二三四五六七八九"
# How a Chinese hall reads Latin letters aloud, as tone-numbered pinyin.
LETTERS = {
    "A": "ei1", "B": "bi4", "C": "xi1", "D": "di4", "E": "yi4", "F": "ai2 fu1", "G": "ji4",
    "H": "ai2 qi1", "I": "ai4", "J": "jie4", "K": "kai4", "L": "ai2 le1", "M": "ai2 mu1",
    "N": "en1", "O": "ou1", "P": "pi4", "Q": "kiu1", "R": "a1 er3", "S": "ai2 si1", "T": "ti4",
    "U": "you1", "V": "wei1", "W": "da2 bu1 liu1", "X": "ai2 ke4 si1", "Y": "wai4", "Z": "zei4",
    "-": "",
}


class SpeechError(RuntimeError):
    """espeak-ng is missing or failed: the display still shows the call, silently."""


def sentence(number: str, window: str) -> str:
    return f"请 {number} 号 到 {window} 号窗口"


def number_words(value: str) -> str:
    """A whole number as Chinese words: 21 -> 二十一, 105 -> 一百零五 (up to 9999)."""
    n = int(value)
    if n < 10:
        return DIGITS[n]
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out, zero = "", False
    for size, name in units:
        d, n = divmod(n, size)
        if d:
            if zero:
                out += "零"
            out += ("" if (size == 10 and d == 1 and not out) else DIGITS[d]) + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + DIGITS[n]
    return out


def _spell(text: str, *, digits_one_by_one: bool) -> list[str]:
    """Letters by name; digits one by one (ticket numbers) or as a number (windows)."""
    # As kiosk.catalogue imports it: without the phrase dictionary (numbers need none), so
    # whichever imports pypinyin first in a process, the catalogue's search stays the same.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")
    from pypinyin import Style, lazy_pinyin

    parts: list[str] = []
    for chunk in re.findall(r"[0-9]+|[A-Za-z]|[^0-9A-Za-z]+", text):
        if chunk.isdigit():
            words = "".join(DIGITS[int(c)] for c in chunk) if digits_one_by_one \
                else number_words(chunk)
            parts += lazy_pinyin(words, style=Style.TONE3, neutral_tone_with_five=True)
        elif chunk.isalpha():
            parts += LETTERS.get(chunk.upper(), "").split()
        else:
            parts += LETTERS.get(chunk, "").split()
    return parts


def pinyin_for_call(number: str, window: str) -> str:
    """The call as tone-numbered pinyin, e.g. 'qing3 ei1 ling2 yi1 er4 hao4 dao4 …'."""
    words = ["qing3", *_spell(number, digits_one_by_one=True), "hao4", "dao4"]
    if window.isdigit():
        words += _spell(window, digits_one_by_one=False)
    else:
        words += _spell(window, digits_one_by_one=True)
    words += ["hao4", "chuang1", "kou3"]
    return " ".join(w for w in words if w)


def espeak() -> str:
    found = shutil.which("espeak-ng")
    if not found:
        raise SpeechError("espeak-ng is not installed (apt-get install espeak-ng)")
    return found


def phonemes(text: str) -> str:
    """espeak-ng's phoneme transcription of pinyin text (tests check it has no '(en)')."""
    result = subprocess.run([espeak(), "-v", VOICE, "-q", "-x", text], capture_output=True,
                            text=True, timeout=20, check=False)
    if result.returncode != 0:
        raise SpeechError(result.stderr.strip() or "espeak-ng failed")
    return result.stdout


def _speak_wav(text: str, path: Path) -> None:
    result = subprocess.run([espeak(), "-v", VOICE, "-s", "140", "-w", str(path), text],
                            capture_output=True, text=True, timeout=30, check=False)
    if result.returncode != 0 or not path.exists():
        raise SpeechError(result.stderr.strip() or "espeak-ng wrote no audio")


def chime(rate: int, seconds: float = 0.9) -> bytes:
    """A soft two-tone "ding-dong" (E6 then C6) as 16-bit mono PCM at ``rate``."""
    frames = bytearray()
    half = int(rate * seconds / 2)
    for freq in (1318.5, 1046.5):
        for i in range(half):
            t = i / rate
            envelope = math.exp(-4.0 * t) * min(1.0, i / (0.01 * rate))
            value = int(9000 * envelope * math.sin(2 * math.pi * freq * t))
            frames += struct.pack("<h", value)
    return bytes(frames)


class AnnouncementCache:
    """Chime + spoken call, one WAV file per sentence, made once (at most ``limit`` kept)."""

    def __init__(self, folder: Path | None = None, limit: int = 2000) -> None:
        self.folder = folder or Path(tempfile.gettempdir()) / "central-announcements"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.limit = limit
        self._lock = threading.Lock()

    def path_for(self, number: str, window: str) -> Path:
        """The WAV of this call, rendered now if it is not cached yet."""
        if not re.match(NUMBER_PATTERN, number) or not re.match(WINDOW_PATTERN, window):
            raise ValueError("not a ticket number / window")
        text = pinyin_for_call(number, window)
        name = hashlib.sha256(f"{VOICE}|{text}".encode()).hexdigest()[:24] + ".wav"
        target = self.folder / name
        if target.exists():
            return target
        with self._lock:
            if target.exists():
                return target
            self._trim()
            spoken = target.with_suffix(".speech.tmp")
            try:
                _speak_wav(text, spoken)
                with wave.open(str(spoken), "rb") as src:
                    params = src.getparams()
                    speech = src.readframes(src.getnframes())
                partial = target.with_suffix(".tmp")
                with wave.open(str(partial), "wb") as out:
                    out.setnchannels(params.nchannels)
                    out.setsampwidth(params.sampwidth)
                    out.setframerate(params.framerate)
                    out.writeframes(chime(params.framerate) + speech)
                partial.replace(target)  # readers never see half a file
            finally:
                spoken.unlink(missing_ok=True)
        return target

    def _trim(self) -> None:
        files = sorted(self.folder.glob("*.wav"), key=lambda p: p.stat().st_mtime)
        for old in files[: max(0, len(files) - self.limit + 1)]:
            old.unlink(missing_ok=True)
