"""A reaction told of another trade's service ("酒店的洗浴用品用完孩子脸上起了好多红疹"): the skin it names is no product
of the brand's, so the reply neither opens with the stop-use line nor answers it as the brand's own order."""

from __future__ import annotations

from agent.drafting.first_hand import tells_no_use
from agent.knowledge.brands import Brand
from agent.knowledge.wording import replies
from agent.text import normalize_for_match
from agent.triage.other_party import not_the_brands, other_party
from agent.triage.safety import describes_reaction
from agent.triage.trade import model_trade, other_trade_by_words


def reaction_elsewhere(comment: str, brand: Brand) -> str | None:
    """The other trade a described reaction is told of, read without the body it names ("脸上", "皮肤": a skincare
    brand's words too); None where the reaction may be to the brand's goods."""
    if not describes_reaction(comment):
        return None
    return other_trade_by_words(replies().body_words.sub(" ", normalize_for_match(comment)), brand)


def not_ours(comment: str, brand: Brand) -> str | None:
    """What the comment is about instead of the brand's goods: another trade or business, or the service a reaction
    is told of; None where it may be the brand's."""
    return not_the_brands(comment, brand) or reaction_elsewhere(comment, brand)


def read_by_model_only(comment: str, brand: Brand) -> bool:
    """Another trade that only the topic model reads ("送的都是坏的", "味道不太能适应"): no word of the comment names
    it, no other business is blamed, no reaction is told of another's service. The reply asks, never asserts."""
    return (other_trade_by_words(comment, brand) is None and other_party(comment, brand) is None
            and reaction_elsewhere(comment, brand) is None and model_trade(comment, brand) is not None)


def care_not_owed(comment: str, brand: Brand | None) -> bool:
    """Hearsay, or a reaction told of another trade's service (`brand`: whose goods the reply speaks for): nothing of
    the brand's was used, so no stop-use line is owed, whatever reaction words the comment holds."""
    return tells_no_use(comment) or (brand is not None and reaction_elsewhere(comment, brand) is not None)
