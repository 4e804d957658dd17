"""What trade a comment is about, against the trade the brand sells in.

A comment naming another trade's goods ("外卖送了两个小时", "酒店房间隔音太差") and nothing of the brand's own
trade, the brand or anything it sells, is not about the brand's order: in a section it is left, drafted on
its own it is answered without the brand's after-sales policy. The words are in knowledge/wording/trades.yaml;
a brand file without a `trade` never reads a comment as foreign.
"""

from __future__ import annotations

from agent.knowledge.brands import Brand
from agent.knowledge.wording import trades
from agent.knowledge.wording_models import Trade
from agent.text import normalize_for_match
from agent.triage.section_evidence import names_offer


def _own(brand: Brand) -> Trade | None:
    return trades().trades.get(brand.trade or "")


def trade_name(brand: Brand) -> str | None:
    """What a reply calls the brand's own trade ("护肤品"), None for a brand file without one."""
    own = _own(brand)
    return own.name if own else None


def names_own_trade(text: str, brand: Brand) -> bool:
    """The comment names the brand, what it sells, or its trade's goods ("精华", "开衫")."""
    own = _own(brand)
    folded = normalize_for_match(text)
    return names_offer(folded, brand) or bool(own and own.words.search(folded))


def other_trade(text: str, brand: Brand) -> str | None:
    """The name of the other trade the comment is about ("酒店住宿"), else None."""
    if _own(brand) is None or names_own_trade(text, brand):
        return None
    folded = normalize_for_match(text)
    # The trade most of its words name: a hotel review that mentions a 裙 is still about the hotel.
    hits = {t.name: len(t.words.findall(folded)) for key, t in trades().trades.items() if key != brand.trade}
    best = max(hits, key=lambda name: hits[name], default=None)
    return best if best is not None and hits[best] > 0 else None
