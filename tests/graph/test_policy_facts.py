"""The whole draft, through the workflow: a policy the customer's stated facts rule out is never offered."""

import pytest

from agent.schemas import CommentIn


@pytest.mark.parametrize("comment, never", [
    ("精华用了一周，感觉没什么效果，想退货", "无理由退货"),
    ("面膜敷了两次就起红疹了，已经退款到账了，但还是很难受", "全额退款"),
    ("买的精华收到了，但是赠品小样没送，少发了", "无理由退货"),
    ("快递盒破了，精油瓶子摔碎了", "催件"),
])
def test_the_offline_draft_never_offers_a_policy_the_facts_rule_out(drafter, comment, never):
    result = drafter.draft(CommentIn(id="c", text=comment), "glowskin")
    assert never not in result.reply.text and "私信" in result.reply.text
