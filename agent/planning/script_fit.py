"""The plan's last say on its script: whether the apology script fits what the comment says. The situation model
learned from reviews of other trades; where it chose a script for a comment that names none of that script's problems
("幸好还没下单 默默移出购物车" is no defect, "还没拆 现在还能退吗" is a return), the comment's own words choose, and where they
name nothing, a short line invites the details in private, assuming no defect, order or policy. A call on the brand to
explain what a note or other commenters said ("@官方 出来解释一下面膜刺痛的事 评论区好几个人了") is not the caller's own
case: the short line too (a reaction named still gets its care line first, from the drafter)."""

from __future__ import annotations

from agent.drafting.answers import asks, asks_brand_facts
from agent.drafting.first_hand import concessions, tells_no_use
from agent.drafting.offline import BRIEF
from agent.drafting.policy_choice import stated_facts
from agent.drafting.quoting import fault_clauses, quote_issue
from agent.drafting.template_choice import choose_template, detect_product, without_mentions
from agent.knowledge.brands import Brand
from agent.knowledge.script_library import ScriptLibrary, ScriptTemplate, mask_compounds
from agent.knowledge.wording import praise, replies
from agent.schemas import Plan, Strategy
from agent.text import normalize_for_match
from agent.triage.safety import describes_reaction
from agent.triage.section_evidence import names_offer
from agent.triage.signals import clauses
from agent.triage.trade import names_own_trade, other_trade

OTHER_BRAND = "ed_other_brand"
GENUINE = "counterfeit_worry"
# Scripts the rules insist on for what they are (a follow-up, another trade's goods, praise with a drawback).
_KEPT = frozenset({"follow_up", "not_ours", "mixed_praise"})
# The customer had the goods: a problem with them is theirs, whatever words tell it.
_HAD_IT = frozenset({"used", "received", "missing_item", "damaged_parcel"})
# What anyone may call on the brand about (a reaction a note describes, a verdict), not only a customer.
_ANY_CALLER = frozenset({"allergy_reaction", "general"})


def calls_out(comment: str) -> bool:
    """A call on the brand to explain that says nothing of the caller's own case ("我…")."""
    words = replies()
    folded = normalize_for_match(without_mentions(comment))
    return bool(words.calls_out.search(folded)) and not words.first_person.search(folded)


def about_other_brand(comment: str, brand: Brand) -> bool:
    """The comment names another brand ("珀莱雅红宝石也不错") and nothing of the brand's own: its name or a product."""
    folded = normalize_for_match(without_mentions(comment))
    return bool(replies().other_brands.search(folded)) and not names_offer(folded, brand)


def fitting_template(library: ScriptLibrary, brand: Brand, plan: Plan, template: ScriptTemplate, comment: str,
                     folded_comment: str, avoid: list[str], refuse: list[str]) -> ScriptTemplate:
    """The script the reply is drafted with: the plan's, unless it assumes what the comment never said."""
    other = library.reply(OTHER_BRAND)
    if other is not None and plan.strategy != Strategy.neutral_rebuttal and about_other_brand(comment, brand) \
            and not asks(comment):
        return other  # another brand's goods: thanked for sharing, never as the brand's own
    brief = library.reply(BRIEF)
    if plan.strategy != Strategy.apologize_resolve or template.situation in _KEPT or brief is None:
        return template
    late = library.reply(ARRIVED_LATE) if template.situation == "delivery" else None
    if late is not None and "received" in stated_facts(comment):
        return late  # "18号下的单 28号才送到": it came; no parcel to chase, no customs to explain
    folded = mask_compounds(normalize_for_match(without_mentions(folded_comment)))
    if calls_out(comment) and (template.situation in _ANY_CALLER or not template.hits(folded)):
        return brief  # a parcel or a defect the caller names ("…快递一周没动 出来解释") keeps its script
    if plan.situation_by != "model" or template.hits(folded):
        return template
    own = choose_template(library, plan.strategy, folded, brand.category)
    if own.hits(folded) and (own.situation != "allergy_reaction" or describes_reaction(comment)):
        # What the comment's own words name ("能退吗": a return; "真的没用": no effect; "避雷": a general apology);
        # a symptom's word is a reaction only where one is told ("泛红真的好了很多", "不痛不痒的" tell none).
        return own
    if quote_issue(comment, avoid, refuse, template.triggers, library.issue_triggers):
        return template
    genuine = [t for t in library.candidates(Strategy.educate, brand.category)
               if t.situation == GENUINE and t.hits(folded)]
    if genuine:
        return genuine[0]  # "是不是买到假货了": where to buy genuine and how to check a batch, no defect assumed
    if names_own_trade(comment, brand) or stated_facts(comment) & _HAD_IT \
            or replies().had_it.search(normalize_for_match(comment)):
        return template  # a problem with the goods told in words no trigger knows ("一撕就破"): the model's read
    return brief


def fitted_plan(library: ScriptLibrary, brand: Brand, plan: Plan, comment: str, folded_comment: str,
                avoid: list[str], refuse: list[str], broken: bool = False) -> Plan:
    """The plan naming the script that fits the comment: the one script its JSON shows, a model's example is drafted
    from and the offline drafter fills. `comment`: as written; `folded_comment`: folded to Simplified Chinese;
    `broken`: the triage found a rule broken (an insult, a rumor), which a light line never answers."""
    template = library.reply(plan.template)
    if template is None:
        return plan
    heard = heard_of(library, brand, plan, template, folded_comment)
    if heard is None and not broken:
        heard = price_opinion(library, brand, plan, template, folded_comment) or asked_only(library, brand, plan, template,
                                                                                   comment) \
            or praised(library, brand, plan, template, comment)
    if heard is not None:
        return plan.model_copy(update={"strategy": heard.strategy, "situation": heard.situation, "template": heard.id})
    fitting = fitting_template(library, brand, plan, template, comment, folded_comment, avoid, refuse)
    return plan if fitting.id == template.id else plan.model_copy(update={"template": fitting.id})


# The lessons that answer something heard with the brand's facts: what it contains, where the genuine goods are sold.
_HEARD_LESSONS = ("ingredient_worry", "counterfeit_worry")


def heard_of(library: ScriptLibrary, brand: Brand, plan: Plan, template: ScriptTemplate,
             folded_comment: str) -> ScriptTemplate | None:
    """The script for a comment telling of nobody's own use ("听说…含汞", "…都加激素 停了就烂脸"): the brand's facts,
    calmly, where a lesson answers what was heard of a product it names, else the short line; a rebuttal that speaks
    of the commenter's reaction gives way to its situation's entry that doesn't. None for any other comment, or
    where the script concedes nothing. Never a stop-use line, a refund or a defect's remedy: nothing was used."""
    if template.situation in _KEPT or not tells_no_use(folded_comment):
        return None
    if plan.strategy == Strategy.neutral_rebuttal:
        calm = [t for t in library.candidates(plan.strategy, brand.category)
                if t.situation == template.situation and not any(concessions(p) for p in t.phrasings)]
        return calm[0] if calm and any(concessions(p) for p in template.phrasings) else None
    if plan.strategy != Strategy.apologize_resolve:
        return None
    folded = mask_compounds(normalize_for_match(without_mentions(folded_comment)))
    named = detect_product(brand, folded) is not None
    # A lesson stating a product's facts needs the product named: else it would be blanks.
    lessons = [t for t in library.candidates(Strategy.educate, brand.category)
               if t.situation in _HEARD_LESSONS and t.hits(folded) and (named or "{product}" not in t.phrasings[0])]
    return lessons[0] if lessons else library.reply(BRIEF)


PRICE_OPINION = "ar_price_opinion"
# A parcel that came late, received: sorry for the wait, nothing chased.
ARRIVED_LATE = "ar_delivery_arrived_late"
# The scripts a word on the price may have been given: the price apology, the general ones, a rebuttal of a jab, the
# answer to another shop's goods ("拼多多同款20块": a comparison, not a complaint about that shop).
_PRICE_READS = frozenset({"price_value", "general", "competitor_attack", "not_ours"})


def price_opinion(library: ScriptLibrary, brand: Brand, plan: Plan, template: ScriptTemplate,
                  folded_comment: str) -> ScriptTemplate | None:
    """The light line for a word on the price ("有点小贵", "这价格不如买…") from someone who tells of no purchase and names
    no other problem: no apology, no order lookup, no rebuttal. None for any other comment, and for a price told of
    another trade (a hotel's rate, a takeaway's beef): that is not a word on our price, and keeps its not-ours line."""
    if plan.strategy not in (Strategy.apologize_resolve, Strategy.neutral_rebuttal) or template.situation not in _PRICE_READS:
        return None
    words = replies()
    folded = mask_compounds(normalize_for_match(without_mentions(folded_comment)))
    if not words.price_words.search(folded) or stated_facts(folded) & _HAD_IT or words.had_it.search(folded) \
            or words.own_use.search(folded):
        return None
    # Read last: the trade may take the topic model, which only a word on the price needs.
    if template.situation == "not_ours" and other_trade(folded_comment, brand) is not None:
        return None
    # Any other problem, or an attack's words ("割韭菜", "快跑", "骗子"): not an opinion on the price alone. A jab the
    # triage read as an attack keeps its rebuttal where it uses one ("…就是交智商税，懂的都懂"), a price word or not.
    rebuttals = [w for t in library.candidates(Strategy.neutral_rebuttal) for w in t.triggers]
    attack = plan.strategy == Strategy.neutral_rebuttal and any(w in folded for w in rebuttals)
    others = [w for w in [*library.issue_triggers, *rebuttals] if w in folded and not words.price_words.search(w)]
    return None if others or attack else library.reply(PRICE_OPINION)


QUESTION = "ed_question"


def asked_only(library: ScriptLibrary, brand: Brand, plan: Plan, template: ScriptTemplate,
               comment: str) -> ScriptTemplate | None:
    """The answer script for a question the brand file answers ("先抹精华还是先敷面膜呀") that the sentiment model read
    as a complaint, where no problem is named (the generic apology was chosen) and no reaction told: answered from
    the brand's facts, never apologised to."""
    if plan.strategy != Strategy.apologize_resolve or template.situation != "general" or describes_reaction(comment):
        return None
    folded = mask_compounds(normalize_for_match(without_mentions(comment)))
    if any(w in folded for w in library.issue_triggers) or not asks_brand_facts(comment, brand):
        return None
    return library.reply(QUESTION)


def praised(library: ScriptLibrary, brand: Brand, plan: Plan, template: ScriptTemplate,
            comment: str) -> ScriptTemplate | None:
    """The thank-you for praise the situation model read as a defect ("回购第三件了 越洗越软"): where its script's
    problem is nowhere in the comment, a praise word is, and no clause states a fault or a reaction. Never an
    apology for a defect nobody named."""
    if plan.strategy != Strategy.apologize_resolve or plan.situation_by != "model" or describes_reaction(comment):
        return None
    folded = mask_compounds(normalize_for_match(without_mentions(comment)))
    thanks = [t for t in library.candidates(Strategy.educate, brand.category) if t.situation == "praise"]
    if template.hits(folded) or not thanks or not thanks[0].hits(folded) or fault_clauses(comment, [], []) \
            or any(w in folded for w in library.issue_triggers) or _praise_negated(folded, thanks[0]):
        return None
    return thanks[0] if detect_product(brand, folded) is not None else library.reply(THANKS_ONLY)


THANKS_ONLY = "ed_praise_thanks"


def _praise_negated(folded: str, thanks: ScriptTemplate) -> bool:
    """A praise word under a negation ("触摸屏不怎么好用", "没那么好"): a complaint, never thanked."""
    words = praise()
    return any(thanks.hits(c) and words.negations.search(words.praising_negations.sub("", c)) for c in clauses(folded))
