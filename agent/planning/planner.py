"""The planning decisions put together into the one Plan the drafting and the reviewer read."""

from __future__ import annotations

from agent.planning.inputs import PlanInput
from agent.planning.model_gate import asks_model, decided_situation
from agent.planning.policy import escalation, should_appeal
from agent.planning.scripts import ScriptChoice, template_for
from agent.schemas import Plan
from agent.triage.situation_model import SituationGuess


def plan_for(inp: PlanInput, choice: ScriptChoice, guess: SituationGuess | None) -> Plan:
    """The plan of a comment whose rules' script is `choice`; `guess` is the situation model's reading,
    where `asks_model(choice)` (one it was not asked for is ignored)."""
    guess = guess if asks_model(choice) else None
    situation = decided_situation(inp, choice, guess)
    # The situation is the decision; its entry is the one that fits the comment best (the first on a tie).
    template = template_for(inp, choice.strategy, choice.about, situation)
    appeal = should_appeal(inp)
    return Plan(strategy=choice.strategy, appeal=appeal,
                escalation=escalation(inp, appeal),
                situation=template.situation, template=template.id,
                product=choice.product.id if choice.product else None,
                situation_by="model" if template.situation != choice.situation else "rules",
                situation_scores=guess.top if guess is not None else {})
