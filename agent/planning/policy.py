"""The reply strategy of each kind of comment, whether it is appealed, and how far it is escalated."""

from __future__ import annotations

from typing import Final

from agent.drafting.appeal_facts import gather
from agent.drafting.appeal_reason import ReasonChoice, choose_reason
from agent.planning.inputs import PlanInput
from agent.schemas import Escalation, Evidence, Source, Strategy, Triage

STRATEGY: Final[dict[Source, Strategy]] = {
    Source.genuine_experience: Strategy.apologize_resolve,
    Source.misunderstanding: Strategy.educate,
    Source.competitor_attack: Strategy.neutral_rebuttal,
    Source.extortion: Strategy.neutral_rebuttal,
    Source.not_negative: Strategy.educate,
}
# A brigade this large (the comment and its look-alikes) goes to the platform's people, not the report form.
ACCOUNT_MANAGER_AT: Final = 5


def strategy_for(t: Triage) -> Strategy:
    # Spam, lewd or doxxing comments are not complaints, but they get a calm reply that hands them to the
    # platform.
    if t.source == Source.not_negative and t.violations:
        return Strategy.neutral_rebuttal
    return STRATEGY[t.source]


def reason_for(inp: PlanInput) -> ReasonChoice:
    """The report the comment gets (agent.drafting.appeal_reason): the same decision the appeal drafts from."""
    facts = gather(inp.triage, inp.evidence or Evidence(), inp.text, inp.record)
    return choose_reason(inp.triage, facts, inp.brand)


def should_appeal(inp: PlanInput) -> bool:
    """A report on the ladder. Extortion's own track (agent.drafting.appeal_reason) is drafted whatever this
    says; it joins the ladder only when the comment also breaks a rule."""
    choice = reason_for(inp)
    return choice.reason is not None and (choice.track != "extortion" or bool(inp.triage.violations))


def escalation(inp: PlanInput, appeal: bool) -> Escalation:
    if inp.triage.source == Source.extortion:
        return Escalation.legal_letter
    if not appeal:
        return Escalation.none
    if inp.cluster_size >= ACCOUNT_MANAGER_AT:
        return Escalation.account_manager  # organised brigading
    return Escalation.platform_report
