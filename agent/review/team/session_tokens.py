"""The desk's session cookie: a signed, expiring token the server verifies on every run.

The token is `<session>.<expires>.<signature>`: the session is the random id the sessions table knows (so a
sign-out, a new password or a disabled account revokes it), the expiry is written into the token, and the
signature is an HMAC-SHA256 under the desk's key. The key lives in the desk's database beside the accounts
(`desk_keys`), made once by whichever process needs it first, so every desk sharing a PostgreSQL database
accepts the others' cookies (a reload that lands on another machine stays signed in). A token with a bad
signature (tampered, or from a desk on another database) signs nobody in.

The cookie is set by the server, HttpOnly, so no script on the page can read the token. A page runs over
Streamlit's websocket, which has no response to set a cookie on; so a sign-in hands the new token to the
desk's own cookie route (ui/session_cookie.py) under a one-time code (`HANDOFFS`): the page posts the code,
the route answers with the cookie. The code is random, lives a minute and is taken once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from pathlib import Path

from agent.review.store.queue import now
from agent.review.team.accounts import Account, Accounts, SignInError
from agent.storage.connection import Sql

COOKIE = "redreply_signin"
TAMPERED = "this sign-in is not valid here: sign in again"
EXPIRED = "your session expired: sign in again"


KEY_NAME = "signin"
LEGACY_KEY_FILE = "signin.key"  # where a desk kept its key before it moved into the database


def desk_key(accounts: Accounts, data_dir: Path | None = None) -> bytes:
    """The desk's signing key, from its database; made once, in a write transaction (SQLite's single writer,
    PostgreSQL's advisory lock), so two processes starting together on one database agree on one key. The
    first desk to need it after an upgrade adopts its data directory's old `signin.key`, so the cookies it
    signed stay valid."""
    found = _stored_key(accounts.conn)
    if found is None:
        with accounts.tx() as c:
            found = _stored_key(c)
            if found is None:
                found = _legacy_key(data_dir) or secrets.token_hex(32)
                c.execute("INSERT INTO desk_keys (name, secret, created_at) VALUES (?, ?, ?)", (KEY_NAME, found, now()))
    return bytes.fromhex(found)


def _stored_key(c: Sql) -> str | None:
    row = c.execute("SELECT secret FROM desk_keys WHERE name = ?", (KEY_NAME,)).fetchone()
    return str(row[0]) if row else None


def _legacy_key(data_dir: Path | None) -> str | None:
    path = data_dir / LEGACY_KEY_FILE if data_dir is not None else None
    if path is None or not path.is_file():
        return None
    text = path.read_text().strip()
    try:
        bytes.fromhex(text)
    except ValueError:
        return None  # not a key this desk wrote: a new one is made
    return text or None


def _signature(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def issue(accounts: Accounts, key: bytes, name: str, ttl_s: float) -> str:
    """A new session for `name`, as the token to put in the cookie."""
    session = accounts.start_session(name, ttl_s)
    body = f"{session}.{int(accounts.now() + ttl_s)}"
    return f"{body}.{_signature(key, body)}"


def verify(accounts: Accounts, key: bytes, token: str) -> Account:
    """The account of a cookie token; SignInError (one line) when tampered, foreign, expired or revoked."""
    body, _, signature = token.rpartition(".")
    session, _, expires = body.rpartition(".")
    if not session or not expires.isdigit() or not hmac.compare_digest(_signature(key, body), signature):
        raise SignInError(TAMPERED)
    if int(expires) < accounts.now():
        raise SignInError(EXPIRED)
    return accounts.session_account(session)


def end(accounts: Accounts, token: str) -> None:
    session = token.rpartition(".")[0].rpartition(".")[0]
    if session:
        accounts.end_session(session)


class Handoffs:
    """One-time codes, each standing for a cookie to set (a token and its max age) or to clear (no token)."""

    def __init__(self, ttl_s: float = 60.0) -> None:
        self.ttl_s = ttl_s
        self._codes: dict[str, tuple[str, int, float]] = {}
        self._lock = threading.Lock()

    def offer(self, token: str, max_age: int) -> str:
        code = secrets.token_urlsafe(24)
        now = time.monotonic()
        with self._lock:
            self._codes = {c: v for c, v in self._codes.items() if v[2] > now}  # the untaken ones run out
            self._codes[code] = (token, max_age, now + self.ttl_s)
        return code

    def take(self, code: str) -> tuple[str, int] | None:
        """(token, max age) of a live code, once; None for an unknown, taken or run-out code."""
        with self._lock:
            found = self._codes.pop(code, None)
        if found is None or found[2] < time.monotonic():
            return None
        return found[0], found[1]


HANDOFFS = Handoffs()  # one per server process: the pages and the cookie route run in it
