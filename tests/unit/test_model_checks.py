"""The model-only hard checks, one by one: what they catch and what they let through."""

from agent.drafting.model_checks import contact_ids, shared_runs, topic_words


def test_contact_ids_in_disguise_are_found():
    for text in ["加薇❤ glx2026", "私聊威信", "+v详聊", "vx同号", "w3ix1n找我", "扣扣号", "打一三八一二三四五六七八"]:
        assert contact_ids(text, ""), text


def test_ordinary_words_are_not_contact_ids():
    for text in ["搭配维C精华更好", "冬天配条围巾", "30ml大约能用两个月", "私信我们订单号"]:
        assert contact_ids(text, "") == [], text


def test_a_brand_code_in_the_brand_file_is_not_a_contact_id():
    assert contact_ids("优惠码 glow2026", "glow2026") == []


def test_shared_runs_ignore_punctuation_and_find_the_longest_run():
    assert shared_runs("亲，已私信你核实～辛苦啦", "已私信你核实～辛苦留意私信", 6) == ["已私信你核实辛苦"]
    assert shared_runs("宝子抱歉", "已私信你核实", 6) == []


def test_a_questions_topic_leaves_out_asking_words():
    assert {"发货"} <= topic_words("下单之后多久能发货？")
    assert "a醇" in topic_words("可以和A醇一起用吗")
