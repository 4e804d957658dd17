"""The team's approved replies become the brand's memory: recalled for similar comments, as the offline
draft's phrasing where one fits and as a model's examples, shown as what the draft drew on. The memory lives
in the desk's database: desks on two machines sharing it learn from each other's approvals (SQLite and
PostgreSQL), an old data directory's memory.sqlite moves in, and `redreply db copy` carries it."""

import logging
import sqlite3

import sqlalchemy as sa
from langgraph.store.sqlite import SqliteStore

from agent.cli import main
from agent.knowledge.memory import ReplyMemory
from agent.review.service import ReviewDesk
from agent.schemas import CommentIn, ReviewDecision
from agent.storage.connection import desk_database
from agent.storage.engine import engine_for
from tests.fakes import FakeModel, by_prompt

APPROVED = "宝子抱歉让你久等啦🙏 包裹我们这边帮你盯着，私信发一下订单号，我们马上找快递核实进度～"


def _approve_edited(desk, comment: CommentIn, brand: str = "glowskin") -> None:
    desk.submit(comment, brand)
    desk.decide(comment.id, ReviewDecision(action="edit", reviewer="amy", reply_text=APPROVED))


def test_an_approved_reply_becomes_the_draft_for_a_similar_comment(desk_factory):
    desk = desk_factory()
    _approve_edited(desk, CommentIn(id="m1", text="下单一周了还没发货，物流一直不动"))
    r = desk.submit(CommentIn(id="m2", text="下单一周了还没发货，物流怎么一直不动啊"), "glowskin")
    assert r.reply.text == APPROVED
    assert r.drew_on is not None and r.drew_on.id == "m1" and r.drew_on.reply == APPROVED
    assert r.drew_on.similarity >= desk.settings.memory_fit


def test_an_unrelated_comment_draws_on_nothing(desk_factory):
    desk = desk_factory()
    _approve_edited(desk, CommentIn(id="m1", text="下单一周了还没发货，物流一直不动"))
    r = desk.submit(CommentIn(id="m3", text="玫瑰精油直接涂脸上，刺痛发红"), "glowskin")
    assert r.drew_on is None and r.reply.text != APPROVED


def test_a_brands_memory_is_never_used_for_another_brand(desk_factory):
    desk = desk_factory()
    _approve_edited(desk, CommentIn(id="m1", text="下单一周了还没发货，物流一直不动"))
    r = desk.submit(CommentIn(id="t1", text="下单一周了还没发货，物流一直不动"), "threadline")
    assert r.drew_on is None and r.reply.text != APPROVED


def test_without_memory_fit_the_offline_script_stands(desk_factory):
    desk = desk_factory(memory_fit=1.01)  # never fits: the script library's draft
    _approve_edited(desk, CommentIn(id="m1", text="下单一周了还没发货，物流一直不动"))
    r = desk.submit(CommentIn(id="m2", text="下单一周了还没发货，物流怎么一直不动啊"), "glowskin")
    assert r.drew_on is None and r.reply.text != APPROVED


def test_a_model_sees_the_teams_approved_replies_as_examples(desk_factory):
    _approve_edited(desk_factory(), CommentIn(id="m1", text="下单一周了还没发货，物流一直不动"))
    good = {"reply": "宝子久等啦，私信我们订单号，马上帮你查物流进度～", "appeal_explanation": ""}
    triage = {"source": "genuine_experience", "severity": 1, "violations": [], "confidence": 0.9, "rationale": "物流"}
    fake = FakeModel(default=by_prompt({"triage": triage, "draft": good}))
    r = desk_factory(client=fake).submit(CommentIn(id="m2", text="下单一周了还没发货，物流怎么一直不动啊"), "glowskin")
    assert APPROVED in fake.prompts_text()
    assert r.reply.text == good["reply"] and r.drew_on is not None and r.drew_on.id == "m1"


def test_an_entry_whose_brand_is_gone_is_ignored_with_a_warning(settings, caplog):
    memory = ReplyMemory(desk_database(settings), settings.knowledge_dir)
    memory.remember("oldbrand", "x1", "下单一周了还没发货", "旧品牌的回复", "shipping_delay")
    memory.close()
    with caplog.at_level(logging.WARNING, logger="redreply.memory"):
        memory = ReplyMemory(desk_database(settings), settings.knowledge_dir)
        assert memory.recall("oldbrand", "下单一周了还没发货") == []
        assert memory.recall("glowskin", "下单一周了还没发货") == []
    assert memory.stale_brands() == ["oldbrand"]
    assert "brand 'oldbrand' no longer exists" in caplog.text


def test_a_reply_approved_under_the_same_note_is_not_repeated_there(desk_factory):
    desk = desk_factory()
    _approve_edited(desk, CommentIn(id="n1", text="下单一周了还没发货，物流一直不动", note_id="note-a"))
    same = desk.submit(CommentIn(id="n2", text="下单一周了还没发货，物流怎么一直不动啊", note_id="note-a"), "glowskin")
    other = desk.submit(CommentIn(id="n3", text="下单一周了还没发货，物流怎么一直不动啊", note_id="note-b"), "glowskin")
    assert same.drew_on is None and same.reply.text != APPROVED  # onlookers under note-a would see it twice
    assert other.drew_on is not None and other.reply.text == APPROVED


def test_desks_on_two_machines_learn_from_each_others_approvals(settings, shared_store, desk_database_url, tmp_path):
    """Desk a approves; desk b, with its own data directory on the same database, drafts from that reply."""
    a, b = (ReviewDesk(settings.with_overrides(data_dir=settings.data_dir / name, database_url=desk_database_url),
                       store=shared_store) for name in ("a", "b"))
    if desk_database_url is None:  # the SQLite default: two processes on one data directory's database
        b.close()
        b = ReviewDesk(settings.with_overrides(data_dir=settings.data_dir / "a"), store=shared_store)
    try:
        _approve_edited(a, CommentIn(id="m1", text="下单一周了还没发货，物流一直不动"))
        r = b.submit(CommentIn(id="m2", text="下单一周了还没发货，物流怎么一直不动啊"), "glowskin")
        assert r.reply.text == APPROVED and r.drew_on is not None and r.drew_on.id == "m1"
        assert not any(p.name == "memory.sqlite" for p in settings.data_dir.rglob("*"))  # no file of its own
    finally:
        a.close()
        b.close()


def _old_memory(path, reply: str) -> None:
    """A memory.sqlite as an earlier version left it (LangGraph's SQLite Store), with one approved reply."""
    from agent.graph.nodes.retrieve import retrieval_query
    from agent.knowledge.memory import _vector

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    store = SqliteStore(conn)
    store.setup()
    query = retrieval_query(CommentIn(id="old-1", text="下单一周了还没发货，物流一直不动"))  # as an approval stored it
    store.put(("memory", "glowskin"), "old-1", {"brand": "glowskin", "comment": query, "reply": reply,
                                                "situation": "delivery", "vector": _vector(query).tolist(),
                                                "note": None}, index=False)
    conn.close()


def test_an_old_data_directorys_memory_moves_into_the_database(desk_factory, settings):
    _old_memory(settings.memory_path, APPROVED)
    r = desk_factory().submit(CommentIn(id="m2", text="下单一周了还没发货，物流怎么一直不动啊"), "glowskin")
    assert r.drew_on is not None and r.drew_on.id == "old-1" and r.reply.text == APPROVED
    assert not settings.memory_path.exists() and settings.memory_path.with_name("memory.sqlite.moved").exists()


def test_db_copy_carries_the_memory_to_postgresql(settings, pg_url, capsys):
    _old_memory(settings.memory_path, APPROVED)  # never opened since the upgrade: the copy moves it first
    ReplyMemory(desk_database(settings), settings.knowledge_dir).close()  # the data directory's database exists
    assert main(["--data-dir", str(settings.data_dir), "db", "copy", "--to", pg_url]) == 0
    with engine_for(pg_url).connect() as c:
        assert c.execute(sa.text("SELECT item_id, reply FROM reply_memory")).all() == [("old-1", APPROVED)]
    on_pg = ReplyMemory(pg_url, settings.knowledge_dir)
    assert [m.id for m in on_pg.recall("glowskin", "下单一周了还没发货，物流怎么一直不动啊")] == ["old-1"]
