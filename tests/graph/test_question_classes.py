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
