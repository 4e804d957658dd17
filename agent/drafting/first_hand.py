"""Whether a comment tells of the commenter's own purchase or use. Hearsay and claims about a whole kind of goods
("听说…含汞", "韩国化妆品都加激素 用了就不红 停了就烂脸") tell of nobody's: no reaction is conceded to them, nobody is told
to stop using, and no refund or compensation is offered; the brand's facts answer them calmly."""

from __future__ import annotations

from agent.knowledge.wording import replies
from agent.text import normalize_for_match


def tells_no_use(comment: str) -> bool:
    """Hearsay or a claim about a kind of goods, with no purchase or use of the commenter's own beside it."""
    words = replies()
    folded = normalize_for_match(comment)
    return bool(words.hearsay.search(folded)) and not words.own_use.search(folded)


def concessions(reply: str) -> list[str]:
    """What a reply to someone who used nothing must never say: a reaction conceded, stop using, a refund."""
    return sorted({m.group(0) for m in replies().concedes_use.finditer(normalize_for_match(reply))})
