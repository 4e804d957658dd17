"""The reply strategy of each kind of comment, whether it is appealed, and how far it is escalated."""

from __future__ import annotations

from typing import Final

from agent.schemas import Escalation, Source, Strategy, Triage, Violation

STRATEGY: Final[dict[Source, Strategy]] = {
    Source.genuine_experience: Strategy.apologize_resolve,
    Source.misunderstanding: Strategy.educate,
    Source.competitor_attack: Strategy.neutral_rebuttal,
    Source.extortion: Strategy.neutral_rebuttal,
    Source.not_negative: Strategy.educate,
}
# Rules worth reporting even under a real customer's comment: they harm third parties.
ALWAYS_REPORT: Final[frozenset[Violation]] = frozenset(
    {Violation.privacy, Violation.porn, Violation.political, Violation.spam_redirect})
# A brigade this large (the comment and its look-alikes) goes to the platform's people, not the report form.
ACCOUNT_MANAGER_AT: Final = 5


def strategy_for(t: Triage) -> Strategy:
    # Spam, lewd or doxxing comments are not complaints, but they get a calm reply that hands them to the
    # platform.
    if t.source == Source.not_negative and t.violations:
        return Strategy.neutral_rebuttal
    return STRATEGY[t.source]


def should_appeal(t: Triage) -> bool:
    if not t.violations:
        return False
    if t.source in (Source.genuine_experience, Source.misunderstanding, Source.not_negative):
        return bool(set(t.violations) & ALWAYS_REPORT)
    return True


def escalation(t: Triage, appeal: bool, cluster_size: int) -> Escalation:
    if t.source == Source.extortion:
        return Escalation.legal_letter
    if not appeal:
        return Escalation.none
    if cluster_size >= ACCOUNT_MANAGER_AT:
        return Escalation.account_manager  # organised brigading
    return Escalation.platform_report
