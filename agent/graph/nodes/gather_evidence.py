"""gather_evidence: the order lookup, the near-duplicate cluster, the author's other comments (read only)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.graph.state import Deps, DraftState
from agent.knowledge.order_records import load_orders
from agent.schemas import Evidence
from agent.triage.dedup import author_key
from agent.triage.orders import find_order


def gather_evidence(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps, c = runtime.context, state.comment
    order = find_order(load_orders(deps.settings.knowledge_dir, state.brand), c)
    # The comment was recorded in the history when it was accepted (agent.review.service), so
    # siblings accepted in the same import find each other whatever order they are drafted in.
    # An author is their user id when the export has one, never a masked nickname alone.
    author = author_key(c.author, c.author_id)
    return {"evidence": Evidence(
        order_found=order is not None,
        order=order,
        duplicate_cluster=deps.history.cluster(state.brand, c.id, c.text, author, note=c.note_title),
        author_history=deps.history.by_author(state.brand, author, exclude=c.id),
    )}
