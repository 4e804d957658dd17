"""The appeal's checks: every factual sentence has its evidence behind it, and the reply and the appeal
tell one story. A model's appeal is untrusted input: these fail it like any other hard check."""

from __future__ import annotations

import re

from agent.drafting.appeal_facts import AppealFacts
from agent.drafting.appeal_reason import group_slur, used_insults
from agent.knowledge.wording import appeals
from agent.schemas import CheckResult, Finding, checked, found
from agent.triage import safety


def _supported(need: str, facts: AppealFacts) -> bool:
    return {
        "order_none": facts.order_key is not None and facts.order is None,
        "order_found": facts.order is not None,
        "spread": bool(facts.likes),
        "cluster": bool(facts.cluster),
        "history": bool(facts.history),
        "insult": bool(used_insults(facts)) or bool(group_slur(facts)),
        "contact": facts.contacts,
    }.get(need, False)


def unsupported_statements(appeal: str, facts: AppealFacts) -> list[str]:
    """The appeal's sentences that state a fact (agent/knowledge/wording appeals.statement_needs) with no
    recorded evidence behind it."""
    needs = appeals().statement_needs
    sentences = [s for s in re.split(r"(?<=[。！？\n])", appeal) if s.strip()]
    return [s.strip() for s in sentences
            if any(p.search(s) and not _supported(need, facts) for need, p in needs.items())]


def contradictions(reply: str, appeal: str, comment: str) -> list[Finding]:
    """Where the reply and the appeal disagree: an appeal saying the brand stays silent beside a reply, an appeal
    calling the claim unproven beside a reply apologising for it, or a reply speaking of a reaction the comment
    never described."""
    words = appeals()
    out: list[Finding] = []
    if appeal and reply.strip() and words.silent.search(appeal):
        out.append(found("the appeal says the brand does not answer in public, but the reply does"))
    sorry = words.concedes.search(reply)
    if appeal and sorry and words.calls_false.search(appeal):
        out.append(found("the appeal calls the comment's claim unproven, but the reply apologises for it (「{words}」)",
                         words=sorry.group()))
    said = words.reaction_words.search(reply)
    if appeal and said and not safety.describes_reaction(comment) and not words.reaction_words.search(comment):
        out.append(found("the reply speaks of a reaction (「{words}」) the comment does not describe", words=said.group()))
    return out


def appeal_checks(reply: str, appeal: str, comment: str, facts: AppealFacts) -> list[CheckResult]:
    if not appeal:
        return []
    bad = unsupported_statements(appeal, facts)
    clash = contradictions(reply, appeal, comment)
    return [
        checked("appeal_evidence", [found("statements with no evidence behind them: {words}", words=" | ".join(bad))]
                if bad else [], hard=True),
        checked("one_story", clash, hard=True),
    ]
