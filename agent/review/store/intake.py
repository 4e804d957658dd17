"""Comments entering the queue without the graph: `redreply import` queues an export here, and every
path that accepts comments records them in the comment history (for duplicate clusters and authors)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent.config import Settings
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.review.store.queue import ReviewQueue
from agent.schemas import CommentIn
from agent.sources import ImportResult, read_any
from agent.storage.connection import desk_database, open_database
from agent.triage.dedup import CommentHistory, author_key

if TYPE_CHECKING:
    from agent.storage.jobs import JobQueue

UPLOAD_TYPES = ["jsonl", "json", "csv", "xlsx", "db"]  # what the desk's import box takes


def open_history(settings: Settings) -> CommentHistory:
    """The comment history kept beside the queue (the same database)."""
    return CommentHistory(open_database(desk_database(settings)), settings.duplicate_window_days)


def record_comments(history: CommentHistory, brand: str, comments: Iterable[CommentIn]) -> None:
    """The one place comments enter the history: at acceptance, before any is drafted (one transaction)."""
    history.add_many(brand, ((c.id, c.text, author_key(c.author, c.author_id), c.note_title) for c in comments))


def accept_comments(settings: Settings, comments: list[CommentIn], brand: str) -> tuple[list[str], list[str]]:
    """Queue comments without drafting them, as `ReviewDesk.accept` does, and enqueue a drafting job for
    each new one. Returns (new ids, ids already
    queued: left as they are, with their drafts and reviews)."""
    load_brand(settings.knowledge_dir, brand)
    jobs = job_queue(settings)  # an unreachable database is told before anything is accepted
    queue = ReviewQueue(desk_database(settings))
    history = open_history(settings)
    try:
        new, known = queue.accept(comments, brand)
        record_comments(history, brand, comments)
    finally:
        history.close()
        queue.conn.close()
    jobs.enqueue(brand, new)  # after the items are safe: a worker drafts them
    return new, known


def job_queue(settings: Settings) -> JobQueue:
    """The drafting jobs in the settings' database (the data directory's SQLite file by default)."""
    from agent.storage.engine import database_url  # SQLAlchemy is imported by the paths that enqueue only
    from agent.storage.jobs import JobQueue

    return JobQueue(database_url(settings), settings.job_lease_s, settings.job_max_attempts)


def describe(result: ImportResult) -> str:
    """What was read, in one line: the shape, the notes joined, the comments and the brand's replies."""
    brand_replies = sum(c.is_brand for c in result.comments)
    source = Path(result.notes_source).name if result.notes_source else "?"
    notes = f"{len(result.notes)} note(s) joined from {source}" if result.notes else "no notes joined"
    return (f"format: {result.format} · {notes} · {len(result.comments) - brand_replies} comment(s) to answer · "
            f"{brand_replies} brand replies kept in threads · {len(result.errors)} line(s) skipped")


@dataclass
class Upload:
    """One uploaded file, read: its result, or the one-line reason it could not be read."""

    name: str
    result: ImportResult | None = None
    error: str | None = None


def read_uploads(files: Sequence[tuple[str, bytes]], settings: Settings, brand: str) -> list[Upload]:
    """The desk's uploads read through `read_any`, each saved first under its original name in one temporary
    directory: a MediaCrawler comments file uploaded with its contents file is joined with it, as on disk."""
    accounts = load_brand(settings.knowledge_dir, brand).account_keys
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in files:
            path = Path(tmp) / (Path(name).name or "upload")
            path.write_bytes(data)
            paths.append(path)
        for path in paths:
            try:
                out.append(Upload(path.name, read_any(path, brand_accounts=accounts,
                                                      max_chars=settings.comment_max_chars)))
            except UserError as e:
                out.append(Upload(path.name, error=str(e).replace(str(Path(tmp)) + "/", "")))
    return out
