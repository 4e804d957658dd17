"""One row of the review queue as the rest of the code reads it: the comment, its draft and its decision.

Kept in the contract layer (not in agent.review's queue, which stores it) because the escalation
ladder's drafts (agent.drafting) quote queued items, and drafting sits below the review desk.
"""

from __future__ import annotations

from pydantic import BaseModel

from agent.schemas import CommentIn, DraftResult, Status


class Item(BaseModel):
    id: str
    brand: str
    comment: CommentIn
    status: Status | str
    version: int
    result: DraftResult | None = None
    final_reply: str | None = None
    final_appeal: str | None = None
    reject_reason: str | None = None
    error: str | None = None
    created_at: str
    drafted_at: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    exported_at: str | None = None
    facts_hash: str | None = None
    assignee: str | None = None  # the account the item is assigned to, if any
