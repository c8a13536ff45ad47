"""Spoken calls made on the server: "请 A012 号 到 21 号窗口" as a WAV the display plays.

The display PC needs no speech engine of its own. espeak-ng 1.51's ``cmn`` voice reads hanzi
through English rules, so the sentence is turned into tone-numbered pinyin (pypinyin) and
spoken with ``cmn-latn-pinyin``. Ticket digits are read one by one (零一二), window numbers as a
number (二十一), letters by their usual Chinese letter names. A two-tone chime goes in front;
each sentence is rendered once and cached as a file.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import queue
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import wave
from pathlib import Path

log = logging.getLogger("central.speech")
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
    """Chime + spoken call, one WAV file per sentence, made once, kept on disk within bounds.

    :meth:`prepare` is told of every call as it is committed and renders the sentence on a
    background thread, so the display's request a moment later finds the file (a cache hit);
    :meth:`path_for` renders on demand only what was never prepared (an old call, a cache
    emptied by a restart). The folder never holds more than ``limit`` files or ``max_bytes``
    bytes of finished announcements: the least recently used go first, before a new file is
    put in place (a file is rendered under ``.work/`` and renamed in).
    """

    IDLE_S = 30.0  # the worker thread ends after this long without calls (started again lazily)

    def __init__(self, folder: Path | None = None, limit: int = 2000,
                 max_bytes: int = 256 * 1024 * 1024, backlog: int = 256) -> None:
        self.folder = folder or Path(tempfile.gettempdir()) / "central-announcements"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.limit = limit
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._jobs: queue.Queue[tuple[str, str]] = queue.Queue(maxsize=backlog)
        #: Files the worker has been asked for and not finished: a request waits for them.
        self._pending: dict[tuple[str, str], threading.Event] = {}
        self._worker: threading.Thread | None = None
        self._worker_lock = threading.Lock()
        #: How each sentence came to be rendered: "ahead" (at the call) or "on request".
        self.made: list[tuple[str, str]] = []

    # -- naming ------------------------------------------------------------------------
    def target(self, number: str, window: str) -> Path:
        if not re.match(NUMBER_PATTERN, number) or not re.match(WINDOW_PATTERN, window):
            raise ValueError("not a ticket number / window")
        text = pinyin_for_call(number, window)
        return self.folder / (hashlib.sha256(f"{VOICE}|{text}".encode()).hexdigest()[:24]
                              + ".wav")

    def ready(self, number: str, window: str) -> bool:
        return self.target(number, window).exists()

    # -- made at the call --------------------------------------------------------------
    def prepare(self, number: str, window: str) -> None:
        """Render this call's announcement soon, on the worker thread; never blocks.

        A full backlog (a burst of hundreds of calls) drops the job: the display's request
        renders it then, as before."""
        if not re.match(NUMBER_PATTERN, number) or not re.match(WINDOW_PATTERN, window):
            return
        name = (number, window)  # no pinyin here: the caller's thread only queues it
        with self._worker_lock:
            if name in self._pending:
                return  # already on its way (a recall right after the call)
            self._pending[name] = threading.Event()
        try:
            self._jobs.put_nowait((number, window))
        except queue.Full:
            log.warning("announcement backlog full; %s/%s is made when asked", number, window)
            self._done(name)
            return
        with self._worker_lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="announcements",
                                                daemon=True)
                self._worker.start()

    def _work(self) -> None:
        while True:
            try:
                number, window = self._jobs.get(timeout=self.IDLE_S)
            except queue.Empty:
                with self._worker_lock:
                    if self._jobs.empty():  # else a job came in just now: keep going
                        self._worker = None
                        return
                continue
            try:
                self._make(number, window, "ahead")
            except (SpeechError, OSError):
                log.warning("could not make the announcement of %s/%s", number, window,
                            exc_info=True)
            finally:
                self._done((number, window))

    def _done(self, name: tuple[str, str]) -> None:
        with self._worker_lock:
            event = self._pending.pop(name, None)
        if event is not None:
            event.set()

    # -- asked for by a display --------------------------------------------------------
    def path_for(self, number: str, window: str, wait_s: float = 20.0) -> Path:
        """The WAV of this call, rendered now if it is not cached yet.

        If the worker has it in hand (the display asked a moment after the call), this waits
        for the worker's file rather than making it twice."""
        with self._worker_lock:
            pending = self._pending.get((number, window))
        if pending is not None:
            pending.wait(wait_s)
        return self._make(number, window, "on request")

    def _make(self, number: str, window: str, why: str) -> Path:
        target = self.target(number, window)
        if self._touch(target):
            return target
        with self._lock:  # a request for a file the worker is making waits for it here
            if self._touch(target):
                return target
            work = self.folder / ".work"
            work.mkdir(exist_ok=True)
            spoken = work / (target.stem + ".speech.wav")
            partial = work / target.name
            try:
                _speak_wav(pinyin_for_call(number, window), spoken)
                with wave.open(str(spoken), "rb") as src:
                    params = src.getparams()
                    speech = src.readframes(src.getnframes())
                with wave.open(str(partial), "wb") as out:
                    out.setnchannels(params.nchannels)
                    out.setsampwidth(params.sampwidth)
                    out.setframerate(params.framerate)
                    out.writeframes(chime(params.framerate) + speech)
                self._trim(room_for=partial.stat().st_size)
                partial.replace(target)  # readers never see half a file
                self.made.append((target.name, why))
                del self.made[:-100]
            finally:
                spoken.unlink(missing_ok=True)
                partial.unlink(missing_ok=True)
        return target

    @staticmethod
    def _touch(target: Path) -> bool:
        """True if cached; marks it recently used (the trim removes the least recent)."""
        try:
            os.utime(target)
        except FileNotFoundError:
            return False
        return True

    def files(self) -> list[Path]:
        return list(self.folder.glob("*.wav"))

    def _trim(self, room_for: int = 0) -> None:
        """Remove the least recently used until one more file of ``room_for`` bytes fits."""
        entries = []
        for path in self.files():
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            entries.append((info.st_mtime, info.st_size, path))
        entries.sort()
        count, size = len(entries), sum(e[1] for e in entries)
        for _mtime, bytes_, path in entries:
            if count + 1 <= self.limit and size + room_for <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            count, size = count - 1, size - bytes_
