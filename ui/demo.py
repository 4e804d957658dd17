"""The demo queue: ~20 made-up comments for the demo brand `glowskin`, loaded by `redreply ui --demo`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from agent.comments_io import read_comments
from agent.config import Settings
from agent.errors import UserError
from agent.review.desk import ReviewDesk, rebase_times
from agent.schemas import CommentIn

DEMO_PATH = Path(__file__).resolve().parent / "demo_comments.jsonl"
DEMO_BRAND = "glowskin"


def demo_comments(now: datetime | None = None) -> list[CommentIn]:
    comments, errors = read_comments(DEMO_PATH)
    if errors:
        raise UserError(f"{DEMO_PATH}: line {errors[0].line}: {errors[0].message}")
    return rebase_times(comments, now or datetime.now(UTC))


def load_demo(desk: ReviewDesk, concurrency: int = 2, now: datetime | None = None) -> tuple[list[str], list[str]]:
    """Accept and draft the demo comments; ids already queued are skipped (and finished if never drafted).

    Returns (ids drafted now, ids already in the queue).
    """
    todo, known = accept_demo(desk, now)
    desk.draft_all(todo, concurrency=concurrency)
    return todo, known


def accept_demo(desk: ReviewDesk, now: datetime | None = None) -> tuple[list[str], list[str]]:
    """Queue the demo comments (persisted, pending) without drafting them; ids already queued are skipped.

    Returns (ids to draft: the new ones and any never drafted, ids already in the queue).
    """
    comments = demo_comments(now)
    new, known = desk.accept(comments, DEMO_BRAND)
    undrafted = set(desk.queue.ids_with_status("pending"))
    todo = [c.id for c in comments if c.id in undrafted]  # the new ones are pending too
    return todo, [i for i in known if i not in todo]


def seed_demo(settings: Settings) -> tuple[list[str], list[str]]:
    """Ingest the knowledge when the store is empty or out of date, then queue and draft the demo comments
    (all before returning: for tests and benches that need a drafted demo data dir)."""
    from agent.review.desk import open_store

    store = open_store(settings)  # ensure_ingested: only what changed is embedded
    return load_demo(ReviewDesk(settings, store=store))
