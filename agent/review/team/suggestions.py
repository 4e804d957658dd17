"""Suggested edits: a suggester's version of a draft, kept beside the queue until an approver decides.

A suggestion does not decide the item; the item page offers the latest one in the reply box. Who wrote
which text is what the four-eyes rule (agent.review.team.permissions) checks.
"""

from __future__ import annotations

from pydantic import BaseModel

from agent.errors import UserError
from agent.review.store.queue import ReviewQueue, now
from agent.review.team.accounts import Account
from agent.review.team.roles import SUGGEST, require


class Suggestion(BaseModel):
    seq: int
    item_id: str
    account: str
    at: str
    item_version: int
    reply_text: str
    appeal_explanation: str | None = None


def suggest(queue: ReviewQueue, item_id: str, reply_text: str, appeal: str | None, actor: Account) -> Suggestion:
    """Store the actor's suggested edit of a draft under review (suggesters, approvers and admins may)."""
    item = queue.get(item_id)
    require(actor, SUGGEST, item.brand)
    if item.status != "needs_review":
        raise UserError(f"item {item_id} is {item.status}: only a draft under review takes suggestions")
    if not reply_text.strip():
        raise UserError("a suggested reply cannot be empty")
    with queue.tx() as c:
        c.execute("INSERT INTO suggestions (item_id, account, at, item_version, reply_text, appeal_explanation) "
                  "VALUES (?, ?, ?, ?, ?, ?)", (item_id, actor.name, now(), item.version, reply_text.strip(),
                                                appeal.strip() if appeal else None))
    return suggestions(queue, item_id)[-1]


def suggestions(queue: ReviewQueue, item_id: str) -> list[Suggestion]:
    rows = queue.conn.execute("SELECT * FROM suggestions WHERE item_id = ? ORDER BY seq", (item_id,)).fetchall()
    return [Suggestion(**dict(r)) for r in rows]


def latest(queue: ReviewQueue, item_id: str) -> Suggestion | None:
    found = suggestions(queue, item_id)
    return found[-1] if found else None


def suggestion_authors(queue: ReviewQueue, item_id: str) -> set[str]:
    return {s.account for s in suggestions(queue, item_id)}


def text_author(queue: ReviewQueue, item_id: str, text: str) -> str | None:
    """Who suggested exactly this reply text (the latest such suggestion), if anyone."""
    for s in reversed(suggestions(queue, item_id)):
        if s.reply_text.strip() == text.strip():
            return s.account
    return None
