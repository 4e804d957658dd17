"""The action of a comment in a whole comment section: reply, answer, thank, report, or leave it.

It reads the comment-kind model's reading first, then what the evidence proves beyond the words: who wrote
it (the brand's own account is left), its platform status, whether the note or the comment concerns the
brand at all, lead-generation signs, and the triage's violations. Each decision carries its reason, shown
to the reviewer. Pure: the plan node and `redreply eval sections` call the same function.
"""

from __future__ import annotations

import re

from agent.drafting.answers import worried_question
from agent.drafting.quoting import fault_clauses
from agent.knowledge.wording import sections
from agent.planning.action_input import REASONS, ActionInput
from agent.planning.comment_readings import (
    PROBLEM_SIGNALS,
    abuse_at_person,
    insult,
    insult_word,
    looks_remark,
    quarrel,
    told_first_hand,
    unanswered,
)
from agent.planning.offence_choice import violent_unrelated
from agent.planning.questions import asks_us, brand_question, reads_as_question
from agent.planning.script_fit import about_other_brand, calls_out
from agent.schemas import Action, Source, Violation
from agent.sources.mapping import EMPTY_TEXT, PICTURE_ONLY_TEXT
from agent.text import HAN_RE, normalize_for_match
from agent.triage.features import asks_question, site_mentioned, targets_group
from agent.triage.polarity import COMPLAINT_AT, NEGATIVE_SURE, PRAISE_SURE, scorned, sure_negative
from agent.triage.safety import describes_reaction
from agent.triage.section_evidence import names_brand, names_offer
from agent.triage.signals import clauses, sounds_like_praise
from agent.triage.trade import other_trade, talk_about_people

REPORTED = frozenset({Violation.spam_redirect, Violation.porn, Violation.political})
_NO_WORDS = re.compile(r"[\W_\d]*", re.UNICODE)  # punctuation, emoji and digits only (after stickers go)
_LATIN = re.compile(r"[a-z]")
_MARKERS = (PICTURE_ONLY_TEXT, EMPTY_TEXT)  # what the import writes for a comment with a picture only, or nothing


def implied_violation(inp: ActionInput, action: Action) -> Violation | None:
    """The platform rule a report proves beyond the triage's: lead generation or spam is `spam_redirect`."""
    if action != Action.report or (REPORTED | {Violation.abuse}).intersection(inp.triage.violations):
        return None  # the rule it breaks is its report
    if inp.triage.source == Source.extortion:
        return None  # the extortion appeal is the cases' and appeals' to draft, not a spam report
    return Violation.spam_redirect


def _no_words(text: str) -> bool:
    bare = sections().sticker.sub("", text.strip())
    return text.strip() in _MARKERS or not bare or bool(_NO_WORDS.fullmatch(bare))


def _left(inp: ActionInput) -> str | None:
    """Why the comment needs nothing whatever it says, else None."""
    if inp.on("brand_account") and inp.ctx.by_brand:
        return REASONS["brand_account"]
    if inp.on("platform_status") and inp.ctx.status != "visible":
        return REASONS["platform_status"].format(status=inp.ctx.status)
    if inp.on("no_words") and _no_words(inp.text):
        return REASONS["no_words"]
    return None


def _reported(inp: ActionInput, folded: str) -> str | None:
    broken = sorted(v.value for v in REPORTED.intersection(inp.triage.violations))
    if inp.on("rule_violation") and broken:
        return REASONS["rule_violation"].format(violations=", ".join(broken))
    if inp.on("abuse_reported") and insult(inp, folded):
        # An insult with no complaint in it ("博主长这样就别出来吓人了 丑八怪"): a public answer helps nobody.
        return REASONS["abuse_reported"]
    if inp.on("abuse_at_person") and abuse_at_person(inp, folded):
        return REASONS["abuse_at_person"]
    # Invitation words alone ("私聊", "代理") also occur in real complaints: read as lead generation only in a
    # section, where the thread and the author's other comments are in view.
    in_section = inp.ctx.note_relation is not None
    if describes_reaction(folded):  # a customer telling of a reaction ("在某宝代购店买的…泛红") is answered
        return None
    if inp.on("lead_gen_words") and in_section and sections().lead_gen.search(folded) and not site_mentioned(folded) \
            and not sections().scam_warning.search(folded):
        return REASONS["lead_gen_words"]
    if inp.kind.kind == "spam" and in_section:
        signs = inp.ctx.author_signs
        return REASONS["spam_author"].format(signs=", ".join(signs)) if signs else REASONS["spam"]
    return None


# Signals of the triage that name no experience or claim: the models' scores, and a warning word ("避雷")
# passed on, which says nothing of the commenter's own.
_NO_PROBLEM_SIGNALS = ("learned:", "attack:")


def _experience(inp: ActionInput, folded: str) -> bool:
    """A complaint needs the commenter's own experience of the brand's goods or service, a problem or claim the
    triage names, or the brand or its goods named or addressed ("@官方 出来解释", "亚麻衬衫也太皱了吧"). A claim
    asked as a question ("是不是买到假货了 博主在哪买的") claims nothing."""
    t = inp.triage
    asked = bool(sections().asks.search(folded) or asks_question(folded))
    named = [s for s in t.signals if not s.startswith(_NO_PROBLEM_SIGNALS)
             and not (asked and s.startswith(("counterfeit_claim:", "origin_claim:")))]
    return bool(named or t.violations or told_first_hand(folded) or describes_reaction(folded) or unanswered(folded)
                or inp.ctx.addresses_brand or names_offer(folded, inp.brand) or sections().brand_refs.search(folded))


def _about_brand(inp: ActionInput) -> bool:
    if not inp.on("not_about_brand") or inp.ctx.addresses_brand or names_brand(inp.text, inp.brand):
        return True
    if inp.ctx.parent_id and any(names_brand(m.text, inp.brand) for m in inp.ctx.thread):
        # A reply in a thread that names the brand ("…棉麻线的开衫" ← "我买的开衫洗了两次就变形了") is about it; talk
        # between users there is still left (`_between_users`).
        return True
    return inp.ctx.note_relation != "unrelated"  # an unknown note is not guessed to be someone else's


def decide_action(inp: ActionInput) -> tuple[Action, str]:
    """The action and its reason."""
    left = _left(inp)
    if left:
        return Action.leave, left
    folded = normalize_for_match(inp.text)
    if inp.on("extortion") and inp.triage.source == Source.extortion:
        return Action.report, REASONS["extortion"]
    if not _about_brand(inp):
        return Action.leave, REASONS["not_about_brand"].format(relation=inp.ctx.note_relation)
    if inp.on("abuse_reported") and quarrel(inp, folded):
        return Action.leave, REASONS["quarrel"]
    reported = _reported(inp, folded)
    if reported:  # hate at a group keeps its report ("…黑人…都是坏人"), and so do spam, porn, politics, doxxing
        return Action.report, reported
    if violent_unrelated(inp.text, inp.brand):
        return Action.leave, REASONS["violent"]
    if inp.on("looks_remark") and looks_remark(inp, folded):
        return Action.leave, REASONS["looks_remark"]
    if inp.on("talk") and inp.ctx.note_relation is None and set(inp.triage.violations) <= {Violation.abuse} \
            and talk_about_people(inp.text, inp.brand):
        # A slur (the lexicon's, or an attack word at a group: "东北人都是骗子") is reported; talk is left.
        slur = insult_word(inp.triage) or (targets_group(folded) and any(s.startswith("attack:") for s in inp.triage.signals))
        return (Action.report, REASONS["talk_insult"]) if slur else (Action.leave, REASONS["talk"])
    if inp.on("other_brand") and _other_brand_talk(inp, folded):
        return Action.leave, REASONS["other_brand"]
    if inp.on("between_users") and _between_users(inp, folded):
        return Action.leave, REASONS["between_users"]
    if inp.on("single_unrelated") and _names_nothing(inp, folded):
        return Action.leave, REASONS["single_unrelated"]
    return _by_kind(inp, folded)


def _other_brand_talk(inp: ActionInput, folded: str) -> bool:
    """In a section, praise of or talk about another brand's goods ("COS那件是真的好看", "优衣库的我穿了三年还没坏")
    that names nothing of the brand's, asks nothing (a comparison asked, "和COS比哪家料子好", is the brand's to
    answer) and that both the kind and the sentiment model do not read as a complaint: a complaint beside the other
    brand ("400多洗一次就废 那我还是买优衣库吧") is about ours."""
    asked = sections().compares.search(folded) or asks_question(folded)
    complains = inp.kind.kind == "complaint" and inp.triage.scores.get("negative", 0.0) >= COMPLAINT_AT
    return (inp.ctx.note_relation is not None and not inp.ctx.addresses_brand and not asked and not complains
            and about_other_brand(inp.text, inp.brand))


def _names_nothing(inp: ActionInput, folded: str) -> bool:
    """A comment drafted on its own (no note) in which the triage saw no word of a problem, a claim or a rule
    broken, that names nothing the brand is or sells (not even a product word: "精华", "面膜"), asks nothing,
    tells of no purchase or use of its own ("一盒5片一周就用完了"), and that the kind model reads as talk or a grievance, not praise: debate
    chatter ("…这些一线城市的外地人太多了…") is neither apologised to nor thanked."""
    t = inp.triage
    seen = [s for s in t.signals if not s.startswith("learned:")]
    return (inp.ctx.note_relation is None and not inp.ctx.parent_id and not seen and not t.violations
            and _chinese(folded)
            and inp.kind.kind in ("chatter", "complaint") and not _verdict(inp, folded)
            and not names_offer(folded, inp.brand) and not (asks_question(folded) or sections().asks.search(folded))
            and not told_first_hand(folded))


def _chinese(folded: str) -> bool:
    """Mostly Chinese: only there can the word lists prove that nothing is named."""
    han, latin = len(HAN_RE.findall(folded)), len(_LATIN.findall(folded))
    return han > 0 and han >= latin


def _verdict(inp: ActionInput, folded: str) -> bool:
    """A customer's verdict: the sentiment model is sure of praise or of a complaint ("…最糟糕的酒店"), or a
    clause ends on praise ("菜品味道好"). Unread by the sentiment model (a model's triage), nothing is proved."""
    negative = inp.triage.scores.get("negative")
    sure = negative is None or not PRAISE_SURE <= negative < NEGATIVE_SURE
    return sure or any(sounds_like_praise(c) for c in clauses(folded))


def _asks_only(inp: ActionInput, folded: str) -> bool:
    """A question the kind model hears as a complaint ("GlowSkin在哪买才是正品啊": 正品 sounds like a doubt)
    that states no fault, describes no reaction, and that the sentiment model is not sure complains ("抢钱啊，
    多少钱一瓶" stays a complaint): the brand's facts answer it, an apology would concede a defect nobody
    named."""
    return not (sure_negative(inp.triage.scores) or describes_reaction(folded)
                or fault_clauses(inp.text, [], []))


def _complains(inp: ActionInput) -> bool:
    """The triage read a customer's complaint (a problem named) and the sentiment model leans to a complaint
    ("送来都凉溫了！！！"): never thanked, whatever the kind model heard."""
    t = inp.triage
    negative = t.scores.get("negative")
    named = any(s.startswith(("issue:", "quality:", "safety:", "negative:")) for s in t.signals)
    return t.source == Source.genuine_experience and named and negative is not None and negative >= COMPLAINT_AT


def _between_users(inp: ActionInput, folded: str) -> bool:
    """A reply to another user, as the section's evidence shows it, that leaves the brand out and tells of no
    problem of its own: a customer carrying on a complaint in a thread ("私信了 到现在没人回", "已经洗了 还是有点烫",
    "三百多的衣服两周就起球也叫正常？") is answered wherever the reply sits."""
    ctx = inp.ctx
    to_brand = ctx.addresses_brand or any(m.brand and m.id == ctx.parent_id for m in ctx.thread)
    return (ctx.note_relation is not None and bool(ctx.parent_id) and not to_brand
            and not names_brand(inp.text, inp.brand) and not _own_problem(inp, folded)
            and not unanswered(folded)  # "我私信问过他们 还没回复": the brand's to answer
            and not (inp.kind.kind == "question" and brand_question(folded)))


def _own_problem(inp: ActionInput, folded: str) -> bool:
    """Read as a complaint, the comment names a problem of the goods or the service, or tells of a reaction, and
    the sentiment model is sure it complains."""
    t = inp.triage
    named = any(s.startswith(PROBLEM_SIGNALS) for s in t.signals) or describes_reaction(folded)
    return inp.kind.kind == "complaint" and named and sure_negative(t.scores)


def _own_praise(inp: ActionInput, folded: str) -> bool:
    """In a section, praise naming the brand ("棉麻线的阔腿裤穿了半年 一点没变形", "棉麻线的衬衫越洗越软") that tells of
    no reaction: the sentiment model misses a fault negated or a change for the better, the kind model does not."""
    return inp.ctx.note_relation is not None and names_brand(inp.text, inp.brand) and not describes_reaction(folded)


def _asked_of_brand(inp: ActionInput, folded: str, kind: str, own: bool) -> bool:
    """Heard as talk, a complaint or praise, a question the brand's facts answer, whoever it is asked of: "礼盒多少钱
    有满减吗", "听说…甲醛超标…小孩子穿没事吧", and a request in praise ("好看 快点补货吧": a thank-you would not say when)."""
    if kind == "praise":
        return bool(sections().requests.search(folded))
    return kind in ("chatter", "complaint") and (
        (brand_question(folded) and (kind == "chatter" or _asks_only(inp, folded)))
        or worried_question(inp.text, inp.brand) or reads_as_question(
            inp.text, inp.brand, kind, inp.ctx.note_relation is not None, own, lambda: _asks_only(inp, folded)))


def _by_kind(inp: ActionInput, folded: str) -> tuple[Action, str]:
    kind, ctx = inp.kind.kind, inp.ctx
    own = ctx.note_relation in (None, "own") or ctx.addresses_brand
    demoted = kind == "complaint" and ctx.note_relation is not None and inp.on("no_experience") \
        and not _experience(inp, folded)
    if demoted:
        # Chatter or an opinion about the note ("转发了 避雷", "移出购物车", "接广了吧") that tells of nothing
        # bought or used: never apologised to. Asked of the brand, it is still answered below.
        kind = "chatter"
    if inp.on("brand_question") and _asked_of_brand(inp, folded, kind, own):
        kind = "question"
    if ctx.note_relation is None and kind in ("chatter", "praise") and inp.triage.source == Source.not_negative \
            and other_trade(inp.text, inp.brand):
        return Action.leave, REASONS["praise_other_trade"]  # "华为手机真好用" is nobody's thanks to give
    if inp.on("single_comment") and kind == "chatter" and ctx.note_relation is None:
        # Outside an imported section a person chose this comment to draft: the kind model alone never drops it.
        return Action.reply, REASONS["single_comment"]
    if kind == "chatter" and inp.on("reaction_reply") and names_brand(inp.text, inp.brand) \
            and told_first_hand(folded) and describes_reaction(folded):
        return Action.reply, REASONS["reaction"]  # "千万别碰GlowSkin 我就是用它的玫瑰油烂的": told in talk, still cared for
    if kind == "chatter" and not (inp.on("asks_question") and own and asks_us(folded)):
        return Action.leave, (REASONS["no_experience"] if demoted else REASONS["chatter"])
    if kind in ("question", "chatter") and inp.on("reaction_reply") and describes_reaction(folded):
        # A reaction told beside a question ("…第二天两颊红了一片 原来要稀释的吗") is a complaint: it gets the care
        # and the help, never an answer alone.
        return Action.reply, REASONS["reaction"]
    if kind == "question" and inp.on("calls_out") and calls_out(inp.text):
        return Action.reply, REASONS["complaint"]  # "品牌方出来说句话啊？？装死吗": a demand asked, not a question
    if kind in ("question", "chatter"):
        to_author = not own and sections().to_author.search(folded) and not names_brand(inp.text, inp.brand)
        if inp.on("to_author") and to_author:
            return Action.leave, REASONS["to_author"]
        return Action.answer, REASONS["question"]
    if kind == "praise":
        if scorned(folded):
            return Action.reply, REASONS["complaint"]  # "呵呵，真是好服务啊": praise words in scorn
        if inp.on("negative_not_thanked") and sure_negative(inp.triage.scores) and not _own_praise(inp, folded):
            if ctx.note_relation is None:  # chosen by a person: answered as the complaint the sentiment reads
                return Action.reply, REASONS["praise_negative"]
            # In a section the two models disagree on a bystander ("我用了三瓶都没事欸 每个人皮肤不一样吧" defends
            # the product in a debate): neither a thank-you nor an apology fits, and a reviewer can bring it back.
            return Action.leave, REASONS["praise_negative_in_section"]
        if inp.on("complaint_not_thanked") and ctx.note_relation is None and _complains(inp):
            # Drafted on its own: a review naming a problem is answered. In a section, praise naming a drawback
            # is thanked with the mixed-praise script (the labelled sections' readers chose so).
            return Action.reply, REASONS["praise_names_problem"]
        return Action.thank, REASONS["praise"]
    return Action.reply, REASONS["complaint"]
