"""Questions the words misread: a misuse asked about is answered, not apologised for; how long the goods keep is
a question the brand file answers; whether an oil goes on neat is answered from its cautions."""

import pytest

from agent.schemas import Action, CommentIn

SORRY = ("抱歉", "不好意思", "对不起", "不舒服")


@pytest.mark.parametrize("text, fact", [
    ("精油可以直接涂脸吗", "稀释"),
    ("这个保质期多久", "开封后"),
    ("开封后能放多久", "开封后"),
])
def test_a_question_is_answered_from_the_brand_file(drafter, text, fact):
    r = drafter.draft(CommentIn(id="q1", text=text), "glowskin")
    assert r.plan.action in (Action.answer, Action.reply)
    assert r.reply is not None and fact in r.reply.text, r.reply.text
    assert not any(w in r.reply.text for w in SORRY), r.reply.text


def test_a_misuse_told_beside_a_reaction_still_gets_its_care(drafter):
    r = drafter.draft(CommentIn(id="q2", text="我直接涂的精油 没稀释 脸上刺痛泛红了"), "glowskin")
    assert r.reply is not None and "停用" in r.reply.text


@pytest.mark.parametrize("text", [
    "158/48想买衬衫 拿S还是M 喜欢宽松一点的",
    "170/60平常穿L 这款阔腿裤要选XL吗",
    "开衫哪个颜色比较百搭",
])
def test_a_size_or_colour_question_with_a_wish_beside_it_is_answered_not_apologised_to(drafter, text):
    r = drafter.draft(CommentIn(id="q3", text=text), "threadline")
    assert r.plan.action == Action.answer, r.plan
    assert r.reply is not None and not any(w in r.reply.text for w in SORRY + ("不合身",)), r.reply.text


def test_a_fit_problem_told_beside_a_question_is_still_a_complaint(drafter):
    r = drafter.draft(CommentIn(id="q4", text="买的M码穿上太宽松了 袖子长出一截 能换S吗"), "threadline")
    assert r.plan.action == Action.reply, r.plan
