"""No thanks for an offence: a thank-you needs praise of the brand or its goods, and text about violence, sexual
violence or hate is never thanked, whatever else it says ("被夸了好开心🥰" under a remark about a massacre reads as
the brand cheering it). A hard check: the words are knowledge/wording/sections.yaml (`violence`), the offence bar the
triage's learned model (agent/triage/learned.py)."""

from __future__ import annotations

from agent.knowledge.wording import sections
from agent.schemas import Action, CheckResult, checked, found
from agent.text import normalize_for_match
from agent.triage import learned
from agent.triage.features import OFFENSIVE_AT
from agent.triage.learned import ArtifactError


def offence_in(comment: str, lexicon_words: list[str], offensive: float | None = None) -> str | None:
    """What flags the comment as violence, sexual violence, hate or abuse: a word of it, or the offence model
    (`offensive`: the score the triage already holds, so the model is not run again)."""
    folded = normalize_for_match(comment)
    hit = sections().violence.search(folded)
    if hit:
        return hit.group(0)
    word = next((w for w in lexicon_words if w and normalize_for_match(w) in folded), None)
    if word:
        return word
    try:
        p = learned.score(comment).offensive if offensive is None else offensive
    except ArtifactError:  # no offence model shipped: the words alone decide
        return None
    return f"offence {p:.2f}" if p >= OFFENSIVE_AT else None  # the triage's own bar


def is_thanks(reply: str, action: Action | None) -> bool:
    """The draft thanks the commenter for praise: the thank action, or a reply that says so."""
    return action == Action.thank or bool(sections().praise_thanks.search(normalize_for_match(reply)))


def no_thanks_for_offence(reply: str, comment: str, action: Action | None, lexicon_words: list[str],
                          offensive: float | None = None) -> CheckResult:
    problems = []
    if reply and is_thanks(reply, action):
        flag = offence_in(comment, lexicon_words, offensive)
        if flag:
            problems.append(found("thanks a comment flagged as an offence: {words}", words=flag))
    return checked("no_thanks_for_offence", problems, detail=None, blocks_approval=bool(problems), hard=True)
