"""Service-menu PIN: hash format, lock-out after five failures, logs without the PIN, async check."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.services.pin import (
    PinChecker,
    PinGate,
    PinHashError,
    PinResult,
    check_pin_hash,
    hash_pin,
    verify_pin,
)

ROOT = Path(__file__).resolve().parents[2]
PIN = "246810"


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN)


class FakeClock:
    """Monotonic seconds that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_hash_line_has_the_documented_shape_and_a_fresh_salt(pin_hash: str) -> None:
    scheme, iterations, salt, _digest = pin_hash.split("$")
    assert scheme == "pbkdf2_sha256" and int(iterations) >= 600_000
    assert PIN not in pin_hash
    assert hash_pin(PIN).split("$")[2] != salt  # same PIN, different salt, different line
    assert verify_pin(PIN, pin_hash) and not verify_pin("246811", pin_hash)


def test_scrypt_hashes_verify_too() -> None:
    line = hash_pin(PIN, scheme="scrypt")
    assert line.startswith("scrypt$") and verify_pin(PIN, line) and not verify_pin("000000", line)


@pytest.mark.parametrize("bad", [
    "plaintext246810",
    "pbkdf2_sha256$1000$c2FsdA==$aGFzaA==",  # too few iterations
    "pbkdf2_sha256$lots$c2FsdA==$aGFzaA==",
    "pbkdf2_sha256$600000$not base64!$aGFzaA==",
    "md5$abc",
])
def test_unusable_hashes_are_named_not_accepted(bad: str) -> None:
    assert check_pin_hash(bad)
    with pytest.raises(PinHashError):
        verify_pin(PIN, bad)
    gate = PinGate(bad)
    assert not gate.enabled and gate.check(PIN).result is PinResult.DISABLED


def test_empty_hash_disables_the_menu_without_a_config_error() -> None:
    assert check_pin_hash("") is None
    assert PinGate("").check(PIN).result is PinResult.DISABLED


def test_five_failures_lock_the_pad_for_five_minutes(pin_hash: str, caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    gate = PinGate(pin_hash, clock=clock)
    caplog.set_level(logging.INFO, logger="kiosk.services.pin")
    lefts = [gate.check(f"99999{i}") for i in range(5)]
    assert [o.result for o in lefts] == [PinResult.REJECTED] * 4 + [PinResult.LOCKED]
    assert [o.attempts_left for o in lefts[:4]] == [4, 3, 2, 1]

    clock.now += 299
    refused = gate.check(PIN)  # the right PIN, but the pad is still locked
    assert refused.result is PinResult.LOCKED and refused.locked_for_s == pytest.approx(1)

    clock.now += 1
    assert gate.check(PIN).result is PinResult.ACCEPTED
    assert gate.counters() == {"failed_attempts": 5, "lockouts": 1, "refused_while_locked": 1,
                               "locked": False}
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "locked" in messages and "accepted" in messages
    assert PIN not in messages and "99999" not in messages


def test_a_success_resets_the_failure_streak(pin_hash: str) -> None:
    gate = PinGate(pin_hash, clock=FakeClock())
    for _ in range(4):
        gate.check("000000")
    assert gate.check(PIN).result is PinResult.ACCEPTED
    assert gate.check("000000").attempts_left == 4


def test_checker_answers_on_the_gui_thread_while_the_loop_keeps_running(qtbot, pin_hash: str) -> None:
    from PySide6.QtCore import QTimer

    checker = PinChecker(PinGate(pin_hash))
    ticks: list[int] = []
    timer = QTimer(checker)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    seen: list[tuple[PinResult, bool]] = []
    with qtbot.waitSignal(checker.checked, timeout=10_000) as blocker:
        assert checker.submit(PIN, lambda o: seen.append(
            (o.result, threading.current_thread() is threading.main_thread())))
        assert not checker.submit(PIN)  # a second tap while checking is ignored
        assert checker.busy
    timer.stop()
    assert blocker.args[0].result is PinResult.ACCEPTED
    assert seen == [(PinResult.ACCEPTED, True)]
    assert ticks, "the event loop stood still during the PIN check"
    assert not checker.busy
    checker.shutdown()


def test_cli_prints_a_usable_kiosk_toml_line() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk.services.pin", "hash", "--stdin"],
                          input=PIN + "\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith('pin_hash = "pbkdf2_sha256$') and PIN not in line
    assert verify_pin(PIN, line.split('"')[1])


def test_cli_refuses_a_short_pin() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk.services.pin", "hash", "--stdin"],
                          input="1234\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and "6 to 12 digits" in done.stderr and not done.stdout
