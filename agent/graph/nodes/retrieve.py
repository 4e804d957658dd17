"""retrieve: platform guidelines and the brand's facts from the knowledge store, each with its citation."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.graph.state import Deps, DraftState
from agent.schemas import SourceRef


def retrieve(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    store, brand = runtime.context.store, state.brand
    assert state.triage is not None
    # One query text for both searches: the store embeds it once (the embedding is most of a draft's time).
    # The note's title names the topic ("急救焕肤精华30天实测") that a short reply ("还是红") leaves out.
    title = (state.comment.note_title or "")[:60]
    query = state.comment.text[:500] + (f"\n{title}" if title else "")
    hits = store.search(query, brand=brand, k=3, kind="brand_fact")
    hits += store.search(query, brand=brand, k=3, kind="guideline")
    seen: set[str] = set()
    sources: list[SourceRef] = []
    for h in hits:
        ref = h.to_source_ref()
        if ref.id not in seen:
            seen.add(ref.id)
            sources.append(ref)
    return {"sources": sources}
