"""A claim that the goods are not what the brand says ("国内贴牌冒充进口") is answered with the brand file's shipping
and filing facts and reported as a rumour, never apologised to; asked as a question it is answered; denied ("是正品
不是假货") it is praise. A model that apologises for a claim its own appeal calls unproven is replaced."""

import pytest

from agent.schemas import Action, CommentIn, Strategy, Violation
from tests.fakes import FakeModel, by_prompt

CLAIMED = [
    ("glowskin", "GlowSkin根本不是进口的，国内小作坊灌装，别被骗了"),
    ("glowskin", "这个面膜就是国内贴牌的 套了个洋名卖高价"),
    ("threadline", "棉麻线哪是什么跨境品牌 国内小厂做的冒充跨境"),
]
APOLOGY = ("抱歉", "不好意思", "对不起", "少了一样", "订单号")


@pytest.mark.parametrize("brand, text", CLAIMED, ids=[t[:6] for _, t in CLAIMED])
def test_an_origin_claim_is_answered_with_the_brands_facts_and_reported(drafter, brand, text):
    r = drafter.draft(CommentIn(id="o1", text=text), brand)
    assert Violation.rumor in r.triage.violations
    assert r.plan.strategy == Strategy.neutral_rebuttal and r.appeal is not None
    assert r.reply is not None and "保税仓" in r.reply.text  # the brand file's own shipping fact
    assert not any(w in r.reply.text for w in APOLOGY), r.reply.text
    assert all(c.passed for c in r.checks if c.hard), [c.name for c in r.checks if not c.passed]


@pytest.mark.parametrize("text", ["想问下是原装进口还是国内灌装的？", "GlowSkin是贴牌的吗"])
def test_an_origin_question_is_answered_not_reported(drafter, text):
    r = drafter.draft(CommentIn(id="o2", text=text), "glowskin")
    assert Violation.rumor not in r.triage.violations and r.appeal is None
    assert r.reply is not None and any(w in r.reply.text for w in ("备案", "保税仓")), r.reply.text


@pytest.mark.parametrize("text", ["收到了，是正品不是假货，很满意", "用了一个月了，绝对不是假的，效果很好"])
def test_a_denied_counterfeit_is_praise_not_a_complaint(drafter, text):
    r = drafter.draft(CommentIn(id="o3", text=text), "glowskin")
    assert r.plan.strategy == Strategy.educate and r.plan.action in (Action.thank, Action.reply)
    assert r.reply is not None and not any(w in r.reply.text for w in ("抱歉", "不好意思", "数码")), r.reply.text


def test_a_model_apologising_for_a_claim_its_appeal_calls_unproven_is_replaced(desk_factory):
    sorry = {"reply": "亲，给你添麻烦了，真的抱歉😣 我们马上核实。", "appeal_explanation": ""}
    fake = FakeModel(default=by_prompt({"draft": sorry, "triage": {}}))
    r = desk_factory(client=fake).submit(CommentIn(id="o4", text=CLAIMED[0][1]), "glowskin")
    assert r.rejected_attempt is not None
    assert any(c.name == "one_story" for c in r.rejected_attempt.failed_checks)
    assert "抱歉" not in r.reply.text


@pytest.mark.parametrize("text", ["用了两瓶了 一点用都没有", "用了一个月 真的没用"])
def test_a_comment_naming_no_effect_gets_the_no_effect_reply_whatever_the_model_guessed(drafter, text):
    r = drafter.draft(CommentIn(id="o5", text=text), "glowskin")
    assert r.plan.template == "ar_no_effect", r.plan
    assert r.reply is not None and "照片" not in r.reply.text and "少了" not in r.reply.text


@pytest.mark.parametrize("text", ["京东买的，退货退了半个月还没退成", "淘宝买的，质量太差了，退货还要自己出运费"])
def test_a_complaint_about_an_order_placed_elsewhere_gets_the_channel_answer_not_a_lesson(drafter, text):
    r = drafter.draft(CommentIn(id="o6", text=text), "glowskin")
    assert r.reply is not None and ("其他平台" in r.reply.text or "不是在我们官方店铺买的" in r.reply.text), r.reply
    assert not any(w in r.reply.text for w in ("多留个心眼", "怕买到假货", "数码", "退款"))


def test_another_trades_goods_bought_elsewhere_keep_the_not_ours_line(drafter):
    r = drafter.draft(CommentIn(id="o7", text="在京东买的电脑，退货扯皮半个月"), "glowskin")
    assert r.plan.template == "ar_not_ours"


@pytest.mark.parametrize("text", ["不过是批发市场的货贴了个洋标签，价格翻了十倍", "说白了就是国产面霜贴洋标卖给你"])
def test_a_foreign_label_claim_in_other_words_is_the_same_origin_claim(drafter, text):
    r = drafter.draft(CommentIn(id="o8", text=text), "glowskin")
    assert r.plan.template == "nr_origin_claim" and Violation.rumor in r.triage.violations, r.plan
    assert r.appeal is not None and "备案" in r.appeal.explanation, r.appeal.explanation
    assert not any(w in r.reply.text for w in APOLOGY), r.reply.text
