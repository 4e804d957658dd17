"""The `offline` model: drafts from the script library (话术库), filled with the brand's own facts.

Deterministic and network-free. It is also the fallback when a real model fails, so it must
always produce a reviewable draft. A fact it does not have becomes a visible 【待确认：…】 slot.
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection
from typing import NamedTuple

from agent.drafting.answers import (
    ANSWERED_OVER,
    Answer,
    answer_later,
    asked_products,
    asks,
    asks_at_all,
    draft_answer,
)
from agent.drafting.elsewhere import care_not_owed, not_ours
from agent.drafting.phrasing import candidates, choose, seed_of
from agent.drafting.policy_choice import (
    best_promise,
    closest,
    policy_statement,
    stated_facts,
    without_offers_against,
)
from agent.drafting.quoting import (
    also_named,
    fault_clauses,
    neutral,
    quote_issue,
    second_person,
    told_back,
)
from agent.drafting.template_choice import choose_template, detect_product, without_mentions
from agent.drafting.tone import lighter
from agent.knowledge.brands import Brand, Product
from agent.knowledge.script_library import ScriptLibrary, ScriptTemplate, mask_compounds
from agent.knowledge.wording import questions, replies, sections
from agent.placeholders import PLACEHOLDER_RE, placeholder
from agent.schemas import Action, Evidence, Plan, RecentReplies, Strategy
from agent.text import normalize_for_match
from agent.triage import safety
from agent.triage.trade import trade_name


def _first_sentence(text: str) -> str:
    parts = re.split(r"(?<=[。！!；;])", text.strip(), maxsplit=1)
    return parts[0].strip().rstrip("。")


# A complaint about another trade's goods: the reply says so and takes up none of its problems as the brand's.
NOT_OURS = "not_ours"
# The short line that invites the details in private, assuming no defect, order or policy (agent/planning/script_fit.py).
BRIEF = "ar_brief"
DEFECT_SITUATIONS = {"quality_defect", "smell_texture", "colour_difference"}


def order_status(evidence: Evidence, verified_no_order: bool = False) -> str:
    """What the order lookup found; "none found" only where a rebuttal may say so, else a blank to fill."""
    if evidence.order:
        return "，".join(x for x in (evidence.order.get("status"), evidence.order.get("tracking_status")) if x)
    if verified_no_order:
        return replies().no_order_found
    return placeholder("订单状态")


def slot_values(brand: Brand, product: Product | None, evidence: Evidence, issue: str,
                situation: str = "general", verified_no_order: bool = False, title: str = "",
                template_text: str = "", facts: frozenset[str] = frozenset(),
                about: str | None = None) -> dict[str, str]:
    cert = next((c for c in brand.certifications if product and product.id in c.products), None)
    cert = cert or (brand.certifications[0] if brand.certifications and not product else None)
    returns = brand.policy("returns")
    promise = best_promise(brand, situation, title, template_text, facts)
    return {
        "product": product.name if product else brand.name,
        "usage": product.usage if product else placeholder("正确用法"),
        "caution": closest(product.cautions, title) if product and product.cautions else placeholder("注意事项"),
        # A claim the brand facts make about the product, the one closest to the situation and the comment.
        "claim": closest(product.claims, title + issue) if product and product.claims else placeholder("产品说明"),
        "certification": f"{cert.title}（{cert.issuer}）" if cert else placeholder("检测报告"),
        # A defect is answered with the defect promise; "未拆封7天无理由退货" only where a return is asked about.
        "returns": (promise if promise and situation in DEFECT_SITUATIONS  # a returns-policy promise (SITUATION_POLICY)
                    else policy_statement(brand, _first_sentence(returns.text), facts) if returns
                    else placeholder("退换货政策")),
        "compensation": promise or placeholder("补偿方案"),
        "service_hours": brand.service.hours,
        "service_channels": "、".join(brand.service.channels) or placeholder("客服渠道"),
        "order_status": order_status(evidence, verified_no_order),
        "issue": issue,
        # A comment about another trade (`about`, agent/triage/trade.py), and what the brand sells.
        "brand": brand.name,
        "brand_trade": trade_name(brand) or placeholder("品牌卖什么"),
        "other_trade": about or placeholder("评论说的是什么"),
        # The question script's answer where the brand file answers nothing asked: the reviewer writes it.
        "answer": placeholder("回答"),
    }


class _Slots(dict[str, str]):
    """A slot the template names but nobody filled stays visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return placeholder(key)


def fill(text: str, values: dict[str, str]) -> str:
    return string.Formatter().vformat(text, (), _Slots(values))


class OfflineReply(NamedTuple):
    text: str
    template: ScriptTemplate
    cites: list[str]  # the brand-file chunks an answer states (agent/drafting/answers.py), to cite


def draft_reply(library: ScriptLibrary, brand: Brand, plan: Plan, comment: str, folded_comment: str,
                evidence: Evidence, avoid: list[str], refuse: list[str],
                instruction: str | None = None, recent: RecentReplies | None = None,
                seed: str = "", note_title: str = "", max_chars: int = 300, negative: float | None = None) -> OfflineReply:
    """The reply from the plan's script (chosen once, by agent/planning/script_fit.py); `avoid`: words never quoted back; `refuse`: never quote at all;
    `recent`: the public replies already given under the note and for the brand that day, which this one must
    not repeat; `seed` (the comment's id): which phrasing comes first, the same on every rerun; `note_title`:
    the note's, which names the product a question under it is about; `max_chars`: the reply's length limit;
    `negative`: the sentiment model's score of the comment, which sets how heavily a complaint is apologised to."""
    template = library.reply(plan.template) or choose_template(library, plan.strategy, folded_comment,
                                                               brand.category, prefer=plan.situation)
    product = brand.product(plan.product)
    rebuttal = plan.strategy == Strategy.neutral_rebuttal
    issue = _issue(template, rebuttal, comment, avoid, refuse, library.issue_triggers)
    named = detect_product(brand, folded_comment)
    facts = stated_facts(comment, names_product=named is not None)
    others: list[str] | None = None
    about = not_ours(comment, brand) if template.situation == NOT_OURS else None  # once, not per phrasing
    answer, product = _answer(brand, plan, template, comment, folded_comment, product, named, note_title,
                              slot_values(brand, product, evidence, "", template.situation, title=template.title,
                                          about=about))

    def render(phrasing: str) -> str:
        nonlocal others
        values = slot_values(brand, product, evidence, issue, template.situation, verified_no_order=rebuttal,
                             title=template.title, template_text=phrasing, facts=facts, about=about)
        text = fill(phrasing, values)
        if plan.strategy == Strategy.apologize_resolve and template.situation != NOT_OURS and template.id != BRIEF:
            if others is None:
                others = also_named(library, template, brand.category, comment, avoid, refuse)
            missing = [t for t in others if t not in text]
            if missing:
                text = text.rstrip() + replies().also_noted.format(topic="、".join(missing))
        return phrasing if answer else text

    # A complaint that doubts what the brand file proves ("这牌子根本没备案"): the file's answer follows the reply.
    beside = (draft_answer(comment, brand, product or named, note_title, doubts_only=True)
              if not answer and plan.strategy != Strategy.educate else None)

    def finish(text: str) -> str:
        if not rebuttal and not evidence.order:
            text = without_sentences_holding(text, placeholder("订单状态"))
        text = _with_proof(with_reaction_care(without_offers_against(brand, text, facts), comment, brand), beside, max_chars)
        return apply_instruction(lighter(text, negative, template.situation), instruction)

    phrasings = answer.texts if answer else template.phrasings
    options = (finish(t) for t in candidates(phrasings, render, seed_of(seed or comment)))
    chosen = choose(options, recent or RecentReplies())
    cited = answer or (beside if beside is not None and beside.body in chosen else None)  # a proof left out: no cite
    return OfflineReply(chosen, template, cited.cites if cited else [])


def _answer(brand: Brand, plan: Plan, template: ScriptTemplate, comment: str, folded_comment: str,
            product: Product | None, named: Product | None, note_title: str,
            lesson_values: dict[str, str]) -> tuple[Answer | None, Product | None]:
    """The brand file's answer that takes the script's place, if any, and the product the reply is about (a
    question under a note about one product is about that product)."""
    answering = plan.action == Action.answer
    if answering and product is None:
        product = next(iter(asked_products(brand, comment, note_title)), None)
    asked = asks(comment) or asks_at_all(folded_comment)
    masked = mask_compounds(without_mentions(folded_comment))
    # A lesson nobody asked for that the file can't even fill ("还能退吗" given 【待确认：正确用法】) is answered too.
    answering = answering or (plan.strategy == Strategy.educate and asked and not template.hits(masked)
                              and bool(PLACEHOLDER_RE.search(fill(template.phrasings[0], lesson_values))))
    # A blank alone answers only a question asked, never in place of a rebuttal's facts.
    alone = answering and asked and plan.strategy != Strategy.neutral_rebuttal
    # A question not of the `answer` action is answered from the file only where it is about the brand: under a
    # note, or naming the brand or a product (a history lesson's "服用" is no question of taking the oil).
    about_brand = bool(note_title) or named is not None or normalize_for_match(brand.name) in folded_comment
    answer = (draft_answer(comment, brand, product or named, note_title, blanks_only=alone)
              if answering or (plan.strategy == Strategy.educate and template.situation in ANSWERED_OVER
                               and asks(comment) and about_brand) else None)
    if answer is None and alone and (template.strategy == Strategy.educate or template.id == BRIEF) \
            and not template.hits(masked):
        # Asked something no topic of the file covers: no lesson it never asked for ("能自提吗" answered with the
        # washing steps), no reply of blanks; the team finds out and replies.
        answer = answer_later()
    if answer is not None and plan.strategy == Strategy.educate and template.situation not in ANSWERED_OVER:
        # A lesson that answers its own question (dilution, storage, the genuine product) stays where the brand
        # file fills it; one left with a blank gives way to the answer.
        if not PLACEHOLDER_RE.search(fill(template.phrasings[0], lesson_values)):
            answer = None
    return answer, product


def _with_proof(text: str, beside: Answer | None, max_chars: int) -> str:
    """The reply, then the brand file's proof of what the comment doubts, where the reply still fits its limit."""
    if beside is None:
        return text
    longer = text.rstrip() + questions().answer_beside.format(answer=beside.body)
    return longer if len(longer) <= max_chars else text


def _issue(template: ScriptTemplate, rebuttal: bool, comment: str, avoid: list[str], refuse: list[str],
           problems: Collection[str] = ()) -> str:
    """What {issue} says: the commenter's own plain, neutral clause, said back to them, else the script's neutral
    words. `problems`: the words that name a product or service problem (a clause restated names one)."""
    mixed = template.situation == "mixed_praise"
    if rebuttal:
        clause = None  # a rebuttal never repeats the claim it answers: repeating a rumor spreads it
    elif mixed:  # the drawback, never the praise around it
        clause = next((c for c in fault_clauses(comment, avoid, refuse) if neutral(c)), None)
    else:
        clause = quote_issue(comment, avoid, refuse, template.triggers, problems)
    if not clause:
        return template.issue or template.title
    # Said back to the commenter: "看到你说我要求里写了…" would read as the brand speaking of itself.
    return told_back(clause) if mixed else second_person(clause)


def without_sentences_holding(text: str, blank: str) -> str:
    """An apology says nothing about an order nobody found: the sentence that would report its status goes
    (the reply still asks for the order number in private), rather than a blank the reviewer could only
    fill by guessing."""
    if blank not in text:
        return text
    # An emoji ends a sentence too: "…先跟你说声抱歉🙏 后台看到的情况是：…" keeps its apology (and its space).
    parts = re.split("(?<=[。！!？?～~\u2600-\u27bf\U0001f300-\U0001faff])(\\s*)", text)
    sentences = [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    return "".join(s for s in sentences if blank not in s)


def without_report_claims(text: str) -> str:
    """A reply says the comment went to the platform only where an appeal is drafted: without one, the clause
    that says so goes ("…攻击性言论无论针对哪个群体都不合适，已按社区规范提交平台处理，谢谢理解🙏" keeps its first
    sentence); a reply that is nothing but the claim is kept for the check to show."""
    claims = sections().report_claims
    if not claims.search(normalize_for_match(text)):
        return text
    parts = re.split("(?<=[。！!？?；;\u2600-\u27bf\U0001f300-\U0001faff])(\\s*)", text)
    sentences = [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    kept = "".join(s for s in sentences if not claims.search(normalize_for_match(s))).strip()
    return re.sub("[；;]$", "。", kept) if kept else text


def with_reaction_care(text: str, comment: str, brand: Brand | None = None) -> str:
    """The offline draft is everyone's fallback: a described reaction always gets pause-and-help, first,
    whichever script answered it (a misuse lesson, a rebuttal of a look-alike post): health before the rest. Hearsay
    tells of no reaction of the commenter's own: nobody is told to stop using what they never used; nor is a reaction
    to another trade's service (`brand`: whose goods the reply speaks for)."""
    if safety.describes_reaction(comment) and not care_not_owed(comment, brand) \
            and not safety.reaction_care(text, comment).passed:
        return replies().reaction_care + text.lstrip()
    return text


def apply_instruction(text: str, instruction: str | None) -> str:
    """The offline model's answer to the one-click rewrites; free-form instructions need a real model."""
    if not instruction:
        return text
    words = replies()
    sentences = [s for s in re.split(r"(?<=[。！!？?~～])", text) if s.strip()]
    if any(w in instruction for w in words.shorter_asks) and len(sentences) > 2:
        kept = [s for s in sentences[1:] if any(w in s for w in words.kept_when_shorter) or PLACEHOLDER_RE.search(s)]
        return "".join([sentences[0], *kept[:1]])
    if any(w in instruction for w in words.warmer_asks):
        return text if text.startswith(words.warm_openers) else words.warm_opening + text.lstrip(words.warm_strip)
    if any(w in instruction for w in words.formal_asks):
        for casual, formal in words.formal_swaps:
            text = text.replace(casual, formal)
    return text
