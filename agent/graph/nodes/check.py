"""check: run the guardrails on the drafts; send a failing model draft back once for revision."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime

from agent.drafting.guardrails import CheckInput, run_checks
from agent.graph.state import Deps, DraftState
from agent.knowledge.files import load_brand
from agent.schemas import Violation
from agent.triage.rules import lexicons_for

MAX_REVISIONS = 1


def check(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    assert state.reply and state.triage
    settings = runtime.context.settings
    lexicons = lexicons_for(settings.knowledge_dir)
    checks = run_checks(CheckInput(
        reply=state.reply.text, comment=state.comment.text, comment_script=state.script, source=state.triage.source,
        pii=state.pii, brand=load_brand(settings.knowledge_dir, state.brand),
        facts=[s.passage for s in state.sources if s.kind == "brand_fact"], max_chars=settings.reply_max_chars,
        order_found=state.evidence.order_found,
        injection_markers=lexicons.markers.get("injection", []),
        forbidden_words=[w for v in (Violation.abuse, Violation.porn, Violation.political)
                         for w in lexicons.violations.get(v, [])],
        rumor_words=lexicons.violations.get(Violation.rumor, []),
    ))
    return {"checks": checks}


def route_after_check(state: DraftState, runtime: Runtime[Deps]) -> Literal["revise", "human_review"]:
    """A model draft that failed a check gets one revision; placeholders are the reviewer's job."""
    fixable = [c for c in state.checks if not c.passed and not c.blocks_approval]
    if fixable and runtime.context.client is not None and state.model != "offline" \
            and state.revisions < MAX_REVISIONS:
        return "revise"
    return "human_review"


def revise(state: DraftState) -> dict[str, Any]:
    return {"revisions": state.revisions + 1}
