"""Chunking: guidelines by `##` heading, brand facts by product/certification/policy, stable ids."""

import shutil

import pytest

from agent.config import Settings
from agent.knowledge.chunking import all_chunks, brand_chunks, chunk_markdown, guideline_chunks, slugify
from agent.knowledge.loading import KnowledgeError

MD = """# 违规类型：测试

开头的一段介绍。

## 什么算违规
- 第一条
### 细节
细节也属于这一节。

## 什么不算违规
正常的抱怨。

```text
## 这不是标题（在代码块里）
```

## 什么算违规
同名的第二节。

## 空的一节
"""


def test_markdown_is_cut_at_level_two_headings():
    chunks = chunk_markdown(MD, "guidelines/test.md")
    assert [c.id for c in chunks] == [
        "guidelines/test.md#overview",
        "guidelines/test.md#什么算违规",
        "guidelines/test.md#什么不算违规",
        "guidelines/test.md#什么算违规-2",
    ]
    overview, first, second, third = chunks
    assert overview.section == "概述" and overview.text == "开头的一段介绍。"
    assert all(c.title == "违规类型：测试" for c in chunks)
    assert "### 细节" in first.text and "细节也属于这一节。" in first.text
    assert "## 这不是标题（在代码块里）" in second.text  # a heading inside a code fence is text
    assert third.text == "同名的第二节。"
    assert all(c.kind == "guideline" and c.brand == "" and c.product == "" for c in chunks)
    assert all(c.path == "guidelines/test.md" for c in chunks)


def test_a_file_without_title_is_named_after_itself():
    (chunk,) = chunk_markdown("## 一节\n内容", "guidelines/abc.md")
    assert chunk.title == "abc" and chunk.id == "guidelines/abc.md#一节"


def test_slugs_are_stable_and_readable():
    assert slugify("选择举报理由：就近且从严") == "选择举报理由-就近且从严"
    assert slugify("道歉→共情→解决（apologize_resolve）") == "道歉-共情-解决-apologize_resolve"
    assert slugify("Step 1: Report!") == "step-1-report"
    assert slugify("！！") == "section"


def test_content_hash_follows_the_content():
    a, b = chunk_markdown("# T\n## S\n一", "g.md"), chunk_markdown("# T\n## S\n二", "g.md")
    assert a[0].id == b[0].id and a[0].content_hash != b[0].content_hash
    assert a[0].content_hash == chunk_markdown("# T\n## S\n一", "g.md")[0].content_hash


def test_metadata_has_every_citation_field():
    (chunk,) = chunk_markdown("# 标题\n## 一节\n内容", "guidelines/x.md")
    meta = chunk.metadata()
    assert meta == {"kind": "guideline", "brand": "", "product": "", "path": "guidelines/x.md", "section": "一节",
                    "title": "标题", "aliases": "", "hash": chunk.content_hash}


# ------------------------------------------------------------------ the real knowledge dir

@pytest.fixture(scope="module")
def real_chunks():
    return all_chunks(Settings().knowledge_dir)


def test_brand_facts_are_chunked_per_product_certification_and_policy(real_chunks):
    ids = {c.id for c in real_chunks}
    g = "brands/glowskin/brand.yaml#"
    for part in ("about", "service", "product-oil", "product-oil-usage", "product-serum", "product-mask-usage",
                 "cert-patch_test_2026", "policy-returns", "policy-compensation"):
        assert g + part in ids
    oil_usage = next(c for c in real_chunks if c.id == g + "product-oil-usage")
    assert oil_usage.kind == "brand_fact" and oil_usage.brand == "glowskin" and oil_usage.product == "oil"
    assert oil_usage.path == "brands/glowskin/brand.yaml" and "稀释" in oil_usage.text
    assert "玫瑰精油" in oil_usage.aliases.split("、")
    cert = next(c for c in real_chunks if c.id == g + "cert-patch_test_2026")
    assert "急救焕肤精华液" in cert.text and "DEMO-AF2026-PT-0418" in cert.text


def test_every_chunk_is_well_formed(real_chunks):
    assert len({c.id for c in real_chunks}) == len(real_chunks)
    for c in real_chunks:
        assert c.id.startswith(c.path + "#") and c.text.strip() and c.section and c.title
        assert (c.kind == "guideline") == (c.brand == "")
        assert c.path.startswith("guidelines/" if c.kind == "guideline" else f"brands/{c.brand}/")


def test_guidelines_of_every_violation_exist(real_chunks):
    paths = {c.path for c in real_chunks}
    for v in ("abuse", "porn", "political", "spam_redirect", "rumor", "privacy", "flooding", "ip_infringement"):
        assert f"guidelines/violations/{v}.md" in paths


# ------------------------------------------------------------------ broken files

def _copy_knowledge(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(Settings().knowledge_dir, root)
    return root


def test_a_malformed_brand_file_names_its_path_and_field(tmp_path):
    root = _copy_knowledge(tmp_path)
    path = root / "brands" / "threadline" / "brand.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    usage: 冷水手洗", "    usages: 冷水手洗", 1),
                    encoding="utf-8")
    with pytest.raises(KnowledgeError) as e:
        brand_chunks(root)
    assert str(path) in str(e.value) and "products.1" in str(e.value)


def test_invalid_yaml_names_its_path(tmp_path):
    root = _copy_knowledge(tmp_path)
    path = root / "brands" / "glowskin" / "brand.yaml"
    path.write_text("id: glowskin\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="not valid YAML") as e:
        all_chunks(root)
    assert str(path) in str(e.value)


def test_a_brand_whose_id_is_not_its_folder_is_an_error(tmp_path):
    root = _copy_knowledge(tmp_path)
    path = root / "brands" / "glowskin" / "brand.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: glowskin", "id: glowskn", 1), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="field 'id'.*does not match its folder 'glowskin'"):
        all_chunks(root)


def test_a_guideline_that_is_not_utf8_names_its_path(tmp_path):
    root = _copy_knowledge(tmp_path)
    bad = root / "guidelines" / "bad.md"
    bad.write_bytes("## 标题\n内容".encode("gbk"))
    with pytest.raises(KnowledgeError, match="not UTF-8") as e:
        guideline_chunks(root)
    assert str(bad) in str(e.value)
