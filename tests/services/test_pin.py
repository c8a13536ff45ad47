"""Service-menu PIN: hash format, escalating lock-out that survives restarts and clock jumps,
weak PINs refused, logs without the PIN, async check."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.services.pin import (
    LOCKOUT_FILE,
    PinChecker,
    PinGate,
    PinHashError,
    PinResult,
    check_pin_hash,
    check_pin_strength,
    hash_pin,
    verify_pin,
)

ROOT = Path(__file__).resolve().parents[2]
PIN = "246810"


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN)


class FakeClock:
    """Seconds that only move when the test says so (a wall clock or a monotonic one)."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Machine:
    """One kiosk's clocks: the wall clock (survives restarts) and a monotonic one (does not)."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.wall = FakeClock(1_800_000_000.0)
        self.mono = FakeClock(50.0)

    def gate(self, pin_hash: str) -> PinGate:
        return PinGate(pin_hash, state_path=self.state, wall_clock=self.wall, monotonic=self.mono)

    def wait(self, seconds: float) -> None:
        self.wall.now += seconds
        self.mono.now += seconds

    def restart(self, pin_hash: str) -> PinGate:
        """A new process: monotonic time starts again from near zero."""
        self.mono = FakeClock(3.0)
        return self.gate(pin_hash)


def fail(gate: PinGate, times: int) -> list[PinResult]:
    return [gate.check(f"99999{i % 10}").result for i in range(times)]


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
    gate = PinGate(pin_hash, wall_clock=clock, monotonic=clock)
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
    clock = FakeClock()
    gate = PinGate(pin_hash, wall_clock=clock, monotonic=clock)
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


MINUTE = 60.0


def test_lockouts_escalate_to_a_24_hour_cap_and_a_correct_pin_resets_the_ladder(
        pin_hash: str, tmp_path: Path) -> None:
    machine = Machine(tmp_path / LOCKOUT_FILE)
    gate = machine.gate(pin_hash)
    lengths = []
    for _ in range(7):
        assert fail(gate, 5)[-1] is PinResult.LOCKED
        lengths.append(gate.locked_for_s())
        machine.wait(lengths[-1] - 1)
        assert gate.check(PIN).result is PinResult.LOCKED  # one second left: still refused
        machine.wait(1)
    assert lengths == [5 * MINUTE, 15 * MINUTE, 60 * MINUTE, 240 * MINUTE, 1440 * MINUTE,
                       1440 * MINUTE, 1440 * MINUTE]
    assert gate.check(PIN).result is PinResult.ACCEPTED
    assert fail(gate, 5)[-1] is PinResult.LOCKED and gate.locked_for_s() == 5 * MINUTE


def test_a_lockout_and_its_rung_survive_a_restart(pin_hash: str, tmp_path: Path) -> None:
    machine = Machine(tmp_path / LOCKOUT_FILE)
    gate = machine.gate(pin_hash)
    fail(gate, 5)
    machine.wait(5 * MINUTE)
    assert fail(gate, 5)[-1] is PinResult.LOCKED  # second lock-out: 15 minutes
    machine.wait(2 * MINUTE)
    restarted = machine.restart(pin_hash)  # power pulled two minutes into it
    refused = restarted.check(PIN)
    assert refused.result is PinResult.LOCKED and refused.locked_for_s == 13 * MINUTE
    machine.wait(13 * MINUTE)
    assert restarted.locked_for_s() == 0
    # The ladder is remembered too: the next five failures lock for an hour, not five minutes.
    fail(restarted, 3)
    again = machine.restart(pin_hash)
    assert again.check("999990").attempts_left == 1  # the streak itself survived as well
    assert again.check("999991").locked_for_s == 60 * MINUTE
    saved = (tmp_path / LOCKOUT_FILE).read_text(encoding="utf-8")
    assert PIN not in saved and "99999" not in saved
    # That hour runs out, and then the kiosk restarts: a fresh streak of five, same ladder.
    machine.wait(60 * MINUTE)
    after = machine.restart(pin_hash)
    assert after.locked_for_s() == 0 and after.check("999992").attempts_left == 4
    fail(after, 4)
    assert after.locked_for_s() == 240 * MINUTE


def test_a_restart_before_the_first_lockout_keeps_the_count(pin_hash: str, tmp_path: Path) -> None:
    machine = Machine(tmp_path / LOCKOUT_FILE)
    fail(machine.gate(pin_hash), 4)
    assert fail(machine.restart(pin_hash), 1) == [PinResult.LOCKED]


def test_clock_jumps_neither_end_nor_stretch_a_lockout(pin_hash: str, tmp_path: Path) -> None:
    machine = Machine(tmp_path / LOCKOUT_FILE)
    gate = machine.gate(pin_hash)
    fail(gate, 5)
    # While running: the wall clock leaps a year ahead (or back); the lock counts on.
    machine.wall.now += 365 * 86400
    assert gate.locked_for_s() == 5 * MINUTE
    machine.wall.now -= 2 * 365 * 86400
    assert gate.locked_for_s() == 5 * MINUTE
    machine.wall.now += 365 * 86400
    # Across a restart with the clock set back ten years (dead RTC battery): the remaining
    # time would be ten years; it is capped at the lock's full length, counted from now.
    machine.wait(4 * MINUTE)
    machine.wall.now -= 10 * 365 * 86400
    restarted = machine.restart(pin_hash)
    assert restarted.locked_for_s() == 5 * MINUTE
    machine.wait(5 * MINUTE)
    assert restarted.check(PIN).result is PinResult.ACCEPTED
    # Across a restart with the clock moved forward past the end: the lock is over (it has
    # run its length by the only clock that survives a power cut).
    fail(restarted, 5)
    machine.wall.now += 6 * MINUTE
    assert machine.restart(pin_hash).locked_for_s() == 0


def test_a_damaged_lockout_file_locks_the_pad_rather_than_opening_it(
        pin_hash: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    machine = Machine(tmp_path / LOCKOUT_FILE)
    (tmp_path / LOCKOUT_FILE).write_text('{"failures_in_row": "x"', encoding="utf-8")
    gate = machine.gate(pin_hash)
    assert gate.check(PIN).result is PinResult.LOCKED and gate.locked_for_s() == 5 * MINUTE
    assert "unreadable" in caplog.text


@pytest.mark.parametrize("pin", [
    "000000", "999999999999",  # all the same
    "123456", "654321", "890123", "3456789012",  # runs up, down, and round past 9
    "121212", "123123", "12341234",  # a short group repeated
    "112211", "100100",  # fewer than three different digits
    "900307", "070390", "030790",  # 1990-03-07 as YYMMDD, DDMMYY, MMDDYY
    "19900307", "07031990", "03071990",  # the same as YYYYMMDD, DDMMYYYY, MMDDYYYY
    "03071225",  # two month-days (MMDDMMDD)
])
def test_weak_pins_are_refused_with_a_reason(pin: str) -> None:
    reason = check_pin_strength(pin)
    assert reason and "\n" not in reason and pin not in reason


@pytest.mark.parametrize("pin", ["246810", "739154", "20483917", "581730264"])
def test_ordinary_pins_are_not_refused(pin: str) -> None:
    assert check_pin_strength(pin) is None


@pytest.mark.parametrize("pin", ["123456", "000000", "900307"])
def test_cli_refuses_a_weak_pin_with_one_line(pin: str) -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk.services.pin", "hash", "--stdin"],
                          input=pin + "\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and not done.stdout
    assert len(lines) == 1 and lines[0].startswith("error: ") and pin not in lines[0]
