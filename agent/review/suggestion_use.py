"""An approver takes a suggestion: its text approved as the reply, the audit keeping the draft it replaced,
the suggested text and which suggestion (who, when) it came from."""

from __future__ import annotations

from agent.errors import UserError
from agent.review.service import ReviewDesk
from agent.review.team.accounts import Account
from agent.review.team.suggestions import Suggestion, suggestions
from agent.schemas import DraftResult, ReviewDecision


def suggestion(desk: ReviewDesk, item_id: str, seq: int) -> Suggestion:
    found = next((s for s in suggestions(desk.queue, item_id) if s.seq == seq), None)
    if found is None:
        raise UserError(f"item {item_id} has no suggestion #{seq}")
    return found


def approve_suggestion(desk: ReviewDesk, item_id: str, seq: int, actor: Account,
                       expected_version: int | None = None) -> DraftResult:
    """'Use and approve': the suggestion's reply (and appeal) approved by `actor`, under the four-eyes rule."""
    chosen = suggestion(desk, item_id, seq)
    decision = ReviewDecision(action="edit", reply_text=chosen.reply_text,
                              appeal_explanation=chosen.appeal_explanation)
    result = desk.decide(item_id, decision, expected_version=expected_version, actor=actor)
    with desk.queue.tx() as c:  # the decision row already keeps the draft and the final text: link the suggestion
        c.execute("UPDATE decisions SET suggestion_seq = ? WHERE seq = (SELECT MAX(seq) FROM decisions "
                  "WHERE item_id = ? AND action = 'edit')", (seq, item_id))
    return result
