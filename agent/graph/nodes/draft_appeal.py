"""draft_appeal: the report reason, the supplementary explanation, the evidence and the next steps."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from pydantic import BaseModel

from agent.drafting import offline as offline_drafter
from agent.drafting.llm import structured_call
from agent.errors import ModelError
from agent.graph.nodes.draft_reply import facts_block
from agent.graph.state import Deps, DraftState
from agent.knowledge.files import load_brand, load_script_library
from agent.triage.pii import redact
from agent.triage.rules import appeal_reason


class AppealOut(BaseModel):
    explanation: str
    evidence_checklist: list[str]
    next_steps: list[str]


def draft_appeal(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    assert state.plan and state.triage
    reason = appeal_reason(state.triage.violations)
    if not state.plan.appeal or reason is None:
        return {"appeal": None}
    deps = runtime.context
    settings = deps.settings
    brand = load_brand(settings.knowledge_dir, state.brand)
    facts = offline_drafter.verified_facts(brand, brand.product(state.plan.product), reason)
    excerpt = redact(" ".join(state.comment.text.split()))
    # Quoted: the report cites the comment as evidence, and a reader must see where its words end.
    excerpt = "“" + (excerpt if len(excerpt) <= 80 else excerpt[:80] + "…") + "”"
    base = offline_drafter.draft_appeal(load_script_library(settings.knowledge_dir), brand, reason, state.triage,
                                        state.evidence, facts, issue=excerpt)
    if deps.client is None:
        return {"appeal": base}
    try:
        out = structured_call(deps.client, settings, "draft_appeal", {
            "brand": brand.name,
            "reason": reason.value,
            "reason_label": base.reason_label,
            "triage": state.triage.model_dump_json(include={"source", "severity", "violations", "rationale"}),
            "evidence": state.evidence.model_dump_json(include={"order_found", "duplicate_cluster"}),
            "facts": facts_block(state),
            "guidelines": facts_block(state, "guideline"),
            "template": base.model_dump_json(),
            "escalation": state.plan.escalation.value,
            "comment": state.comment.text,
        }, AppealOut)
    except ModelError as e:
        return {"appeal": base, "fallback": state.fallback or f"draft_appeal: {e}"}
    return {"appeal": base.model_copy(update=out.model_dump())}
