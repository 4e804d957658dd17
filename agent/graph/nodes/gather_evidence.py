"""gather_evidence: the order lookup, the near-duplicate cluster, the author's other comments."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.graph.state import Deps, DraftState
from agent.knowledge.files import load_orders
from agent.schemas import Evidence
from agent.triage.orders import find_order


def gather_evidence(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps, c = runtime.context, state.comment
    order = find_order(load_orders(deps.settings.knowledge_dir, state.brand), c)
    # Recorded first (idempotent), so siblings drafted later in the batch find this one.
    deps.history.add(state.brand, c.id, c.text, c.author)
    return {"evidence": Evidence(
        order_found=order is not None,
        order=order,
        duplicate_cluster=deps.history.cluster(state.brand, c.id, c.text, c.author),
        author_history=deps.history.by_author(state.brand, c.author, exclude=c.id),
    )}
