"""Which script answers a comment: the template whose triggers best match what it is about, and the brand's
product it names."""

from __future__ import annotations

import re

from agent.knowledge.brands import Brand, Product
from agent.knowledge.script_library import ScriptLibrary, ScriptTemplate, mask_compounds
from agent.knowledge.wording import turns
from agent.schemas import Strategy

_MENTION = re.compile(r"@\S+")


def without_mentions(text: str) -> str:
    """The text without its "@…" mentions: "@…官方旗舰店" names the account it speaks to, not a worry about the
    genuine product or a shop."""
    return _MENTION.sub(" ", text)


def _focus(folded_comment: str) -> str:
    """What the comment is about, if it says so: what follows its summing-up ("…总之，对不起这个价格"), or
    else its first turn ("…但是拌饭缩水了"); "" when it has neither. "就是" is left out: it is as often an
    intensifier ("就是默默送过来了") as a turn."""
    words = turns()
    turn = words.summing_up.search(folded_comment) or words.focus_turns.search(folded_comment)
    return folded_comment[turn.end():] if turn else ""


def choose_template(library: ScriptLibrary, strategy: Strategy, folded_comment: str, category: str = "",
                    prefer: str | None = None, cluster: bool = False) -> ScriptTemplate:
    """The template of this strategy whose triggers best match the comment; `general` otherwise. `prefer`
    narrows to one situation (its first entry the comment has a trigger of: "拉肚子" takes the any-category
    reaction script, not the skincare one); `cluster`: the evidence holds look-alike comments, so a script may say so."""
    candidates = library.candidates(strategy, category)
    candidates = [t for t in candidates if (cluster or not t.needs_cluster)
                  and (not t.only_when_planned or t.situation == prefer)]
    folded_comment = mask_compounds(without_mentions(folded_comment))
    if prefer:
        preferred = [t for t in candidates if t.situation == prefer]
        if preferred:
            # The first entry, unless it speaks of one category ("用完皮肤…"), names nothing the comment says,
            # and an any-category entry does ("拉肚子" → the any-category reaction script).
            first = preferred[0]
            named = [t for t in preferred if not t.categories and t.hits(folded_comment)]
            return named[0] if first.categories and not first.hits(folded_comment) and named else first

    focus = _focus(folded_comment)
    every_hit = {w for t in candidates for w in t.hits(folded_comment)}

    def score(t: ScriptTemplate) -> tuple[bool, int, int, int]:
        hits = [w for w in t.hits(folded_comment) if not _shadowed(w, every_hit - set(t.triggers), folded_comment)]
        # On a tie, what the comment says first is what it is mostly about.
        first = min((folded_comment.index(w) for w in hits), default=len(folded_comment))
        return (any(w in focus for w in hits), len(hits), -first, sum(len(w) for w in hits))

    # "general" is for a comment with no concrete topic: a named problem anywhere outranks a verdict word
    # ("…前台素质极低…总之，很生气" is about the front desk).
    specific = [t for t in candidates if t.situation != "general" and t.hits(folded_comment)]
    best = max(specific or candidates, key=score)
    if not best.hits(folded_comment):
        general = [t for t in candidates if t.situation == "general"]
        return general[0] if general else best
    return best


def _shadowed(word: str, others: set[str], folded: str) -> bool:
    """Every time the comment says `word`, it is part of a longer trigger of another script: "还没到" in "退款还没到账"
    is the refund's, not the parcel's. The longer words say what the comment is about."""
    longer = [o for o in others if word in o and o != word]
    if not longer:
        return False
    spans = [(m.start(), m.start() + len(o)) for o in longer for m in re.finditer(re.escape(o), folded)]
    return all(any(a <= m.start() and m.end() <= b for a, b in spans)
               for m in re.finditer(re.escape(word), folded))


def detect_product(brand: Brand, folded_comment: str) -> Product | None:
    best: tuple[int, Product] | None = None
    for p in brand.products:
        for alias in [p.name, *p.aliases]:
            a = alias.lower()
            if a and a in folded_comment and (best is None or len(a) > best[0]):
                best = (len(a), p)
    return best[1] if best else None
