"""The knowledge re-index as the desk does it: admin only, checked here so no page can skip the check.

The app's Knowledge page calls `reindex(store, account)`; a hidden button is only the courtesy on top.
(`redreply ingest` and the desk's start-up keep ingesting without an account: whoever runs them can edit
the knowledge files anyway, and a fresh machine must be able to build its index.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent.review.team.accounts import Account
from agent.review.team.roles import REINDEX, require

if TYPE_CHECKING:
    from agent.knowledge.store import IngestReport


class Ingests(Protocol):
    """What re-indexing needs of the store (agent.knowledge.store.KnowledgeStore)."""

    def ingest(self) -> IngestReport: ...


def reindex(store: Ingests, actor: Account | None) -> IngestReport:
    """Bring the store in line with the knowledge files as `actor`; PermissionDenied unless an admin."""
    require(actor, REINDEX)
    return store.ingest()
