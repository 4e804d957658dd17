"""draft: the reply and, where the plan appeals, the appeal, through the one drafting seam."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.drafting.drafter import DraftRequest
from agent.drafting.extortion_reply import dm_only_reply
from agent.graph.state import Deps, DraftState
from agent.knowledge.brands import load_brand
from agent.knowledge.chunking import brand_sources
from agent.knowledge.script_library import load_script_library
from agent.schemas import Action, Reply, Source
from agent.triage.pii import redact
from agent.triage.rules import never_quote
from agent.triage.signals import lexicons_for


def draft(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    settings = deps.settings
    assert state.plan and state.triage
    req = DraftRequest(
        brand=load_brand(settings.knowledge_dir, state.brand), library=load_script_library(settings.knowledge_dir),
        plan=state.plan, triage=state.triage, evidence=state.evidence, comment=state.comment.text,
        folded=state.text_simplified, script=state.script, sources=state.sources, instruction=state.instruction,
        failed_checks=[f"- {c.name}: {c.detail}" for c in state.checks if not c.passed] if state.revisions else [],
        avoid=never_quote(settings.knowledge_dir),
        refuse=lexicons_for(settings.knowledge_dir).markers.get("injection", []),
        # The note and the earlier messages of the thread, already fitted to a budget at import; other
        # people's personal data in it is masked (no check would catch a reply echoing it).
        thread=redact(state.comment.context.prompt_text()) if state.comment.context else "",
        pictures=len(state.comment.context.pictures) if state.comment.context else 0,
        memory=state.memory, record=state.comment, recent=state.recent_replies,
    )
    offline = state.offline_drafts if state.revisions and state.offline_drafts else deps.drafting.offline_drafts(req)
    # The brand file's lines an answer states are cited first, and a model drafting the answer reads them too.
    cited = brand_sources(req.brand, offline.cites)
    req.sources = [*cited, *(s for s in state.sources if s.id not in {c.id for c in cited})]
    drafts, step = deps.drafting.drafts(req, offline)
    # A reported comment gets the appeal and no public reply, unless a reviewer asks for one: a reply drafted for
    # spam would answer it in public (where no appeal can be drafted, the reviewer sees the action's reason).
    public = state.plan.action != Action.report or bool(state.instruction)
    text: str | None = drafts.reply if public else None
    if not public and state.triage.source == Source.extortion:
        # Extortion: only the private messages it says went unanswered get a public word, never the demand.
        text = dm_only_reply(state.comment.text, state.comment.id)
    return {"offline_drafts": offline, "reply": Reply(text=text, script=state.script) if text is not None else None,
            "appeal": drafts.appeal, "steps": [step], "checks": [], "drew_on": drafts.drew_on, "sources": req.sources}
