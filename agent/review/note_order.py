"""The order a batch is drafted in: the items under one note one after another, in input order, so each sees
the replies drafted before it under the note (two drafted at once would not see each other); different notes
side by side, `concurrency` at a time."""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from agent.knowledge.memory import note_of
from agent.queue_item import Item
from agent.schemas import DraftResult

Outcome = tuple[str, DraftResult | None, str | None]  # item id, its draft or None, the error or None


def note_chains(items: list[Item]) -> list[list[str]]:
    """The item ids grouped by brand and note (an item under no note is its own group), in input order."""
    chains: dict[tuple[str, str], list[str]] = {}
    for item in items:
        note = note_of(item.comment) or item.comment.note_title or f"(item) {item.id}"
        chains.setdefault((item.brand, note), []).append(item.id)
    return list(chains.values())


def draft_in_note_order(chains: list[list[str]], draft: Callable[[str], DraftResult],
                        concurrency: int) -> Iterator[Outcome]:
    """Drafts every chain, each in order; yields each item's outcome as it finishes (in this thread)."""
    done: queue.Queue[Outcome] = queue.Queue()

    def run(chain: list[str]) -> None:
        for item_id in chain:
            try:
                done.put((item_id, draft(item_id), None))
            except Exception as e:  # reported per item: one failure never stops its note's chain
                done.put((item_id, None, str(e) or type(e).__name__))

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for chain in chains:
            pool.submit(run, chain)
        for _ in range(sum(len(c) for c in chains)):
            yield done.get()
