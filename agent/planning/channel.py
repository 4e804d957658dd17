"""Where the commenter says they bought it: through the brand's own channels, or elsewhere.

The brand file is the evidence: its `about` names the official store and `service.channels` where the brand
answers. A purchase through a channel neither names ("在某宝代购店买的") is not the brand's order: the reply
is the authenticity and channel answer, never a refund promised on an order the brand cannot see.
"""

from __future__ import annotations

from agent.knowledge.brands import Brand
from agent.knowledge.wording import experience


def bought_elsewhere(folded: str, brand: Brand) -> str | None:
    """The channel outside the brand's own that the comment says it was bought through, else None."""
    official = " ".join([brand.about, *brand.service.channels]).lower()
    for place in experience().bought_at.finditer(folded):
        channel = experience().other_channels.search(place.group(0))
        if channel and channel.group(0) not in official:
            return channel.group(0)
    return None
