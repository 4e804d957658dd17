"""What a reviewer does to an item without a new draft: leave it or mark it to report (both set it aside from
the to-do queue, and can be brought back), assign it, and the bulk actions that group such steps.

Each step is its own row in the decisions table (the audit trail), with the status or assignee the item had
before (`prior`), so a bulk action can be undone item by item.
"""

from __future__ import annotations

import json
import uuid

from pydantic import BaseModel

from agent.review.store.queue import ConflictError, ReviewQueue, now
from agent.storage.connection import Sql

SET_ASIDE = {"leave": "left", "report": "reported"}  # the action and the status it sets
OPEN = ("pending", "needs_review", "failed")


class BulkRecord(BaseModel):
    id: str
    action: str
    actor: str
    at: str
    done: list[str]
    skipped: dict[str, str]  # item id -> why it was not acted on
    undone_at: str | None = None


def _audit(c: Sql, item_id: str, action: str, actor: str, prior: str | None,
           bulk_id: str | None, reason: str | None = None) -> None:
    c.execute("INSERT INTO decisions (item_id, action, reviewer, at, reason, applied, bulk_id, prior) "
              "VALUES (?, ?, ?, ?, ?, 1, ?, ?)", (item_id, action, actor, now(), reason, bulk_id, prior))


def set_aside(queue: ReviewQueue, item_id: str, action: str, actor: str, bulk_id: str | None = None,
              reason: str | None = None) -> None:
    """Leave the item, or mark it to report; ConflictError when someone decided it meanwhile."""
    with queue.tx() as c:
        row = c.execute("SELECT status, decided_by FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None or row["status"] not in OPEN:
            status = row["status"] if row else "gone"
            raise ConflictError(f"item {item_id} is already {status}" +
                                (f" by {row['decided_by']}" if row and row["decided_by"] else ""))
        c.execute("UPDATE items SET status = ?, decided_by = ?, decided_at = ?, version = version + 1 WHERE id = ?",
                  (SET_ASIDE[action], actor, now(), item_id))
        _audit(c, item_id, action, actor, row["status"], bulk_id, reason)


def bring_back(queue: ReviewQueue, item_id: str, actor: str, bulk_id: str | None = None) -> None:
    """A left or reported item back into the to-do queue, with the status it had before."""
    with queue.tx() as c:
        row = c.execute("SELECT status FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None or row["status"] not in SET_ASIDE.values():
            raise ConflictError(f"item {item_id} is {row['status'] if row else 'gone'}: nothing to bring back")
        before = c.execute("SELECT prior FROM decisions WHERE item_id = ? AND action IN ('leave', 'report') "
                           "ORDER BY seq DESC LIMIT 1", (item_id,)).fetchone()
        status = before["prior"] if before and before["prior"] in OPEN else "needs_review"
        c.execute("UPDATE items SET status = ?, decided_by = NULL, decided_at = NULL, version = version + 1 "
                  "WHERE id = ?", (status, item_id))
        _audit(c, item_id, "bring_back", actor, row["status"], bulk_id)


def set_assignee(queue: ReviewQueue, item_id: str, assignee: str | None, actor: str,
                 bulk_id: str | None = None) -> None:
    with queue.tx() as c:
        row = c.execute("SELECT assignee FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise ConflictError(f"item {item_id} is gone")
        c.execute("UPDATE items SET assignee = ? WHERE id = ?", (assignee, item_id))
        _audit(c, item_id, "assign", actor, row["assignee"], bulk_id, reason=assignee)


def record_bulk(queue: ReviewQueue, action: str, actor: str, done: list[str], skipped: dict[str, str],
                bulk_id: str | None = None) -> BulkRecord:
    record = BulkRecord(id=bulk_id or uuid.uuid4().hex[:12], action=action, actor=actor, at=now(), done=done,
                        skipped=skipped)
    with queue.tx() as c:
        c.execute("INSERT INTO bulk_actions (id, action, actor, at, done, skipped) VALUES (?, ?, ?, ?, ?, ?)",
                  (record.id, action, actor, record.at, json.dumps(done), json.dumps(skipped, ensure_ascii=False)))
    return record


def bulk_record(queue: ReviewQueue, bulk_id: str) -> BulkRecord | None:
    row = queue.conn.execute("SELECT * FROM bulk_actions WHERE id = ?", (bulk_id,)).fetchone()
    if row is None:
        return None
    return BulkRecord(id=row["id"], action=row["action"], actor=row["actor"], at=row["at"],
                      done=json.loads(row["done"]), skipped=json.loads(row["skipped"]), undone_at=row["undone_at"])


def mark_undone(queue: ReviewQueue, bulk_id: str) -> None:
    with queue.tx() as c:
        c.execute("UPDATE bulk_actions SET undone_at = ? WHERE id = ?", (now(), bulk_id))


def step_of(queue: ReviewQueue, bulk_id: str, item_id: str) -> tuple[str, str | None, int] | None:
    """(action, prior, seq) of the bulk action's step on an item; None when it took none."""
    row = queue.conn.execute("SELECT action, prior, seq FROM decisions WHERE bulk_id = ? AND item_id = ? "
                             "ORDER BY seq DESC LIMIT 1", (bulk_id, item_id)).fetchone()
    return (row["action"], row["prior"], row["seq"]) if row else None


def later_steps(queue: ReviewQueue, item_id: str, seq: int) -> list[str]:
    """Who acted on the item after the step `seq` (an undo leaves their work alone)."""
    rows = queue.conn.execute("SELECT reviewer FROM decisions WHERE item_id = ? AND seq > ? ORDER BY seq",
                              (item_id, seq)).fetchall()
    return [r[0] for r in rows]


def tag_last_decision(queue: ReviewQueue, item_id: str, bulk_id: str, prior: str) -> None:
    """Mark the item's latest decision (made through the graph) as a step of the bulk action."""
    with queue.tx() as c:
        c.execute("UPDATE decisions SET bulk_id = ?, prior = ? WHERE seq = "
                  "(SELECT MAX(seq) FROM decisions WHERE item_id = ?)", (bulk_id, prior, item_id))


def reopen(queue: ReviewQueue, item_id: str, actor: str, bulk_id: str) -> None:
    """An approved or rejected item back to be drafted and reviewed again (its graph thread has ended)."""
    with queue.tx() as c:
        row = c.execute("SELECT status FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None or row["status"] not in ("approved", "rejected"):
            raise ConflictError(f"item {item_id} is {row['status'] if row else 'gone'}: it cannot be reopened")
        c.execute("UPDATE items SET status = 'pending', final_reply = NULL, final_appeal = NULL, reject_reason = NULL,"
                  " decided_by = NULL, decided_at = NULL, version = version + 1 WHERE id = ?", (item_id,))
        _audit(c, item_id, "reopen", actor, row["status"], bulk_id)
