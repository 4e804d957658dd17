"""What trade a comment is about, against the trade the brand sells in.

A comment naming another trade's goods ("外卖送了两个小时", "酒店房间隔音太差") and nothing of the brand's own
trade, the brand or anything it sells, is not about the brand's order: in a section it is left, drafted on
its own it is answered without the brand's after-sales policy. The words are in knowledge/wording/trades.yaml;
a brand file without a `trade` never reads a comment as foreign.

Most reviews of another trade name none of its words ("太辣，备注少辣没用", "服务太差…唯一的优点是有免费班车"): where
the words are silent and the comment names nothing of the brand's, the learned topic model
(`agent/triage/topic_model.py`) reads the trade, and whether the comment is talk about people rather than about
anything bought (its figures beside the words': agent/triage/models/TOPIC_CARD.md).
"""

from __future__ import annotations

from agent.knowledge.brands import Brand
from agent.knowledge.wording import sections, trades
from agent.knowledge.wording_models import Trade
from agent.text import HAN_RE, normalize_for_match
from agent.triage import topic_model
from agent.triage.learned import ArtifactError
from agent.triage.section_evidence import names_brand, names_offer
from agent.triage.topic_model import TopicGuess

# The topic model's probabilities at which its reading counts, chosen on held-out reviews of the training corpora
# and the brand's own comments of the tuned sections (dev) and of cases.jsonl: at 0.8 it misread 2 of those 549
# comments as another trade (the words 3). Its figures on sets nobody tuned on: agent/triage/models/TOPIC_CARD.md.
TRADE_AT = 0.8
TALK_AT = 0.8


def _own(brand: Brand) -> Trade | None:
    return trades().trades.get(brand.trade or "")


def trade_name(brand: Brand) -> str | None:
    """What a reply calls the brand's own trade ("护肤品"), None for a brand file without one."""
    own = _own(brand)
    return own.name if own else None


def names_own_trade(text: str, brand: Brand) -> bool:
    """The comment names the brand, what it sells, or its trade's goods ("精华", "开衫")."""
    own = _own(brand)
    folded = trades().idioms.sub(" ", normalize_for_match(text))
    return names_offer(folded, brand) or bool(own and own.words.search(folded))


def other_trade(text: str, brand: Brand) -> str | None:
    """The name of the other trade the comment is about ("酒店住宿"), else None: its words', else the topic
    model's."""
    return other_trade_by_words(text, brand) or model_trade(text, brand)


def _guess(text: str) -> TopicGuess | None:
    try:
        return topic_model.guess(text)
    except ArtifactError:  # no topic model shipped: the words alone decide
        return None


def beyond_shopping(text: str) -> str | None:
    """What the comment says beside the shopping talk every buyer uses, where enough is left to read."""
    learned = trades().learned
    rest = learned.shopping.sub("", normalize_for_match(text))
    return rest if len(HAN_RE.findall(rest)) >= learned.min_chars else None


def model_trade(text: str, brand: Brand, guess: TopicGuess | None = None) -> str | None:
    """The name of the other trade the topic model is sure of, read from what the comment says beyond shopping
    talk, where it names nothing of the brand's. `guess`: the model's reading of that part, already made."""
    own = _own(brand)
    rest = beyond_shopping(text)
    if own is None or rest is None or names_own_trade(text, brand):
        return None
    guess = guess or _guess(rest)
    learned = trades().learned
    if guess is None or guess.p < TRADE_AT or guess.topic == brand.trade or guess.topic not in learned.trades:
        return None
    if topic_model.evidence(rest, guess.topic) < learned.evidence_at:
        return None  # no word of the comment's own is that trade's: a guess on any buyer's words ("刚买就降价")
    other = trades().trades.get(guess.topic)
    return other.name if other else None


def model_talk(text: str, brand: Brand, guess: TopicGuess | None = None) -> bool:
    """The topic model is sure the comment is talk about people, not about anything bought, and it names
    nothing of the brand's ("没必要分啥真女权假女权…", "我是成都人在宜宾读书…")."""
    if names_own_trade(text, brand):
        return False
    guess = guess or _guess(text)
    return guess is not None and guess.topic == topic_model.TALK and guess.p >= TALK_AT


def other_trade_by_words(text: str, brand: Brand) -> str | None:
    """The name of the other trade the comment's words name, else None."""
    if _own(brand) is None or names_own_trade(text, brand):
        return None
    folded = normalize_for_match(text)
    # The trade most of its words name: a hotel review that mentions a 裙 is still about the hotel.
    hits = {t.name: len(t.words.findall(folded)) for key, t in trades().trades.items() if key != brand.trade}
    best = max(hits, key=lambda name: hits[name], default=None)
    return best if best is not None and hits[best] > 0 else None


def talk_about_people(text: str, brand: Brand) -> bool:
    """Talk about people, as the topic model reads it, that names neither the brand, nothing it sells, nor a shop
    or a purchase: a debate ("没必要分啥真女权假女权…"), a joke, a story ("挖连，就是恶心反胃的意思"). A brand reply
    would answer a stranger as a customer: an apology for a defect nobody named, thanks for praise nobody gave."""
    return (not names_brand(text, brand) and not sections().consumer_matter.search(normalize_for_match(text))
            and model_talk(text, brand))
