"""The desk's session cookie: a signed, expiring token the server verifies on every run.

The token is `<session>.<expires>.<signature>`: the session is the random id the sessions table knows (so a
sign-out, a new password or a disabled account revokes it), the expiry is written into the token, and the
signature is an HMAC-SHA256 under this desk's key (a file in the data directory, made on first use, readable
by its owner only). A token with a bad signature (tampered, or from another desk) signs nobody in.

The cookie is set by the server, HttpOnly, so no script on the page can read the token. A page runs over
Streamlit's websocket, which has no response to set a cookie on; so a sign-in hands the new token to the
desk's own cookie route (ui/session_cookie.py) under a one-time code (`HANDOFFS`): the page posts the code,
the route answers with the cookie. The code is random, lives a minute and is taken once.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from pathlib import Path

from agent.review.team.accounts import Account, Accounts, SignInError

COOKIE = "redreply_signin"
TAMPERED = "this sign-in is not valid here: sign in again"
EXPIRED = "your session expired: sign in again"


def desk_key(data_dir: Path) -> bytes:
    """This desk's signing key, made once (0600) beside the queue."""
    path = data_dir / "signin.key"
    if not path.is_file():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


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
