"""What a comment itself shows, read for the action planner: an insult at a person or at people, a quarrel
with no insult a report could quote, and the commenter's own first-hand experience of buying or using.
"""

from __future__ import annotations

from agent.knowledge.wording import experience, people, replies, sections
from agent.planning.action_input import ActionInput
from agent.schemas import Source, Triage, Violation
from agent.triage.features import targets_group
from agent.triage.safety import describes_reaction
from agent.triage.section_evidence import names_offer
from agent.triage.trade import other_trade

# Signals of a problem or a claim the comment itself names (not the models' scores).
PROBLEM_SIGNALS = ("issue:", "quality:", "safety:")

# Sources of a comment that is no customer's account: an insult in one is answered by nobody in public.
_NOT_A_CUSTOMER = frozenset({Source.competitor_attack, Source.not_negative})


def quarrel(inp: ActionInput, folded: str) -> bool:
    """Drafted on its own, a harsh remark about people that names nothing of the brand and no insult word a
    report could quote ("男的都是垃圾…" is heard by the offence model alone), and no goods, shop or purchase: no
    report would be backed, and a public answer that no order was found would only seem to doubt a stranger. A
    harsh customer ("垃圾商家，欺骗消费者") is answered."""
    t = inp.triage
    # A claim beside the harsh words ("…国产面霜贴洋标卖给你": a rumor) is reported for it, never left.
    return (inp.ctx.note_relation is None and set(t.violations) == {Violation.abuse} and t.source in _NOT_A_CUSTOMER
            and not insult_word(t) and not targets_group(folded) and not names_offer(folded, inp.brand)
            and not sections().consumer_matter.search(folded) and other_trade(inp.text, inp.brand) is None)


def insult_word(t: Triage) -> bool:
    """The lexicon named the insult: a report can quote it."""
    return any(s.startswith(Violation.abuse.value + ":") for s in t.signals)


def insult(inp: ActionInput, folded: str) -> bool:
    """Abuse in a comment that is no customer's account. Where only the offence model saw it, the kind model
    must not read chatter ("觉得博主说得挺客观的 没有一棍子打死" scores offensive 0.77 and is chatter). A comment
    drafted on its own was chosen by a person, who gets the calm reply to an insult at people; hate at a group
    is reported wherever it is."""
    t = inp.triage
    if Violation.abuse not in t.violations or t.source not in _NOT_A_CUSTOMER:
        return False
    if inp.ctx.note_relation is None and not targets_group(folded):
        return False
    return insult_word(t) or inp.kind.kind != "chatter"


# The offence model's score above which an insult at a person needs no lexicon word to be reported.
_SURELY_OFFENSIVE = 0.9


def abuse_at_person(inp: ActionInput, folded: str) -> bool:
    """In a section, an insult at a person (the brand's model or staff, the author, a user: "模特腿粗得跟猪蹄
    一样…") by someone who tells of nothing bought or used and names no shop or goods: the triage keeps it a
    customer's (the tone is negative), but there is no complaint to answer, and the insult is reported."""
    t = inp.triage
    sure = insult_word(t) or t.scores.get("offensive", 0.0) >= _SURELY_OFFENSIVE
    return (inp.ctx.note_relation is not None and Violation.abuse in t.violations and sure
            and bool(people().at_people.search(folded)) and not sections().consumer_matter.search(folded)
            and not told_first_hand(folded) and not describes_reaction(folded))


def looks_remark(inp: ActionInput, folded: str) -> bool:
    """A jab at how a person in the note looks ("这模特饿了三天吧…丑死了", "长这样还当护肤博主") that names nothing bought
    or used, no brand, no problem the triage names (in scorn of the author, its size words are her looks: "153穿成这样
    也好意思发 腿短…") and no rule broken: no apology or thanks fits, and with no insult word a report could quote,
    no report would be backed (one with such a word is reported before this is asked)."""
    words = people()
    t = inp.triage
    problem = any(s.startswith(PROBLEM_SIGNALS) for s in t.signals)
    shamed = words.shames.search(folded)
    return (bool((shamed or words.looked_at.search(folded)) and words.looks.search(folded))
            and not words.worn.search(folded) and not t.violations and not (problem and not shamed)
            and not inp.ctx.addresses_brand
            and not (names_offer(folded, inp.brand) and not shamed) and not sections().consumer_matter.search(folded)
            and not told_first_hand(folded) and not describes_reaction(folded))


def unanswered(folded: str) -> bool:
    """The commenter says the brand never answered ("我私信问过客服 一直没人回"): the brand's to answer, wherever it sits."""
    return bool(sections().unanswered_dms.search(folded))


def told_first_hand(folded: str) -> bool:
    """The commenter tells of buying, receiving or using it themselves; a purchase not made ("幸好还没下单")
    tells of none."""
    words = experience()
    facts = replies().stated_facts
    told = words.not_yet.sub("，", folded)
    return bool(words.first_hand.search(told) or words.used_it.search(folded) or words.own_purchase.search(told)
                or any(facts[f].search(told) for f in ("used", "received", "refunded")))
