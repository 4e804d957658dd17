"""The one public line an extortion comment may get: an answer to the private messages it says went unanswered.

The demand, its amount and the threat are never answered in public (the report and the case carry them, and a
public word on them would be a negotiation); a commenter who also says her messages went unanswered is told,
in public, that they were seen and will be answered there. Without that complaint there is no public reply.
The words are in knowledge/wording/extortion.yaml.
"""

from __future__ import annotations

from agent.drafting.offline import with_reaction_care
from agent.drafting.phrasing import seed_of
from agent.knowledge.wording import extortion, sections
from agent.text import normalize_for_match


def dm_only_reply(comment: str, seed: str) -> str | None:
    """The public line about unanswered private messages, or None where the comment names none. A reaction the
    comment tells of ("面膜害我烂脸") gets the pause-and-help line first, as every reply does."""
    words = extortion()
    if not sections().unanswered_dms.search(normalize_for_match(comment)) or not words.dm_replies:
        return None
    return with_reaction_care(words.dm_replies[seed_of(seed or comment) % len(words.dm_replies)], comment)
