"""The session cookie's token: a reload keeps the session; tampered, foreign, expired or revoked ones don't."""

from __future__ import annotations

import pytest

from agent.review.team.accounts import Accounts, SignInError
from agent.review.team.session_tokens import desk_key, end, issue, verify


@pytest.fixture
def team(tmp_path, clock):
    accounts = Accounts(tmp_path / "queue.db", clock=clock)
    accounts.add("amy", "approver", "password-123")
    return accounts, desk_key(tmp_path), clock


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


def test_a_token_from_another_desk_signs_nobody_in(team, tmp_path):
    accounts, key, _ = team
    other = desk_key(tmp_path / "other")
    assert other != key and desk_key(tmp_path) == key  # made once, then read
    with pytest.raises(SignInError, match="not valid"):
        verify(accounts, other, issue(accounts, key, "amy", 3600))


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
