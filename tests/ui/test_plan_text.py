"""Why the plan chose its action, and what the triage saw, reach the desk in its language: every reason the
planner can produce (agent.planning.action_input.REASONS) is shown in 繁體 (Taiwan usage) and 简体 with no English
word left but the values, the triage's signals and rationale too, and the queue's "why this action" column of
a 繁體 desk holds no English."""

from __future__ import annotations

import ast
import inspect
import re

import pytest
from streamlit.testing.v1 import AppTest

from agent.planning import action
from agent.planning.action_input import REASONS
from agent.schemas import CheckResult
from tests.ui.demo_data import APP
from ui.check_text import FINDINGS, NAMED, check_detail
from ui.i18n import catalog
from ui.plan_text import ACTION_REASONS, rationale_text, reason_text, signal_text

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
    assert not inline, f"reasons outside agent.planning.action_input.REASONS: {inline}"


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
    older = CheckResult(name="report_claim_matches_plan", passed=False, detail="says “已举报” but no appeal is drafted")
    detail = check_detail(older, language)  # a draft saved before checks kept their findings
    assert ("已舉報" if language == "zh_Hant" else "已举报") in detail and not ENGLISH_WORD.findall(detail)


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

    pattern = re.compile(r'(?:_result\(|_check\(|checked\(\s*|CheckResult\(name=|name=)"([a-z_]+)"')
    names: set[str] = set()
    for path in Path("agent").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "CheckResult" in text or "_result(" in text or "checked(" in text:
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


def _found_wordings() -> dict[str, set[str]]:
    """Every wording a check's finding can have, read from the layers' code: each `found("…", key=…)` call, its
    literal wording -> the placeholders it is given."""
    from pathlib import Path

    wordings: dict[str, set[str]] = {}
    for path in Path("agent").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "found":
                first = node.args[0]
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{path}: a finding's wording must be a literal the catalogs can hold: {ast.unparse(node)}")
                wordings[first.value] = {k.arg for k in node.keywords if k.arg}
    return wordings


def test_every_check_detail_is_worded_from_findings():
    """A check's detail written as a string of its own would reach the desk in English: every CheckResult the layers
    build with a detail comes from `checked` with its findings."""
    from pathlib import Path

    loose = []
    for path in Path("agent").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "CheckResult":
                keys = {k.arg for k in node.keywords}
                if "detail" in keys and "findings" not in keys:
                    loose.append(f"{path}: {ast.unparse(node)[:100]}")
    assert not loose, loose


def test_the_desk_knows_every_finding_of_the_checks():
    wordings = _found_wordings()
    assert {"cold officialese: {words}", "says “{claim}” but no appeal is drafted",
            "{figure} {value}, below the threshold the brand set for this rung (needs ≥ {needed})"} <= set(wordings)
    assert set(FINDINGS) == set(wordings)
    for wording, keys in wordings.items():
        assert set(re.findall(r"\{(\w+)\}", wording)) == keys, wording


@pytest.mark.parametrize("language", CHINESE)
def test_every_check_detail_is_shown_in_chinese(language):
    """Each wording, filled with values as the checks fill them (names from the code, the draft's words in
    Chinese), in 简体 and 繁體 with no English word and, in 繁體, no Simplified character."""
    from agent.schemas import Finding

    words = catalog(language)
    named = {"kind": ["phone", "wechat", "qq", "email", "url", "address", "id_card", "name"],
             "got": ["zh-Hant"], "expected": ["zh-Hans"], "figure": ["likes", "look-alike comments", "severity",
                                                                  "rejected reports"]}
    assert set(named) == NAMED
    for wording, keys in _found_wordings().items():
        assert wording in words, f"no {language} wording for {wording!r}"
        assert sorted(re.findall(r"\{\w+\}", words[wording])) == sorted(re.findall(r"\{\w+\}", wording)), wording
        for value in named.get(next(iter(keys & NAMED), ""), ["说明书"]):
            values = {k: value if k in NAMED else ("300" if k in ("n", "limit", "value", "needed", "article") else
                                                   "请私信这里说明") for k in keys}
            check = CheckResult(name="x", passed=False, findings=[Finding(text=wording, values=values)])
            shown = check_detail(check, language)
            english = [w for w in ENGLISH_WORD.findall(shown) if not w.isupper()]  # QQ is its name
            assert not english, f"{wording!r} → {shown!r}"
            if language == "zh_Hant":
                assert not set(shown) & SIMPLIFIED_ONLY, shown
            assert check_detail(check, "en") == wording.format(**values)


@pytest.mark.parametrize("language", CHINESE)
def test_a_drafts_failed_checks_read_in_the_desks_language(language):
    """Real checks of a bad reply: each failed one's detail in Chinese, its quoted words kept (in 繁體 as a 繁體
    reader reads them); the CLI's English detail unchanged."""
    from agent.drafting.check_input import CheckInput
    from agent.drafting.guardrails import run_checks
    from agent.schemas import Source
    from tests.brands import TEST_BRAND

    reply = "尊敬的用户，您的问题我司已知悉，敬请谅解，加微信 abc12345 退款 50元。" + "好" * 300
    checks = run_checks(CheckInput(reply=reply, comment="用了过敏了", comment_script="zh-Hans",
                                   source=Source.genuine_experience, pii=[], brand=TEST_BRAND))
    failed = [c for c in checks if not c.passed]
    assert {"no_officialese", "within_length", "no_contact_redirect", "reaction_care"} <= {c.name for c in failed}
    for c in failed:
        assert c.findings and c.detail == "; ".join(f.worded() for f in c.findings), c.name
        shown = check_detail(c, language)
        assert not ENGLISH_WORD.findall(shown), f"{c.name}: {shown}"
    officialese = check_detail(next(c for c in failed if c.name == "no_officialese"), language)
    assert ("我司" in officialese and "官腔" in officialese) if language == "zh_Hans" else "官腔" in officialese
    if language == "zh_Hant":
        assert not set(officialese) & SIMPLIFIED_ONLY, officialese


@pytest.mark.parametrize("language", CHINESE)
def test_why_the_offline_drafter_stood_in_is_shown_in_chinese(language):
    """The reason beside an offline draft that stood in: the checks the model failed named in Chinese, a model's own
    error quoted as it came."""
    from ui.i18n import translate
    from ui.plan_text import fallback_text

    shown = fallback_text("the model's draft failed no_echo, grounded_claims_hard after its revision; "
                          "triage: Timeout", language)
    assert translate("no_echo", language) in shown and shown.endswith("Timeout")
    assert ENGLISH_WORD.findall(shown) == ["Timeout"], shown
    assert translate("offline", language) not in ("offline", "")


def test_the_report_action_is_not_the_certificates_report_number():
    """The queue's action "report" and the knowledge page's report-number column were one msgid: the 繁體 queue
    said 報告編號 where it meant 檢舉."""
    from ui.i18n import translate
    from ui.labels import HEADERS

    assert translate("report", "zh_Hant") == "檢舉" and translate("report", "zh_Hans") == "举报"
    assert translate(HEADERS["report"], "zh_Hant") == "報告編號"
