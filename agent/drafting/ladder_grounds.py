"""Which report reasons a case's comments show: a later report's reason must be one of them, read as the
first report's reason was (agent.drafting.appeal_reason.grounds_for)."""

from __future__ import annotations

from agent.cases.rules import truthful_reasons
from agent.drafting.appeal_reason import grounds_for
from agent.drafting.ladder_slots import LadderInput, comment_facts
from agent.schemas import Violation


def grounded_reasons(data: LadderInput) -> list[Violation] | None:
    """The case's true report reasons that its comments show, by the words the first report was chosen on
    (agent.drafting.appeal_reason.grounds_for): a later report's reason must be one of them. None when no
    comment of the case is on record to read (the triage's list then stands)."""
    read = [comment_facts(data, i) for i in data.items if i.id in data.case.members and i.result]
    if not read:
        return None
    shown = []
    for v in truthful_reasons(data.case.violations, data.case.cluster):
        # A flood is repetition whatever it says: the platform's spam box takes it too (appeal_for words it so).
        flood = data.case.cluster and v in (Violation.flooding, Violation.spam_redirect)
        if flood or any(grounds_for(v, facts, data.brand) for facts in read):
            shown.append(v)
    return shown
