"""What a reply addresses: the script triggers, and the learned situation model where they miss and it is sure."""

from agent.schemas import CommentIn


def test_a_fault_in_words_no_trigger_names_gets_the_defect_script_and_the_reviewer_sees_why(drafter):
    r = drafter.draft(CommentIn(id="s1", text="开机很慢，风扇声音特别大，机身发烫"), "glowskin")
    assert r.plan.situation == "quality_defect" and r.plan.situation_by == "model"
    assert list(r.plan.situation_scores)[0] == "quality_defect" and r.plan.situation_scores["quality_defect"] >= 0.5


def test_a_described_reaction_takes_the_reaction_script_and_the_model_is_not_asked(drafter):
    r = drafter.draft(CommentIn(id="s2", text="用了之后脸上起红疹，快递也慢"), "glowskin")
    assert r.plan.situation == "allergy_reaction" and r.plan.situation_by == "rules"
    assert r.plan.situation_scores == {}
    assert "停用" in r.reply.text or "暂停" in r.reply.text


def test_where_the_model_is_unsure_the_triggers_decide(drafter):
    r = drafter.draft(CommentIn(id="s3", text="说不上来哪里不对，反正不满意"), "glowskin")
    assert r.plan.situation_by == "rules" and max(r.plan.situation_scores.values()) < 0.5
