"""Node decisions on their own: what plan chooses and what finalize records."""

from types import SimpleNamespace

import numpy as np
import pytest

from agent.config import Settings
from agent.graph.nodes.finalize import finalize
from agent.graph.nodes.plan import plan
from agent.graph.state import DraftState
from agent.schemas import (
    Appeal,
    CommentIn,
    Reply,
    ReviewDecision,
    Source,
    Strategy,
    Triage,
    Violation,
)


def t(source, violations=(), severity=2):
    return Triage(source=source, severity=severity, violations=list(violations), confidence=0.8,
                  signals=[f"{v.value}: 私我" for v in violations])


def planned(source, violations=(), text="收到的精华漏液了，盒子都湿了"):
    """What the plan node decides for a comment triaged as `source` (the node run on its own)."""
    state = DraftState(comment=CommentIn(id="x", text=text), brand="glowskin", text_simplified=text,
                       triage=t(source, violations))
    # The plan reads the comment's query embedding from the store (retrieval computed it); a blank one here.
    store = SimpleNamespace(query_vector=lambda _query: np.zeros(384))
    return plan(state, SimpleNamespace(context=SimpleNamespace(settings=Settings(), store=store)))["plan"]


@pytest.mark.parametrize("source, violations, strategy", [
    (Source.genuine_experience, (), Strategy.apologize_resolve),
    (Source.misunderstanding, (), Strategy.educate),
    (Source.competitor_attack, [Violation.rumor], Strategy.neutral_rebuttal),
    (Source.extortion, (), Strategy.neutral_rebuttal),
    (Source.not_negative, (), Strategy.educate),
    # Spam or doxxing is not a complaint, but it gets a calm reply that hands it to the platform.
    (Source.not_negative, [Violation.spam_redirect], Strategy.neutral_rebuttal),
])
def test_the_plan_answers_each_kind_of_comment_with_its_strategy(source, violations, strategy):
    p = planned(source, violations)
    assert p.strategy == strategy
    # On the ladder: an attack with a rumor, spam under any comment; never a complaint with nothing against
    # the rules (extortion's own report is drafted apart from the plan's ladder).
    assert p.appeal == bool(violations)


def state(**kw):
    base = DraftState(comment=CommentIn(id="x", text="太慢"), brand="glowskin",
                      reply=Reply(text="抱歉～"), appeal=Appeal(reason=Violation.rumor, reason_label="造谣、虚假信息",
                                                            explanation="原说明"))
    return base.model_copy(update=kw)


def test_finalize_applies_the_edit_and_keeps_the_script():
    out = finalize(state(decision=ReviewDecision(action="edit", reply_text="改过的", appeal_explanation="新说明")))
    assert out["status"] == "approved" and out["reply"].text == "改过的" and out["appeal"].explanation == "新说明"


def test_finalize_reject_changes_nothing_but_the_status():
    assert finalize(state(decision=ReviewDecision(action="reject", reason="不合适"))) == {"status": "rejected"}
