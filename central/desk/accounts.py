"""Staff accounts of the desk: roles, argon2 password hashes, lock-out, server-side sessions.

Every person has an account of their own (no shared token): what they do is written to the
audit log under their name. Passwords are hashed with argon2id (argon2-cffi); a session is a
random cookie token of which only the SHA-256 is stored, with its own CSRF token for forms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from central.db import Database
from central.service import HALL_PATTERN

ROLES: dict[str, tuple[str, str]] = {
    "clerk": ("窗口人员", "Clerk"),
    "duty": ("值班长", "Duty officer"),
    "unit": ("承办单位人员", "Unit handler"),
    "admin": ("大厅管理员", "Hall admin"),
}
MAX_FAILURES = 5  # wrong passwords in a row before the account locks
LOCK_MINUTES = 15
SESSION_HOURS = 12  # one working day and a bit; then log in again
MIN_PASSWORD = 10

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified when the user name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))


class AccountError(ValueError):
    """A refused account change (bad role, weak password, name taken), in plain words."""


@dataclass(frozen=True)
class Staff:
    id: str
    hall: str
    username: str
    display_name: str
    role: str
    unit: str | None

    @property
    def role_name(self) -> str:
        return ROLES[self.role][0]

    @property
    def role_name_en(self) -> str:
        return ROLES[self.role][1]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def works_orders(self) -> bool:
        """Clerks, duty officers and admins work every order of the hall; units only theirs."""
        return self.role in ("clerk", "duty", "admin")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Staff:
        return cls(row["id"], row["hall_id"], row["username"], row["display_name"], row["role"],
                   row["unit"])


@dataclass(frozen=True)
class Session:
    staff: Staff
    csrf_token: str


@dataclass(frozen=True)
class LoginResult:
    session_token: str | None
    reason: str | None = None  # "invalid" | "locked"
    locked_until: dt.datetime | None = None


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Staff accounts and sessions on the centre's database; ``now`` is the centre's clock."""

    def __init__(self, db: Database, now: Any) -> None:
        self.db = db
        self.now = now

    def add_staff(self, hall: str, username: str, password: str, role: str, *,
                  display_name: str | None = None, unit: str | None = None) -> Staff:
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if not HALL_PATTERN.match(username):
            raise AccountError("user name: letters, digits, '-', '_' or '.', up to 64")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"password: at least {MIN_PASSWORD} characters")
        if role == "unit" and not unit:
            raise AccountError("a unit handler needs --unit (the unit orders are dispatched to)")
        staff_id = uuid.uuid4().hex
        now = self.now().isoformat()
        with self.db.write() as tx:
            if tx.one("SELECT id FROM staff WHERE username = ?", (username,)) is not None:
                raise AccountError(f"user name {username!r} is taken")
            tx.execute("INSERT INTO halls (id, created_at) VALUES (?, ?) "
                       "ON CONFLICT (id) DO NOTHING", (hall, now))
            tx.execute("INSERT INTO staff (id, hall_id, username, display_name, role, unit, "
                       "password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (staff_id, hall, username, display_name or username, role,
                        unit if role == "unit" else None, _hasher.hash(password), now))
            if role == "unit" and unit:
                tx.execute("INSERT INTO units (hall_id, name, created_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (hall_id, name) DO NOTHING", (hall, unit, now))
        return Staff(staff_id, hall, username, display_name or username, role,
                     unit if role == "unit" else None)

    def set_password(self, username: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"password: at least {MIN_PASSWORD} characters")
        with self.db.write() as tx:
            tx.execute("UPDATE staff SET password_hash = ?, failed_logins = 0, "
                       "locked_until = NULL WHERE username = ?", (_hasher.hash(password), username))
            tx.execute("DELETE FROM desk_sessions WHERE staff_id IN "
                       "(SELECT id FROM staff WHERE username = ?)", (username,))

    def staff_by_username(self, username: str) -> Staff | None:
        with self.db.read() as tx:
            row = tx.one("SELECT * FROM staff WHERE username = ?", (username,))
        return Staff.from_row(row) if row else None

    def staff_of_hall(self, hall: str) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            return tx.all("SELECT id, username, display_name, role, unit, failed_logins, "
                          "locked_until, created_at FROM staff WHERE hall_id = ? "
                          "ORDER BY role, username", (hall,))

    def unlock(self, hall: str, staff_id: str) -> None:
        with self.db.write() as tx:
            tx.execute("UPDATE staff SET failed_logins = 0, locked_until = NULL "
                       "WHERE id = ? AND hall_id = ?", (staff_id, hall))

    # -- login ---------------------------------------------------------------------------
    def login(self, username: str, password: str) -> LoginResult:
        """Check a password; MAX_FAILURES wrong ones in a row lock the account for a while.

        A locked account refuses even the right password until the lock ends (or an admin
        unlocks it), so guessing cannot continue at any speed."""
        now = self.now()
        with self.db.read() as tx:
            row = tx.one("SELECT * FROM staff WHERE username = ?", (username,))
        if row is None or row["disabled_at"]:
            _verify(_DUMMY_HASH, password)
            return LoginResult(None, "invalid")
        if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
            return LoginResult(None, "locked", dt.datetime.fromisoformat(row["locked_until"]))
        if not _verify(row["password_hash"], password):
            with self.db.write() as tx:
                failures = int(tx.scalar(
                    "UPDATE staff SET failed_logins = failed_logins + 1 WHERE id = ? "
                    "RETURNING failed_logins", (row["id"],)) or 0)
                if failures >= MAX_FAILURES:
                    until = now + dt.timedelta(minutes=LOCK_MINUTES)
                    tx.execute("UPDATE staff SET locked_until = ?, failed_logins = 0 "
                               "WHERE id = ?", (until.isoformat(), row["id"]))
                    return LoginResult(None, "locked", until)
            return LoginResult(None, "invalid")
        token = secrets.token_urlsafe(32)
        with self.db.write() as tx:
            tx.execute("UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                       (row["id"],))
            tx.execute("DELETE FROM desk_sessions WHERE expires_at < ?", (now.isoformat(),))
            tx.execute("INSERT INTO desk_sessions (token_hash, staff_id, csrf_token, created_at, "
                       "expires_at) VALUES (?, ?, ?, ?, ?)",
                       (_hash_token(token), row["id"], secrets.token_urlsafe(24),
                        now.isoformat(),
                        (now + dt.timedelta(hours=SESSION_HOURS)).isoformat()))
            if _hasher.check_needs_rehash(row["password_hash"]):
                tx.execute("UPDATE staff SET password_hash = ? WHERE id = ?",
                           (_hasher.hash(password), row["id"]))
        return LoginResult(token)

    def session(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self.db.read() as tx:
            row = tx.one("SELECT s.*, d.csrf_token, d.expires_at FROM desk_sessions d "
                         "JOIN staff s ON s.id = d.staff_id WHERE d.token_hash = ?",
                         (_hash_token(token),))
        if row is None or row["disabled_at"]:
            return None
        if dt.datetime.fromisoformat(row["expires_at"]) <= self.now():
            return None
        return Session(Staff.from_row(row), row["csrf_token"])

    def logout(self, token: str) -> None:
        with self.db.write() as tx:
            tx.execute("DELETE FROM desk_sessions WHERE token_hash = ?", (_hash_token(token),))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
