"""Desk accounts: who may sign in, their role and brands, their sessions; in the queue's database.

Passwords are hashed with argon2id (argon2-cffi); neither a password nor a hash is ever logged or put in an
error message. A session is a random token whose SHA-256 is stored, with an expiry. Failed sign-ins are
throttled per account: `MAX_FAILURES` in a row lock it for `LOCK_S` seconds.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel

from agent.errors import UserError
from agent.review.store.queue import now
from agent.storage.connection import Database, Sql, open_database

ROLES = ("viewer", "suggester", "approver", "admin")
LANGUAGES = ("zh_Hans", "zh_Hant", "en")
MAX_FAILURES = 5
LOCK_S = 60.0
SESSION_S = 8 * 3600.0
NAME_RE = re.compile(r"^[\w.@-]{1,64}$")

_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Hashed on first sign-in, not at import (it costs ~0.2 s): an unknown name costs as much as a wrong password."""
    return _hasher.hash("not a password")


class SignInError(UserError):
    """Wrong name or password, a disabled or locked account, an expired session: one clear line."""


class Account(BaseModel):
    name: str
    role: str
    brands: tuple[str, ...] = ()  # empty: every brand
    disabled: bool = False
    language: str | None = None
    local: bool = False  # the local admin of a desk without accounts (no sign-in)

    def covers(self, brand: str | None) -> bool:
        return not self.brands or brand is None or brand in self.brands


def local_admin(name: str = "local") -> Account:
    return Account(name=name, role="admin", local=True)


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password: str) -> None:
    if len(password) < 8:
        raise UserError("the password needs at least 8 characters")


class Accounts:
    """The accounts and sessions tables beside the review queue (the same database; `target` as the queue's),
    so every desk sharing a PostgreSQL database signs in the same people."""

    def __init__(self, target: Path | str, clock: object = time.time) -> None:
        self.conn: Database = open_database(target)
        self._clock = clock

    def _now(self) -> float:
        return float(self._clock())  # type: ignore[operator]

    def now(self) -> float:
        """The accounts' clock (a test's fake one included): sessions and tokens expire by it."""
        return self._now()

    def tx(self) -> AbstractContextManager[Sql]:
        return self.conn.tx()

    # --- managing -------------------------------------------------------------------------------
    def any(self) -> bool:
        return self.conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None

    def add(self, name: str, role: str, password: str, brands: tuple[str, ...] = (),
            language: str | None = None) -> Account:
        if not NAME_RE.match(name):
            raise UserError(f"bad account name {name!r}: letters, digits, . _ @ - (at most 64)")
        if role not in ROLES:
            raise UserError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
        if language is not None and language not in LANGUAGES:
            raise UserError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
        check_password(password)
        digest = _hasher.hash(password)
        with self.tx() as c:
            if c.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
                raise UserError(f"an account named {name!r} already exists")
            c.execute("INSERT INTO accounts (name, role, brands, password_hash, language, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?)", (name, role, json.dumps(list(brands)), digest, language, now()))
        return self.get(name)

    def get(self, name: str) -> Account:
        row = self.conn.execute("SELECT * FROM accounts WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise UserError(f"no account named {name!r}")
        return Account(name=row["name"], role=row["role"], brands=tuple(json.loads(row["brands"])),
                       disabled=bool(row["disabled"]), language=row["language"])

    def list(self) -> list[Account]:
        names = [r[0] for r in self.conn.execute("SELECT name FROM accounts ORDER BY name")]
        return [self.get(n) for n in names]

    def disable(self, name: str) -> None:
        self.get(name)
        with self.tx() as c:
            c.execute("UPDATE accounts SET disabled = 1 WHERE name = ?", (name,))
            c.execute("DELETE FROM sessions WHERE account = ?", (name,))

    def set_password(self, name: str, password: str) -> None:
        self.get(name)
        check_password(password)
        digest = _hasher.hash(password)
        with self.tx() as c:
            c.execute("UPDATE accounts SET password_hash = ?, failures = 0, locked_until = 0 WHERE name = ?",
                      (digest, name))
            c.execute("DELETE FROM sessions WHERE account = ?", (name,))  # a new password ends old sessions

    def set_language(self, name: str, language: str) -> None:
        if language not in LANGUAGES:
            raise UserError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
        with self.tx() as c:
            c.execute("UPDATE accounts SET language = ? WHERE name = ?", (language, name))

    # --- signing in -----------------------------------------------------------------------------
    def authenticate(self, name: str, password: str) -> Account:
        """The account if the password is right; a SignInError saying why not (never which part was wrong)."""
        row = self.conn.execute("SELECT * FROM accounts WHERE name = ?", (name,)).fetchone()
        t = self._now()
        if row is not None and row["locked_until"] > t:
            raise SignInError(f"too many failed sign-ins: try again in {int(row['locked_until'] - t) + 1} s")
        try:
            _hasher.verify(row["password_hash"] if row is not None else _dummy_hash(), password)
            ok = row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            self._failed(name, t)
            raise SignInError("wrong name or password")
        if row["disabled"]:
            raise SignInError("this account is disabled: ask an admin")
        with self.tx() as c:
            c.execute("UPDATE accounts SET failures = 0, locked_until = 0 WHERE name = ?", (name,))
            if _hasher.check_needs_rehash(row["password_hash"]):
                c.execute("UPDATE accounts SET password_hash = ? WHERE name = ?", (_hasher.hash(password), name))
        return self.get(name)

    def _failed(self, name: str, t: float) -> None:
        with self.tx() as c:
            row = c.execute("SELECT failures FROM accounts WHERE name = ?", (name,)).fetchone()
            if row is None:
                return
            failures = row["failures"] + 1
            locked = t + LOCK_S if failures >= MAX_FAILURES else 0
            c.execute("UPDATE accounts SET failures = ?, locked_until = ? WHERE name = ?",
                      (0 if locked else failures, locked, name))

    def start_session(self, name: str, ttl_s: float = SESSION_S) -> str:
        token = secrets.token_urlsafe(32)
        t = self._now()
        with self.tx() as c:
            c.execute("DELETE FROM sessions WHERE expires_at < ?", (t,))
            c.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (_sha(token), name, t, t + ttl_s))
        return token

    def session_account(self, token: str) -> Account:
        """The account of a live session; SignInError when it expired, ended or its account was disabled."""
        row = self.conn.execute("SELECT account, expires_at FROM sessions WHERE token_sha = ?",
                                (_sha(token),)).fetchone()
        if row is None:
            raise SignInError("your session ended: sign in again")
        if row["expires_at"] < self._now():
            self.end_session(token)
            raise SignInError("your session expired: sign in again")
        account = self.get(row["account"])
        if account.disabled:
            raise SignInError("this account is disabled: ask an admin")
        return account

    def end_session(self, token: str) -> None:
        with self.tx() as c:
            c.execute("DELETE FROM sessions WHERE token_sha = ?", (_sha(token),))
