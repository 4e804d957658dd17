"""The service layer's messages reach the desk in its language: each refusal the review service really raises
(bulk work, assignment, permissions, sign-in) is matched by ui.service_text and shown in 简体 and 繁體 with no
English word left but the values (names, ids)."""

from __future__ import annotations

import re

import pytest

from agent.errors import UserError
from agent.review.store.marks import bring_back, set_aside
from agent.review.store.queue import ReviewQueue
from agent.review.team.accounts import Account, Accounts
from agent.review.team.assignment import assign
from agent.review.team.roles import require
from agent.review.team.session_tokens import TAMPERED
from agent.schemas import CommentIn
from ui import service_text as st_module
from ui.auth import sign_in_error

VALUES = {"amy", "sue", "gone", "nobody", "glowskin", "threadline", "c1", "tom"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def raised(fn) -> str:
    with pytest.raises(UserError) as e:
        fn()
    return str(e.value)


@pytest.fixture
def messages(tmp_path) -> list[str]:
    queue = ReviewQueue(tmp_path / "queue.db")
    queue.accept([CommentIn(id="c1", text="太贵了")], "glowskin")
    accounts = Accounts(tmp_path / "queue.db")
    accounts.add("sue", "suggester", "password-123")
    accounts.add("gone", "approver", "password-123")
    accounts.disable("gone")
    amy, sue = Account(name="amy", role="approver"), Account(name="sue", role="suggester")
    set_aside(queue, "c1", "leave", "amy")
    found = [
        raised(lambda: set_aside(queue, "c1", "leave", "sue")),
        raised(lambda: require(sue, "approve", "glowskin")),
        raised(lambda: require(Account(name="tom", role="approver", brands=("threadline",)), "approve", "glowskin")),
        raised(lambda: assign(queue, accounts, "c1", "gone", amy)),
        raised(lambda: assign(queue, accounts, "c1", "nobody", amy)),
        raised(lambda: assign(queue, accounts, "c1", "amy", sue)),
    ]
    bring_back(queue, "c1", "amy")
    found.append(raised(lambda: bring_back(queue, "c1", "amy")))
    return found


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_the_services_refusals_are_shown_in_chinese(messages, language, monkeypatch):
    monkeypatch.setattr("ui.i18n.language", lambda: language)
    for message in messages:
        shown = st_module.service_text(message)
        assert shown != message, f"not matched: {message}"
        leftover = set(ENGLISH_WORD.findall(shown)) - VALUES
        assert not leftover, f"{message!r} → {shown!r} keeps {leftover}"


def test_a_tampered_cookie_is_told_in_the_desks_words(monkeypatch):
    monkeypatch.setattr("ui.i18n.language", lambda: "zh_Hant")
    assert sign_in_error(TAMPERED) == "此登入憑證無效：請重新登入"
