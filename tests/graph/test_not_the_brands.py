"""A comment that blames another business (a platform, a courier) or reviews another trade's goods, drafted on its
own: the brand owns nothing of it. No apology for a failure of its own, no order number asked, no parcel chased or
price checked, and the opening is a light line, never "糟心/失望/难受" framing. A complaint naming no trade and no
other business stays the brand's: it is never told it speaks of another trade."""

import pytest

from agent.schemas import CommentIn

OWNING = ("订单号", "我们没做好", "我们应该", "催件", "盯物流", "核对", "补发", "抱歉", "对不起", "不好意思")
HEAVY = ("糟心", "失望", "难受", "闹心")


def draft(drafter, text, i):
    return drafter.draft(CommentIn(id=f"nb{i}", text=text), "glowskin")


@pytest.mark.parametrize(("i", "text", "party"), [
    (1, "在京东下的单，一个礼拜了还没发货，京东客服就会踢皮球", "京东"),
    (2, "邮政EMS太慢了，同城寄个东西要四天", "邮政"),
    (4, "美团骑手把汤洒了一半，还说是我自己弄的", None),
])
def test_another_business_blamed_gets_a_light_line_that_owns_nothing(drafter, i, text, party):
    r = draft(drafter, text, i)
    if r.reply is None:  # left: nothing of the brand's to answer
        return
    assert not any(w in r.reply.text for w in OWNING), r.reply.text
    assert not any(w in r.reply.text for w in HEAVY), r.reply.text
    if party:
        assert party in r.reply.text


@pytest.mark.parametrize(("i", "text"), [
    (5, "炒饭有点咸，不过分量挺足，还会再点"),
])
def test_a_mild_review_of_another_trade_is_not_met_with_sorrow(drafter, i, text):
    r = draft(drafter, text, i)
    if r.reply is not None:  # a review that is mostly praise may be left
        assert not any(w in r.reply.text for w in HEAVY + ("抱歉", "订单号")), r.reply.text


@pytest.mark.parametrize(("i", "text"), [
    (7, "刚付完款第二天就降价了，心塞"),
    (8, "慢死了，到现在也没个解释"),
    (9, "等了好久，一点解释都没有"),
    # Put on the skin: the brand's trade, whatever a spicy word makes the topic model read.
    (10, "刚擦上就辣辣的，闻着一股怪味"),
    (11, "抹上去辣辣的，一股酒精味，还不给退"),
])
def test_a_complaint_naming_no_trade_is_never_told_it_is_about_another_trade(drafter, i, text):
    r = draft(drafter, text, i)
    assert r.reply is not None and "不是一回事" not in r.reply.text and "那边" not in r.reply.text, r.reply.text
    assert r.plan.template != "ar_not_ours"
