"""triage: the deterministic rules decide; a real model may refine within what the evidence allows."""

from __future__ import annotations

import json
from typing import Any

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field

from agent.drafting.llm import structured_call
from agent.errors import ModelError
from agent.graph.state import Deps, DraftState
from agent.schemas import Source, Triage, Violation
from agent.triage.rules import decide, enforce_rules, lexicons_for, scan


class TriageOut(BaseModel):
    source: Source
    severity: int = Field(ge=1, le=3)
    violations: list[Violation]
    confidence: float = Field(ge=0, le=1)
    rationale: str


def triage(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    signals = scan(state.text_simplified, state.pii, state.evidence, lexicons_for(deps.settings.knowledge_dir))
    rules = decide(signals, state.evidence, state.text_simplified).model_copy(update={"pii": state.pii})
    if deps.client is None:
        return {"triage": rules}
    try:
        out = structured_call(deps.client, deps.settings, "triage", {
            "brand": state.brand,
            "comment": state.comment.text,
            "rule_triage": rules.model_dump_json(include={"source", "severity", "violations", "signals"}),
            "evidence": state.evidence.model_dump_json(exclude={"order"}),
            "enums": json.dumps({"source": [s.value for s in Source], "violations": [v.value for v in Violation]}),
        }, TriageOut)
    except ModelError as e:
        return {"triage": rules, "fallback": f"triage: {e}"}
    refined = Triage(**out.model_dump(), pii=state.pii)
    return {"triage": enforce_rules(refined, rules, state.evidence)}
