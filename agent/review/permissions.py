"""Who may do what, per brand: the one check the CLI and the app share (`require`), and the decision rules.

viewer reads; suggester also edits drafts (suggestions) and asks for regeneration; approver also approves,
rejects and exports; admin also manages users, brands and the knowledge re-index. A brand with
`review: {four_eyes_severity3: true}` has a severity-3 item approved by someone other than its editors.
"""

from __future__ import annotations

from agent.config import Settings
from agent.errors import UserError
from agent.knowledge.files import load_brand
from agent.review.accounts import Account, Accounts, local_admin
from agent.review.queue import Item, ReviewQueue
from agent.schemas import ReviewDecision

READ, SUGGEST, REGENERATE, APPROVE, REJECT, EXPORT = "read", "suggest", "regenerate", "approve", "reject", "export"
MANAGE_USERS, MANAGE_BRANDS, REINDEX = "manage_users", "manage_brands", "reindex"

_VIEWER = frozenset({READ})
_SUGGESTER = _VIEWER | {SUGGEST, REGENERATE}
_APPROVER = _SUGGESTER | {APPROVE, REJECT, EXPORT}
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "viewer": _VIEWER, "suggester": _SUGGESTER, "approver": _APPROVER,
    "admin": _APPROVER | {MANAGE_USERS, MANAGE_BRANDS, REINDEX},
}
# The decision actions of the review graph and the permission each needs ("edit" approves edited text).
DECISION_ACTIONS = {"approve": APPROVE, "edit": APPROVE, "reject": REJECT, "regenerate": REGENERATE}


class PermissionDenied(UserError):
    """The account may not do this (exit 2 in the CLI, an error message in the app)."""


def allowed(account: Account | None, action: str, brand: str | None = None) -> bool:
    if account is None or account.disabled:
        return False
    return action in ROLE_ACTIONS.get(account.role, frozenset()) and account.covers(brand)


def require(account: Account | None, action: str, brand: str | None = None) -> None:
    if account is None:
        raise PermissionDenied(f"sign in to {action.replace('_', ' ')}")
    if account.disabled:
        raise PermissionDenied(f"account {account.name} is disabled")
    if not account.covers(brand):
        raise PermissionDenied(f"{account.name} ({account.role}) has no access to brand {brand}")
    if not allowed(account, action, brand):
        article = "an" if account.role[:1] in "aeiou" else "a"
        raise PermissionDenied(f"{account.name} is {article} {account.role}: {article} {account.role} cannot "
                               f"{action.replace('_', ' ')}")


def four_eyes(settings: Settings, brand: str) -> bool:
    return load_brand(settings.knowledge_dir, brand).review.four_eyes_severity3


def editors(queue: ReviewQueue, item_id: str) -> set[str]:
    """Who changed the item's draft: suggested an edit, or asked for a new draft."""
    from agent.review.suggestions import suggestion_authors

    asked = {d.reviewer for d in queue.decisions(item_id) if d.action == "regenerate"}
    return asked | suggestion_authors(queue, item_id)


def authorize_decision(queue: ReviewQueue, settings: Settings, item: Item, decision: ReviewDecision,
                       actor: Account) -> ReviewDecision:
    """The decision as the actor's (the audit trail names the account), or PermissionDenied."""
    require(actor, DECISION_ACTIONS[decision.action], item.brand)
    severity = item.result.triage.severity if item.result else 0
    if decision.action in ("approve", "edit") and severity >= 3 and four_eyes(settings, item.brand):
        from agent.review.suggestions import text_author

        who = editors(queue, item.id)
        if decision.action == "edit" and decision.reply_text is not None:
            author = text_author(queue, item.id, decision.reply_text)
            who.add(author or actor.name)  # text nobody suggested is the approver's own edit
        if actor.name in who:
            raise PermissionDenied(f"brand {item.brand} needs a second person on severity-3 items: "
                                   f"{actor.name} edited this draft, so someone else must approve it")
    return decision.model_copy(update={"reviewer": actor.name})


def cli_account(settings: Settings) -> Account:
    """The account the CLI acts as: REDREPLY_ACCOUNT; the local admin while the desk has no account."""
    accounts = Accounts(settings.queue_path)
    if not accounts.any():
        return local_admin(settings.account or settings.reviewer)
    if not settings.account:
        raise PermissionDenied("this desk has accounts: set REDREPLY_ACCOUNT=NAME to act as one")
    account = accounts.get(settings.account)
    if account.disabled:
        raise PermissionDenied(f"account {account.name} is disabled")
    return account
