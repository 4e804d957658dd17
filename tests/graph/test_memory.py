"""The team's approved replies become the brand's memory: recalled for similar comments, as the offline
draft's phrasing where one fits and as a model's examples, shown as what the draft drew on."""

import logging

from agent.knowledge.memory import ReplyMemory
from agent.schemas import CommentIn, ReviewDecision
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
    memory = ReplyMemory(settings.memory_path, settings.knowledge_dir)
    memory.remember("oldbrand", "x1", "下单一周了还没发货", "旧品牌的回复", "shipping_delay")
    memory.close()
    with caplog.at_level(logging.WARNING, logger="redreply.memory"):
        memory = ReplyMemory(settings.memory_path, settings.knowledge_dir)
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
