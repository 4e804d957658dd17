"""How the knowledge store's rankings become one: reciprocal-rank fusion, then the final ranking as hits.

Each ranking (vectors, BM25, the chunks of a product the comment names) adds weight / (RRF_K + rank) to
every chunk it holds; the best fused chunks become `Hit`s, scores scaled so 1.0 means every ranking put
the chunk first. Ties go to the closer vector, then the id: the same query always gives the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from agent.knowledge.query import Query
from agent.knowledge.snapshot import Snapshot
from agent.schemas import Kind, SourceRef

RRF_K = 60  # the usual reciprocal-rank-fusion constant: 1 / (RRF_K + rank)
VECTOR_WEIGHT = 1.0
BM25_WEIGHT = 1.0
PRODUCT_WEIGHT = 0.5  # a third, lighter ranking: the chunks of a product the comment names


class Hit(BaseModel):
    """One retrieved chunk; `score` is the fused score scaled to 0–1 (1.0: every ranking put it first)."""

    chunk_id: str
    kind: Kind
    brand: str
    product: str
    path: str
    section: str
    title: str
    text: str
    score: float

    def to_source_ref(self) -> SourceRef:
        return SourceRef(id=self.chunk_id, title=f"{self.title} · {self.section}", path=f"knowledge/{self.path}",
                         kind=self.kind, passage=self.text)


@dataclass(frozen=True)
class Ranking:
    """One ranking of chunk ids, best first, and its weight in the fusion."""

    ids: list[str]
    weight: float


def fuse(rankings: Sequence[Ranking]) -> dict[str, float]:
    """Reciprocal-rank fusion: each ranking adds weight / (RRF_K + rank) to every chunk it holds."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking.ids):
            fused[cid] = fused.get(cid, 0.0) + ranking.weight / (RRF_K + rank + 1)
    return fused


_BEST = (VECTOR_WEIGHT + BM25_WEIGHT + PRODUCT_WEIGHT) / (RRF_K + 1)  # every ranking put the chunk first


def final_ranking(snapshot: Snapshot, fused: dict[str, float], vector_ids: Sequence[str], q: Query) -> list[Hit]:
    """The k best fused chunks as hits, scores scaled to 0–1; ties go to the closer vector, then the id."""
    vector_rank = {cid: r for r, cid in enumerate(vector_ids)}
    hits: list[Hit] = []
    for cid, score in sorted(fused.items(), key=lambda kv: (-kv[1], vector_rank.get(kv[0], q.pool), kv[0])):
        c = snapshot.chunk(cid)
        if c is None:  # stored by another process after our snapshot: skip it until we reload
            continue
        if c.kind == "brand_fact" and c.brand != q.brand:  # belt and braces: never another brand's facts
            continue
        hits.append(Hit(chunk_id=c.id, kind=c.kind, brand=c.brand, product=c.product, path=c.path,
                        section=c.section, title=c.title, text=c.text, score=round(score / _BEST, 4)))
        if len(hits) == q.k:
            break
    return hits
