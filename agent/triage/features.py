"""What a comment is, derived once for the triage rules from the signals, the evidence and the learned scores:
a first-hand account, a question, praise, an insult aimed at people, a claim nobody can back… (`features`).
The source table and the severity in agent.triage.rules read only these.
"""

from __future__ import annotations

from pydantic import BaseModel

from agent.knowledge.wording import experience, people, questions, sections, trades
from agent.schemas import Evidence, Violation
from agent.text import HAN_RE
from agent.triage import learned
from agent.triage.pii import URL_RE
from agent.triage.polarity import COMPLAINT_AT, PRAISE_BELOW, is_praise, scorned, sure_negative
from agent.triage.safety import REACTION, describes_reaction
from agent.triage.signals import REDIRECT_KINDS, Signals, label_in_debate

# Calibrated probabilities at which the learned signals count (chosen on the dev sets, see the model card).
OFFENSIVE_AT = 0.6
# Below this the offence model outweighs an abuse word of the lexicon: of 8,000 COLD training comments, the 25
# with a lexicon abuse word that it scores under 0.2 are all labelled safe (of 11 between 0.2 and 0.5, 3 are not).
OFFENSIVE_SURELY_NOT = 0.2
# Other comments by the same author under the brand's notes that make a record (one more is a customer's follow-up).
AUTHOR_RECORD_AT = 2


class Features(BaseModel):
    """What the comment is, derived once from the signals, the evidence and the learned scores."""

    violations: set[Violation]
    reaction: bool  # a reaction on the body is told, first-hand or not ("同款泛红 脖子都红了")
    order: bool
    safety: bool
    quality: bool
    negative: bool
    praise: bool
    question: bool
    asking: bool
    attack: bool
    complaint: bool
    first_hand: bool
    extortion: bool
    misuse: bool
    expectation: bool
    steer: bool
    competing_sale: bool
    calm: bool  # the sentiment model reads no complaint (P(negative) < PRAISE_BELOW)
    backed_attack: bool  # evidence beyond the words for a rebuttal: look-alikes, the author's record, a rumor
    spam_only: bool
    doxxing_staff: bool
    impersonation: bool


def _scored_violations(sig: Signals, folded: str, scores: learned.Scores | None, order: bool) -> set[Violation]:
    violations = set(sig.violations)
    aimed = _blanked(folded, sig.insults_at_things)  # "直男癌晚期的设计" names 男 but insults nobody
    if Violation.abuse in violations and not people().at_people.search(folded) and (
            sig.has("issue") or sig.has("quality") or sig.has("negative") or _names_goods(folded)):
        # "分区太脑残了", "这手机系统做得真脑残": a product's design scorned, nobody insulted
        violations.discard(Violation.abuse)
    if Violation.abuse in violations and scores is not None and scores.offensive < OFFENSIVE_SURELY_NOT \
            and not people().at_people.search(folded):
        # The offence model is sure there is no insult and nobody is addressed ("这款机子反应迟钝，好象有点弱智"):
        # a lexicon word alone never overrules it ("你就是个sb" still is one: the model barely knows "sb").
        violations.discard(Violation.abuse)
    # A civil question about how people are treated ("亚裔男…会被歧视吗？") names a group as the one wronged: the
    # model hears the topic, nobody is insulted.
    civil = people().asks_about_treatment.search(folded) and not sig.has("attack")
    if scores is not None and scores.offensive >= OFFENSIVE_AT and people().at_people.search(aimed) and not (
            violations & {Violation.political, Violation.rumor, Violation.porn}) and not civil:
        violations.add(Violation.abuse)  # an insult the lexicon has no word for (a stricter reason already covers it)
    if Violation.abuse in violations and label_in_debate(folded, sig.violations.get(Violation.abuse, [])):
        violations.discard(Violation.abuse)  # "舔狗现象绝非所谓的男性劣根性…": a label argued about, nobody insulted
    likeness = experience().likeness
    if Violation.ip_infringement in violations and experience().value_opinion.search(folded) and all(
            likeness.fullmatch(w) for w in sig.violations.get(Violation.ip_infringement, [])):
        violations.discard(Violation.ip_infringement)  # "贵在牌子 成分跟几十块的一模一样": a price opinion, no copy
    words_only = not set(sig.violations.get(Violation.spam_redirect, [])) & REDIRECT_KINDS
    own_purchase = experience().bought_at.search(folded) and describes_reaction(folded)
    if Violation.spam_redirect in violations and words_only and own_purchase:
        violations.discard(Violation.spam_redirect)  # "在某宝代购店买的…泛红": where she bought it, not an advert
    if words_only and sections().scam_warning.search(folded):
        # "官方会让你加微信？小心骗子 姐妹千万别加": a warning against a redirect is none, and its "骗子" insults nobody here
        violations.discard(Violation.spam_redirect)
        if set(sig.violations.get(Violation.abuse, [])) <= {"骗子"}:  # no insult of the lexicon's beside the scammer
            violations.discard(Violation.abuse)
    if Violation.spam_redirect in violations and _mentions_a_site(sig, folded):
        violations.discard(Violation.spam_redirect)  # "官网 www.ctrip.com 上也查不到订单": a site named, nobody sent there
    if Violation.spam_redirect in violations and words_only and _names_channel_only(sig, folded):
        violations.discard(Violation.spam_redirect)  # "某宝那件的图我笑出声": a marketplace named, nobody sent there
    if sig.fake_claim and not order and (sig.has("attack") or Violation.flooding in violations):
        violations.add(Violation.rumor)  # "it's fake, don't buy" with nothing bought is a claim nobody can back
    words = experience()
    if Violation.rumor in violations and words.own_goods.search(folded) and words.worry_asks.search(folded) \
            and not sig.has("attack"):
        violations.discard(Violation.rumor)  # "刚收到的裤子一股味 会不会甲醛超标": a customer asking, not a rumour
    return violations


def _names_goods(folded: str) -> bool:
    """The comment names goods or a service of any trade ("手机", "酒店", "质量")."""
    return bool(people().goods_words.search(folded)) or any(t.words.search(folded) for t in trades().trades.values())


def _blanked(text: str, words: list[str]) -> str:
    for w in words:
        text = text.replace(w, "\u3000" * len(w))
    return text


def _mentions_a_site(sig: Signals, folded: str) -> bool:
    """The only redirect is a web address, inside a complaint or a tip with words of its own ("驱动去官网下载
    https://…"), with no invitation, no offer and no contact id: a site mentioned, not an advert."""
    return sig.violations.get(Violation.spam_redirect, []) == ["url"] and not sig.has("competing_sale") \
        and site_mentioned(folded)


def site_mentioned(folded: str) -> bool:
    """A web address beside words of the comment's own that neither invite nor offer anything."""
    rest = URL_RE.sub("", folded)
    words = sections()
    return rest != folded and len(HAN_RE.findall(rest)) >= 8 and not words.lead_gen.search(rest) \
        and not words.link_offer.search(rest)


def _names_channel_only(sig: Signals, folded: str) -> bool:
    """The redirect words are only the names of marketplaces ("某宝", "闲鱼"), with no invitation, no offer of the
    same goods elsewhere ("同款", "低价") and no other advert's word: a comparison or a purchase story."""
    channels = experience().other_channels
    words = sig.violations.get(Violation.spam_redirect, [])
    return (bool(words) and all(channels.fullmatch(w) for w in words) and not sig.has("competing_sale")
            and not sections().lead_gen.search(folded))


def features(sig: Signals, evidence: Evidence, folded: str, scores: learned.Scores | None = None) -> Features:
    order = evidence.order_found
    v = _scored_violations(sig, folded, scores, order)
    used_it = bool(experience().used_it.search(folded))
    # A reaction after use ("用这洗发水后头皮直痒") is safety even in words the lexicon lacks; "脸泛红急用才买的" is not.
    safety = sig.has("safety") or (describes_reaction(folded) and used_it)
    quality = sig.has("quality")
    claim = safety or sig.fake_claim or Violation.rumor in v  # not taste or texture
    asks_how = asks_question(folded)
    asking = asks_how or bool(questions().asks_if_true.search(folded))
    told_first_hand = bool(experience().first_hand.search(folded))
    if not order and not asking and _unbacked_claim(sig, v, scores, claim, told_first_hand or used_it):
        v.add(Violation.rumor)
    if impersonation := sig.has("impersonation") and Violation.spam_redirect in v:
        v.add(Violation.ip_infringement)  # posing as the brand's after-sales
    consumer = bool(sections().consumer_matter.search(folded))  # a shop or goods named: "垃圾商家，欺骗消费者"
    insult_only = _insult_only(sig, v, order or told_first_hand or consumer, folded)
    # The sentiment model's "negative" is a complaint only where no rule violation explains the tone
    # (an insult or a doxxing post is negative too, and is not a customer's complaint).
    learned_negative = scores is not None and scores.negative >= COMPLAINT_AT and not insult_only and (
        not (v - {Violation.flooding}) or ((sig.has("issue") or consumer) and Violation.abuse not in sig.violations))
    negative = ((sig.has("negative") or sig.has("drawback") or scorned(folded)) and not insult_only) or learned_negative
    first_hand = (told_first_hand or used_it) and not (sig.has("hearsay") or sig.has("insider"))
    hostile_words = sig.has("attack") or bool(v & {Violation.rumor, Violation.ip_infringement})
    # A cluster of look-alike comments, or a harsh word, does not make a first-hand account an attack.
    attack = (hostile_words and not (first_hand and not v & {Violation.rumor, Violation.ip_infringement})) or (
        Violation.flooding in v and not first_hand) or (Violation.flooding in v and hostile_words)
    extortion = sig.has("extortion_pay") and (sig.has("extortion_deal") or sig.has("extortion_threat"))
    if extortion and safety and not order and used_it:
        v.add(Violation.rumor)  # an injury nobody can verify, used to ask for money
    prepurchase = sig.has("prepurchase") and not order and not sure_negative(scores)  # not "没买过这么差的"
    # Naming a product or service problem makes a complaint, unless the comment is an insult the
    # lexicon knows ("客服都是脑残" names 客服 and is abuse, not a service complaint).
    named_issue = sig.has("issue") and not sig.has("positive") and Violation.abuse not in sig.violations \
        and not insult_only
    complaint = safety or quality or negative or sig.fake_claim or attack or named_issue
    question = (asks_how or prepurchase) and not (safety or quality or attack or (sig.has("negative") and not prepurchase)
                                                  or (sure_negative(scores) and named_issue))
    praise = not sure_negative(scores) and is_praise(sig, folded, scores, safety or quality or sig.has("negative") or sig.has("issue"))
    ads = v & {Violation.porn, Violation.spam_redirect}  # a counterfeit seller is an attack, not an ad
    spam_only = bool(ads) and not (safety or quality or sig.has("negative") or sig.fake_claim
                                   or v & {Violation.flooding, Violation.rumor, Violation.ip_infringement})
    return Features(
        reaction=_reaction_told(sig, folded), violations=v, order=order, safety=safety, quality=quality, negative=negative, praise=praise,
        question=question, asking=asking, attack=attack, complaint=complaint, first_hand=first_hand,
        extortion=extortion, misuse=sig.has("misuse"), expectation=sig.has("expectation"), steer=sig.has("steer"),
        competing_sale=sig.has("competing_sale"), spam_only=spam_only, impersonation=impersonation,
        backed_attack=_backed_attack(v, evidence, sig.has("steer")), calm=scores is not None and scores.negative < PRAISE_BELOW,
        doxxing_staff=Violation.privacy in v and any(w in folded for w in people().brand_people),
    )


def _unbacked_claim(sig: Signals, v: set[Violation], scores: learned.Scores | None, claim: bool, own: bool) -> bool:
    """A rumor where nothing was bought: a claim second-hand or steering buyers to a rival, a claim on the goods'
    origin, or a charge passed on
    from an insider nobody can name ("我朋友在他们代工厂上班 说生产环境很差") by someone who tells of no use of
    their own (`own`), where no stricter reason (political, porn) already covers it. Plain hearsay with no claim
    in it ("…他们说我电话没挂好，结果收了我60块") is a customer's story: a rebuttal needs a claim the brand's
    facts can answer, or an insider's charge."""
    if claim and (sig.has("hearsay") or sig.has("insider") or sig.has("steer")):
        return True
    if sig.has("origin_claim") and not own:
        return True  # "国内小作坊贴牌的 根本不是进口": a claim about the brand its import papers answer
    return not own and sig.has("insider") and not v & {Violation.political, Violation.porn} and (
        sig.has("negative") or sig.has("attack") or sure_negative(scores))


def _reaction_told(sig: Signals, folded: str) -> bool:
    """A reaction on the body is what the comment tells of: no other problem is named beside it ("…本来是换季脸
    泛红急用才买的…还在路上" is about a parcel)."""
    return describes_reaction(folded) and all(REACTION.search(w) for w in sig.markers.get("issue", []))


def _backed_attack(v: set[Violation], evidence: Evidence, steer: bool) -> bool:
    """A rebuttal of one comment needs more than a warning's words ("千万别买", "智商税"): a cluster of distinct
    known authors (flooding), the author's record of other comments, a claim the brand's facts answer (a
    rumor, an impersonation), buyers pointed at a rival, or a platform rule the text itself breaks (an
    insult at people, political content)."""
    return steer or bool(v & {Violation.flooding, Violation.rumor, Violation.ip_infringement, Violation.abuse,
                              Violation.political}) or len(evidence.author_history) >= AUTHOR_RECORD_AT


def _insult_only(sig: Signals, v: set[Violation], backed: bool, folded: str) -> bool:
    """Harsh words beside an insult at people ("男人这种事一半都处理不好") are the insult's tone, not a
    complaint: only a named problem, an order or a first-hand account (`backed`) makes it a customer's
    complaint, and a problem word inside an insult at a group ("…少数族裔…这种态度") names none."""
    return Violation.abuse in v and not (backed or (sig.has("issue") and not people().groups.search(folded)))


def targets_group(folded: str) -> bool:
    """Names a group of people (race, region, gender): an insult at one is hate, not a brand matter."""
    return bool(people().groups.search(folded))


def asks_question(folded: str) -> bool:
    """A question about the product or its use ("请问…", "能…吗")."""
    return bool(questions().asks_how.search(folded))
