"""The knowledge store: hybrid search, brand isolation, idempotent ingest, errors, threads, and the CLI."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from agent.cli import main
from agent.errors import UserError
from agent.knowledge.files import UnknownBrandError
from agent.knowledge.store import Hit, IngestReport, KnowledgeStore, expand_query
from agent.schemas import SourceRef

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
    assert facts and all(h.kind == "brand_fact" and h.brand == "threadline" for h in facts)
    guides = ingested_store.search("退货", brand="threadline", k=8, kind="guideline")
    assert guides and all(h.kind == "guideline" and h.brand == "" for h in guides)


def test_without_a_brand_only_guidelines_come_back(ingested_store):
    hits = ingested_store.search("精油直接涂脸", k=10)
    assert hits and all(h.kind == "guideline" for h in hits)
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


def test_a_very_long_query_works(ingested_store):
    assert ingested_store.search("精油直接涂脸刺痛" * 400, brand="glowskin", k=3)


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
    assert store.search("客服几点上班", brand="glowskin", k=1)


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
    assert hits and hits[0].brand in ("", "acme")
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
    assert hits and {h["kind"] for h in hits} == {"brand_fact"} and {h["brand"] for h in hits} == {"threadline"}
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
