"""Answers to questions from the brand file: each fact from the file and cited, a blank only for what the
file does not hold, and no answer where it answers nothing."""

import pytest

from agent.config import Settings
from agent.drafting.answers import asks, draft_answer
from agent.knowledge.brands import load_brand


@pytest.fixture(scope="module")
def glowskin():
    return load_brand(Settings().knowledge_dir, "glowskin")


def test_a_combining_question_gets_the_caution_that_names_it(glowskin):
    answer = draft_answer("精华可以和A醇一起用吗", glowskin, glowskin.product("serum"))
    assert answer is not None and "A醇" in answer.text and "待确认" not in answer.text
    assert answer.facts and all(f in answer.text for f in answer.facts)
    assert any("A醇" in c for c in glowskin.product("serum").cautions if c in answer.facts)


@pytest.mark.parametrize("question, product, fact", [
    ("精油怎么用？", "oil", "先用基础油"),
    ("在哪里买是正品？", "serum", "官方旗舰店"),
    ("下单后几天能到货？", "mask", "48小时内发出"),
])
def test_usage_genuine_and_shipping_are_answered_from_the_file(glowskin, question, product, fact):
    answer = draft_answer(question, glowskin, glowskin.product(product))
    assert answer is not None and fact in answer.text and "待确认" not in answer.text


def test_what_the_file_lacks_is_a_blank_beside_what_it_holds(glowskin):
    answer = draft_answer("面膜怎么用？现在有优惠活动吗", glowskin, glowskin.product("mask"))
    assert answer is not None and "洁面后敷10–15分钟" in answer.text and "【待确认：当前优惠活动】" in answer.text


def test_a_question_the_file_answers_nothing_of_gets_no_answer(glowskin):
    assert draft_answer("有优惠活动吗", glowskin, glowskin.product("mask")) is None
    assert draft_answer("今天天气真好", glowskin, None) is None
    assert asks("能和A醇一起用吗") and asks("几天到？") and not asks("面膜很好用")
