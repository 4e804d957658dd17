"""How heavily a reply apologises: as negative as the comment is. A mild complaint ("面膜有点干 敷完要再涂乳液") opened
with "确实是我们没做到位…真的很抱歉" reads as a form letter, or as the brand conceding more than was said; the sentiment
score the triage holds decides, and the heavy words give way to their plain ones (knowledge/wording/replies.yaml)."""

from __future__ import annotations

from agent.knowledge.wording import replies

# Below this sentiment-model "negative" score a complaint is mild (a drawback told calmly: 0.5–0.7 on the dev set);
# an angry one scores 0.9 and more, and keeps the full apology.
MILD_BELOW = 0.8
# Scripts whose weight is the situation's, not the comment's tone: a reaction, a broken promise.
_ALWAYS_FULL = frozenset({"allergy_reaction", "follow_up"})


def lighter(text: str, negative: float | None, situation: str) -> str:
    """The reply with its heavy apology words made plain where the comment is mild."""
    if negative is None or negative >= MILD_BELOW or situation in _ALWAYS_FULL:
        return text
    for heavy, plain in replies().lighter:
        text = text.replace(heavy, plain)
    return text
