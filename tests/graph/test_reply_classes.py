"""Classes of reply a community manager would never post, each met by what the comment states: a reaction told of
another trade's service, a refund the customer already has, a mild word on the price, a question of order."""

import pytest

from agent.schemas import CommentIn


def _reply(drafter, text: str, brand: str = "glowskin", id: str = "c1"):
    r = drafter.draft(CommentIn(id=id, text=text), brand)
    assert r.reply is not None
    return r


@pytest.mark.parametrize("text", [
    "宾馆浴室的沐浴露用完 女儿身上起了一片小红点 前台说不关他们事",
    "民宿床单不干净 住了两晚 胳膊上痒得不行 起了好多包",
])
def test_a_reaction_told_of_another_trades_service_is_never_answered_as_our_product(drafter, text):
    r = _reply(drafter, text)
    assert not any(w in r.reply.text for w in ("停用", "全额退款", "订单号")), r.reply.text
    assert all(c.passed for c in r.checks if c.name == "reaction_care")


@pytest.mark.parametrize("text", [
    "面膜敷了两次就起皮 已经退了 不会再回购",
    "精华有股怪味 找客服退款到了 但还是想吐槽一下",
    "收到的面膜压坏了 钱已经到账了 下次包装好点吧",
])
def test_a_customer_who_says_the_refund_came_is_never_offered_one(drafter, text):
    r = _reply(drafter, text)
    assert "退款" not in r.reply.text and "退货" not in r.reply.text, r.reply.text
