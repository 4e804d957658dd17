"""triage: the rules and learned signals decide; a real model may refine within what the evidence allows."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.graph.state import Deps, DraftState
from agent.triage.bounds import enforce_rules
from agent.triage.rules import rule_triage


def triage(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    rules = rule_triage(state.text_simplified, state.pii, state.evidence, deps.settings.knowledge_dir)
    refined, step = deps.drafting.refine_triage(state.brand, state.comment.text, rules, state.evidence)
    return {"triage": enforce_rules(refined, rules, state.evidence) if refined else rules, "steps": [step]}
