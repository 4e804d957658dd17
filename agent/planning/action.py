"""The action of a comment in a whole comment section: reply, answer, thank, report, or leave it.

It reads the comment-kind model's reading first, then what the evidence proves beyond the words: who wrote
it (the brand's own account is left), its platform status, whether the note or the comment concerns the
brand at all, lead-generation signs, and the triage's violations. Each decision carries its reason, shown
to the reviewer. Pure: the plan node and `redreply eval sections` call the same function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.knowledge.files import Brand
from agent.knowledge.wording import sections
from agent.schemas import Action, Context, Source, Triage, Violation
from agent.text import normalize_for_match
from agent.triage.kind_model import KindGuess
from agent.triage.rules import asks_question
from agent.triage.section_evidence import names_brand

REPORTED = frozenset({Violation.spam_redirect, Violation.porn, Violation.political})
COMPLAINT_NEGATIVE = 0.9  # with the triage's complaint, the sentiment model's share that outweighs the kind model
NEVER_THANKED = 0.9  # the sentiment model's negative probability above which praise is never read
_NO_WORDS = re.compile(r"[\W_\d]*", re.UNICODE)  # punctuation, emoji and digits only (after stickers go)
_MARKERS = ("[图片]", "[无文字]")  # what the import writes for a comment with a picture only, or nothing


@dataclass(frozen=True)
class ActionInput:
    text: str  # the comment as written
    triage: Triage
    kind: KindGuess
    context: Context | None
    brand: Brand


def _no_words(text: str) -> bool:
    bare = sections().sticker.sub("", text.strip())
    return text.strip() in _MARKERS or not bare or bool(_NO_WORDS.fullmatch(bare))


def _left(inp: ActionInput) -> str | None:
    """Why the comment needs nothing whatever it says, else None."""
    ctx = inp.context or Context()
    if ctx.by_brand:
        return "written by the brand's own account"
    if ctx.status != "visible":
        return f"{ctx.status} on the platform"
    if _no_words(inp.text):
        return "no words to answer: empty, a picture, or only stickers or emoji"
    return None


def _reported(inp: ActionInput, folded: str) -> str | None:
    t = inp.triage
    broken = sorted(v.value for v in REPORTED.intersection(t.violations))
    if broken:
        return "breaks a platform rule: " + ", ".join(broken)
    if sections().lead_gen.search(folded):
        return "lead generation: an invitation to a private channel"
    if inp.kind.kind == "spam":
        signs = (inp.context or Context()).author_signs
        return "spam" + (f" (author: {', '.join(signs)})" if signs else "")
    return None


def _about_brand(inp: ActionInput) -> bool:
    ctx = inp.context or Context()
    if ctx.addresses_brand or names_brand(inp.text, inp.brand):
        return True
    return ctx.note_relation != "unrelated"  # an unknown note is not guessed to be someone else's


def decide_action(inp: ActionInput) -> tuple[Action, str]:
    """The action and its reason."""
    left = _left(inp)
    if left:
        return Action.leave, left
    folded = normalize_for_match(inp.text)
    if inp.triage.source == Source.extortion:
        return Action.report, "extortion: money for deleting a comment"
    if not _about_brand(inp):
        relation = (inp.context or Context()).note_relation
        return Action.leave, f"the note doesn't concern the brand ({relation}) and the comment doesn't name it"
    reported = _reported(inp, folded)
    if reported:
        return Action.report, reported
    if _between_users(inp):
        return Action.leave, "a reply between users that doesn't address the brand"
    return _by_kind(inp, folded)


def _between_users(inp: ActionInput) -> bool:
    ctx = inp.context or Context()
    return bool(ctx.parent_id) and not ctx.addresses_brand and not names_brand(inp.text, inp.brand)


def _complains(inp: ActionInput) -> bool:
    """The triage reads a complaint and the sentiment model agrees: never left as chatter."""
    t = inp.triage
    return t.source != Source.not_negative and t.scores.get("negative", 0.0) >= COMPLAINT_NEGATIVE


def _by_kind(inp: ActionInput, folded: str) -> tuple[Action, str]:
    kind, ctx = inp.kind.kind, inp.context or Context()
    own = ctx.note_relation in (None, "own") or ctx.addresses_brand
    if kind in ("chatter", "question") and _complains(inp):
        return Action.reply, f"read as {kind}, but the triage and the sentiment model read a complaint"
    if kind == "chatter" and ctx.note_relation is None:
        # Outside an imported section a person chose this comment to draft: the kind model alone never drops it.
        return Action.reply, "a single comment, not from a section: answered"
    if kind == "chatter" and not (own and asks_question(folded)):
        return Action.leave, "chatter"
    if kind in ("question", "chatter"):
        if not own and sections().to_author.search(folded) and not names_brand(inp.text, inp.brand):
            return Action.leave, "a question to the note's author"
        return Action.answer, "a question the brand can answer"
    if kind == "praise":
        if inp.triage.scores.get("negative", 0.0) >= NEVER_THANKED:
            return Action.reply, "read as praise, but the sentiment model scores it negative"
        return Action.thank, "praise of the brand"
    return Action.reply, "a complaint or claim about the brand"
