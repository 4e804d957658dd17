"""Why the plan chose its action, and what the triage saw, reach the desk in its language: every reason the
planner can produce (agent.planning.action.REASONS) is shown in 繁體 (Taiwan usage) and 简体 with no English
word left but the values, the triage's signals and rationale too, and the queue's "why this action" column of
a 繁體 desk holds no English."""

from __future__ import annotations

import ast
import inspect
import re

import pytest
from streamlit.testing.v1 import AppTest

from agent.planning import action
from agent.planning.action import REASONS
from tests.ui.demo_data import APP
from ui.i18n import catalog
from ui.plan_text import ACTION_REASONS, check_detail, rationale_text, reason_text, signal_text

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
SIMPLIFIED_ONLY = set("据审个与为这说读会时间处条发从们后评论账号")
# A value for each placeholder, as the planner fills it.
SAMPLE = {"status": "hidden", "relation": "unrelated", "violations": "porn, spam_redirect",
          "signs": "nickname, repeated_invitations, several_notes"}
CHINESE = ["zh_Hant", "zh_Hans"]


def filled(template: str) -> str:
    return template.format(**{k: v for k, v in SAMPLE.items() if "{" + k + "}" in template})


def test_the_desk_knows_every_reason_the_planner_gives():
    assert set(ACTION_REASONS) == set(REASONS.values())


def test_the_planner_words_its_reasons_only_from_its_table():
    """A reason written inline in decide_action or its helpers would reach the desk untranslated."""
    tree = ast.parse(inspect.getsource(action))
    inline = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in ("decide_action", "_left", "_reported", "_by_kind"):
            for ret in (n for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None):
                parts = ret.value.elts[1:] if isinstance(ret.value, ast.Tuple) else [ret.value]
                inline += [ast.unparse(p) for p in parts for c in ast.walk(p)
                           if isinstance(c, (ast.Constant, ast.JoinedStr)) and isinstance(getattr(c, "value", ""), str)
                           and not _is_key(p, c)]
    assert not inline, f"reasons outside agent.planning.action.REASONS: {inline}"


def _is_key(expr: ast.AST, const: ast.AST) -> bool:
    """The constant is a REASONS[...] key, or a separator joined into a value."""
    return any(isinstance(n, ast.Subscript) and n.slice is const for n in ast.walk(expr)) or (
        isinstance(const, ast.Constant) and const.value == ", ")


@pytest.mark.parametrize("language", CHINESE)
@pytest.mark.parametrize("name", sorted(REASONS))
def test_every_action_reason_is_shown_in_chinese(name, language):
    english = filled(REASONS[name])
    shown = reason_text(english, language)
    assert shown != english
    assert not ENGLISH_WORD.findall(shown), f"{english!r} → {shown!r}"
    if language == "zh_Hant":
        assert not set(shown) & SIMPLIFIED_ONLY, shown
    assert reason_text(english, "en") == english


@pytest.mark.parametrize("language", CHINESE)
def test_the_triage_signals_and_rationale_are_shown_in_chinese(language):
    signals = ["safety: 过敏, 烂脸", "extortion_pay: 给钱", "spam_redirect: 加v", "learned: offensive 0.28, negative 0.91",
               f"section: {filled(REASONS['spam_author'])}", f"section: {REASONS['lead_gen_words']}"]
    for signal in signals:
        shown = signal_text(signal, language)
        assert not ENGLISH_WORD.findall(shown), f"{signal!r} → {shown!r}"
    assert signal_text("learned: offensive 0.28, negative 0.91", language).endswith("0.91")
    rationale = "后台有该作者的订单：真实顾客；涉及安全（过敏、烂脸等）：即使是真实顾客也按3级处理"
    shown = rationale_text(rationale, language)
    assert (not set(shown) & SIMPLIFIED_ONLY) if language == "zh_Hant" else shown == rationale
    detail = check_detail("says “已举报” but no appeal is drafted", language)
    assert "已举报" in detail and not ENGLISH_WORD.findall(detail)


def test_the_catalogs_hold_each_reason_with_its_placeholders():
    for language in CHINESE:
        words = catalog(language)
        for template in REASONS.values():
            assert sorted(re.findall(r"\{\w+\}", words[template])) == sorted(re.findall(r"\{\w+\}", template))


def test_the_queue_says_why_in_traditional_chinese(ui_settings, monkeypatch):
    monkeypatch.setenv("REDREPLY_LANGUAGE", "zh_Hant")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception
    reasons = [r for r in at.dataframe(key="queue_table").value["action_reason"] if r]
    assert reasons, "the demo queue shows no action reason"
    english = [r for r in reasons if ENGLISH_WORD.search(r)]
    assert not english, english


def _check_names() -> set[str]:
    """Every check name the layers below the desk can produce, read from their code."""
    from pathlib import Path

    pattern = re.compile(r'(?:_result\(|_check\(|CheckResult\(name=|name=)"([a-z_]+)"')
    names: set[str] = set()
    for path in Path("agent").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "CheckResult" in text or "_result(" in text:
            names |= set(pattern.findall(text))
    return {n for n in names if "_" in n or n in {"proportionate"}}


@pytest.mark.parametrize("language", CHINESE)
def test_every_check_name_is_shown_in_chinese(language):
    from ui.i18n import translate

    names = _check_names()
    assert {"reaction_care", "citations_in_knowledge", "evidence_as_ticked"} <= names
    for name in sorted(names):
        shown = translate(name, language)
        assert shown != name and not ENGLISH_WORD.findall(shown), f"{name} → {shown}"
        if language == "zh_Hant":
            assert not set(shown) & SIMPLIFIED_ONLY, shown
