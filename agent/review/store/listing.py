"""What the queue page lists, filters and sorts an item by, kept in plain columns of its row when the item is
accepted: the comment on one line with personal data masked (`comment_text`), when it was posted and when it
was accepted (`posted_ts`, `accepted_ts`, epoch seconds) and its reach. With them the page's filtering,
counting, sorting and paging run in the database (agent.review.views.queue_table) and never parse a draft.

Items accepted before these columns existed are filled in once, when a queue opens on the database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from agent.schemas import CommentIn
from agent.storage.connection import Database
from agent.triage.pii import redact

CST = timezone(timedelta(hours=8), "CST")
REPLY_WEIGHT = 3  # a reply under a comment draws more readers into it than a like does
LISTING_COLUMNS = ("comment_text", "posted_ts", "accepted_ts", "reach")
_FILL_CHUNK = 500


def parse_time(value: str | None) -> datetime | None:
    """An ISO time (naive = Beijing time) or epoch seconds/milliseconds, in UTC; None when unreadable."""
    if not value or not str(value).strip():
        return None
    s = str(value).strip()
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        try:
            ts = float(s)
        except ValueError:
            return None
        return datetime.fromtimestamp(ts / 1000 if ts > 1e11 else ts, UTC)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=CST)
    return dt.astimezone(UTC)


@lru_cache(maxsize=20_000)
def masked(text: str) -> str:
    """The comment with personal data masked, on one line; cached: a queue page masks the same texts each run."""
    return redact(text).replace("\n", " ")


def reach_of(comment: CommentIn) -> int:
    """How many people a comment reaches, as far as its import knew: likes + 3 × replies."""
    return (comment.likes or 0) + REPLY_WEIGHT * (comment.reply_count or 0)


def _ts(value: str | None) -> float | None:
    at = parse_time(value)
    return at.timestamp() if at else None


def listing_values(comment: CommentIn, created_at: str) -> tuple[Any, ...]:
    """The LISTING_COLUMNS of a comment accepted at `created_at`, in that order."""
    return masked(comment.text), _ts(comment.posted_at), _ts(created_at), reach_of(comment)


def fill_listing(db: Database) -> int:
    """Fill the listing columns of items accepted before they existed (found through a partial index, so a
    queue with none left answers at once). Returns how many were filled."""
    filled = 0
    while True:
        rows = db.execute("SELECT id, comment_json, created_at FROM items WHERE comment_text IS NULL LIMIT ?",
                          (_FILL_CHUNK,)).fetchall()
        if not rows:
            return filled
        sets = ", ".join(f"{c} = ?" for c in LISTING_COLUMNS)
        with db.tx() as c:
            c.executemany(f"UPDATE items SET {sets} WHERE id = ?",
                          [(*listing_values(CommentIn.model_validate_json(r["comment_json"]), r["created_at"]), r["id"])
                           for r in rows])
        filled += len(rows)
