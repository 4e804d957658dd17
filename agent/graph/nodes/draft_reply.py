"""draft_reply: the public reply, by the model when there is one, else (or on failure) the script library."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field

from agent.drafting import offline as offline_drafter
from agent.drafting.llm import structured_call
from agent.errors import ModelError
from agent.graph.state import Deps, DraftState
from agent.knowledge.files import load_brand, load_script_library
from agent.schemas import Reply, Strategy
from agent.text import in_script
from agent.triage.rules import lexicons_for, never_quote


class ReplyOut(BaseModel):
    text: str = Field(description="The public reply, ready to post")


def facts_block(state: DraftState, kind: str = "brand_fact") -> str:
    return "\n".join(f"[{s.id}] {s.passage}" for s in state.sources if s.kind == kind) or "(none)"


def failed_checks_block(state: DraftState) -> str:
    return "\n".join(f"- {c.name}: {c.detail}" for c in state.checks if not c.passed) or "(none)"


def draft_reply(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    settings = deps.settings
    assert state.plan and state.triage
    brand = load_brand(settings.knowledge_dir, state.brand)
    library = load_script_library(settings.knowledge_dir)
    offline_text, template = offline_drafter.draft_reply(
        library, brand, state.plan, state.comment.text, state.text_simplified, state.evidence,
        avoid=never_quote(settings.knowledge_dir),
        refuse=lexicons_for(settings.knowledge_dir).markers.get("injection", []),
        instruction=state.instruction)
    update: dict[str, Any] = {"checks": []}
    if deps.client is None:
        return {**update, "reply": Reply(text=in_script(offline_text, state.script), script=state.script)}
    try:
        out = structured_call(deps.client, settings, "draft_reply", {
            "brand": brand.name,
            "strategy": state.plan.strategy.value,
            "situation": template.title,
            "triage": state.triage.model_dump_json(include={"source", "severity", "violations", "rationale"}),
            "evidence": state.evidence.model_dump_json(include={"order_found", "duplicate_cluster"}),
            "order_status": offline_drafter.order_status(
                state.evidence, verified_no_order=state.plan.strategy == Strategy.neutral_rebuttal),
            "facts": facts_block(state),
            "allowed_promises": "、".join(brand.allowed_promises) or "(none)",
            "service_hours": brand.service.hours,
            "script_example": offline_text,
            "script": "繁体中文" if state.script == "zh-Hant" else "简体中文",
            "max_chars": settings.reply_max_chars,
            "instruction": state.instruction or "(none)",
            "failed_checks": failed_checks_block(state) if state.revisions else "(none)",
            "comment": state.comment.text,
        }, ReplyOut)
        text = out.text.strip()
    except ModelError as e:
        text = offline_text
        update["fallback"] = f"draft_reply: {e}"
        update["model"] = "offline"
    return {**update, "reply": Reply(text=in_script(text, state.script), script=state.script)}
