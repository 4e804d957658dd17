"""What the knowledge store holds, in memory: the chunks, their BM25 index and what a search filters on.

A `Snapshot` is built from the Chroma collections after each ingest (`Snapshot.load`) and never mutated:
searches read the current one while an ingest builds the next and swaps it in whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agent.knowledge.bm25 import BM25
from agent.knowledge.chunking import Chunk
from agent.schemas import Kind
from agent.text import normalize_for_match


@dataclass(frozen=True)
class Snapshot:
    """The stored chunks (sorted by id), held in memory for BM25 and for building hits. Never mutated."""

    chunks: tuple[Chunk, ...]
    bm25: BM25
    kinds: np.ndarray  # chunk kind per index
    brands: np.ndarray  # chunk brand per index ("" for guidelines)
    index: dict[str, int]
    hashes: dict[str, str]
    aliases: dict[tuple[str, str], tuple[str, ...]]  # (brand, product) -> folded names commenters use
    vectors: np.ndarray  # the stored embedding per index, unit length (chunks × dims)

    @classmethod
    def build(cls, chunks: Sequence[Chunk], stored_hashes: dict[str, str],
              stored_vectors: dict[str, Sequence[float]]) -> Snapshot:
        chunks = tuple(sorted(chunks, key=lambda c: c.id))
        vectors = np.array([stored_vectors[c.id] for c in chunks], dtype=np.float32).reshape(len(chunks), -1) \
            if chunks else np.zeros((0, 0), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return cls(
            chunks=chunks,
            vectors=vectors / np.where(norms > 0, norms, 1.0),
            bm25=BM25([c.search_text for c in chunks]),
            kinds=np.array([c.kind for c in chunks], dtype=object),
            brands=np.array([c.brand for c in chunks], dtype=object),
            index={c.id: i for i, c in enumerate(chunks)},
            # The hash each chunk was embedded under, as stored: recomputing it here would hide a bump
            # of CHUNK_FORMAT, and the old vectors would be kept.
            hashes={c.id: stored_hashes.get(c.id, "") for c in chunks},
            aliases={(c.brand, c.product): tuple(normalize_for_match(a) for a in c.aliases.split("、") if a.strip())
                     for c in chunks if c.product and c.aliases},
        )

    @classmethod
    def load(cls, collections: Iterable[Any]) -> Snapshot:
        """The snapshot of what the Chroma collections hold now."""
        chunks: list[Chunk] = []
        hashes: dict[str, str] = {}
        vectors: dict[str, Sequence[float]] = {}
        for collection in collections:
            got = collection.get(include=["documents", "metadatas", "embeddings"])
            embeddings = got["embeddings"] if got["embeddings"] is not None else []
            for cid, doc, meta, vector in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], embeddings,
                                              strict=False):
                chunks.append(Chunk.from_stored(cid, doc or "", dict(meta or {})))
                hashes[cid] = str((meta or {}).get("hash", ""))
                vectors[cid] = vector
        return cls.build(chunks, hashes, vectors)

    def chunk(self, chunk_id: str) -> Chunk | None:
        i = self.index.get(chunk_id)
        return None if i is None else self.chunks[i]

    def mask(self, kinds: Sequence[Kind], brand: str | None) -> np.ndarray:
        """The chunks a search may return: of these kinds, and brand facts only of this brand."""
        mask = np.isin(self.kinds, list(kinds))
        if brand is not None:
            mask &= (self.kinds == "guideline") | (self.brands == brand)
        return mask

    def nearest(self, vector: np.ndarray, mask: np.ndarray, n: int) -> list[tuple[float, str]]:
        """The n chunks under the mask nearest the vector, as (cosine distance, id), nearest first: exact, as
        Chroma's cosine space measures it."""
        candidates = np.flatnonzero(mask)
        if n <= 0 or candidates.size == 0:
            return []
        distances = 1.0 - self.vectors[candidates] @ (vector / (np.linalg.norm(vector) or 1.0))
        order = np.argsort(distances, kind="stable")[:n]
        return [(float(distances[i]), self.chunks[int(candidates[i])].id) for i in order]

    def mentioned_products(self, folded_query: str, brand: str) -> list[str]:
        return sorted({p for (b, p), names in self.aliases.items()
                       if b == brand and any(n in folded_query for n in names)})
