"""A reaction told of another trade's service ("酒店的洗浴用品用完孩子脸上起了好多红疹"): the skin it names is no product
of the brand's, so the reply neither opens with the stop-use line nor answers it as the brand's own order."""

from __future__ import annotations

from agent.drafting.first_hand import tells_no_use
from agent.knowledge.brands import Brand
from agent.knowledge.wording import replies
from agent.text import normalize_for_match
from agent.triage.other_party import not_the_brands
from agent.triage.safety import describes_reaction
from agent.triage.trade import other_trade_by_words


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


def care_not_owed(comment: str, brand: Brand | None) -> bool:
    """Hearsay, or a reaction told of another trade's service (`brand`: whose goods the reply speaks for): nothing of
    the brand's was used, so no stop-use line is owed, whatever reaction words the comment holds."""
    return tells_no_use(comment) or (brand is not None and reaction_elsewhere(comment, brand) is not None)
