"""Policies chosen by what the customer states: an offer the stated facts rule out is never drafted, and a
brand file whose policy conditions do not parse stops with one line naming the file and the field."""


import pytest

from agent.config import Settings
from agent.drafting.policy_choice import stated_facts, without_offers_against
from agent.knowledge.brands import load_brand
from tests.brands import draft_with_edited_brand


@pytest.mark.parametrize("comment, facts", [
    ("精华用了一周，感觉没什么效果，想退货", {"used"}),
    ("等了半个月还没收到货，物流一直不动", {"not_received"}),
    ("退款已经到账了，但面膜包装漏液太离谱", {"refunded"}),
    ("买的精华收到了，但是赠品小样没送，少发了", {"received", "missing_item"}),
    ("快递盒破了，精油瓶子摔碎了", {"damaged_parcel"}),
    ("面膜还没拆封，发现买重了，能退吗", {"unopened"}),
])
def test_the_facts_a_customer_states_are_read(comment, facts):
    assert stated_facts(comment) == facts


def test_food_words_are_no_food_complaint_when_a_product_of_the_brand_is_named():
    assert "food" in stated_facts("这个牛奶喝了拉肚子")
    assert "food" not in stated_facts("精华的口感……不对，是质地很怪", names_product=True)


def test_a_clause_offering_what_the_facts_rule_out_goes_and_the_rest_stays():
    brand = load_brand(Settings().knowledge_dir, "glowskin")
    text = "抱歉🙏 按我们的售后政策，未拆封商品签收后7天内可无理由退货，质量问题凭照片或视频换货或退款。私信我们订单号～"
    kept = without_offers_against(brand, text, frozenset({"used"}))
    assert "无理由退货" not in kept and "质量问题凭照片或视频换货或退款" in kept and kept.endswith("私信我们订单号～")
    assert without_offers_against(brand, text, frozenset({"unopened"})) == text


def test_a_policy_condition_that_does_not_parse_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    code, err, path = draft_with_edited_brand(tmp_path, monkeypatch, capsys, "glowskin", "never_when: [used,",
                                              "never_when: [used_up,", "精华用了一周没效果")
    assert code == 2 and str(path) in err and "policies.0.conditions.0.never_when.0" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1
