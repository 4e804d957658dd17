"""Who may do what, per brand: the roles, their actions and the one check the CLI and the app share
(`require`).

viewer reads; suggester also edits drafts (suggestions) and asks for regeneration; approver also approves,
rejects and exports; admin also manages users, brands and the knowledge re-index. Kept apart from the
decision rules (permissions.py) because suggestions need `require` and those rules read suggestions.
"""

from __future__ import annotations

from agent.errors import UserError
from agent.review.team.accounts import Account

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
