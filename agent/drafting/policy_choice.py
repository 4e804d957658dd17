"""Which policy offers a reply may make, chosen by what the customer states about their case: used or
unopened, received or not, refunded already, something missing, a food complaint. The conditions are the
brand file's (`policies[].conditions`); the facts are read from the comment (knowledge/wording/replies.yaml)."""

from __future__ import annotations

import re

from agent.drafting.held_for import passed_windows
from agent.knowledge.brands import Brand, PolicyCondition
from agent.knowledge.wording import replies
from agent.placeholders import placeholder
from agent.text import normalize_for_match

_SENTENCE = re.compile(r"(?<=[。！!？?～~])")
_CLAUSE = re.compile(r"(?<=[，,；;])")


def stated_facts(comment: str, names_product: bool = False) -> frozenset[str]:
    """The facts the comment states. "还没收到" holds "收到": a parcel not received is not received.
    `names_product`: the comment names one of the brand's products, so food words are not a food complaint."""
    folded = normalize_for_match(comment)
    facts = {name for name, pattern in replies().stated_facts.items() if pattern.search(folded)}
    if "missing_item" in facts:  # "赠品没收到": the parcel came, something in it did not
        facts.discard("not_received")
    if "not_received" in facts:
        facts.discard("received")
    else:  # a window counts from receipt: a parcel not received has none running yet
        facts |= passed_windows(comment)
    if names_product:
        facts.discard("food")
    return frozenset(facts)


def without_offers_against(brand: Brand, text: str, facts: frozenset[str]) -> str:
    """The reply without the clauses that make an offer the stated facts rule out; a sentence left with no
    clause goes whole. Rather a shorter reply than a promise the customer cannot use."""
    if not facts or not brand.conditions_against(text, facts):
        return text
    kept = []
    for sentence in _SENTENCE.split(text):
        if not brand.conditions_against(sentence, facts):
            kept.append(sentence)
            continue
        clauses = [c for c in _CLAUSE.split(sentence) if c.strip()]
        fine = [c for c in clauses if not brand.conditions_against(c, facts)]
        if fine and len(fine) < len(clauses):
            end = sentence.rstrip()[-1:] if sentence.rstrip()[-1:] in "。！!？?～~" else ""
            joined = "".join(fine).rstrip("，,；; ")
            kept.append(joined + (end if not joined.endswith(tuple("。！!？?～~")) else ""))
    return "".join(kept)


def offers_against(brand: Brand, text: str, facts: frozenset[str]) -> list[str]:
    """The offers `text` makes although the stated facts rule them out (for the checks and the evals)."""
    return [c.offer for c in brand.conditions_against(text, facts)]


# Which written policy a situation's promise comes from (the script library's convention).
SITUATION_POLICY = {
    "delivery": "shipping", "damaged_package": "shipping", "allergy_reaction": "compensation",
    "quality_defect": "returns", "colour_difference": "returns", "size_fit": "returns", "smell_texture": "returns",
    "refund_request": "returns", "no_effect": "returns", "counterfeit_worry": "authenticity",
    "missing_item": "shipping",
    "counterfeit_claim": "authenticity",
}


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def closest(options: list[str], title: str) -> str:
    """The option sharing most character pairs with the title; the first on a tie."""
    grams = _bigrams(title)
    return max(options, key=lambda o: (len(_bigrams(o) & grams), -options.index(o)))


def best_promise(brand: Brand, situation: str, title: str, template_text: str = "",
                 facts: frozenset[str] = frozenset()) -> str | None:
    """The one promise, from the situation's policy, that best fits the template's title and that the
    template does not already say itself; None when the brand states none. When the customer's stated
    `facts` rule that promise out, no other promise stands in for it: the neutral offer to talk it over."""
    policy = brand.policy(SITUATION_POLICY.get(situation, "returns")) or brand.policy("returns")
    if policy is None or not policy.promises:
        return None
    chosen = closest([p for p in policy.promises if p not in template_text] or policy.promises, title)
    against = brand.conditions_against(chosen, facts)
    tried = {chosen}
    while against:
        # What the brand file offers in its place (after the 15-day window, the 90-day repair), if that applies.
        instead = next((c.instead for c in against if c.instead and c.instead not in tried), None)
        if instead is None:
            return ruled_out_offer(against, facts)
        tried.add(instead)
        chosen, against = instead, brand.conditions_against(instead, facts)
    return chosen


def ruled_out_offer(against: list[PolicyCondition], facts: frozenset[str]) -> str:
    """What a reply says where the stated facts rule out every offer: a blank for the person where the customer
    has had it longer than the window (what the brand still does then is theirs to say), else the neutral offer
    to talk it over."""
    past = any(f.startswith("over_") for c in against for f in c.never_when if f in facts)
    return placeholder(replies().past_window_blank) if past else replies().no_policy_offer


def policy_statement(brand: Brand, sentence: str, facts: frozenset[str]) -> str:
    """A sentence of a policy's text without the clauses the stated facts rule out ("未拆封…无理由退货" after
    use); what `ruled_out_offer` says when none is left."""
    clauses = [c.strip("，,；; ") for c in _CLAUSE.split(sentence)]
    kept = [c for c in clauses if c and not brand.conditions_against(c, facts)]
    against = [k for c in clauses if c for k in brand.conditions_against(c, facts)]
    return "，".join(kept) or ruled_out_offer(against, facts)
