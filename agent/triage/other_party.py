"""Another business blamed: a comment that names another shop, platform or courier ("京东的物流太慢了",
"顺丰把我的快递弄丢了") and nothing of the brand's (the brand, what it sells, its trade's goods) is about that
business, not an order of the brand's. Its reply owns nothing: the `not_ours` script, naming the business, as for a
comment about another trade (agent/triage/trade.py). The names are in knowledge/wording/trades.yaml (`parties`)."""

from __future__ import annotations

from agent.knowledge.brands import Brand
from agent.knowledge.wording import trades
from agent.text import normalize_for_match
from agent.triage.trade import names_own_trade, other_trade


def other_party(text: str, brand: Brand) -> str | None:
    """The other shop, platform or courier the comment names (as it spells it), where it names nothing of the
    brand's; None for a brand file without a `trade` (it never reads a comment as foreign)."""
    if not brand.trade or names_own_trade(text, brand):
        return None
    found = trades().parties.search(normalize_for_match(text))
    return found.group(0) if found else None


def not_the_brands(text: str, brand: Brand) -> str | None:
    """What the comment is about instead of the brand's goods: another trade ("餐饮外卖"), else another business
    it blames ("京东"); None where it may be the brand's."""
    return other_trade(text, brand) or other_party(text, brand)
