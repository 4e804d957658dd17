"""retrieve: platform guidelines and the brand's facts from the knowledge store, each with its citation."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.graph.state import Deps, DraftState
from agent.knowledge.memory import note_of
from agent.schemas import CommentIn, SourceRef


def retrieval_query(comment: CommentIn) -> str:
    """One query text for both searches: the store embeds it once (the embedding is most of a draft's time),
    and a batch embeds it ahead. The note's title names the topic ("急救焕肤精华30天实测") that a short
    reply ("还是红") leaves out."""
    title = (comment.note_title or "")[:60]
    return comment.text[:500] + (f"\n{title}" if title else "")


def retrieve(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    store, brand = runtime.context.store, state.brand
    assert state.triage is not None
    query = retrieval_query(state.comment)
    hits = store.search(query, brand=brand, k=3, kind="brand_fact")
    hits += store.search(query, brand=brand, k=3, kind="guideline")
    seen: set[str] = set()
    sources: list[SourceRef] = []
    for h in hits:
        ref = h.to_source_ref()
        if ref.id not in seen:
            seen.add(ref.id)
            sources.append(ref)
    memory = runtime.context.memory
    # The team's earlier approvals for this brand: never this comment's own (a regeneration after approval).
    recalled = (memory.recall(brand, query, k=3, exclude=state.comment.id, note=note_of(state.comment))
                if memory is not None else [])
    return {"sources": sources, "memory": recalled}
