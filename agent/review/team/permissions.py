"""The decision rules: who may decide an item, the four-eyes rule and the account the CLI acts as.

A brand with `review: {four_eyes_severity3: true}` has a severity-3 item approved by someone other than
its editors (who suggested an edit or asked for a new draft). The roles and `require` are in roles.py.
"""

from __future__ import annotations

from agent.config import Settings
from agent.knowledge.brands import load_brand
from agent.placeholders import placeholder_slots
from agent.queue_item import Item
from agent.review.store.queue import ReviewQueue
from agent.review.team.accounts import Account, Accounts, local_admin
from agent.review.team.roles import DECISION_ACTIONS, PermissionDenied, require
from agent.review.team.suggestions import suggestion_authors, text_author
from agent.schemas import ReviewDecision
from agent.storage.connection import desk_database


def four_eyes(settings: Settings, brand: str) -> bool:
    return load_brand(settings.knowledge_dir, brand).review.four_eyes_severity3


def editors(queue: ReviewQueue, item_id: str) -> set[str]:
    """Who changed the item's draft: suggested an edit, or asked for a new draft."""
    asked = {d.reviewer for d in queue.decisions(item_id) if d.action == "regenerate"}
    return asked | suggestion_authors(queue, item_id)


def authorize_decision(queue: ReviewQueue, settings: Settings, item: Item, decision: ReviewDecision,
                       actor: Account) -> ReviewDecision:
    """The decision as the actor's (the audit trail names the account), or PermissionDenied."""
    require(actor, DECISION_ACTIONS[decision.action], item.brand)
    severity = item.result.triage.severity if item.result else 0
    if decision.action in ("approve", "edit") and severity >= 3 and four_eyes(settings, item.brand):
        who = editors(queue, item.id)
        if decision.action == "edit" and decision.reply_text is not None:
            author = text_author(queue, item.id, decision.reply_text)
            who.add(author or actor.name)  # text nobody suggested is the approver's own edit
        if actor.name in who:
            raise PermissionDenied(f"brand {item.brand} needs a second person on severity-3 items: "
                                   f"{actor.name} edited this draft, so someone else must approve it")
    return decision.model_copy(update={"reviewer": actor.name})


def approve_blocker(queue: ReviewQueue, settings: Settings, item: Item, actor: Account, text: str) -> str | None:
    """Why `actor` cannot approve `text` on this item now (the role, four eyes, a blank left), or None."""
    if item.status != "needs_review":
        return f"item {item.id} is {item.status}"
    unchanged = item.result is not None and text.strip() == item.result.reply_text.strip()
    decision = ReviewDecision(action="approve") if unchanged else ReviewDecision(action="edit", reply_text=text)
    try:
        authorize_decision(queue, settings, item, decision, actor)
    except PermissionDenied as e:
        return str(e)
    slots = placeholder_slots(text)
    if slots:
        return f"fill {', '.join(slots)} in the reply first"
    if not text.strip():
        return "the reply is empty"
    return None


def cli_account(settings: Settings) -> Account:
    """The account the CLI acts as: REDREPLY_ACCOUNT; the local admin while the desk has no account."""
    accounts = Accounts(desk_database(settings))
    if not accounts.any():
        return local_admin(settings.account or settings.reviewer)
    if not settings.account:
        raise PermissionDenied("this desk has accounts: set REDREPLY_ACCOUNT=NAME to act as one")
    account = accounts.get(settings.account)
    if account.disabled:
        raise PermissionDenied(f"account {account.name} is disabled")
    return account
