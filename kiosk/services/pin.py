"""Service-menu PIN: salted slow hashes, constant-time checks, a lock-out gate and an async checker.

The PIN is never stored or logged; kiosk.toml holds only a salted PBKDF2 (or scrypt) hash so a
copied config file does not reveal it. Checking is slow on purpose (~0.3 s), so ``PinChecker``
runs it on a worker thread and reports back on the GUI thread.

Lock-out: every ``max_failures`` (5) wrong PINs in a row lock the pad, for 5 min, then 15 min,
1 h, 4 h and from then on 24 h each time (``LOCKOUT_STEPS_S``); only a correct PIN resets the
ladder. The state lives in a small JSON file in the data folder, so a restart (or a pulled
power cable) neither clears nor shortens it. At the cap an unattended kiosk allows 5 guesses a
day instead of the ~1,440 a fixed 5 minutes allowed.

    python -m kiosk.services.pin hash            # asks twice, prints the line for kiosk.toml
    echo 246810 | python -m kiosk.services.pin hash --stdin
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import enum
import getpass
import hashlib
import hmac
import itertools
import json
import logging
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.services.files import write_json_atomically

log = logging.getLogger("kiosk.services.pin")

PBKDF2_ITERATIONS = 600_000
MIN_PBKDF2_ITERATIONS = 600_000
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_SCRYPT_N = 2**14
_SCRYPT_MAXMEM = 128 * 1024 * 1024
MIN_PIN_DIGITS, MAX_PIN_DIGITS = 6, 12
#: Lock-out lengths, one per lock-out in a row; the last one repeats (the cap: 24 h).
LOCKOUT_STEPS_S = (5 * 60, 15 * 60, 60 * 60, 4 * 3600, 24 * 3600)
LOCKOUT_FILE = "pin-lockout.json"


class PinHashError(ValueError):
    """A pin_hash string that cannot be used; the message says what is wrong, never the PIN."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise PinHashError("salt or hash is not valid base64") from None


def check_pin_format(pin: str) -> str | None:
    """Why a new PIN is unacceptable (digits only, 6 to 12 of them), or None when it is fine."""
    if not pin.isascii() or not pin.isdigit():
        return "the PIN must consist of digits only"
    if not MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS:
        return f"the PIN must have {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits"
    return None


def _is_date(text: str, order: str) -> bool:
    """Whether ``text`` reads as a calendar date laid out as ``order`` (e.g. "YYMMDD")."""
    if len(text) != len(order):
        return False
    fields = {token[0]: int(text[match.start():match.end()])
              for match in re.finditer(r"YYYY|YY|MM|DD", order) for token in [match.group()]}
    year = fields.get("Y", 2000)
    if "YYYY" in order and not 1900 <= year <= 2099:
        return False
    if "YYYY" not in order:
        year = 2000  # any two-digit year; a leap year, so 0229 counts as a date too
    try:
        dt.date(year, fields["M"], fields["D"])
    except ValueError:
        return False
    return True


_DATE_ORDERS = {6: ("YYMMDD", "DDMMYY", "MMDDYY"), 8: ("YYYYMMDD", "DDMMYYYY", "MMDDYYYY")}


def check_pin_strength(pin: str) -> str | None:
    """Why a well-formed PIN is too easy to guess (one line, never the PIN), or None.

    Refused: all digits the same (000000), a run up or down (123456, 987654, 890123), a short
    group repeated (121212, 123123), fewer than three different digits (112211), and dates
    (YYMMDD, DDMMYY, MMDDYY; YYYYMMDD, DDMMYYYY, MMDDYYYY; two month-days MMDDMMDD).
    """
    if len(set(pin)) == 1:
        return "all digits are the same"
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {9}):
        return "the digits run up or down in sequence"
    for size in range(2, len(pin) // 2 + 1):
        if len(pin) % size == 0 and pin[:size] * (len(pin) // size) == pin:
            return "it repeats a short group of digits"
    if len(set(pin)) < 3:
        return "it uses fewer than three different digits"
    for order in _DATE_ORDERS.get(len(pin), ()):
        if _is_date(pin, order):
            return f"it reads as a date ({order})"
    if len(pin) == 8 and _is_date(pin[:4], "MMDD") and _is_date(pin[4:], "MMDD"):
        return "it reads as two dates (MMDDMMDD)"
    return None


def hash_pin(pin: str, *, scheme: str = "pbkdf2_sha256", iterations: int = PBKDF2_ITERATIONS) -> str:
    """A new salted hash line: ``pbkdf2_sha256$<iterations>$<salt-b64>$<hash-b64>`` (or scrypt)."""
    salt = secrets.token_bytes(16)
    if scheme == "pbkdf2_sha256":
        if iterations < MIN_PBKDF2_ITERATIONS:
            raise PinHashError(f"at least {MIN_PBKDF2_ITERATIONS} iterations are required")
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
        return f"pbkdf2_sha256${iterations}${_b64(salt)}${_b64(digest)}"
    if scheme == "scrypt":
        digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                                maxmem=_SCRYPT_MAXMEM, dklen=32)
        return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"
    raise PinHashError(f"unknown scheme {scheme!r}; expected pbkdf2_sha256 or scrypt")


@dataclass(frozen=True)
class _ParsedHash:
    derive: Callable[[bytes], bytes]
    expected: bytes


def _parse(pin_hash: str) -> _ParsedHash:
    parts = pin_hash.strip().split("$")
    try:
        if parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            iterations = int(parts[1])
            if iterations < MIN_PBKDF2_ITERATIONS:
                raise PinHashError(f"{iterations} iterations is too weak; at least "
                                   f"{MIN_PBKDF2_ITERATIONS} (make a new hash)")
            salt, expected = _unb64(parts[2]), _unb64(parts[3])
            return _ParsedHash(lambda pin: hashlib.pbkdf2_hmac("sha256", pin, salt, iterations,
                                                               len(expected)), expected)
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
            if n < MIN_SCRYPT_N or n & (n - 1) or r < 1 or p < 1:
                raise PinHashError(f"scrypt n={n} r={r} p={p} is too weak or invalid")
            salt, expected = _unb64(parts[4]), _unb64(parts[5])
            return _ParsedHash(lambda pin: hashlib.scrypt(pin, salt=salt, n=n, r=r, p=p,
                                                          maxmem=_SCRYPT_MAXMEM,
                                                          dklen=len(expected)), expected)
    except ValueError as error:
        if isinstance(error, PinHashError):
            raise
        raise PinHashError("the cost numbers are not integers") from None
    raise PinHashError("expected pbkdf2_sha256$<iterations>$<salt>$<hash> or "
                       "scrypt$<n>$<r>$<p>$<salt>$<hash> (from `python -m kiosk.services.pin hash`)")


def check_pin_hash(pin_hash: str) -> str | None:
    """Config check for ``service.pin_hash``: None if usable or empty (menu disabled), else why not."""
    if not pin_hash:
        return None
    try:
        _parse(pin_hash)
    except PinHashError as error:
        return str(error)
    return None


def verify_pin(pin: str, pin_hash: str) -> bool:
    """Whether ``pin`` matches; slow by design, constant-time compare. Raises PinHashError on a bad hash."""
    parsed = _parse(pin_hash)
    return hmac.compare_digest(parsed.derive(pin.encode()), parsed.expected)


class PinResult(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    LOCKED = "locked"  # refused without checking: the pad is locked out
    DISABLED = "disabled"  # no usable pin_hash configured: the menu cannot be opened


@dataclass(frozen=True)
class PinOutcome:
    """What the PIN pad shows after one attempt."""

    result: PinResult
    attempts_left: int
    locked_for_s: float  # seconds until the pad unlocks (0 when not locked)


class PinGate:
    """Checks PIN attempts; every ``max_failures`` wrong PINs in a row lock the pad, longer each
    time (``lockout_steps_s``), until a correct PIN resets the ladder.

    With ``state_path`` the streak and the lock survive restarts: the file holds the lock's
    absolute wall-clock end (``locked_until``) and its start, written atomically. Clocks:
    while the kiosk runs, the remaining time is counted on ``monotonic`` (a wall-clock jump
    neither ends nor stretches a lock); at start the file's wall-clock end is compared with
    ``wall_clock``. If that clock is now *before* the lock's start (it went backward: a dead
    RTC battery, a wrong manual set), the remaining time would be longer than the lock itself,
    possibly years; it is capped at the full lock length instead, counted from now. So a
    backward jump can at most restart a lock (never make it endless), and a restart can never
    make it vanish early. There are no timers; attempts are serialised, so parallel guesses
    cannot slip past the limit.
    """

    def __init__(self, pin_hash: str, *, state_path: str | Path | None = None,
                 wall_clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic,
                 max_failures: int = 5,
                 lockout_steps_s: tuple[float, ...] = LOCKOUT_STEPS_S) -> None:
        self._wall = wall_clock
        self._monotonic = monotonic
        self.max_failures = max_failures
        self.lockout_steps_s = lockout_steps_s
        self.state_path = Path(state_path) if state_path is not None else None
        self._parsed: _ParsedHash | None = None
        if pin_hash:
            try:
                self._parsed = _parse(pin_hash)
            except PinHashError as error:
                log.error("service PIN hash unusable, service menu disabled: %s", error)
        self._attempt_lock = threading.Lock()  # held through a whole (slow) attempt
        self._state_lock = threading.Lock()  # held only to read or change counters
        self._failures_in_row = 0
        self._lockouts_in_row = 0  # lock-outs since the last correct PIN: the ladder's rung
        self._locked_at_wall: float | None = None
        self._locked_until_wall: float | None = None
        self._locked_until_mono: float | None = None
        self.failed_attempts = 0  # wrong PINs since start
        self.lockouts = 0  # times the pad locked since start
        self.refused_while_locked = 0
        self.accepted = 0
        self._load()

    @property
    def enabled(self) -> bool:
        return self._parsed is not None

    def lockout_s(self, rung: int) -> float:
        """Length of the ``rung``-th lock-out in a row (1-based); the last step is the cap."""
        return self.lockout_steps_s[min(rung, len(self.lockout_steps_s)) - 1]

    # -- persistence ---------------------------------------------------------------------
    def _load(self) -> None:
        if self.state_path is None:
            return
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            failures = int(data["failures_in_row"])
            rungs = int(data["lockouts_in_row"])
            until = data.get("locked_until")
            since = data.get("locked_at")
            until = None if until is None else float(until)
            since = None if since is None else float(since)
            if failures < 0 or rungs < 0 or (until is None) != (since is None):
                raise ValueError("negative counts or half a lock")
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            # The count is unknown: fail closed with the first lock rather than open.
            log.error("service PIN lock-out state unreadable (%s): pad locked for %.0f s",
                      exc, self.lockout_s(1))
            self._failures_in_row, self._lockouts_in_row = 0, 1
            self._lock_for(self.lockout_s(1))
            self._save()
            return
        self._failures_in_row, self._lockouts_in_row = failures, rungs
        if until is None or since is None:
            return
        length = self.lockout_s(max(1, rungs))
        now = self._wall()
        remaining = until - now
        if now < since or remaining > length:
            log.warning("service PIN lock-out: the clock is before the lock began (it went "
                        "backward); the lock runs its full %.0f s from now", length)
            self._lock_for(length)
            self._save()
        elif remaining > 0:
            self._locked_at_wall, self._locked_until_wall = since, until
            self._locked_until_mono = self._monotonic() + remaining
            log.info("service PIN pad still locked for %.0f s (from before the restart)",
                     remaining)
        else:
            self._failures_in_row = 0  # the lock ran out while the kiosk was off

    def _save(self) -> None:
        if self.state_path is None:
            return
        try:
            write_json_atomically(self.state_path, {
                "failures_in_row": self._failures_in_row,
                "lockouts_in_row": self._lockouts_in_row,
                "locked_at": self._locked_at_wall, "locked_until": self._locked_until_wall})
        except OSError as exc:  # a full disk must not open the pad: the lock holds in memory
            log.error("service PIN lock-out state not saved: %s", exc)

    def _lock_for(self, seconds: float) -> None:
        now_wall = self._wall()
        self._locked_at_wall, self._locked_until_wall = now_wall, now_wall + seconds
        self._locked_until_mono = self._monotonic() + seconds

    # -- checking ------------------------------------------------------------------------
    def locked_for_s(self) -> float:
        """Seconds the pad stays locked (0 when open)."""
        with self._state_lock:
            return self._remaining_locked()

    def _remaining_locked(self) -> float:
        if self._locked_until_mono is None:
            return 0.0
        remaining = self._locked_until_mono - self._monotonic()
        if remaining <= 0:
            # Not saved here (this runs on the GUI thread too): a file whose lock has ended
            # means the same at the next start, and the next attempt saves the new state.
            self._locked_until_mono = self._locked_until_wall = self._locked_at_wall = None
            self._failures_in_row = 0  # the next rung needs a whole new streak
            log.info("service PIN pad unlocked")
            return 0.0
        return remaining

    def check(self, pin: str) -> PinOutcome:
        """Blocking check of one attempt (~0.3 s); call it off the GUI thread (see PinChecker)."""
        with self._attempt_lock:
            if self._parsed is None:
                log.warning("service PIN attempt while no PIN is configured")
                return PinOutcome(PinResult.DISABLED, 0, 0.0)
            with self._state_lock:
                remaining = self._remaining_locked()
                if remaining:
                    self.refused_while_locked += 1
                    log.warning("service PIN attempt refused: locked for %.0f s more", remaining)
                    return PinOutcome(PinResult.LOCKED, 0, remaining)
            matched = hmac.compare_digest(self._parsed.derive(pin.encode()), self._parsed.expected)
            with self._state_lock:
                if matched:
                    had_streak = self._failures_in_row or self._lockouts_in_row
                    self._failures_in_row = self._lockouts_in_row = 0
                    if had_streak:
                        self._save()
                    self.accepted += 1
                    log.info("service PIN accepted")
                    return PinOutcome(PinResult.ACCEPTED, self.max_failures, 0.0)
                self._failures_in_row += 1
                self.failed_attempts += 1
                left = self.max_failures - self._failures_in_row
                if left > 0:
                    self._save()
                    log.warning("service PIN rejected (%d of %d before lock-out)",
                                self._failures_in_row, self.max_failures)
                    return PinOutcome(PinResult.REJECTED, left, 0.0)
                self._lockouts_in_row += 1
                length = self.lockout_s(self._lockouts_in_row)
                self._lock_for(length)
                self._save()
                self.lockouts += 1
                log.warning("service PIN rejected %d times in a row: pad locked for %.0f s "
                            "(lock-out %d in a row)", self.max_failures, length,
                            self._lockouts_in_row)
                return PinOutcome(PinResult.LOCKED, 0, length)

    def counters(self) -> dict[str, Any]:
        """For the heartbeat: totals since start and whether the pad is locked now."""
        with self._state_lock:
            return {"failed_attempts": self.failed_attempts, "lockouts": self.lockouts,
                    "refused_while_locked": self.refused_while_locked,
                    "locked": self._remaining_locked() > 0}


class PinChecker(QObject):
    """Runs ``PinGate.check`` on a worker thread so the GUI never freezes for the slow hash.

    ``checked`` (and the optional callback) fire on the GUI thread. One attempt at a time:
    ``submit`` returns False while an attempt is in flight (the pad should ignore extra taps).
    ``executor``: the kiosk's ``local-io`` worker; without one the checker starts its own.
    """

    checked = Signal(object)  # PinOutcome
    _done = Signal(object)

    def __init__(self, gate: PinGate, parent: QObject | None = None, *,
                 executor: Executor | None = None) -> None:
        super().__init__(parent)
        self.gate = gate
        self._own_executor = executor is None
        self._executor: Executor = executor or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="pin-check")
        self._checking: Future[None] | None = None
        self._callback: Callable[[PinOutcome], None] | None = None
        self.busy = False
        self._done.connect(self._deliver)
        if self._own_executor:
            self.destroyed.connect(lambda *_: self._executor.shutdown(wait=False))

    def submit(self, pin: str, callback: Callable[[PinOutcome], None] | None = None) -> bool:
        if self.busy:
            return False
        self.busy = True
        self._callback = callback
        self._checking = self._executor.submit(self._run, pin)
        return True

    def _run(self, pin: str) -> None:
        try:
            outcome = self.gate.check(pin)
        except Exception:  # never let a worker error leave the pad waiting forever
            log.exception("service PIN check failed")
            outcome = PinOutcome(PinResult.DISABLED, 0, 0.0)
        self._done.emit(outcome)

    @Slot(object)
    def _deliver(self, outcome: PinOutcome) -> None:
        self.busy = False
        callback, self._callback = self._callback, None
        if callback is not None:
            callback(outcome)
        self.checked.emit(outcome)

    def shutdown(self) -> None:
        """Wait for an attempt in flight (tests and app exit)."""
        if self._own_executor:
            self._executor.shutdown(wait=True)
        elif self._checking is not None:  # the shared worker lives on
            wait_for([self._checking])


def _read_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass("New service PIN: ")
    if getpass.getpass("Repeat the PIN: ") != first:
        raise SystemExit("the two PINs differ; nothing changed")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.services.pin",
                                     description="Make or test a service-menu PIN hash.")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("hash", help="print the pin_hash line for kiosk.toml [service]")
    make.add_argument("--stdin", action="store_true", help="read the PIN from standard input")
    make.add_argument("--scheme", choices=("pbkdf2_sha256", "scrypt"), default="pbkdf2_sha256")
    make.add_argument("--raw", action="store_true", help="print only the hash")
    test = commands.add_parser("verify", help="check a PIN against a hash (exit 0 if it matches)")
    test.add_argument("pin_hash")
    test.add_argument("--stdin", action="store_true", help="read the PIN from standard input")
    args = parser.parse_args(argv)
    if args.command == "hash":
        pin = _read_pin(args.stdin)
        problem = check_pin_format(pin) or check_pin_strength(pin)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
        line = hash_pin(pin, scheme=args.scheme)
        print(line if args.raw else f'pin_hash = "{line}"')
        return 0
    pin = sys.stdin.readline().strip() if args.stdin else getpass.getpass("PIN: ")
    try:
        matched = verify_pin(pin, args.pin_hash)
    except PinHashError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("match" if matched else "no match")
    return 0 if matched else 1


if __name__ == "__main__":
    sys.exit(main())
