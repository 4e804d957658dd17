"""Near-duplicate comments (brigading): MinHash signatures over character shingles, LSH buckets in the desk's
database (or an in-memory SQLite one for a drafter that keeps nothing).

Every accepted comment is recorded here before it is drafted, so a comment sees the siblings of
its batch and the recently seen ones whatever order they are drafted in.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import numpy as np

from agent.storage.connection import Database
from agent.storage.sqlite_schema import migrate_sqlite_connection
from agent.text import normalize_for_match

SHINGLE = 3
PERMS = 32
BANDS = 16  # 16 bands x 2 rows: a pair at Jaccard 0.55 shares a bucket with probability > 0.99
JACCARD_MIN = 0.55
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20261124)  # fixed seed: signatures must agree across processes
_A = _rng.integers(1, _PRIME, PERMS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMS, dtype=np.uint64)
_NOISE = re.compile(r"[\s\W_]+", re.U)


def shingles(text: str) -> set[int]:
    core = _NOISE.sub("", normalize_for_match(text))
    if len(core) < SHINGLE:
        return {zlib.crc32(core.encode())} if core else set()
    return {zlib.crc32(core[i:i + SHINGLE].encode()) for i in range(len(core) - SHINGLE + 1)}


def signature(sh: set[int]) -> np.ndarray:
    if not sh:
        return np.zeros(PERMS, dtype=np.uint64)
    x = np.fromiter(sh, dtype=np.uint64)
    # (a*x + b) mod p per permutation; uint64 wraps, which keeps the hash family well mixed.
    return ((np.outer(_A, x) + _B[:, None]) % _PRIME).min(axis=1)


def bands(sig: np.ndarray) -> list[str]:
    rows = PERMS // BANDS
    return [f"{b}:{zlib.crc32(sig[b * rows:(b + 1) * rows].tobytes()):08x}" for b in range(BANDS)]


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def author_key(author: str | None, author_id: str | None = None) -> str | None:
    """Who wrote a comment, as the history keys it: the user id or creator hash when the export has one
    (prefixed "id:"), else a display name that is not masked. Crawlers mask nicknames ("小**鱼"), and many
    people share a masked form, so a nickname with a `*` is no identity at all: None."""
    if author_id and author_id.strip():
        return "id:" + author_id.strip()
    name = (author or "").strip()
    return name if name and "*" not in name else None


class CommentHistory:
    """Recently seen comments per brand, for duplicate clusters and an author's other comments. `author`
    everywhere here is an `author_key` (an id when known, never a masked nickname)."""

    def __init__(self, conn: sqlite3.Connection | Database, window_days: int = 14) -> None:
        if isinstance(conn, sqlite3.Connection):
            migrate_sqlite_connection(conn)  # its tables come from the one migration history
            conn.isolation_level = None  # transactions are explicit (Database.tx)
            conn = Database(conn, "sqlite://")
        self._conn = conn  # a Database is at the code's schema already (open_database)
        self._lock = threading.Lock()
        self._window = timedelta(days=window_days)

    def close(self) -> None:
        self._conn.close()

    def add(self, brand: str, comment_id: str, text: str, author: str | None, note: str | None = None) -> None:
        self.add_many(brand, [(comment_id, text, author, note)])

    def add_many(self, brand: str, rows: Iterable[tuple[str, str, str | None, str | None]]) -> int:
        """Records (comment id, text, author, note) rows in one transaction; an id already recorded is
        left as it is. Returns how many were new."""
        now = datetime.now(UTC).isoformat()
        added = 0
        with self._lock, self._conn.tx() as c:
            for comment_id, text, author, note in rows:
                if c.execute("SELECT 1 FROM comment_history WHERE brand = ? AND comment_id = ?",
                             (brand, comment_id)).fetchone():
                    continue
                sh = shingles(text)
                blob = np.fromiter(sorted(sh), dtype=np.uint32).tobytes()
                c.execute(
                    "INSERT OR IGNORE INTO comment_history (brand, comment_id, author, seen_at, shingles, note) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (brand, comment_id, author, now, blob, note))
                c.executemany("INSERT INTO comment_bands VALUES (?, ?, ?)",
                              [(brand, b, comment_id) for b in bands(signature(sh))])
                added += 1
        return added

    def cluster(self, brand: str, comment_id: str, text: str, author: str | None, note: str | None = None) -> list[str]:
        """Ids of near-identical comments by other known authors under the same note, within the window
        (most similar first). Rows without an author never count: an export with no authors would
        otherwise make several real customers with the same complaint look like one brigade."""
        sh = shingles(text)
        if len(sh) < 4 or not author:  # "太差了" repeated, or an unknown author, is not brigading evidence
            return []
        since = (datetime.now(UTC) - self._window).isoformat()
        keys = bands(signature(sh))
        with self._lock:
            rows = self._conn.execute(
                f"""SELECT DISTINCT h.comment_id, h.author, h.shingles FROM comment_bands b
                    JOIN comment_history h ON h.brand = b.brand AND h.comment_id = b.comment_id
                    WHERE b.brand = ? AND b.band IN ({",".join("?" * len(keys))}) AND h.seen_at >= ?
                    AND (? IS NULL OR h.note IS NULL OR h.note = ?)""",
                (brand, *keys, since, note, note)).fetchall()
        scored = []
        authors = {author} if author else set()
        for other_id, other_author, blob in rows:
            if other_id == comment_id:
                continue
            score = jaccard(sh, set(np.frombuffer(blob, dtype=np.uint32).tolist()))
            if score < JACCARD_MIN:
                continue
            if not other_author or other_author in authors:
                continue  # unknown authors, or one author repeating themself, are not a cluster of accounts
            authors.add(other_author)
            scored.append((score, other_id))
        return [cid for _, cid in sorted(scored, key=lambda s: (-s[0], s[1]))]

    def by_author(self, brand: str, author: str | None, exclude: str) -> list[str]:
        if not author:
            return []
        with self._lock:
            rows = self._conn.execute(
                "SELECT comment_id FROM comment_history WHERE brand = ? AND author = ? AND comment_id != ? "
                "ORDER BY seen_at LIMIT 20", (brand, author, exclude)).fetchall()
        return [r[0] for r in rows]
