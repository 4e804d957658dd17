"""The review queue and its audit trail, in the desk's database: the data directory's SQLite file by
default, PostgreSQL when `REDREPLY_DATABASE_URL` names one (agent.storage.connection; every write a
transaction).

The schema is agent.storage's one migration history (Alembic), so a queue made by any older version
opens and upgrades in place. A decision claims its item with a version check: two reviewers on one
item, on one desk or on two sharing the database, one wins and the other is told.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from agent.errors import UserError
from agent.queue_item import Item
from agent.review.store.listing import LISTING_COLUMNS, fill_listing, listing_values
from agent.schemas import Action, CommentIn, DraftResult, ReviewDecision
from agent.storage.connection import Database, Sql, open_database
from agent.storage.postgres import Row


def now() -> str:
    # Milliseconds: a comment that arrives in the same second as a draft must still count as newer.
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class ConflictError(UserError):
    """Somebody else decided the item first."""

    exit_code = 3


class Decision(BaseModel):
    seq: int
    item_id: str
    action: str
    reviewer: str
    at: str
    draft_reply: str | None
    final_reply: str | None
    final_appeal: str | None
    reason: str | None
    instruction: str | None
    applied: bool
    bulk_id: str | None = None
    prior: str | None = None  # a bulk action's undo: the status (or assignee) the item had before
    suggestion_seq: int | None = None  # the suggestion whose text an approval used




class ReviewQueue:
    """`target`: the database URL, or the data directory's SQLite file (agent.storage.connection.resolve_url)."""

    def __init__(self, target: Path | str) -> None:
        self.conn: Database = open_database(target)
        fill_listing(self.conn)  # items accepted by an older version, once
        self._parsed: dict[str, tuple[Any, Item]] = {}  # id -> ((version, status, assignee), the parsed item)

    def tx(self) -> AbstractContextManager[Sql]:
        """One write transaction: writers take turns (on PostgreSQL across every process sharing it)."""
        return self.conn.tx()

    # --- accepting and drafting -----------------------------------------------------------------
    def accept(self, comments: list[CommentIn], brand: str) -> tuple[list[str], list[str]]:
        """Persist comments before any work on them. Returns (new ids, ids already queued)."""
        new, known = [], []
        with self.tx() as c:
            for cm in comments:
                row = c.execute("SELECT brand FROM items WHERE id = ?", (cm.id,)).fetchone()
                if row:
                    if row["brand"] != brand:
                        raise UserError(f"id {cm.id} is already queued for brand '{row['brand']}'")
                    known.append(cm.id)
                    continue
                at = now()
                c.execute("INSERT INTO items (id, brand, comment_json, author, note_title, posted_at, created_at, "
                          f"{', '.join(LISTING_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (cm.id, brand, cm.model_dump_json(), cm.author, cm.note_title, cm.posted_at, at,
                           *listing_values(cm, at)))
                new.append(cm.id)
        return new, known

    def store_draft(self, result: DraftResult, facts_hash: str | None = None) -> None:
        status = "left" if result.plan.action == Action.leave else "needs_review"
        with self.tx() as c:
            c.execute("""UPDATE items SET status = ?, result_json = ?, severity = ?, source = ?,
                         violations = ?, error = NULL, drafted_at = ?, facts_hash = ?, action = ?, action_reason = ?,
                         version = version + 1 WHERE id = ?""",
                      (status, result.model_dump_json(), result.triage.severity, result.triage.source.value,
                       json.dumps([v.value for v in result.triage.violations]), now(), facts_hash,
                       result.plan.action.value, result.plan.action_reason, result.id))

    def mark_failed(self, item_id: str, reason: str) -> None:
        with self.tx() as c:
            c.execute("UPDATE items SET status = 'failed', error = ?, version = version + 1 WHERE id = ?",
                      (reason[:500], item_id))

    # --- decisions ------------------------------------------------------------------------------
    def claim(self, item_id: str, decision: ReviewDecision, expected_version: int | None) -> int:
        """Record the decision and take the item, atomically; a stale version or a decided item loses."""
        with self.tx() as c:
            row = c.execute("SELECT status, version, decided_by, decided_at, result_json FROM items WHERE id = ?",
                            (item_id,)).fetchone()
            if row is None:
                raise UserError(f"no item '{item_id}' in the queue")
            if row["status"] != "needs_review":
                who = f" by {row['decided_by']} at {row['decided_at']}" if row["decided_by"] else ""
                raise ConflictError(f"item {item_id} is already {row['status']}{who}; reload it")
            if expected_version is not None and row["version"] != expected_version:
                raise ConflictError(f"item {item_id} changed since you opened it (a newer draft or decision); reload it")
            draft = DraftResult.model_validate_json(row["result_json"]).reply_text if row["result_json"] else None
            cur = c.execute("""INSERT INTO decisions (item_id, action, reviewer, at, draft_reply, final_reply,
                               final_appeal, reason, instruction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                            (item_id, decision.action, decision.reviewer, now(), draft, decision.reply_text,
                             decision.appeal_explanation, decision.reason, decision.instruction))
            c.execute("UPDATE items SET status = 'deciding', version = version + 1 WHERE id = ?", (item_id,))
            return int(cur.lastrowid or 0)

    def store_decision(self, seq: int, result: DraftResult, reason: str | None) -> None:
        with self.tx() as c:
            decision = c.execute("SELECT item_id, reviewer FROM decisions WHERE seq = ?", (seq,)).fetchone()
            c.execute("""UPDATE items SET status = ?, result_json = ?, final_reply = ?, final_appeal = ?,
                         reject_reason = ?, decided_at = ?, decided_by = ?, version = version + 1 WHERE id = ?""",
                      (result.status, result.model_dump_json(),
                       result.reply_text if result.status == "approved" else None,
                       result.appeal.explanation if result.appeal and result.status == "approved" else None,
                       reason, now(), decision["reviewer"], decision["item_id"]))
            c.execute("UPDATE decisions SET applied = 1, final_reply = COALESCE(final_reply, ?) WHERE seq = ?",
                      (result.reply_text if result.status == "approved" else None, seq))

    def pending_decision(self, item_id: str) -> tuple[int, ReviewDecision] | None:
        row = self.conn.execute("SELECT * FROM decisions WHERE item_id = ? AND applied = 0 ORDER BY seq DESC LIMIT 1",
                                (item_id,)).fetchone()
        if row is None:
            return None
        return row["seq"], ReviewDecision(action=row["action"], reviewer=row["reviewer"], reply_text=row["final_reply"],
                                          appeal_explanation=row["final_appeal"], reason=row["reason"],
                                          instruction=row["instruction"])

    def mark_regenerated(self, seq: int) -> None:
        with self.tx() as c:
            c.execute("UPDATE decisions SET applied = 1 WHERE seq = ?", (seq,))

    def mark_exported(self, ids: list[str]) -> None:
        with self.tx() as c:
            c.executemany("UPDATE items SET status = 'exported', exported_at = ?, version = version + 1 "
                          "WHERE id = ? AND status = 'approved'", [(now(), i) for i in ids])

    # --- reading --------------------------------------------------------------------------------
    def get(self, item_id: str) -> Item:
        row = self.conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise UserError(f"no item '{item_id}' in the queue (see `redreply review list`)")
        return _item(row)

    def items(self, status: str | None = None, brand: str | None = None) -> list[Item]:
        sql, args = "SELECT id, version, status, assignee FROM items WHERE 1 = 1", list[str]()
        if status:
            sql, args = sql + " AND status = ?", [*args, status]
        if brand:
            sql, args = sql + " AND brand = ?", [*args, brand]
        keys = [(r[0], (r[1], r[2], r[3])) for r in self.conn.execute(sql + " ORDER BY created_at, id", args)]
        # Parsing a draft's JSON is the cost of a page of 5,000 items: parse only the rows that changed since.
        changed = [i for i, key in keys if self._parsed.get(i, (None, None))[0] != key]
        for start in range(0, len(changed), 500):
            chunk = changed[start:start + 500]
            rows = self.conn.execute(f"SELECT * FROM items WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            for r in rows:
                self._parsed[r["id"]] = ((r["version"], r["status"], r["assignee"]), _item(r))
        return [self._parsed[i][1].model_copy() for i, _ in keys]

    def newest_per_note(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(brand, note title) -> (id, created_at) of the newest comment queued under that note."""
        if self.conn.is_postgres:
            rows = self.conn.execute("SELECT DISTINCT ON (brand, note_title) brand, note_title, id, created_at "
                                     "FROM items WHERE note_title IS NOT NULL AND note_title != '' "
                                     "ORDER BY brand, note_title, created_at DESC, id")
        else:  # SQLite returns the bare `id` from the row that holds the MAX.
            rows = self.conn.execute("SELECT brand, note_title, id, MAX(created_at) FROM items "
                                     "WHERE note_title IS NOT NULL AND note_title != '' GROUP BY brand, note_title")
        return {(r[0], r[1]): (r[2], r[3]) for r in rows}

    def ids_with_status(self, *statuses: str) -> list[str]:
        marks = ",".join("?" * len(statuses))
        return [r[0] for r in self.conn.execute(f"SELECT id FROM items WHERE status IN ({marks})", statuses)]

    def decisions(self, item_id: str | None = None) -> list[Decision]:
        sql = "SELECT * FROM decisions" + (" WHERE item_id = ?" if item_id else "") + " ORDER BY seq"
        rows = self.conn.execute(sql, (item_id,) if item_id else ()).fetchall()
        return [Decision(**{**dict(r), "applied": bool(r["applied"])}) for r in rows]

    def change_stamp(self) -> tuple[int, int, int]:
        """Changes whenever an item is added or changed, from any process: every write to an item bumps its
        version, and the one that does not (an assignment) is audited in the decisions table. The queue page
        rebuilds its rows only when it changes (agent.review.views.queue_table). Plain SQL, one row."""
        row = self.conn.execute("SELECT (SELECT COUNT(*) FROM items), (SELECT COALESCE(SUM(version), 0) FROM items), "
                                "(SELECT COALESCE(MAX(seq), 0) FROM decisions)").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT status, COUNT(*) FROM items GROUP BY status")}


def _item(row: Row | Any) -> Item:
    d: dict[str, Any] = dict(row)
    return Item(
        id=d["id"], brand=d["brand"], comment=CommentIn.model_validate_json(d["comment_json"]), status=d["status"],
        version=d["version"], result=DraftResult.model_validate_json(d["result_json"]) if d["result_json"] else None,
        **{k: d.get(k) for k in ("final_reply", "final_appeal", "reject_reason", "error", "created_at", "drafted_at",
                                 "decided_at", "decided_by", "exported_at", "facts_hash", "assignee")},
    )
