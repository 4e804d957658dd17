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
    assign(queue, accounts, "c1", "sue", amy)
    found.append(raised(lambda: assign(queue, accounts, "c1", None, Account(name="tom", role="suggester"))))
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


# Refusals only the CLI or a setting can meet: the desk offers no way to make them (its forms check first, or
# the message is about the command line itself).
CLI_ONLY = ("alert channel", "unknown bulk action", "id {} is already queued", "{}: no such folder", "no valid comments",
            "the password needs", "bad account name", "unknown role", "unknown language", "an account named",
            "this desk has accounts", "unknown result", "case {} is at {}: an outcome", "12377 takes only",
            "no second report", "{} is not after", "rung skipped", "--reason is for", "unknown checklist item",
            "too many failed sign-ins")  # the sign-in page words its own failures (ui.auth.sign_in_error)
SERVICE_MODULES = ("agent/review", "agent/cases/model.py")


def _sample(node) -> str | None:
    """A raised message with each {value} as "{}" ("{a}" where it is the article of the word after it)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{a}" if ast.unparse(v.value) == "article" else "{}"
                       for v in node.values)
    if isinstance(node, ast.BinOp):
        left, right = _sample(node.left), _sample(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.IfExp):
        return _sample(node.body)
    return None


def _service_messages() -> list[str]:
    """Every message the service layer raises to a person, read from its code."""
    import ast
    from pathlib import Path

    errors = {"UserError", "ConflictError", "PermissionDenied"}
    out = []
    for root in SERVICE_MODULES:
        paths = [Path(root)] if root.endswith(".py") else sorted(Path(root).rglob("*.py"))
        for path in paths:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                        and getattr(node.exc.func, "id", "") in errors and node.exc.args):
                    text = _sample(node.exc.args[0])
                    assert text is not None, f"{path}:{node.lineno}: a message the test cannot read"
                    out.append(text)
    return out


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_every_message_the_service_raises_is_shown_in_chinese(language, monkeypatch):
    """Read from the code, each message filled with ids and names as values: matched, and no English word left."""
    monkeypatch.setattr("ui.i18n.language", lambda: language)
    messages = [m for m in _service_messages() if not m.startswith(CLI_ONLY)]
    assert any(m.startswith("approval blocked") for m in messages) and any("case" in m for m in messages)
    for message in messages:
        filled = message.replace("{}", "c1").replace("{a}", "a")
        shown = st_module.service_text(filled)
        assert shown != filled, f"not matched: {message}"
        leftover = set(ENGLISH_WORD.findall(shown)) - VALUES
        assert not leftover, f"{filled!r} → {shown!r} keeps {leftover}"
        if language == "zh_Hant":
            assert not set(shown) & set("据审个与为这说读会时间处条发从们后评论账号"), shown
