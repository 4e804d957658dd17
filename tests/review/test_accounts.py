"""Accounts: argon2 hashes, throttled sign-in, expiring sessions, disabled accounts, no secret in any output."""

from __future__ import annotations

import logging

import pytest

from agent.cli import main
from agent.errors import UserError
from agent.review.team.accounts import LOCK_S, MAX_FAILURES, Accounts, SignInError


@pytest.fixture
def accounts(db_url, clock):
    a = Accounts(db_url, clock=clock)
    a.add("amy", "approver", "correct horse", ("glowskin",), "zh_Hant")
    return a


def test_password_is_stored_as_an_argon2_hash(accounts):
    stored = accounts.conn.execute("SELECT password_hash FROM accounts").fetchone()[0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert accounts.authenticate("amy", "correct horse").brands == ("glowskin",)


def test_wrong_password_and_unknown_name_read_the_same(accounts):
    with pytest.raises(SignInError, match="^wrong name or password$"):
        accounts.authenticate("amy", "nope")
    with pytest.raises(SignInError, match="^wrong name or password$"):
        accounts.authenticate("nobody", "nope")


def test_failures_lock_the_account_then_it_opens_again(accounts, clock):
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError, match="wrong"):
            accounts.authenticate("amy", "nope")
    with pytest.raises(SignInError, match="too many failed sign-ins"):
        accounts.authenticate("amy", "correct horse")  # even the right password waits
    clock.t += LOCK_S + 1
    assert accounts.authenticate("amy", "correct horse").name == "amy"


def test_disabled_account_cannot_sign_in_and_its_sessions_end(accounts):
    token = accounts.start_session("amy")
    accounts.disable("amy")
    with pytest.raises(SignInError, match="disabled"):
        accounts.authenticate("amy", "correct horse")
    with pytest.raises(SignInError, match="session ended"):
        accounts.session_account(token)


def test_sessions_expire(accounts, clock):
    token = accounts.start_session("amy", ttl_s=60)
    assert accounts.session_account(token).name == "amy"
    clock.t += 61
    with pytest.raises(SignInError, match="expired"):
        accounts.session_account(token)
    stored = accounts.conn.execute("SELECT COUNT(*) FROM sessions WHERE token_sha = ?", (token,)).fetchone()[0]
    assert stored == 0  # only the token's digest is ever stored


def test_bad_input(accounts):
    for kwargs, message in (({"name": "amy"}, "already exists"), ({"role": "boss"}, "unknown role"),
                            ({"password": "short"}, "at least 8"), ({"name": "a b"}, "bad account name")):
        args = {"name": "zed", "role": "viewer", "password": "long enough", **kwargs}
        with pytest.raises(UserError, match=message):
            accounts.add(**args)


def test_users_cli_never_prints_or_logs_the_password(tmp_path, monkeypatch, capsys, caplog, desk_database_url):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path))
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("s3cret-pass\n"))
    assert main(["users", "add", "root", "--role", "admin", "--password-stdin"]) == 0
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "an0ther-pass")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)  # the fake getpass stands for a terminal
    monkeypatch.setenv("REDREPLY_ACCOUNT", "root")
    assert main(["users", "passwd", "root"]) == 0
    assert main(["users", "list"]) == 0
    out = capsys.readouterr()
    everything = out.out + out.err + caplog.text
    assert "s3cret" not in everything and "an0ther" not in everything and "$argon2" not in everything
    assert Accounts(tmp_path / "queue.sqlite").authenticate("root", "an0ther-pass").role == "admin"
