"""plan: the planning policy (agent.planning), the situation model asked where it may decide."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from langgraph.runtime import Runtime

from agent.drafting.answers import worried_question
from agent.errors import UserError
from agent.graph.nodes.retrieve import retrieval_query
from agent.graph.state import Deps, DraftState
from agent.knowledge.brands import load_brand
from agent.knowledge.script_library import load_script_library
from agent.planning.action import decide_action, implied_violation
from agent.planning.action_input import REASONS, ActionInput
from agent.planning.inputs import PlanInput
from agent.planning.model_gate import asks_model
from agent.planning.planner import plan_for
from agent.planning.policy import escalation
from agent.planning.script_fit import fitted_plan
from agent.planning.scripts import (
    complaint_asked,
    plan_situation,
    praise_names_defect,
    rules_script,
    script_for_action,
)
from agent.schemas import Action, Escalation, Plan
from agent.triage import kind_model, situation_model
from agent.triage.learned import ArtifactError
from agent.triage.rules import never_quote
from agent.triage.signals import lexicons_for
from agent.triage.situation_model import SituationGuess, SituationModel


def _plan_input(state: DraftState, knowledge_dir: Path) -> PlanInput:
    assert state.triage is not None
    context = state.comment.context
    return PlanInput(triage=state.triage, text=state.text_simplified,
                     has_brand_reply=context is not None and context.has_brand_reply,
                     duplicates=len(state.evidence.duplicate_cluster),
                     brand=load_brand(knowledge_dir, state.brand), library=load_script_library(knowledge_dir),
                     lexicons=lexicons_for(knowledge_dir), evidence=state.evidence, record=state.comment)


def _situation_guess(state: DraftState, deps: Deps, model: SituationModel | None) -> SituationGuess:
    """The learned situation model's reading of the whole comment, with the embedding retrieval computed."""
    try:
        model = model or situation_model.load()
    except ArtifactError as e:
        raise UserError(str(e)) from e
    return model.guess(state.comment.text, deps.store.query_vector(retrieval_query(state.comment)))


def plan(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    return plan_with(state, runtime.context)


def plan_with(state: DraftState, deps: Deps, model: SituationModel | None = None) -> dict[str, Any]:
    """The plan node's update with this situation model (default: the shipped one); the situation
    cross-validation (`evals/situation_cv.py`) plans each fold with a model trained without it."""
    inp = _plan_input(state, deps.settings.knowledge_dir)
    choice = rules_script(inp)
    # Asked only where it may decide: loading it costs, and a missing one must not stop comments it has no
    # say in.
    guess = _situation_guess(state, deps, model) if asks_model(choice) else None
    planned = with_action(plan_for(inp, choice, guess), inp, state)
    # The script is chosen once, here: the plan's JSON, the model's example and the offline draft all use it.
    knowledge = deps.settings.knowledge_dir
    planned["plan"] = fitted_plan(inp.library, inp.brand, planned["plan"], state.comment.text, inp.text,
                                  never_quote(knowledge), inp.lexicons.markers.get("injection", []),
                                  broken=bool(planned.get("triage", inp.triage).violations))
    return planned


def with_action(plan: Plan, inp: PlanInput, state: DraftState) -> dict[str, Any]:
    """The plan with the comment's action and its reason (agent.planning.action). Lead generation the section's
    evidence proves is a `spam_redirect` violation: the triage gains it and the plan appeals, so the report
    has its appeal."""
    try:
        kind = kind_model.load().guess(state.comment.text)
    except ArtifactError as e:
        raise UserError(str(e)) from e
    act = ActionInput(state.comment.text, inp.triage, kind, state.comment.context, inp.brand)
    action, reason = decide_action(act)
    if action == Action.leave and reason == REASONS["talk"] and plan.appeal:
        # Talk whose insult the appeal can quote ("…少数族裔，哪来的自信和脸"): a report is due, not silence.
        action, reason = Action.report, REASONS["talk_insult"]
    entry = inp.library.reply(plan.template)
    # A complaint asked as a question, or praise naming a defect, keeps its complaint's script as a reply: an
    # answer or a thank-you never carries one (guardrails `fits_action`).
    if action == Action.answer and entry is not None and complaint_asked(inp, entry):
        action, reason = Action.reply, REASONS["complaint_asked"]
    if action == Action.thank and entry is not None and praise_names_defect(entry):
        action, reason = Action.reply, REASONS["praise_with_defect"]
    plan = plan.model_copy(update={"action": action, "action_reason": reason, "kind": kind.kind})
    if entry is not None:
        strategy, template = script_for_action(inp, action, plan.strategy, entry, inp.brand.product(plan.product))
        plan = plan.model_copy(update={"strategy": strategy, "situation": plan_situation(plan.situation, template),
                                       "template": template.id})
    if action == Action.answer and plan.appeal and worried_question(state.comment.text, inp.brand):
        # A worried customer's question about something heard is answered, never reported as a rumor.
        plan = plan.model_copy(update={"appeal": False, "escalation": Escalation.none})
    implied = implied_violation(act, action)
    if implied is None:
        return {"plan": plan}
    triage = inp.triage.model_copy(update={"violations": [*inp.triage.violations, implied],
                                           "signals": [*inp.triage.signals, f"section: {reason}"]})
    plan = plan.model_copy(update={"appeal": True, "escalation": escalation(replace(inp, triage=triage), True)})
    return {"plan": plan, "triage": triage}
