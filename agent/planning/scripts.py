"""The rules' choice of script: what the complaint is about, the situation the rules insist on, the
script-library template and the product named."""

from __future__ import annotations

from dataclasses import dataclass

from agent.drafting.answers import asks, asks_at_all, draft_answer, worried_question
from agent.drafting.appeal_facts import parse_signals
from agent.drafting.elsewhere import not_ours, read_by_model_only
from agent.drafting.offline import NOT_OURS
from agent.drafting.quoting import fault_clauses
from agent.drafting.template_choice import choose_template, detect_product
from agent.knowledge.brands import Product
from agent.knowledge.script_library import ScriptTemplate
from agent.knowledge.wording import questions, sections
from agent.planning.channel import bought_elsewhere
from agent.planning.inputs import PlanInput
from agent.planning.policy import strategy_for
from agent.schemas import Action, Source, Strategy, Violation
from agent.text import normalize_for_match
from agent.triage.features import asks_question, targets_group
from agent.triage.polarity import PRAISE_BELOW, sure_negative
from agent.triage.rules import issue_words
from agent.triage.safety import describes_reaction
from agent.triage.signals import clauses, unpraised
from agent.triage.trade import other_trade

# The situations whose reply thanks the commenter for praise.
THANKS = ("praise", "praise_thanks")
# The lessons that already answer the question their words raise: the genuine product, storage, washing,
# how often, what it contains.
_ANSWERING_LESSONS = frozenset({"counterfeit_worry", "storage", "washing_care", "usage_frequency", "ingredient_worry"})


@dataclass(frozen=True)
class ScriptChoice:
    """The rules' choice, and what the model gate and the final choice start from."""

    strategy: Strategy
    about: str  # the comment, with its praise set aside under an apology
    prefer: str | None  # the situation the rules insist on, if any
    template: ScriptTemplate  # the triggers' template
    product: Product | None

    @property
    def situation(self) -> str:
        return self.template.situation


def complaint_subject(inp: PlanInput, strategy: Strategy) -> str:
    """What the complaint is about, read with its praise set aside ("快递很快，就是坏了" is about the damage)."""
    return unpraised(inp.text, inp.lexicons) if strategy == Strategy.apologize_resolve else inp.text


def preferred_situation(inp: PlanInput, strategy: Strategy, about: str) -> str | None:
    """A complaint after the brand already answered in its thread is a follow-up: the earlier promise was
    not kept, and a second identical apology would make it worse. A described reaction otherwise always
    takes the reaction script (it advises pausing use and offers help; the offline drafter adds that care
    to a follow-up too)."""
    t = inp.triage
    if t.source == Source.not_negative and not t.violations and not asks_question(inp.text) \
            and not sure_negative(t.scores):
        return "praise"  # praise is thanked, whatever topic word it names ("快递很给力")
    if strategy == Strategy.neutral_rebuttal and Violation.abuse in t.violations \
            and targets_group(inp.text) and not inp.cluster:
        # An insult at a race, a region or a gender: no discussion, no invitation to talk, no order lookup.
        return "group_attack"
    if strategy != Strategy.apologize_resolve:
        return None
    if inp.has_brand_reply:
        return "follow_up"
    return "allergy_reaction" if describes_reaction(about) else None


def mostly_praise(inp: PlanInput, about: str) -> bool:
    """Praise was set aside (`about` is the comment without it) and the sentiment model reads the whole
    comment as praise."""
    t = inp.triage
    negative = t.scores.get("negative")
    return (t.source == Source.genuine_experience and negative is not None
            and negative < PRAISE_BELOW and about != inp.text)


def template_for(inp: PlanInput, strategy: Strategy, about: str, prefer: str | None) -> ScriptTemplate:
    """The library's template for this comment, narrowed to `prefer`'s situation where it has one. Within
    the situation, an entry whose triggers the comment hits outranks one it does not: a rumor of hormones
    is answered by the ingredient-rumor entry, never with an allergy nobody described."""
    chosen = choose_template(inp.library, strategy, about, inp.brand.category, prefer=prefer, cluster=inp.cluster)
    if not prefer or chosen.hits(about):
        return chosen
    hitting = [t for t in inp.library.candidates(strategy, inp.brand.category)
               if t.situation == chosen.situation and (inp.cluster or not t.needs_cluster) and t.hits(about)]
    return hitting[0] if hitting else chosen


# Another trade only the topic model reads: asked whether it is ours, never told it is someone else's.
NOT_OURS_UNSURE = "ar_not_ours_unsure"
# The answer to a purchase made outside the brand's channels: where to buy, how to check a batch (educate).
CHANNEL_ANSWER = "counterfeit_worry"
# The answer to a complaint about an order placed elsewhere: its after-sales are that shop's; a batch can be checked.
BOUGHT_ELSEWHERE = "bought_elsewhere"


def rules_script(inp: PlanInput) -> ScriptChoice:
    strategy = strategy_for(inp.triage)
    about = complaint_subject(inp, strategy)
    prefer = preferred_situation(inp, strategy, about)
    if strategy == Strategy.apologize_resolve and not inp.has_brand_reply and bought_elsewhere(inp.text, inp.brand) \
            and not other_trade(inp.text, inp.brand):
        # Not the brand's order (its brand file names its channels): the channel answer, no refund promised; another
        # trade's goods bought there ("京东买的电脑") keep the not-ours line. A described reaction still gets its
        # pause-and-help line from the drafter.
        strategy = Strategy.educate
        worry = template_for(inp, strategy, about, CHANNEL_ANSWER)
        prefer = CHANNEL_ANSWER if worry.hits(about) else BOUGHT_ELSEWHERE  # a doubt of the goods, else a complaint
    template = template_for(inp, strategy, about, prefer)
    product = detect_product(inp.brand, inp.text)
    if template.situation == "allergy_reaction" and not describes_reaction(about):
        # The reaction script tells the commenter to stop using: only for a reaction she describes, never for a
        # result she praises ("泛红真的好了很多") or a wish ("敏感肌找防晒太难了") that names a symptom word.
        template = template_for(inp, strategy, about, "general")
    if template.situation in THANKS and sure_negative(inp.triage.scores):
        # The sentiment model is sure it complains: never thanked, whatever its words matched.
        template = template_for(inp, strategy, about, "general")
    if template.situation == "praise" and product is None:
        # Thanks with no product named: a usage tip would be a blank the reviewer has to fill.
        template = template_for(inp, strategy, about, "praise_thanks")
    if template.situation == "general" and mostly_praise(inp, about):
        # A glowing review naming a small drawback ("…物超所值…缺点是床有点短"): thanks first, then sorry for
        # the drawback, not "让你不满意了".
        template = template_for(inp, strategy, about, "mixed_praise")
    return ScriptChoice(strategy=strategy, about=about, prefer=prefer, template=template, product=product)


def script_for_action(inp: PlanInput, action: Action, strategy: Strategy, template: ScriptTemplate,
                      product: Product | None) -> tuple[Strategy, ScriptTemplate]:
    """The script the comment's action drafts with, where the words' script doesn't fit it: a question is
    answered (from the brand's facts), never apologised to; praise is thanked, never apologised to, and a
    drawback it names is met by the mixed-praise script (thanks first, then sorry for that one thing).
    `product`: the product the plan names (the rules' reading of the comment). A complaint about another
    trade's goods is answered by the `not_ours` script."""
    if action == Action.reply and strategy == Strategy.apologize_resolve and not inp.has_brand_reply \
            and _drafted_alone(inp) and not_ours(inp.text, inp.brand):
        # About a trade the brand doesn't sell ("外卖送了两个小时" to a skincare brand): no after-sales policy of
        # the brand's, no order of its own pretended; the reply says so kindly and leaves the door open. The
        # plan's situation stays what the complaint is about (`plan_situation`). In a section the note says what
        # is talked about ("奶茶色" under a cardigan note is a colour): there the words alone never decide it.
        unsure = inp.library.reply(NOT_OURS_UNSURE) if read_by_model_only(inp.text, inp.brand) else None
        return strategy, unsure or template_for(inp, strategy, inp.text, NOT_OURS)
    if action == Action.answer and (complaints_script(template) or _answers_instead(inp, template, product)):
        # An answer is never a complaint's script, whichever one the words matched: no apology, no remedy, no
        # rebuttal. What the brand file lacks is a blank the reviewer fills (guardrails `fits_action`).
        return Strategy.educate, template_for(inp, Strategy.educate, inp.text, "question")
    if action == Action.thank and template.situation not in (*THANKS, "mixed_praise"):
        if strategy == Strategy.apologize_resolve and (template.situation != "general" or fault_clauses(inp.text, [], [])):
            # A drawback the praise names ("…就是有点黏", "…袖口就开线了"): thanks first, then sorry for that one
            # thing and the private follow-up; never a complaint's script opening on an apology.
            return strategy, template_for(inp, strategy, inp.text, "mixed_praise")
        return Strategy.educate, template_for(inp, Strategy.educate, inp.text, "praise" if product else "praise_thanks")
    return strategy, template


def complaints_script(template: ScriptTemplate) -> bool:
    """A script an answer or a thank-you never carries: an apology's or a rebuttal's, or a lesson that apologises
    (the misuse lesson's "抱歉让你难受了")."""
    return template.strategy != Strategy.educate or any(sections().apology.search(p) for p in template.phrasings)


def complaint_asked(inp: PlanInput, template: ScriptTemplate) -> bool:
    """A comment the action reads as a question whose words chose a complaint's script and state its problem: not
    asked at all ("南瓜羹撒出来了…差！！！！"), or a problem the script library answers, or a reaction, told outside
    the question's own clauses ("可乐都洒到煎饼里了...这是新口味吗?"). It is a complaint, replied to as one; a
    question whose only problem word is its question ("还没拆 现在还能退吗") is answered, never apologised to."""
    if not complaints_script(template):
        return False
    folded = normalize_for_match(inp.text)
    if worried_question(inp.text, inp.brand):
        return False  # "听说…甲醛超标…小孩子穿没事吧": a worry about something heard is asked, not a rumor told
    if not asks_at_all(folded) or inp.triage.violations:
        return True  # "收了多少钱啊…就是垃圾…大骗子": a broken rule is no question to answer
    # A wish beside the question ("…什么码 想要宽松一点的效果") states no problem of its own.
    stated = "，".join(c for c in clauses(folded) if not asks_at_all(c) and not questions().wishes.search(c))
    misused = parse_signals(inp.triage.signals).get("misuse", [])
    if any(w in stated for w in misused) or (misused and describes_reaction(folded)):
        # A misuse told ("直接滴三四滴抹在脸上…隔天…一片红"): its lesson and care, as a reply. Asked about ("精油可以
        # 直接涂脸吗"), it is answered.
        return True
    # A reaction is told only as `describes_reaction` reads the whole comment: a skin's habit beside a question
    # ("玫瑰痤疮能用吗？脸一热就红…皮肤科医生让我少用") is who asks, and a reaction script's words are no problem then.
    named = [w for w in issue_words(stated, inp.library) if w not in inp.library.reaction_triggers]
    return bool(named) or describes_reaction(folded)


# The complaint scripts a thank-you may stand in for: no defect of the goods needs its remedy there.
_NO_REMEDY = frozenset({"general", "mixed_praise", "price_value", NOT_OURS})


def praise_names_defect(template: ScriptTemplate) -> bool:
    """Praise whose words chose a complaint's script that remedies a defect of the goods or the service ("…版型
    绝绝子…but洗了一次袖口就开线了"): the defect is answered with its remedy, as a reply; a thank-you never
    carries one. A drawback in passing or a price ("就是价格有点小贵") is the mixed-praise thank-you's."""
    return template.strategy == Strategy.apologize_resolve and template.situation not in _NO_REMEDY


def _drafted_alone(inp: PlanInput) -> bool:
    """Drafted on its own, outside an imported section (no note read with it)."""
    context = inp.record.context if inp.record else None
    return context is None or context.note_relation is None


def plan_situation(situation: str, template: ScriptTemplate) -> str:
    """The plan's situation once the action's script is chosen: the script's, except that a complaint answered
    as another trade's keeps what it is about (the reviewer reads "delivery", answered by `not_ours`)."""
    return situation if template.situation == NOT_OURS else template.situation


def _answers_instead(inp: PlanInput, template: ScriptTemplate, product: Product | None) -> bool:
    """A question is never met by an apology ("是我们没把好关" to "开封后能放多久") or a thank-you, whatever the
    sentiment model (trained on reviews, it hears "要洗掉吗" as a complaint) says; a lesson the words chose gives
    way too where the brand file answers what is asked ("可以泡水喝吗": 不可内服). A lesson that answers its own
    question (usage, storage, the genuine product) stays, and so do a described reaction's care and the apology
    for a fault the comment states beside its question ("可乐都洒到煎饼里了...这是新口味吗?")."""
    if not (asks(inp.text) or asks_question(normalize_for_match(inp.text))) or fault_clauses(inp.text, [], []):
        return False
    if template.situation in THANKS:
        return True
    if describes_reaction(inp.text):
        return False
    if template.strategy == Strategy.apologize_resolve:
        return True
    return template.strategy == Strategy.educate and template.situation not in _ANSWERING_LESSONS \
        and draft_answer(inp.text, inp.brand, product) is not None
