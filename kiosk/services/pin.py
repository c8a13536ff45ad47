"""Service-menu PIN: salted slow hashes, constant-time checks, a lock-out gate and an async checker.

The PIN is never stored or logged; kiosk.toml holds only a salted PBKDF2 (or scrypt) hash so a
copied config file does not reveal it. Checking is slow on purpose (~0.3 s), so ``PinChecker``
runs it on a worker thread and reports back on the GUI thread.

    python -m kiosk.services.pin hash            # asks twice, prints the line for kiosk.toml
    echo 246810 | python -m kiosk.services.pin hash --stdin
"""

from __future__ import annotations

import argparse
import base64
import binascii
import enum
import getpass
import hashlib
import hmac
import logging
import secrets
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger("kiosk.services.pin")

PBKDF2_ITERATIONS = 600_000
MIN_PBKDF2_ITERATIONS = 600_000
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_SCRYPT_N = 2**14
_SCRYPT_MAXMEM = 128 * 1024 * 1024
MIN_PIN_DIGITS, MAX_PIN_DIGITS = 6, 12


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
    """Checks PIN attempts; ``max_failures`` wrong PINs in a row lock it for ``lockout_s``.

    Time comes from ``clock`` (monotonic seconds) so tests can move it; there are no timers.
    Attempts are serialised, so parallel guesses cannot slip past the limit.
    """

    def __init__(self, pin_hash: str, *, clock: Callable[[], float] = time.monotonic,
                 max_failures: int = 5, lockout_s: float = 300.0) -> None:
        self._clock = clock
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self._parsed: _ParsedHash | None = None
        if pin_hash:
            try:
                self._parsed = _parse(pin_hash)
            except PinHashError as error:
                log.error("service PIN hash unusable, service menu disabled: %s", error)
        self._attempt_lock = threading.Lock()  # held through a whole (slow) attempt
        self._state_lock = threading.Lock()  # held only to read or change counters
        self._failures_in_row = 0
        self._locked_until: float | None = None
        self.failed_attempts = 0  # wrong PINs since start
        self.lockouts = 0  # times the pad locked since start
        self.refused_while_locked = 0
        self.accepted = 0

    @property
    def enabled(self) -> bool:
        return self._parsed is not None

    def locked_for_s(self) -> float:
        """Seconds the pad stays locked (0 when open); expiry also clears the failure streak."""
        with self._state_lock:
            return self._remaining_locked()

    def _remaining_locked(self) -> float:
        if self._locked_until is None:
            return 0.0
        remaining = self._locked_until - self._clock()
        if remaining <= 0:
            self._locked_until = None
            self._failures_in_row = 0
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
                    self._failures_in_row = 0
                    self.accepted += 1
                    log.info("service PIN accepted")
                    return PinOutcome(PinResult.ACCEPTED, self.max_failures, 0.0)
                self._failures_in_row += 1
                self.failed_attempts += 1
                left = self.max_failures - self._failures_in_row
                if left > 0:
                    log.warning("service PIN rejected (%d of %d before lock-out)",
                                self._failures_in_row, self.max_failures)
                    return PinOutcome(PinResult.REJECTED, left, 0.0)
                self._locked_until = self._clock() + self.lockout_s
                self.lockouts += 1
                log.warning("service PIN rejected %d times in a row: pad locked for %.0f s",
                            self.max_failures, self.lockout_s)
                return PinOutcome(PinResult.LOCKED, 0, self.lockout_s)

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
        problem = check_pin_format(pin)
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
