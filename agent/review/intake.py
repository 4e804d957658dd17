"""Comments entering the queue without the graph: `redreply import` queues an export here, and every
path that accepts comments records them in the comment history (for duplicate clusters and authors)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from agent.config import Settings
from agent.knowledge.files import load_brand
from agent.review.queue import ReviewQueue
from agent.schemas import CommentIn
from agent.triage.dedup import CommentHistory


def open_history(settings: Settings) -> CommentHistory:
    """The comment history kept beside the queue (same database file)."""
    conn = sqlite3.connect(str(settings.queue_path), check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    return CommentHistory(conn, settings.duplicate_window_days)


def record_comments(history: CommentHistory, brand: str, comments: Iterable[CommentIn]) -> None:
    """The one place comments enter the history: at acceptance, before any is drafted (one transaction)."""
    history.add_many(brand, ((c.id, c.text, c.author, c.note_title) for c in comments))


def accept_comments(settings: Settings, comments: list[CommentIn], brand: str) -> tuple[list[str], list[str]]:
    """Queue comments without drafting them, as `ReviewDesk.accept` does. Returns (new ids, ids already
    queued: left as they are, with their drafts and reviews)."""
    load_brand(settings.knowledge_dir, brand)
    queue = ReviewQueue(settings.queue_path)
    history = open_history(settings)
    try:
        new, known = queue.accept(comments, brand)
        record_comments(history, brand, comments)
    finally:
        history.close()
        queue.conn.close()
    return new, known
