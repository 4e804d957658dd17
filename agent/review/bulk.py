"""Bulk work on the review queue: one action over many items, each item permission-checked, done and audited
on its own, and the whole action undoable.

An item another reviewer decided meanwhile (or one the actor may not touch) is skipped with the reason, and
the action applies to the rest. The undo reverses each step the action took, except on items someone has
acted on since (those are reported, not overwritten).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from agent.errors import UserError
from agent.queue_item import Item
from agent.review.service import ReviewDesk
from agent.review.store.marks import (
    SET_ASIDE,
    BulkRecord,
    bring_back,
    bulk_record,
    later_steps,
    mark_undone,
    record_bulk,
    reopen,
    set_aside,
    set_assignee,
    step_of,
    tag_last_decision,
)
from agent.review.team.accounts import Account, Accounts
from agent.review.team.assignment import assign, check_assignee
from agent.review.team.roles import APPROVE, REGENERATE, REJECT, require
from agent.schemas import ReviewDecision
from agent.storage.connection import desk_database

BULK_ACTIONS = ("leave", "report", "reject", "approve", "assign", "draft")


def _step(desk: ReviewDesk, item: Item, action: str, actor: Account, bulk_id: str, reason: str | None,
          assignee: str | None, accounts: Accounts | None) -> None:
    """One item of a bulk action; raises UserError (ConflictError, PermissionDenied) saying why it is skipped.
    `accounts` is opened once per bulk action, for "assign" only."""
    if action in SET_ASIDE:
        require(actor, REJECT if action == "leave" else APPROVE, item.brand)
        set_aside(desk.queue, item.id, action, actor.name, bulk_id, reason)
    elif action == "assign":
        assert accounts is not None
        assign(desk.queue, accounts, item.id, assignee, actor, bulk_id)
    elif action == "draft":
        require(actor, REGENERATE, item.brand)
        if item.status not in ("pending", "failed"):
            raise UserError(f"item {item.id} is {item.status}: only pending items are drafted")
        desk.draft_item(item.id)
    else:
        failed = [c.name for c in item.result.failed_checks] if item.result else []
        if action == "approve" and failed:
            raise UserError(f"item {item.id} fails {', '.join(failed)}: open it to approve")
        decision = ReviewDecision(action="approve" if action == "approve" else "reject", reason=reason)
        desk.decide(item.id, decision, expected_version=item.version, actor=actor)
        tag_last_decision(desk.queue, item.id, bulk_id, item.status)


def run_bulk(desk: ReviewDesk, ids: Sequence[str], action: str, actor: Account, reason: str | None = None,
             assignee: str | None = None, versions: dict[str, int] | None = None,
             on_step: Callable[[int, int], None] | None = None) -> BulkRecord:
    """Apply `action` to each id; `versions` (id -> the version the actor saw) makes a change since a skip."""
    if action not in BULK_ACTIONS:
        raise UserError(f"unknown bulk action {action!r}: one of {', '.join(BULK_ACTIONS)}")
    if action == "reject" and not (reason or "").strip():
        raise UserError("a rejection needs a reason")
    accounts = Accounts(desk_database(desk.settings)) if action == "assign" else None
    if accounts is not None and assignee is not None:
        check_assignee(accounts, assignee, None)  # a disabled account: one line, no step
    bulk_id = uuid.uuid4().hex[:12]
    done: list[str] = []
    skipped: dict[str, str] = {}
    for n, item_id in enumerate(ids, 1):
        try:
            item = desk.queue.get(item_id)
            if versions and item_id in versions and versions[item_id] != item.version and action != "assign":
                who = f" by {item.decided_by}" if item.decided_by else ""
                raise UserError(f"item {item_id} changed since you selected it (now {item.status}{who})")
            _step(desk, item, action, actor, bulk_id, reason, assignee, accounts)
            done.append(item_id)
        except UserError as e:
            skipped[item_id] = str(e)
        if on_step:
            on_step(n, len(ids))
    return record_bulk(desk.queue, action, actor.name, done, skipped, bulk_id)


def _undo_step(desk: ReviewDesk, record: BulkRecord, item_id: str, actor: Account) -> None:
    step = step_of(desk.queue, record.id, item_id)
    if step is None:
        raise UserError(f"item {item_id}: the action left no step to undo")
    action, prior, seq = step
    later = later_steps(desk.queue, item_id, seq)
    if later:
        raise UserError(f"item {item_id} was changed since by {', '.join(sorted(set(later)))}: left as it is")
    if action in SET_ASIDE:
        bring_back(desk.queue, item_id, actor.name, record.id)
    elif action == "assign":
        set_assignee(desk.queue, item_id, prior, actor.name, record.id)
    else:  # approve, reject: the item is drafted again and back for review
        reopen(desk.queue, item_id, actor.name, record.id)
        desk.draft_item(item_id)


def undo_bulk(desk: ReviewDesk, bulk_id: str, actor: Account) -> BulkRecord:
    """Reverse a bulk action item by item; returns what was undone and what was not (with why)."""
    record = bulk_record(desk.queue, bulk_id)
    if record is None:
        raise UserError(f"no bulk action {bulk_id!r}")
    if record.undone_at:
        raise UserError(f"bulk action {bulk_id} was undone at {record.undone_at}")
    if record.action == "draft":
        raise UserError("drafting decides nothing: there is nothing to undo")
    done: list[str] = []
    skipped: dict[str, str] = {}
    for item_id in record.done:
        try:
            require(actor, REJECT if record.action != "assign" else REGENERATE, desk.queue.get(item_id).brand)
            _undo_step(desk, record, item_id, actor)
            done.append(item_id)
        except UserError as e:
            skipped[item_id] = str(e)
    mark_undone(desk.queue, bulk_id)
    return BulkRecord(id=record.id, action=f"undo {record.action}", actor=actor.name, at=record.at, done=done,
                      skipped=skipped)
