"""Fixtures shared by every test directory. Keep each fixture clearly named: others append here."""

from __future__ import annotations

import pytest

from agent.config import Settings

# ------------------------------------------------------------------ knowledge store (agent/store.py)

@pytest.fixture(scope="session")
def ingested_store(tmp_path_factory):
    """One KnowledgeStore with the real knowledge/ ingested, shared by the session (ingesting takes seconds)."""
    from agent.knowledge.store import KnowledgeStore

    store = KnowledgeStore(Settings(data_dir=tmp_path_factory.mktemp("knowledge-store")))
    store.ingest()
    return store


@pytest.fixture(scope="session")
def ingested_settings(ingested_store) -> Settings:
    """Settings whose data_dir holds the session's ingested knowledge store."""
    return ingested_store.settings


TINY_GUIDELINE = """# 违规类型：测试用导流规则

## 平台举报理由
评论里留微信号、手机号、二维码或站外链接，都算导流，应按“垃圾广告营销、导流”举报。

## 申诉要点
补充说明指出联系方式所在的位置，并附上评论截图和发布时间。

## 公开回复
回复保持礼貌，只引导到小红书私信，不留任何站外联系方式。
"""

TINY_BRAND = """id: {id}
name: {name}
category: 测试品类
about: {name} 是一个只用于测试的演示品牌。
service:
  hours: 每天 9:00–18:00
  channels: [小红书私信]
  response_time: 1小时内回复
products:
  - id: balm
    name: {product}
    aliases: [{alias}]
    category: 测试产品
    description: 用于测试的{product}，质地{texture}。
    usage: 洁面后取适量涂抹
    cautions: [出现不适立即停用]
policies:
  - id: returns
    title: 退换货政策
    text: 未拆封商品签收后7天内可无理由退货
    promises: [未拆封商品7天内无理由退货]
"""


def write_tiny_knowledge(root):
    """A small knowledge dir (a guideline file and two brands, ~14 chunks): a store on it ingests fast."""
    (root / "guidelines").mkdir(parents=True, exist_ok=True)
    (root / "guidelines" / "spam.md").write_text(TINY_GUIDELINE, encoding="utf-8")
    for brand, name, product, alias, texture in (("acme", "Acme", "玫瑰润唇膏", "唇膏", "滋润"),
                                                 ("other", "Other", "薄荷护手霜", "护手霜", "清爽")):
        (root / "brands" / brand).mkdir(parents=True, exist_ok=True)
        (root / "brands" / brand / "brand.yaml").write_text(
            TINY_BRAND.format(id=brand, name=name, product=product, alias=alias, texture=texture), encoding="utf-8")
    return root


@pytest.fixture
def tiny_knowledge_settings(tmp_path) -> Settings:
    """Settings over a fresh tiny knowledge dir (tests that edit knowledge files) and a fresh data_dir."""
    return Settings(data_dir=tmp_path / "data", knowledge_dir=write_tiny_knowledge(tmp_path / "knowledge"))


@pytest.fixture
def desk_on_loopback():
    """The app under test listens on loopback, as `redreply ui` does: without accounts it opens as local admin."""
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)


# Both backends (SQLite, PostgreSQL) for the storage, queue, cases, accounts and alerts tests.
from tests.databases import db_url, desk_database_url, pg_url  # noqa: E402, F401

# ------------------------------------------------------------------ the CLI, driven as a user does

@pytest.fixture
def run_cli(tmp_path, monkeypatch, capsys):
    """`redreply …` in a fresh data folder on the offline model: returns stdout, or with `code` set, checks that
    the error is one line with no traceback and returns it."""
    from agent.cli import main

    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REDREPLY_MODEL", raising=False)
    monkeypatch.delenv("REDREPLY_DATABASE_URL", raising=False)

    def run(*args: str, code: int = 0) -> str:
        assert main(list(args)) == code, args
        out = capsys.readouterr()
        if code:
            assert out.err.count("\n") == 1 and out.err.startswith("error: ") and "Traceback" not in out.err, out.err
            return out.err
        return out.out

    return run
