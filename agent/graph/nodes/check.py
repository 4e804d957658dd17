"""check: the guardrails on every draft. A model draft that fails gets one revision; one that still
fails a hard check is replaced by the offline draft, its attempt kept beside it for the reviewer."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Command

from agent.drafting.appeal_facts import gather
from agent.drafting.appeal_guard import appeal_checks
from agent.drafting.check_input import CheckInput
from agent.drafting.guardrails import hard_failures, run_checks
from agent.drafting.model_checks import ModelCheckInput, run_model_checks
from agent.drafting.prompts import fixed_text
from agent.graph.state import Deps, DraftState
from agent.knowledge.brands import load_brand
from agent.planning.report_claims import report_claim_check
from agent.schemas import CheckResult, RejectedAttempt, Reply, StepRecord
from agent.triage.signals import lexicons_for

MAX_REVISIONS = 1


def _checks(state: DraftState, deps: Deps, reply: str, appeal: str, model: bool = False) -> list[CheckResult]:
    assert state.triage
    settings = deps.settings
    facts = gather(state.triage, state.evidence, state.text_simplified, state.comment)
    base = CheckInput(
        reply=reply, comment=state.comment.text, comment_script=state.script, source=state.triage.source,
        pii=state.pii, brand=load_brand(settings.knowledge_dir, state.brand),
        facts=[s.passage for s in state.sources if s.kind == "brand_fact"], max_chars=settings.reply_max_chars,
        order_found=state.evidence.order_found, violations=state.triage.violations,
        lexicons=lexicons_for(settings.knowledge_dir), appeal=appeal, recent_under_note=state.recent_replies.under_note,
        recent_today=state.recent_replies.brand_today, internal_ids=(state.comment.id, *state.evidence.duplicate_cluster),
        action=state.plan.action if state.plan else None, offensive=state.triage.scores.get("offensive"),
    )
    # A reply may say the comment went to the platform only where an appeal is drafted.
    checks = [*run_checks(base), report_claim_check(reply, bool(appeal)),
              *appeal_checks(reply, appeal, state.comment.text, facts)]
    if not model:
        return checks
    # A model's draft also answers for what only a model does: echoes, its prompt, disguised ids, claims.
    thread = [m.text for m in state.comment.context.thread] if state.comment.context else []
    return checks + run_model_checks(ModelCheckInput(
        reply=reply, comment=state.comment.text, base=base, thread=thread,
        prompt_text=fixed_text(settings.prompts_dir, "draft")))


def check(state: DraftState, runtime: Runtime[Deps]) -> Command:  # type: ignore[type-arg]
    deps = runtime.context
    if state.reply is None:  # reported or left: no public reply, but a report's appeal still meets its checks
        return Command(goto="human_review", update=_appeal_only(state, deps))
    by_model = state.drafted_by not in ("offline", "rules")
    checks = _checks(state, deps, state.reply.text, state.appeal.explanation if state.appeal else "", by_model)
    if not by_model:
        return Command(goto="human_review", update={"checks": checks})
    # Placeholders are the reviewer's to fill; anything else a model got wrong, it may fix once.
    # A repeat of the brand's reply under another note today is shown, not worth a second model call.
    fixable = [c for c in checks if not c.passed and not c.blocks_approval
               and (c.hard or c.name != "not_repeated")]
    if fixable and state.revisions < MAX_REVISIONS:
        return Command(goto="draft", update={"checks": checks, "revisions": state.revisions + 1})
    hard = hard_failures(checks)
    if not hard:
        return Command(goto="human_review", update={"checks": checks})
    return Command(goto="human_review", update=_replace_with_offline(state, deps, checks, hard))


def _replace_with_offline(state: DraftState, deps: Deps, checks: list[CheckResult],
                          hard: list[CheckResult]) -> dict[str, Any]:
    assert state.reply and state.offline_drafts
    offline = state.offline_drafts
    attempt = RejectedAttempt(model=state.drafted_by, reply=state.reply.text,
                              appeal_explanation=state.appeal.explanation if state.appeal else None,
                              failed_checks=[c for c in checks if not c.passed])
    reason = f"the model's draft failed {', '.join(c.name for c in hard)} after its revision"
    return {
        "reply": Reply(text=offline.reply, script=state.script), "appeal": offline.appeal, "drew_on": offline.drew_on,
        "checks": _checks(state, deps, offline.reply, offline.appeal.explanation if offline.appeal else ""),
        "rejected_attempt": attempt, "steps": [StepRecord(step="draft", model="offline", fallback=reason)],
    }


def _appeal_only(state: DraftState, deps: Deps) -> dict[str, Any]:
    """A reported comment: no public reply, and its appeal (drafted offline) meets the appeal's checks."""
    if state.appeal is None:
        return {"checks": []}
    assert state.triage
    facts = gather(state.triage, state.evidence, state.text_simplified, state.comment)
    return {"checks": appeal_checks("", state.appeal.explanation, state.comment.text, facts)}
