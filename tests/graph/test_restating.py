"""A reply restates only what the comment says is wrong: any other clause said back as the problem reads as
mockery ("看到你说永远的神"), so where no short clause states the fault the script's neutral words stand in."""

from agent.schemas import CommentIn


def test_only_a_clause_stating_the_fault_is_said_back_as_the_problem(drafter):
    r = drafter.draft(CommentIn(id="q1", text="回购第三次了家人们，这次收到的面膜质量和以前比真的差了太多太多了吧"),
                      "glowskin")
    assert r.plan.situation == "quality_defect", r.plan
    assert "回购第三次了家人们" not in r.reply.text, r.reply.text
    r = drafter.draft(CommentIn(id="q2", text="永远的神呜呜呜，就是泵头按不出来"), "glowskin")
    assert "泵头按不出来" in r.reply.text and "永远的神" not in r.reply.text
