"""The desk's cookie route: the server sets the session cookie HttpOnly and SameSite=Lax for a one-time code
a sign-in left, clears it on an empty post, and takes no code twice, late, or from another site."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from agent.review.team.session_tokens import COOKIE, HANDOFFS, Handoffs
from ui.session_cookie import PATH, ROUTES


@pytest.fixture
def client():
    return TestClient(Starlette(routes=ROUTES), base_url="http://desk.test")


def test_a_sign_in_code_sets_the_cookie_httponly_and_samesite_once(client):
    code = HANDOFFS.offer("session.123.signature", 3600)
    answer = client.post(PATH, content=code)
    assert answer.status_code == 204
    header = answer.headers["set-cookie"]
    assert header.startswith(f"{COOKIE}=session.123.signature;")
    assert "HttpOnly" in header and "SameSite=lax" in header and "Max-Age=3600" in header and "Path=/" in header
    assert client.post(PATH, content=code).status_code == 400  # taken once
    assert client.post(PATH, content="a-guessed-code").status_code == 400


def test_an_empty_post_clears_the_cookie(client):
    answer = client.post(PATH, content="")
    assert answer.status_code == 204 and "Max-Age=0" in answer.headers["set-cookie"]


def test_another_site_cannot_post(client):
    code = HANDOFFS.offer("session.123.signature", 3600)
    answer = client.post(PATH, content=code, headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403 and "set-cookie" not in answer.headers
    assert client.post(PATH, content=code, headers={"Origin": "http://desk.test"}).status_code == 204


def test_a_code_runs_out():
    handoffs = Handoffs(ttl_s=-1)  # already past its minute
    assert handoffs.take(handoffs.offer("t", 60)) is None
    fresh = Handoffs()
    assert fresh.take(fresh.offer("t", 60)) == ("t", 60)
