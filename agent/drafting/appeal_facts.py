"""The one set of facts an appeal, its checks and the case drafts share: what the comment contains (the
words the triage matched), the order lookup and the key it ran on, the spread (likes), the look-alikes,
the account's history, the posting time and the kinds of claim it makes. Nothing here is inferred: a fact
nobody recorded is None or empty, and the sentence that would state it is left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from agent.knowledge.brands import Brand
from agent.knowledge.wording import appeals, trades
from agent.schemas import CommentIn, Evidence, Triage
from agent.triage.orders import order_ids_in
from agent.triage.trade import names_own_trade, other_trade_by_words

CONTACT_PII = frozenset({"phone", "wechat", "qq", "email", "url"})
BEIJING = timezone(timedelta(hours=8), "CST")
# Claims of what the product contains: a skin reaction named beside one is its consequence (the patch test
# answers none of them); beside a counterfeit or expiry claim, a reaction is a claim of its own.
SUBSTANCE_CLAIMS = frozenset({"heavy_metals", "hormones", "carcinogen", "fibre"})


def posted_text(value: str) -> str:
    """A comment's posting time as a person reads it in a report (Beijing time, to the minute); a time given
    without a zone stays as written, and one that does not parse is kept as it is."""
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return (when.astimezone(BEIJING) if when.tzinfo else when).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class AppealFacts:
    text: str  # the comment folded to Simplified Chinese
    signals: dict[str, list[str]]  # triage signal name → the words it matched
    order_key: str | None = None  # what the order lookup ran on, as a phrase ("订单号…"); None: it had no key
    order: dict[str, str] | None = None
    likes: int | None = None
    posted_at: str | None = None
    cluster: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    contacts: bool = False  # the comment carries a contact id or a link
    claims: list[str] = field(default_factory=list)  # kinds of claim (agent/knowledge/wording appeals.claims)
    offensive: float = 0.0  # the learned offensive classifier's calibrated probability
    order_cited: bool = False  # the comment or its record gives an order number

    def words(self, *names: str) -> list[str]:
        return [w for n in names for w in self.signals.get(n, [])]

    def marks_used(self, brand: Brand) -> list[str]:
        """The brand's marks and content the comment names: what an IP report may say was reused."""
        return [w for w in [*brand.rights.marks, *brand.rights.content] if w.lower() in self.text.lower()]


def names_own(folded: str, brand: Brand) -> bool:
    """The comment names the brand, one of its products or one of its marks."""
    names = [n.lower() for n in [brand.name, *brand.aliases, *brand.rights.marks,
                                 *(n for p in brand.products for n in (p.name, *p.aliases))] if n]
    return any(n in folded.lower() for n in names)


def about_elsewhere(folded: str, brand: Brand) -> bool:
    """A review of another trade ("前台态度差…房间设施陈旧", a phone "三无产品") or of another shop or platform
    ("建议携程清除这家酒店") that names nothing of the brand's: its shop, goods and sellers are someone else's."""
    if names_own(folded, brand) or names_own_trade(folded, brand):
        return False
    # Words only: the topic model reads any talk of fakes ("三无产品，大家别买") as gadgets'.
    return bool(trades().parties.search(folded) or appeals().other_goods.search(folded) or other_trade_by_words(folded, brand))


def concerns_brand(folded: str, brand: Brand, ad: bool = False) -> bool:
    """The comment names the brand, its products or marks, or speaks of its shop, service or goods
    (appeals.brand_refs) and of no other trade's. A quarrel among users about a region or a race does not:
    the brand is no party. `ad`: the comment is a redirect, whose price and goods talk (appeals.ad_talk) is
    every ad's ("收个号，价格合理的来"), not the brand's."""
    if names_own(folded, brand) or claim_kinds(folded) and names_own_trade(folded, brand):
        return True  # a claim about the brand's kind of goods ("他们家衣服甲醛超标") is about its goods
    words = appeals()
    text = words.ad_talk.sub(" ", folded) if ad else folded
    return bool(words.brand_refs.search(text)) and not about_elsewhere(folded, brand)


def parse_signals(signals: list[str]) -> dict[str, list[str]]:
    """"abuse: 他妈的, 滚" → {"abuse": ["他妈的", "滚"]}; the learned scores are not words and are skipped."""
    out: dict[str, list[str]] = {}
    for s in signals:
        name, _, words = s.partition(": ")
        if words and name != "learned":
            out.setdefault(name, []).extend(w.strip() for w in words.split(",") if w.strip())
    return out


def order_key(record: CommentIn | None) -> str | None:
    words = appeals()
    if record is None:
        return None
    ids = [record.order_id] if record.order_id else order_ids_in(record.text)
    if ids:
        return words.key_order_id.format(value=ids[0])
    if record.author and "*" not in record.author:
        return words.key_author.format(value=record.author)
    return None


def claim_kinds(folded: str) -> list[str]:
    """The kinds of claim a comment makes. A reaction beside a substance claim ("含激素…一停就烂脸") is that
    claim's consequence, not a claim of its own: a patch test answers no heavy metal, hormone or fibre."""
    kinds = [kind for kind, c in appeals().claims.items() if c.words.search(folded)]
    return [k for k in kinds if k != "allergy" or not SUBSTANCE_CLAIMS & set(kinds)]


def gather(triage: Triage, evidence: Evidence, folded: str, record: CommentIn | None) -> AppealFacts:
    claims = claim_kinds(folded)
    return AppealFacts(
        text=folded, signals=parse_signals(triage.signals), order_key=order_key(record),
        order=evidence.order if evidence.order_found else None,
        likes=record.likes if record else None, posted_at=record.posted_at if record else None,
        cluster=list(evidence.duplicate_cluster), history=list(evidence.author_history),
        contacts=any(h.kind in CONTACT_PII for h in triage.pii), claims=claims,
        offensive=triage.scores.get("offensive", 0.0),
        order_cited=bool(record and (record.order_id or order_ids_in(record.text))) or bool(order_ids_in(folded)),
    )
