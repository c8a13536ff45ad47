"""Staff accounts of the desk: roles, argon2 password hashes, lock-out, server-side sessions.

Every person has an account of their own (no shared token): what they do is written to the
audit log under their name. Passwords are hashed with argon2id (argon2-cffi); a session is a
random cookie token of which only the SHA-256 is stored, with its own CSRF token for forms.

Everyone changes their own password (the current one first; every other session of theirs
ends). A hall admin disables, re-enables and resets accounts of the hall, never their own
and never the last enabled admin's; a disabled account cannot log in and its sessions stop
working at their next request. These changes are audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from central.db import Database, Transaction
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
    """A refused account change (bad role, weak password, name taken), in plain words.

    ``zh`` is the same refusal in Chinese for the desk's pages (the str() is English, for
    the command line)."""

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.zh = zh or en


#: Writes one audit row in the account change's own transaction: (tx, actor, action, detail).
AuditHook = Callable[[Transaction, "Staff", str, dict[str, Any]], None]


def check_password(password: str, username: str = "") -> None:
    """The one strength rule for every password a person sets (add, reset, change)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters",
                           f"密码至少 {MIN_PASSWORD} 位")
    if username and password.casefold() == username.casefold():
        raise AccountError("password: not the user name", "密码不能与用户名相同")


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

    def __init__(self, db: Database, now: Any, audit: AuditHook | None = None) -> None:
        self.db = db
        self.now = now
        self.audit = audit
        #: Goes up whenever sessions were ended here (password, disable, logout), so a live
        #: stream re-checks its session at once instead of at its next periodic check.
        self.generation = 0

    def add_staff(self, hall: str, username: str, password: str, role: str, *,
                  display_name: str | None = None, unit: str | None = None) -> Staff:
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if not HALL_PATTERN.match(username):
            raise AccountError("user name: letters, digits, '-', '_' or '.', up to 64")
        check_password(password, username)
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
        check_password(password, username)
        with self.db.write() as tx:
            tx.execute("UPDATE staff SET password_hash = ?, failed_logins = 0, "
                       "locked_until = NULL WHERE username = ?", (_hasher.hash(password), username))
            tx.execute("DELETE FROM desk_sessions WHERE staff_id IN "
                       "(SELECT id FROM staff WHERE username = ?)", (username,))
        self.generation += 1

    def staff_by_username(self, username: str) -> Staff | None:
        with self.db.read() as tx:
            row = tx.one("SELECT * FROM staff WHERE username = ?", (username,))
        return Staff.from_row(row) if row else None

    def staff_of_hall(self, hall: str) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            return tx.all("SELECT id, username, display_name, role, unit, failed_logins, "
                          "locked_until, disabled_at, created_at FROM staff WHERE hall_id = ? "
                          "ORDER BY role, username", (hall,))

    def unlock(self, hall: str, staff_id: str) -> None:
        with self.db.write() as tx:
            tx.execute("UPDATE staff SET failed_logins = 0, locked_until = NULL "
                       "WHERE id = ? AND hall_id = ?", (staff_id, hall))

    # -- a person's own password and the admin's account changes -------------------------
    def _record(self, tx: Transaction, actor: Staff, action: str, detail: dict[str, Any]
                ) -> None:
        if self.audit is not None:
            self.audit(tx, actor, action, detail)

    def change_password(self, me: Staff, session_token: str, current: str, new: str) -> None:
        """Change one's own password: the current one first, the add-staff strength rule for
        the new one; every other session of the account ends (this one stays).

        A wrong current password counts as a failed login, so a left-open session cannot be
        used to guess it."""
        now = self.now()
        with self.db.read() as tx:
            row = tx.one("SELECT password_hash, locked_until FROM staff WHERE id = ?", (me.id,))
        if row is None:
            raise AccountError("no such account", "没有这个账号")
        if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
            raise AccountError("too many wrong passwords: the account is locked for now",
                               "密码错误次数过多，账号暂时锁定")
        if not _verify(row["password_hash"], current):
            self._failed(me.id, now)
            raise AccountError("the current password is wrong", "当前密码不正确")
        if new == current:
            raise AccountError("the new password is the current one", "新密码与当前密码相同")
        check_password(new, me.username)
        with self.db.write() as tx:
            tx.execute("UPDATE staff SET password_hash = ?, failed_logins = 0, "
                       "locked_until = NULL WHERE id = ?", (_hasher.hash(new), me.id))
            ended = tx.execute("DELETE FROM desk_sessions WHERE staff_id = ? "
                               "AND token_hash <> ?", (me.id, _hash_token(session_token)))
            self._record(tx, me, "change_password",
                         {"username": me.username, "sessions_ended": max(ended.rowcount, 0)})
        self.generation += 1

    def _target(self, tx: Transaction, admin: Staff, staff_id: str) -> dict[str, Any]:
        lock = " FOR UPDATE" if self.db.is_postgres else ""
        row = tx.one(f"SELECT * FROM staff WHERE id = ? AND hall_id = ?{lock}",
                     (staff_id, admin.hall))
        if row is None:
            raise AccountError("no such account in this hall", "本大厅没有这个账号")
        return row

    def disable(self, admin: Staff, staff_id: str) -> Staff:
        """Disable an account of the admin's hall: no login, its sessions end at once.

        Never one's own account, never the last enabled admin of the hall (the hall would
        have nobody to re-enable anyone)."""
        if staff_id == admin.id:
            raise AccountError("you cannot disable your own account", "不能停用自己的账号")
        with self.db.write() as tx:
            if self.db.is_postgres:  # two admins disabling each other at once: one waits
                tx.execute("SELECT id FROM staff WHERE hall_id = ? AND role = 'admin' "
                           "ORDER BY id FOR UPDATE", (admin.hall,))
            row = self._target(tx, admin, staff_id)
            if row["disabled_at"]:
                return Staff.from_row(row)
            if row["role"] == "admin":
                others = int(tx.scalar("SELECT COUNT(*) FROM staff WHERE hall_id = ? "
                                       "AND role = 'admin' AND disabled_at IS NULL AND id <> ?",
                                       (admin.hall, staff_id)) or 0)
                if others == 0:
                    raise AccountError("the hall's last admin cannot be disabled",
                                       "不能停用本大厅最后一名管理员")
            tx.execute("UPDATE staff SET disabled_at = ? WHERE id = ?",
                       (self.now().isoformat(), staff_id))
            tx.execute("DELETE FROM desk_sessions WHERE staff_id = ?", (staff_id,))
            self._record(tx, admin, "disable_staff", {"username": row["username"]})
        self.generation += 1
        return Staff.from_row(row)

    def enable(self, admin: Staff, staff_id: str) -> Staff:
        with self.db.write() as tx:
            row = self._target(tx, admin, staff_id)
            if row["disabled_at"]:
                tx.execute("UPDATE staff SET disabled_at = NULL, failed_logins = 0, "
                           "locked_until = NULL WHERE id = ?", (staff_id,))
                self._record(tx, admin, "enable_staff", {"username": row["username"]})
        return Staff.from_row(row)

    def reset_password(self, admin: Staff, staff_id: str, password: str) -> Staff:
        """An admin sets a new password (for a person who forgot theirs): the lock-out ends
        and so does every session of the account."""
        with self.db.write() as tx:
            row = self._target(tx, admin, staff_id)
            check_password(password, row["username"])
            tx.execute("UPDATE staff SET password_hash = ?, failed_logins = 0, "
                       "locked_until = NULL WHERE id = ?", (_hasher.hash(password), staff_id))
            tx.execute("DELETE FROM desk_sessions WHERE staff_id = ?", (staff_id,))
            self._record(tx, admin, "reset_password", {"username": row["username"]})
        self.generation += 1
        return Staff.from_row(row)

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
            until = self._failed(row["id"], now)
            if until is not None:
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

    def _failed(self, staff_id: str, now: dt.datetime) -> dt.datetime | None:
        """Count a wrong password; the MAX_FAILURES-th in a row locks: the lock's end."""
        with self.db.write() as tx:
            failures = int(tx.scalar(
                "UPDATE staff SET failed_logins = failed_logins + 1 WHERE id = ? "
                "RETURNING failed_logins", (staff_id,)) or 0)
            if failures >= MAX_FAILURES:
                until = now + dt.timedelta(minutes=LOCK_MINUTES)
                tx.execute("UPDATE staff SET locked_until = ?, failed_logins = 0 "
                           "WHERE id = ?", (until.isoformat(), staff_id))
                return until
        return None

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
        self.generation += 1


def _verify(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
