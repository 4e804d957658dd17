"""The session cookie's token: a reload keeps the session; tampered, foreign, expired or revoked ones don't. The
signing key lives in the desk's database: desks on two machines (two data directories) sharing it accept
each other's cookies, on SQLite and on PostgreSQL, and processes starting together agree on one key."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from agent.config import PROJECT_ROOT
from agent.review.team.accounts import Accounts, SignInError
from agent.review.team.session_tokens import desk_key, end, issue, verify


@pytest.fixture
def team(tmp_path, clock):
    accounts = Accounts(tmp_path / "queue.db", clock=clock)
    accounts.add("amy", "approver", "password-123")
    return accounts, desk_key(accounts, tmp_path), clock


def test_a_token_signs_its_account_in_again(team):
    accounts, key, _ = team
    token = issue(accounts, key, "amy", 3600)
    assert verify(accounts, key, token).name == "amy"
    assert verify(accounts, key, token).name == "amy"  # every run (a reload, a link) verifies it again


@pytest.mark.parametrize("change", [lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),
                                    lambda t: t.replace(".", "x", 1), lambda t: "", lambda t: "a.b.c"])
def test_a_tampered_token_signs_nobody_in(team, change):
    accounts, key, _ = team
    with pytest.raises(SignInError, match="not valid"):
        verify(accounts, key, change(issue(accounts, key, "amy", 3600)))


def test_a_longer_expiry_written_into_the_token_breaks_its_signature(team):
    accounts, key, _ = team
    session, expires, signature = issue(accounts, key, "amy", 3600).split(".")
    with pytest.raises(SignInError, match="not valid"):
        verify(accounts, key, f"{session}.{int(expires) + 10**6}.{signature}")


def test_a_token_from_a_desk_on_another_database_signs_nobody_in(team, tmp_path):
    accounts, key, _ = team
    other = desk_key(Accounts(tmp_path / "other" / "queue.db"), tmp_path / "other")
    assert other != key and desk_key(accounts) == key  # made once, then read
    with pytest.raises(SignInError, match="not valid"):
        verify(accounts, other, issue(accounts, key, "amy", 3600))


def test_desks_on_two_machines_sharing_a_database_accept_each_others_cookies(db_url, tmp_path):
    first, second = Accounts(db_url), Accounts(db_url)  # two desk processes, data directories a/ and b/
    first.add("amy", "approver", "password-123")
    token = issue(first, desk_key(first, tmp_path / "a"), "amy", 3600)
    assert verify(second, desk_key(second, tmp_path / "b"), token).name == "amy"  # a reload landing on desk b
    assert not (tmp_path / "a" / "signin.key").exists() and not (tmp_path / "b" / "signin.key").exists()


def test_processes_starting_together_agree_on_one_key(db_url, tmp_path):
    Accounts(db_url)  # the schema, as the first desk's start makes it
    keys: list[bytes] = []
    start = threading.Barrier(6)

    def desk() -> None:
        accounts = Accounts(db_url)
        start.wait()
        keys.append(desk_key(accounts))

    threads = [threading.Thread(target=desk) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # And a process of its own, on another machine's data directory.
    code = ("import sys; from agent.review.team.accounts import Accounts; "
            "from agent.review.team.session_tokens import desk_key; print(desk_key(Accounts(sys.argv[1])).hex())")
    run = subprocess.run([sys.executable, "-c", code, db_url], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "REDREPLY_DATA_DIR": str(tmp_path / "c")})
    assert run.returncode == 0, run.stderr
    assert len(keys) == 6 and {k.hex() for k in keys} == {run.stdout.strip()}


def test_an_upgraded_desk_keeps_the_key_of_its_data_directory(tmp_path, clock):
    """A desk that kept its key in signin.key: the cookies it signed before the upgrade still sign in."""
    (tmp_path / "signin.key").write_text("ab" * 32)
    accounts = Accounts(tmp_path / "queue.db", clock=clock)
    assert desk_key(accounts, tmp_path) == bytes.fromhex("ab" * 32)
    assert desk_key(Accounts(tmp_path / "queue.db"), tmp_path / "elsewhere") == bytes.fromhex("ab" * 32)


def test_an_expired_or_revoked_token_ends_the_session(team):
    accounts, key, clock = team
    token = issue(accounts, key, "amy", 3600)
    clock.t += 3601
    with pytest.raises(SignInError, match="expired"):
        verify(accounts, key, token)
    clock.t -= 3601
    fresh = issue(accounts, key, "amy", 3600)
    end(accounts, fresh)  # signing out
    with pytest.raises(SignInError, match="ended"):
        verify(accounts, key, fresh)
    again = issue(accounts, key, "amy", 3600)
    accounts.disable("amy")
    with pytest.raises(SignInError):
        verify(accounts, key, again)
