"""The spoken call: a real call's announcement is Mandarin speech of the right length."""

from __future__ import annotations

import io
import math
import struct
import subprocess
import threading
import time
import uuid
import wave

import pytest
import requests

from central.web import speech

WINDOW_S = 0.05  # RMS frames of 50 ms


def frames_rms(data: bytes) -> tuple[float, list[float]]:
    """Duration and per-50-ms RMS of a 16-bit mono WAV, decoded with the standard library."""
    with wave.open(io.BytesIO(data), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        rate = w.getframerate()
        samples = struct.unpack(f"<{w.getnframes()}h", w.readframes(w.getnframes()))
    step = int(rate * WINDOW_S)
    rms = [math.sqrt(sum(s * s for s in samples[i:i + step]) / step)
           for i in range(0, len(samples) - step + 1, step)]
    return len(samples) / rate, rms


def voiced_runs(rms: list[float], threshold: float = 500.0) -> int:
    """Bursts of sound separated by quiet: roughly syllable groups."""
    runs, inside = 0, False
    for value in rms:
        if value > threshold and not inside:
            runs += 1
        inside = value > threshold
    return runs


def test_call_sentence_becomes_tone_numbered_pinyin():
    assert speech.sentence("A012", "21") == "请 A012 号 到 21 号窗口"
    assert speech.pinyin_for_call("A012", "21") == (
        "qing3 ei1 ling2 yi1 er4 hao4 dao4 er4 shi2 yi1 hao4 chuang1 kou3")
    assert speech.number_words("105") == "一百零五"
    assert speech.number_words("10") == "十"


def test_pinyin_voice_speaks_mandarin_not_english():
    phonemes = speech.phonemes(speech.pinyin_for_call("A012", "21"))
    assert "(en)" not in phonemes and phonemes.strip()
    # The trap this avoids: espeak-ng 1.51's cmn voice reads the hanzi sentence via English.
    trap = subprocess.run(["espeak-ng", "-v", "cmn", "-q", "-x", speech.sentence("A012", "21")],
                          capture_output=True, text=True, timeout=20).stdout
    assert "(en)" in trap


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # audio is engine-free
def test_a_calls_announcement_is_non_silent_speech_of_the_right_length(centre):
    r = requests.put(f"{centre.url}/v1/staff/windows/21", json={"matters": ["marriage-reg"]},
                     headers=centre.staff_headers(), timeout=10)
    assert r.status_code == 200
    requests.post(f"{centre.url}/v1/tickets", json={"matter_id": "marriage-reg"},
                  headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex},
                  timeout=10).raise_for_status()
    called = requests.post(f"{centre.url}/v1/staff/windows/21/call-next",
                           headers=centre.staff_headers(), timeout=10).json()
    assert called["number"] == "C001"
    audio = requests.get(f"{centre.url}/display/audio/C001/21.wav", timeout=30)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    seconds, rms = frames_rms(audio.content)
    chime_frames = int(0.9 / WINDOW_S)
    chime, spoken = rms[:chime_frames], rms[chime_frames:]
    assert max(chime) > 1000, "no chime before the call"
    # 请 C 零零一 号 到 二十一 号窗口: 12 syllables at espeak's 140 words a minute.
    spoken_s = len([v for v in spoken if v > 500]) * WINDOW_S
    assert 2.5 < spoken_s < 5.5, spoken_s
    assert 3.0 < seconds < 9.0, seconds
    assert voiced_runs(spoken) >= 5, "speech should come in several syllable bursts"
    # A longer number is a longer sentence: the audio follows the text, it is not a fixed clip.
    longer = requests.get(f"{centre.url}/display/audio/C001/123.wav", timeout=30)
    assert frames_rms(longer.content)[0] > seconds
    # Cached: asking again gives the same bytes.
    again = requests.get(f"{centre.url}/display/audio/C001/21.wav", timeout=30)
    assert again.content == audio.content


def call_21(centre, matter: str = "marriage-reg") -> tuple[dict, float]:
    """Open window 21, take a number, call it; (the call's answer, seconds the call took)."""
    requests.put(f"{centre.url}/v1/staff/windows/21", json={"matters": [matter]},
                 headers=centre.staff_headers(), timeout=10).raise_for_status()
    requests.post(f"{centre.url}/v1/tickets", json={"matter_id": matter},
                  headers={**centre.kiosk_headers(), "Idempotency-Key": uuid.uuid4().hex},
                  timeout=10).raise_for_status()
    sent = time.monotonic()
    r = requests.post(f"{centre.url}/v1/staff/windows/21/call-next",
                      headers=centre.staff_headers(), timeout=30)
    took = time.monotonic() - sent
    assert r.status_code == 200, r.text
    return r.json(), took


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_calls_audio_is_made_at_the_call_so_the_display_finds_it_ready(centre, tmp_path):
    app = centre.server.config.app
    cache: speech.AnnouncementCache = app.state.announcements
    cache.folder = tmp_path  # an empty cache: nothing of earlier tests
    called, _took = call_21(centre)
    # Nobody asked for it (no display is open), yet it is made within moments of the call.
    deadline = time.monotonic() + 20
    while not cache.ready(called["number"], "21"):
        assert time.monotonic() < deadline, "the announcement was not made at the call"
        time.sleep(0.05)
    assert app.state.audio_requests == []
    name = cache.target(called["number"], "21").name
    assert (name, "ahead") in cache.made
    # The display's request is then a cache hit: the same file, nothing rendered for it.
    audio = requests.get(f"{centre.url}/display/audio/{called['number']}/21.wav", timeout=30)
    assert audio.status_code == 200
    assert audio.content == cache.target(called["number"], "21").read_bytes()
    assert (name, "on request") not in cache.made
    seconds, rms = frames_rms(audio.content)
    assert 3.0 < seconds < 9.0 and max(rms) > 1000


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_making_the_audio_never_holds_up_the_call(centre, tmp_path, monkeypatch):
    """espeak-ng held back: the call is answered at once, the sound follows when it can."""
    app = centre.server.config.app
    cache: speech.AnnouncementCache = app.state.announcements
    cache.folder = tmp_path
    gate = threading.Event()
    real = speech._speak_wav

    def slow_speech(text, path):
        assert gate.wait(30), "the test never let espeak-ng go"
        real(text, path)

    monkeypatch.setattr(speech, "_speak_wav", slow_speech)
    called, took = call_21(centre)
    assert called["status"] == "called"
    assert not cache.ready(called["number"], "21")  # still held back, and the call is done
    assert took < 5.0, took
    gate.set()
    deadline = time.monotonic() + 20
    while not cache.ready(called["number"], "21"):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_the_cache_on_disk_never_exceeds_its_bounds(tmp_path):
    """Files and bytes both bounded, checked all the while the worker renders; the least
    recently used go first."""
    probe = speech.AnnouncementCache(tmp_path / "probe")
    one = probe.path_for("A001", "1").stat().st_size
    cache = speech.AnnouncementCache(tmp_path / "cache", limit=4, max_bytes=int(one * 3.5))
    seen: list[tuple[int, int]] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            files = [p for p in cache.folder.glob("*.wav")]
            sizes = []
            for p in files:
                try:
                    sizes.append(p.stat().st_size)
                except FileNotFoundError:
                    continue
            seen.append((len(sizes), sum(sizes)))
            time.sleep(0.002)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        keep = cache.path_for("A001", "7")
        for n in range(2, 10):
            cache.prepare(f"A{n:03d}", "7")  # made on the worker thread
            deadline = time.monotonic() + 30
            while not cache.ready(f"A{n:03d}", "7"):
                assert time.monotonic() < deadline, "the worker did not make the call"
                time.sleep(0.02)
            cache.path_for("A001", "7")  # asked for again and again: recently used, kept
    finally:
        stop.set()
        watcher.join(5)
    assert seen and max(n for n, _ in seen) <= 3  # the byte bound (3.5 files) bites first
    assert max(b for _, b in seen) <= cache.max_bytes
    assert keep.exists(), "the most recently used announcement was removed"
    assert cache.ready("A009", "7") and not cache.ready("A002", "7")
    assert not list((cache.folder / ".work").glob("*")), "half-made files left behind"
