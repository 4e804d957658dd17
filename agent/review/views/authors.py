"""Authors across imports: who keeps posting attacks or floods under several notes (candidates to block, 拉黑).

Computed from the queue, which keeps every import's comments with their triage. An author is their user id
or creator hash where the export had one, else an unmasked nickname (`agent.triage.dedup.author_key`); a
masked nickname is nobody in particular and is never grouped. A note is its id, else its title.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from agent.queue_item import Item
from agent.schemas import Source, Violation
from agent.triage.dedup import author_key

HOSTILE_SOURCES = frozenset({Source.competitor_attack, Source.extortion})
MIN_NOTES = 2  # attacks under one note can be one bad day; across notes they are a pattern


@dataclass
class BlockCandidate:
    brand: str
    author: str  # as shown: the nickname and the id it was matched by
    key: str
    notes: set[str] = field(default_factory=set)
    comment_ids: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)

    def row(self) -> dict[str, object]:
        return {"brand": self.brand, "author": self.author, "notes": len(self.notes), "comments": len(self.comment_ids),
                "why": " · ".join(f"{k} ×{n}" for k, n in sorted(self.reasons.items())),
                "comment ids (the reason)": ", ".join(self.comment_ids)}


def _hostile(item: Item) -> list[str]:
    """What makes the item's comment an attack or a flood, by its triage; empty when it is neither."""
    if item.result is None:
        return []
    t = item.result.triage
    why = [t.source.value] if t.source in HOSTILE_SOURCES else []
    return why + (["flooding"] if Violation.flooding in t.violations else [])


def block_candidates(items: Iterable[Item], min_notes: int = MIN_NOTES) -> list[BlockCandidate]:
    """Authors with attacks or floods under at least `min_notes` notes, most notes first."""
    found: dict[tuple[str, str], BlockCandidate] = {}
    for item in items:
        why = _hostile(item)
        c = item.comment
        key = author_key(c.author, c.author_id)
        if not why or key is None:
            continue
        shown = f"{c.author or '—'} ({c.author_id})" if c.author_id else (c.author or key)
        cand = found.setdefault((item.brand, key), BlockCandidate(brand=item.brand, author=shown, key=key))
        note = c.note_id or c.note_title
        if note:
            cand.notes.add(note)
        cand.comment_ids.append(item.id)
        counts = defaultdict(int, cand.reasons)
        for w in why:
            counts[w] += 1
        cand.reasons = dict(counts)
    out = [c for c in found.values() if len(c.notes) >= min_notes]
    return sorted(out, key=lambda c: (-len(c.notes), -len(c.comment_ids), c.key))
