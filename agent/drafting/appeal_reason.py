"""Which report, if any, a comment gets: the one decision the plan (should it appeal?) and the appeal
(which reason?) share, so they never disagree.

A reason is filed only with the words that show it: a civil opinion is never reported for abuse, an IP
report only reuses the brand's own marks or content, and a commenter accusing the brand of infringing goes
to internal legal review. Extortion has its own track (a report for illegal content, the DM evidence and
the police path), apart from the ladder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from agent.drafting.appeal_facts import SUBSTANCE_CLAIMS, AppealFacts, about_elsewhere, concerns_brand
from agent.drafting.appeal_mention import named_not_used, said_of_no_one
from agent.drafting.appeal_rumor import claimed_as_fact
from agent.knowledge.brands import Brand
from agent.knowledge.wording import appeals
from agent.schemas import Source, Triage, Violation
from agent.triage.pii import URL_RE
from agent.triage.rules import REASON_PRIORITY

Track = Literal["none", "ladder", "extortion", "legal_review"]
# Rules worth reporting even under a real customer's comment: they harm third parties.
ALWAYS_REPORT = frozenset({Violation.privacy, Violation.porn, Violation.political, Violation.spam_redirect})
EXTORTION_SIGNALS = ("extortion_pay", "extortion_deal", "extortion_threat")
# How far after a group its insult may stand ("广东人都是骗子"): further on, it is about something else.
GROUP_INSULT_WITHIN = 20


@dataclass(frozen=True)
class ReasonChoice:
    reason: Violation | None  # the platform's report reason; None: no report
    track: Track
    grounds: tuple[str, ...] = ()  # the comment's words that show the reason

    @property
    def key(self) -> str:
        """How the eval names the decision: the reason, "extortion", "legal_review" or "none"."""
        if self.track in ("extortion", "legal_review", "none"):
            return self.track
        return self.reason.value if self.reason else "none"


NONE = ReasonChoice(None, "none")


def _clause_at(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The words before, the span itself and the words after it, within its clause (between commas)."""
    cut = appeals().clause
    before = [m.end() for m in cut.finditer(text, 0, start)]
    after = cut.search(text, end)
    lo, hi = (before[-1] if before else 0), (after.start() if after else len(text))
    return text[lo:start], text[start:end], text[end:hi]


def own_use(text: str, start: int, end: int, label: bool = False, whole: str = "") -> bool:
    """The words at text[start:end] are the commenter's own insult: not someone else's told ("他骂我傻逼",
    "觉得中国人都智障"), not denied ("不会认为多数河南人是骗子"), not the word itself mentioned ("黑鬼的意思");
    and, for a label of a kind of person or inside a comment arguing about prejudice, said to someone.
    `whole`: the comment as written, where `text` has words blanked."""
    words = appeals()
    before, _, after = _clause_at(text, start, end)
    asked = text[end + len(after):end + len(after) + 1] in ("?", "？")
    said = list(words.reported_speech.finditer(before))
    if asked and words.addressed.search(before[said[-1].end():] if said else before + after):
        return True  # "你还敢说你不是直男癌？": asked of the reader, an accusation whatever its negation
    if words.reported_speech.search(before) and not words.own_speech.search(before):
        return False
    if named_not_used(text, start, end) or said_of_no_one(before, after):
        return False
    if words.mention_after.search(after):
        return False
    if words.negated.search(before) and not words.addressed.search(before):
        return False  # denied; but "你干嘛活着不去死" wishes it on the reader
    if label or words.discussion.search(whole or text):
        return bool(words.addressed.search(before + after))
    return True


def group_slur(facts: AppealFacts) -> list[str]:
    """The words that insult a group ("广东人都是骗子"), the insult following the group in the same clause. A group named alone (黑人, 女人, 男人) is no insult however heated the talk, a group
    narrowed by what its members did ("家暴的男人") is an opinion about that conduct, and a group narrowed to
    some of them ("有些黑人", "一个黑人") an anecdote, not a slur at the group; words in quotation marks, told
    ("说黑人垃圾"), denied, asked ("为啥非要加个河南人是骗子？") or argued against are someone else's."""
    words = appeals()
    own = words.quoted.sub(lambda m: " " * len(m.group(0)), _plain(facts.text))  # someone else's words blanked
    groups = list(words.groups.finditer(own))
    for group, following in zip(groups, [*groups[1:], None], strict=False):
        if own[max(0, group.start() - 1):group.start()] in (*words.group_narrowed, *words.mention_verbs):
            continue
        if words.group_qualifiers.search(own[:group.start()]):
            continue
        # The insult belongs to the nearest group before it: up to the next group named, in the same clause.
        upto = following.start() if following else len(own)
        clause = words.clause.split(own[group.end():upto], maxsplit=1)[0][:GROUP_INSULT_WITHIN]
        insult = words.group_insults.search(clause)
        end = group.end() + insult.end() if insult else 0
        if insult and own[end:end + 1] not in ("?", "？") and own_use(own, group.start(), end, whole=facts.text):
            # quoted whole, from the group to its insult: the group's name alone is no insult
            return [facts.text[group.start():end]]
    return []


def _plain(text: str) -> str:
    """The text with the lexicon words that insult nobody blanked ("你妈妈", "地域黑", "我真的是恶心到了")."""
    return appeals().not_insults.sub(lambda m: " " * len(m.group(0)), text)


def used_insults(facts: AppealFacts) -> list[str]:
    """The abuse words the comment uses at someone: a word only mentioned ("骂娘炮的都是…", "说黑鬼就是…", or
    inside quotation marks, someone else's words, wherever else it is repeated) is not an insult the commenter
    made, nor one told, denied or said in general talk (own_use)."""
    words = appeals()
    quoted = "".join(words.quoted.findall(facts.text))
    plain = _plain(facts.text)
    out = []
    for w in dict.fromkeys(facts.words("abuse")):
        if w in facts.text and w not in plain:
            continue  # every use of it insults nobody
        if w in quoted:
            continue  # someone else's word, quoted: its repetitions tell what they said
        at = [i for i in range(len(plain)) if plain.startswith(w, i)]
        label = bool(words.labels.fullmatch(w))
        used = [i for i in at if facts.text[max(0, i - 1):i] not in words.mention_verbs
                and own_use(plain, i, i + len(w), label, facts.text)]
        if used or not at:
            out.append(w)
    return out


def grounds_for(v: Violation, facts: AppealFacts, brand: Brand) -> list[str]:
    """The words that show `v` in this comment; none means the reason is not filed."""
    if v == Violation.abuse:
        return used_insults(facts) + group_slur(facts)
    if v == Violation.ip_infringement:  # the brand's marks or content reused; posing as its after-sales with a
        # contact id is a redirect (spam_redirect, which says it is an impersonation), not a right infringed
        # and naming the brand is no use of its mark: the comment sells or reuses under it ("盗用…官方图卖")
        return [] if poses_as_brand(facts, brand) or not appeals().ip_use.search(facts.text) else facts.marks_used(brand)
    if v == Violation.flooding:
        return ["flooding"] if facts.cluster else []
    if v == Violation.privacy:
        # the personal data itself: a learned score alone names none, and a report must say what was exposed
        # (with no comment text to read, as in a plan checked alone, the triage's finding stands)
        return facts.words("privacy") or (["pii"] if facts.contacts or "privacy" in facts.signals and not facts.text
                                          else [])
    if v == Violation.spam_redirect:
        return spam_grounds(facts)
    if v == Violation.rumor:  # the claim itself ("这个面膜含汞"), not a word of it ("超标")
        if facts.text and (about_elsewhere(facts.text, brand) or not (facts.claims or concerns_brand(facts.text, brand))):
            return []  # a claim about a race, a place or another trade's goods is no rumor about the brand's
        kinds = appeals().claims
        claims = [w for k in facts.claims for w in kinds[k].words.findall(facts.text) if w]
        return clauses(facts.text, [*facts.words("rumor", "political"), *claims]) or [v.value]
    if v == Violation.political:
        words = appeals()
        found = facts.words("political")
        if facts.text and found and all(words.political_labels.fullmatch(w) for w in found) \
                and not words.political_advocacy.search(facts.text) and not concerns_brand(facts.text, brand):
            return []  # a label named of a stranger, opposed or thrown in an argument: talk about politics
    if v == Violation.porn and facts.text and not porn_content(facts):
        return []
    return facts.words(v.value) or [v.value]  # porn, political: the triage's own finding


def porn_content(facts: AppealFacts) -> bool:
    """The comment is sexual content, not talk about it: a sexual word that names no kind of content ("色情"),
    in a comment that does not condemn it, tell of a case or discuss the word; or any offer or remark at
    someone ("约吗", "私我", a contact id), whatever else it says."""
    words = appeals()
    found = facts.words("porn")
    if not found or words.porn_offer.search(facts.text) or contact_ids(facts):
        return True  # nothing to read (the triage's finding stands), or an offer
    named = all(words.porn_naming.fullmatch(w) for w in found)
    first = min((facts.text.find(w) for w in found if w in facts.text), default=0)
    if words.porn_of_group.search(_clause_at(facts.text, first, first)[0]):
        return False  # said of a region or a people ("河南应该都是全裸"): mockery of them, no sexual content
    # the talk follows the word it is about ("约炮很恶心", "约炮这个词"): "恶心老男人…裸体" insults, then is lewd
    return not named and not words.porn_talk.search(facts.text, first)


def clauses(text: str, found: list[str], limit: int = 3) -> list[str]:
    """The comment's clauses (between punctuation or spaces) that hold the words found, in the comment's
    order: what a report quotes, so the platform reads the statement, not a fragment of it."""
    parts = [p.strip() for p in appeals().quote_split.split(text) if p.strip()]
    return [p for p in parts if any(w in p for w in found)][:limit]


def spam_grounds(facts: AppealFacts) -> list[str]:
    """What shows a redirect: the contact id itself ("+薇 a1b2c3dd", "加q 2837465190") first, then the clause
    that points away ("主页有惊喜💰"). A job or a marketplace named ("兼职", "日结", "拼夕夕") shows a pitch
    at most, no redirect: alone, it grounds nothing."""
    words = appeals()
    ids = contact_ids(facts)
    pointers = [w for w in facts.words("spam_redirect", "impersonation", "competing_sale")
                if not words.redirect_context.fullmatch(w) and not _told_pointer(facts.text, w)]
    return list(dict.fromkeys(ids)) or clauses(facts.text, pointers) or pointers or (["contact"] if facts.contacts else [])


def _told_pointer(text: str, word: str) -> bool:
    """Every use of the pointer is a story of what someone did ("你之前开小号加我…"), not an invitation."""
    told = appeals().pointer_told
    at = [i for i in range(len(text)) if text.startswith(word, i)]
    return bool(at) and all(told.search(_clause_at(text, i, i + len(word))[0]) for i in at)


def poses_as_brand(facts: AppealFacts, brand: Brand) -> bool:
    """A contact id under the brand's name and "官方客服/售后" ("GlowSkin官方售后…加V：…"): posing as its service,
    a redirect. A counterfeit sold under its mark ("高仿GlowSkin…私我拿货") still infringes the mark."""
    named = bool(facts.marks_used(brand)) or brand.name.lower() in facts.text.lower()
    posing = bool(facts.words("impersonation")) or named and bool(appeals().poses_as.search(facts.text))
    return posing and bool(contact_ids(facts))


def contact_ids(facts: AppealFacts) -> list[str]:
    return [m.group(0).strip() for m in appeals().contact_ids.finditer(facts.text)]


def _rumor_by_hearsay(facts: AppealFacts, brand: Brand) -> list[str]:
    """The clauses of a rumor told second-hand ("义乌小作坊灌装的，我朋友在厂里上班") or stated of the brand's goods
    as a fact to warn others (agent.drafting.appeal_rumor)."""
    words = appeals()
    cue, hearsay = words.rumor_cues.search(facts.text), words.rumor_hearsay.search(facts.text)
    if cue and hearsay and not facts.order:
        return clauses(facts.text, [cue.group()]) or [cue.group()]
    said = [] if own_reaction(facts) else claimed_as_fact(facts, brand)
    return clauses(facts.text, said) or said


def accuses_brand(folded: str) -> bool:
    """The commenter says the brand infringes her own right ("图片是我拍的，品牌方盗用"): legal review's, not a report's.
    `folded`: the comment folded for matching (agent.text.normalize_for_match)."""
    return bool(appeals().ip_accusation.search(folded))


def own_reaction(facts: AppealFacts) -> bool:
    """The commenter tells of a reaction of their own after using the product ("穿了一天脖子起了一圈红疹子"),
    not one foretold ("用了会烂脸") or heard of: a customer's report, whatever cause they guess at."""
    words = appeals()
    if set(facts.claims) & SUBSTANCE_CLAIMS and not words.hedges.search(facts.text):
        return False  # "含激素，用了烂脸": the reaction is told as the proof of a claim stated as fact
    return bool(words.own_reaction.search(facts.text)) and not words.rumor_hearsay.search(facts.text)


def customer_claim(facts: AppealFacts) -> bool:
    """A customer (an order on record or cited, or a reaction of their own) asking for compensation ("赔我三倍",
    "医药费"): a consumer's claim for service to answer, not extortion, however hard it is put."""
    customer = facts.order is not None or facts.order_cited or own_reaction(facts)
    return customer and bool(appeals().compensation.search(facts.text))


def choose_reason(triage: Triage, facts: AppealFacts, brand: Brand) -> ReasonChoice:
    if triage.source == Source.extortion and not customer_claim(facts):
        # The report names the best true rule it breaks besides (a rumor it threatens with…), else the
        # platform's reason for threats and illegal content: a demand for money is not an insult.
        reason = min(triage.violations, key=REASON_PRIORITY.index) if triage.violations else Violation.illegal
        return ReasonChoice(reason, "extortion", tuple(facts.words(*EXTORTION_SIGNALS)))
    if accuses_brand(facts.text):
        return ReasonChoice(None, "legal_review")
    violations = list(triage.violations)
    if Violation.political in violations and appeals().brand_political_claim.search(facts.text):
        # "它们支持港独": a political stance made up about the brand is a false claim about it, not a topic.
        violations = [Violation.rumor if v == Violation.political else v for v in violations]
    if own_reaction(facts):  # a rash after use is a customer's report; the cause they guess at is no rumor
        violations = [v for v in violations if v != Violation.rumor]
    hearsay = _rumor_by_hearsay(facts, brand)
    if hearsay and Violation.rumor not in violations:
        violations.append(Violation.rumor)
    ids = [i for i in contact_ids(facts) if not URL_RE.fullmatch(i)]  # a web address alone: the triage's to judge
    if ids and Violation.spam_redirect not in violations:  # an id written out: "v我：shop8888"
        violations.append(Violation.spam_redirect)
    if group_slur(facts) and Violation.abuse not in violations:
        violations.append(Violation.abuse)
    reportable = triage.source in (Source.competitor_attack,) or bool(hearsay) or (
        Violation.rumor in violations and Violation.rumor not in triage.violations)
    grounded = {v: tuple(dict.fromkeys(hearsay if v == Violation.rumor and hearsay else grounds_for(v, facts, brand)))
                for v in violations}
    grounded = {v: g for v, g in grounded.items() if g}
    # Reported when one grounded rule warrants it; then for the best grounded rule of all it breaks.
    if not any(reportable or v in ALWAYS_REPORT or v == Violation.abuse and group_slur(facts) for v in grounded):
        return NONE
    best = min(grounded, key=REASON_PRIORITY.index)
    return ReasonChoice(best, "ladder", grounded[best])
