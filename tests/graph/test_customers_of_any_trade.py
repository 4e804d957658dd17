"""Reviews of laptops, takeaways and parcels are customers' complaints, whatever harsh or ambiguous word they
hold: never reported, never rebutted, never read as porn."""

import pytest

from agent.schemas import CommentIn


@pytest.mark.parametrize("text", [
    "1。接口设计不合理，鼠标USB的位置在右下方插上很别扭。电源接口在右侧",  # "sb" inside "usb"
    "这款机子反应迟钝，好象有点弱智，还有不知道怎么下载图片和铃声。",  # the offence model is sure: no insult
    "很不爽的一次购物，垃圾商家，欺骗消费者，整那么多垃圾噱头，活动什么的都是骗人的",
    "什么叫小葱没有了…只给了一包，白醋也是一包，两个人根本不够好么？为何越来越小气？",
    "快递盒子拿到手之后就发现侧面有一个大洞，明显是故意扣开的，赤裸裸的盗窃行为！",
])
def test_a_customers_review_of_any_goods_is_neither_reported_nor_rebutted(desk_factory, text):
    result = desk_factory().submit(CommentIn(id="c1", text=text), "glowskin")
    assert result.plan.action not in ("report", "leave"), result.plan.action_reason
    assert result.plan.strategy != "neutral_rebuttal"
    assert "porn" not in result.triage.violations
    assert "暂未查询到" not in result.reply.text


def test_an_insult_at_a_person_is_still_abuse(desk_factory):
    result = desk_factory().submit(CommentIn(id="c2", text="你就是个sb"), "glowskin")
    assert "abuse" in result.triage.violations and result.plan.strategy == "neutral_rebuttal"
    assert result.reply is None or not any(w in result.reply.text for w in ("抱歉", "对不起"))
