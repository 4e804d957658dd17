"""Assignment and presence: who an item is assigned to, and who has it open right now.

An approver or admin assigns anyone able to work the item's brand; a suggester may take an item for
themselves. Presence is a heartbeat per (item, account): the item page touches it on every run, and the
queue shows the names seen within `PRESENCE_S`.
"""

from __future__ import annotations

import time

from agent.errors import UserError
from agent.review.store.marks import set_assignee
from agent.review.store.queue import ReviewQueue
from agent.review.team.accounts import Account, Accounts
from agent.review.team.roles import APPROVE, SUGGEST, PermissionDenied, allowed, require

PRESENCE_S = 90.0


def check_assignee(accounts: Accounts, name: str, brand: str | None) -> Account:
    """The account an item may be assigned to, or one clear line why not."""
    names = {a.name for a in accounts.list()}
    if name not in names:
        raise UserError(f"no account named {name!r}")
    account = accounts.get(name)
    if account.disabled:
        raise UserError(f"account {name} is disabled: assign the item to an active account")
    if not allowed(account, SUGGEST, brand):
        raise UserError(f"{name} ({account.role}) cannot work on brand {brand} items")
    return account


def assign(queue: ReviewQueue, accounts: Accounts, item_id: str, assignee: str | None, actor: Account,
           bulk_id: str | None = None) -> None:
    """Assign the item (None: unassign). Approvers assign anyone; a suggester only takes an unassigned item or
    drops their own."""
    item = queue.get(item_id)
    require(actor, SUGGEST, item.brand)
    if not allowed(actor, APPROVE, item.brand):
        if assignee not in (actor.name, None):
            raise PermissionDenied(f"{actor.name} is a {actor.role}: a {actor.role} can take an item, not assign it "
                                   "to someone else")
        if item.assignee not in (actor.name, None):  # taking or dropping it would undo an approver's choice
            raise PermissionDenied(f"{item_id} is assigned to {item.assignee}: an approver can reassign it")
    if assignee is not None:
        check_assignee(accounts, assignee, item.brand)
    set_assignee(queue, item_id, assignee, actor.name, bulk_id)


def assignable(accounts: Accounts, brand: str | None) -> list[str]:
    """The accounts an item of `brand` may be assigned to now: active, and able to work on the brand."""
    return [a.name for a in accounts.list() if not a.disabled and allowed(a, SUGGEST, brand)]


def touch(queue: ReviewQueue, item_id: str, account: str, at: float | None = None) -> None:
    """`account` has the item open now."""
    with queue.tx() as c:
        c.execute("INSERT INTO presence VALUES (?, ?, ?) ON CONFLICT (item_id, account) DO UPDATE SET "
                  "seen_at = excluded.seen_at", (item_id, account, time.time() if at is None else at))


def leave_item(queue: ReviewQueue, item_id: str, account: str) -> None:
    with queue.tx() as c:
        c.execute("DELETE FROM presence WHERE item_id = ? AND account = ?", (item_id, account))


def open_by(queue: ReviewQueue, now: float | None = None, within_s: float = PRESENCE_S) -> dict[str, list[str]]:
    """item id -> the accounts that have it open (seen within `within_s`), for the whole queue at once."""
    since = (time.time() if now is None else now) - within_s
    rows = queue.conn.execute("SELECT item_id, account FROM presence WHERE seen_at >= ? ORDER BY account",
                              (since,)).fetchall()
    found: dict[str, list[str]] = {}
    for item_id, account in rows:
        found.setdefault(item_id, []).append(account)
    return found
