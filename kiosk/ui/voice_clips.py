"""Prompts pre-rendered with espeak-ng into assets/voice/, for kiosks without a speech engine.

    python -m kiosk.ui.voice_clips          # (re)render every prompt in both languages

Where no text-to-speech engine, or no Mandarin voice, is available the voice plays these
files instead (QtMultimedia, at the configured volume). Each flow screen's prompt and the
service menu's test sentence are rendered in Mandarin (espeak-ng voice "cmn-latn-pinyin": its
"cmn" voice reads hanzi through English) and English.
Files are G.711 mu-law WAV, 11025 Hz mono (about 11 kB per second: espeak-ng's formant voice
has nothing above 5 kHz worth keeping). ``manifest.json`` records a fingerprint of the text and
settings each file was made from; a test fails when a prompt's text changed and its file was
not rendered again (like the .qm translations).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import pkgutil
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from collections.abc import Iterable
from pathlib import Path

CLIPS_DIR = Path(__file__).resolve().parents[2] / "assets" / "voice"
MANIFEST = "manifest.json"
#: espeak-ng voice per kiosk language, and speed in words per minute (slow: elder mode).
ESPEAK_VOICES = {"zh": "cmn-latn-pinyin", "en": "en-gb"}
SPEED_WPM = 150
RATE_HZ = 11025  # espeak-ng renders 22050 Hz; every second sample (after a 2-tap average)
SILENCE = 300  # |sample| below this at either end is trimmed
EXTRA_KEYS = ("voice.test", "home.choose")  # the service menu's voice test; home's prompt


def prompt_keys() -> list[str]:
    """Every message key a flow reads aloud as its screen's prompt, and the voice test."""
    import kiosk.flows

    keys: set[str] = set(EXTRA_KEYS)
    for module_info in pkgutil.iter_modules(kiosk.flows.__path__):
        module = importlib.import_module(f"kiosk.flows.{module_info.name}")
        tables = [vars(module).get("PROMPTS")]  # a module-level table (help)
        tables += [getattr(v, "PROMPTS", None) for v in vars(module).values() if isinstance(v, type)]
        for table in tables:
            if table is not None and hasattr(table, "values"):
                keys.update(str(v) for v in table.values())
        for value in vars(module).values():  # prompts a flow words differently for one case
            if isinstance(value, type):
                keys.update(getattr(value, "EXTRA_PROMPTS", ()))
    return sorted(keys)


def clip_path(key: str, language: str, directory: Path = CLIPS_DIR) -> Path:
    return directory / language / f"{key}.wav"


def fingerprint(text: str, language: str) -> str:
    """What a file was made from: a changed text, voice or setting makes it stale."""
    made_from = f"{ESPEAK_VOICES[language]}|{SPEED_WPM}|{RATE_HZ}|{SILENCE}|{text}"
    return hashlib.sha256(made_from.encode("utf-8")).hexdigest()[:16]


def _texts() -> dict[str, tuple[str, str]]:
    from kiosk.words import WORDS

    return dict(WORDS)


def stale_clips(directory: Path = CLIPS_DIR, keys: Iterable[str] | None = None,
                texts: dict[str, tuple[str, str]] | None = None) -> list[str]:
    """'language/key' of every clip that is missing or was made from another text."""
    texts = texts if texts is not None else _texts()
    try:
        recorded = json.loads((directory / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        recorded = {}
    stale = []
    for key in keys if keys is not None else prompt_keys():
        for index, language in enumerate(ESPEAK_VOICES):
            name = f"{language}/{key}"
            if (key not in texts or not clip_path(key, language, directory).is_file()
                    or recorded.get(name) != fingerprint(texts[key][index], language)):
                stale.append(name)
    return stale


# -- rendering ------------------------------------------------------------------------------
def _ulaw(sample: int) -> int:
    """One 16-bit sample as a G.711 mu-law byte."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    magnitude = min(clip, abs(sample)) + bias
    exponent = max(0, magnitude.bit_length() - 8)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


@functools.cache
def _ulaw_table() -> bytes:
    """Every 16-bit sample's mu-law byte (built on first render, not when the kiosk imports
    this module for its clip paths: 65,536 entries cost ~45 ms)."""
    return bytes(_ulaw(s - 32768) for s in range(65536))


def write_ulaw_wav(path: Path, samples: list[int], rate: int = RATE_HZ) -> None:
    """A WAVE file of format 7 (mu-law), mono, 8 bits a sample."""
    table = _ulaw_table()
    data = bytes(table[s + 32768] for s in samples)
    fmt = struct.pack("<HHIIHHH", 7, 1, rate, rate, 1, 8, 0)
    fact = struct.pack("<I", len(samples))
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"fact" + struct.pack("<I", len(fact)) + fact
            + b"data" + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b""))
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


def _espeak(text: str, language: str, out: Path) -> list[int]:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run([espeak, "-v", ESPEAK_VOICES[language], "-s", str(SPEED_WPM), "-w", str(out),
                    text], check=True, capture_output=True)
    with wave.open(str(out)) as source:
        if source.getsampwidth() != 2 or source.getnchannels() != 1:
            raise RuntimeError(f"espeak-ng wrote an unexpected format to {out}")
        frames = source.readframes(source.getnframes())
    return list(struct.unpack(f"<{len(frames) // 2}h", frames))


def _trimmed_half_rate(samples: list[int]) -> list[int]:
    loud = [i for i, s in enumerate(samples) if abs(s) >= SILENCE]
    if loud:
        samples = samples[max(0, loud[0] - 200):loud[-1] + 400]
    return [(samples[i] + samples[i + 1]) // 2 for i in range(0, len(samples) - 1, 2)]


def render(directory: Path = CLIPS_DIR) -> list[Path]:
    """Render every prompt in both languages; rewrite the manifest; drop files no longer used."""
    texts = _texts()
    keys = prompt_keys()
    manifest: dict[str, str] = {}
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, language in enumerate(ESPEAK_VOICES):
            (directory / language).mkdir(parents=True, exist_ok=True)
            wanted = set()
            for key in keys:
                text = texts[key][index]
                path = clip_path(key, language, directory)
                write_ulaw_wav(path, _trimmed_half_rate(_espeak(text, language, Path(tmp) / "a.wav")))
                manifest[f"{language}/{key}"] = fingerprint(text, language)
                wanted.add(path.name)
                written.append(path)
            for old in (directory / language).glob("*.wav"):
                if old.name not in wanted:
                    old.unlink()
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")
    return written


if __name__ == "__main__":
    paths = render()
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} clips, {size / 1024:.0f} kB in {CLIPS_DIR}", file=sys.stderr)
