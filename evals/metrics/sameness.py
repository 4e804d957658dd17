"""Sameness: public replies under one note that read as one reply said twice. Onlookers read near-identical
replies under a note as a bot; the target is 0 pairs. "Near-identical" is a rapidfuzz ratio of 0.8 or more,
the same bar the offline drafter holds itself to (agent.drafting.variety)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from agent.drafting.variety import NEAR_IDENTICAL, similarity


def near_identical_pairs(replies: Sequence[str], threshold: float = NEAR_IDENTICAL) -> list[tuple[int, int]]:
    """The index pairs of replies whose similarity is at least `threshold` (empty replies are skipped)."""
    return [(i, j) for (i, a), (j, b) in combinations(enumerate(replies), 2)
            if a.strip() and b.strip() and similarity(a, b) >= threshold]


def sameness(replies_by_note: Mapping[str, Sequence[str]], threshold: float = NEAR_IDENTICAL) -> int:
    """How many near-identical pairs of public replies there are, counted note by note."""
    return sum(len(near_identical_pairs(r, threshold)) for r in replies_by_note.values())


def replies_by_note(records: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Draft records (the JSON contract) grouped by their note; a record with no note is its own group."""
    groups: dict[str, list[str]] = {}
    for r in records:
        note = ((r.get("context") or {}).get("note") or {}).get("id")
        key = str(note) if note else f"(no note) {r.get('id')}"
        text = (r.get("reply") or {}).get("text")
        if isinstance(text, str):
            groups.setdefault(key, []).append(text)
    return groups
