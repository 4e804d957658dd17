"""Stale drafts: a draft made before the brand's facts changed, or before a newer comment arrived under
the same note, may be out of date. The desk flags it (♻️) and the reviewer decides whether to regenerate."""

from __future__ import annotations

from collections.abc import Iterable

from agent.config import Settings
from agent.knowledge.brands import brand_fingerprint
from agent.queue_item import Item
from agent.review.store.queue import ReviewQueue


def facts_fingerprint(settings: Settings, brand: str) -> str:
    """Changes whenever the brand's facts change: drafts made before then are stale."""
    return brand_fingerprint(settings.knowledge_dir, brand)


def stale_reasons(queue: ReviewQueue, settings: Settings, items: Iterable[Item]) -> dict[str, str]:
    """Item id -> why its draft may be out of date, for the items awaiting review that have one.

    One fingerprint per brand and one query for the whole page, not two per item.
    """
    fingerprints: dict[str, str] = {}
    newest = queue.newest_per_note()
    reasons: dict[str, str] = {}
    for item in items:
        if item.status != "needs_review" or not item.drafted_at:
            continue
        if item.brand not in fingerprints:
            fingerprints[item.brand] = facts_fingerprint(settings, item.brand)
        if item.facts_hash and item.facts_hash != fingerprints[item.brand]:
            reasons[item.id] = "the brand facts changed after this draft was made"
            continue
        latest = newest.get((item.brand, item.comment.note_title or ""))
        # The newest comment under the note, if it is not this one and came after the draft.
        if latest and latest[0] != item.id and latest[1] > item.drafted_at:
            reasons[item.id] = f"a newer comment ({latest[0]}) arrived under the same note after this draft"
    return reasons
