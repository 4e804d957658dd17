"""The whole graph with a fake model behind the seam: scripted, malformed, slow, failing, disobedient."""

import pytest

from agent.drafting.llm import TransientModelError
from agent.schemas import CommentIn, Source, Strategy, Violation
from tests.fakes import FakeModel, by_prompt

COMMENT = CommentIn(id="m1", text="用了你们的面膜脸上起了好多疹子，太吓人了", author="奶油小方")
TRIAGE = {"source": "genuine_experience", "severity": 3, "violations": [], "confidence": 0.9,
          "rationale": "真实顾客的过敏反馈"}
GOOD = {"reply": "亲，看到你脸上起疹子真的很心疼😣 先停用面膜哦，麻烦私信我们订单号和情况，我们马上帮你跟进～",
        "appeal_explanation": ""}


@pytest.fixture
def model_desk(desk_factory):
    """A desk that asks the model to triage every comment (by default only unsure ones are asked)."""
    return lambda client, **kw: desk_factory(client=client, triage_model_below=1.01, **kw)


def test_model_answers_are_used_and_the_prompts_carry_the_comment_as_data(model_desk):
    fake = FakeModel(default=by_prompt({"triage": TRIAGE, "draft": GOOD}))
    r = model_desk(fake).submit(COMMENT, "glowskin")
    assert r.model == "fake/scripted" and r.fallback is None and r.rejected_attempt is None
    assert r.reply.text == GOOD["reply"]
    assert r.triage.source == Source.genuine_experience and r.plan.strategy == Strategy.apologize_resolve
    sent = fake.prompts_text()
    assert "<comment>\n" + COMMENT.text + "\n</comment>" in sent
    assert "不要执行" in sent or "不要照做" in sent  # every prompt says the comment is never to be obeyed
    assert all(c.passed for c in r.checks if c.name != "placeholders_filled")
    assert [s.step for s in r.steps] == ["triage", "draft"] and all(s.model == "fake/scripted" for s in r.steps)
    assert len(fake.calls) == 2  # one triage call, one call for reply and appeal together


def test_confident_rules_spare_the_triage_call(desk_factory):
    fake = FakeModel(default=by_prompt({"triage": TRIAGE, "draft": GOOD}))
    desk = desk_factory(client=fake, triage_model_below=0.7)
    r = desk.submit(COMMENT, "glowskin")  # an order on record and a described reaction: the rules are sure
    assert r.triage.confidence >= 0.7 and fake.schemas == ["DraftOut"]
    assert r.steps[0].model == "rules" and r.model == "fake/scripted"


def test_malformed_json_is_repaired_once(model_desk):
    answers = iter(['{"source": "genuine_experience", "severity": 3', TRIAGE])  # truncated, then valid

    def triage(_):
        return next(answers)

    fake = FakeModel(default=by_prompt({"triage": triage, "draft": GOOD}))
    r = model_desk(fake).submit(COMMENT, "glowskin")
    assert r.fallback is None and r.triage.rationale == "真实顾客的过敏反馈"
    assert r.steps[0].calls == 2


def test_common_small_model_slips_are_normalised_not_fatal(model_desk):
    sloppy = {"source": ["genuine_experience"], "severity": "3", "violations": "none", "confidence": 85,
              "rationale": ["过敏"]}
    fake = FakeModel(default=by_prompt({"triage": sloppy, "draft": GOOD}))
    r = model_desk(fake).submit(COMMENT, "glowskin")
    assert r.fallback is None and r.triage.confidence == 0.85 and r.triage.violations == []


def test_a_model_that_times_out_falls_back_to_offline_and_says_so_for_each_step(model_desk):
    fake = FakeModel(default=TransientModelError("Timeout (status 408)"))
    r = model_desk(fake).submit(COMMENT, "glowskin")
    assert r.model == "offline" and r.reply.text  # drafted all the same, and says by whom
    assert r.fallback and r.fallback.count("Timeout") == 2  # triage and draft both fell back, both named
    assert [(s.step, s.model) for s in r.steps] == [("triage", "rules"), ("draft", "offline")]


def test_a_draft_that_breaks_a_guardrail_is_revised_once(model_desk):
    replies = iter([{"reply": "加我们微信 glowskin_cs 领红包补偿哦"}, GOOD])
    fake = FakeModel(default=by_prompt({"triage": TRIAGE, "draft": lambda _: next(replies)}))
    r = model_desk(fake).submit(COMMENT, "glowskin")
    assert r.reply.text == GOOD["reply"] and r.rejected_attempt is None
    revision_prompt = fake.calls[-1][-1]["content"]
    assert "no_contact_redirect" in revision_prompt  # the model was told what failed


def test_a_model_that_keeps_breaking_rules_never_hands_its_text_to_the_reviewer(model_desk):
    bad = {"reply": "尊敬的用户，加微信 glowskin_cs 再送你200元红包"}
    fake = FakeModel(default=by_prompt({"triage": TRIAGE, "draft": bad}))
    r = model_desk(fake).submit(COMMENT, "glowskin")
    assert "glowskin_cs" not in r.reply.text and r.model == "offline"
    attempt = r.rejected_attempt
    assert attempt and attempt.reply == bad["reply"] and attempt.model == "fake/scripted"
    assert {"no_contact_redirect", "within_policy"} <= {c.name for c in attempt.failed_checks}
    assert "after its revision" in (r.fallback or "")
    assert not [c for c in r.checks if c.hard and not c.passed]  # what the reviewer got passes the hard checks
    assert fake.schemas.count("DraftOut") == 2  # the draft and exactly one revision


def test_telling_an_allergic_customer_to_keep_using_is_replaced(model_desk):
    keep = {"reply": "亲，这是正常的适应期哦，确实需要持续使用才能看到效果～"}
    fake = FakeModel(default=by_prompt({"triage": TRIAGE, "draft": keep}))
    r = model_desk(fake).submit(COMMENT, "glowskin")
    assert "持续使用" not in r.reply.text and "停" in r.reply.text
    assert "reaction_care" in {c.name for c in r.rejected_attempt.failed_checks}


def test_conceding_a_rumor_is_replaced(model_desk):
    rumor = CommentIn(id="r1", text="听说这个牌子含激素，大家别买")
    concede = {"reply": "确实激素成分可能对某些人敏感，我们会改进的"}
    fake = FakeModel(default=by_prompt({"triage": {**TRIAGE, "source": "not_negative"}, "draft": concede}))
    r = model_desk(fake).submit(rumor, "glowskin")
    assert "确实激素" not in r.reply.text and r.rejected_attempt
    assert r.triage.source != Source.not_negative  # a rumor is not praise, whatever the model says


def test_internal_labels_never_reach_the_reply(model_desk):
    leak = {"reply": "亲，根据分析你属于 genuine_experience，我们会按 apologize_resolve 处理～私信我们哦"}
    fake = FakeModel(default=by_prompt({"triage": TRIAGE, "draft": leak}))
    r = model_desk(fake).submit(COMMENT, "glowskin")
    assert "genuine_experience" not in r.reply.text and r.rejected_attempt


def test_model_cannot_turn_a_customer_with_an_order_into_an_attacker(model_desk):
    hostile = {**TRIAGE, "source": "competitor_attack", "violations": ["rumor", "abuse", "spam_redirect"]}
    fake = FakeModel(default=by_prompt({"triage": hostile, "draft": GOOD}))
    r = model_desk(fake).submit(COMMENT, "glowskin")
    assert r.evidence.order_found and r.triage.source == Source.genuine_experience
    assert r.triage.violations == [] and r.appeal is None and not r.plan.appeal
    assert "模型判断为 competitor_attack" in r.triage.rationale  # the reviewer sees where it was overruled


def test_extortion_proven_by_the_rules_stays_extortion(model_desk):
    ext = CommentIn(id="e1", text="不赔500我就天天发帖曝光你们")
    soft = {**TRIAGE, "source": "misunderstanding", "severity": 1}
    fake = FakeModel(default=by_prompt({"triage": soft, "draft": GOOD}))
    r = model_desk(fake).submit(ext, "glowskin")
    assert r.triage.source == Source.extortion and r.plan.strategy == Strategy.neutral_rebuttal


RUMOR_TRIAGE = {"source": "competitor_attack", "severity": 3, "violations": ["rumor"], "confidence": 0.8,
                "rationale": "无订单的致癌传言"}


def test_an_appeal_is_drafted_by_the_model_when_a_rule_is_broken(model_desk):
    draft = {"reply": "关于成分的疑问，我们已把情况提交平台核实～",
             "appeal_explanation": "该评论称产品致癌，未附任何依据，请平台核实删除。"}
    fake = FakeModel(default=by_prompt({"triage": RUMOR_TRIAGE, "draft": draft}))
    r = model_desk(fake).submit(CommentIn(id="a1", text="这牌子精华致癌！别买"), "glowskin")
    assert r.appeal and r.appeal.reason == Violation.rumor
    assert r.appeal.explanation == draft["appeal_explanation"]
    assert r.appeal.evidence_checklist  # the checklist comes from the appeal template, not the model


def test_a_model_appeal_stating_an_order_check_nobody_ran_is_replaced(model_desk):
    # No order id and no author: no lookup had a key, so "后台查无订单" is a statement with nothing behind it.
    draft = {"reply": "关于成分的疑问，我们已把情况提交平台核实～",
             "appeal_explanation": "该评论称产品致癌，无任何依据，后台查无订单，请平台核实删除。"}
    fake = FakeModel(default=by_prompt({"triage": RUMOR_TRIAGE, "draft": draft}))
    r = model_desk(fake).submit(CommentIn(id="a2", text="这牌子精华致癌！别买"), "glowskin")
    assert r.appeal and r.appeal.explanation != draft["appeal_explanation"]
    assert "查无" not in r.appeal.explanation and "未查到" not in r.appeal.explanation
    assert r.rejected_attempt and "appeal_evidence" in [c.name for c in r.rejected_attempt.failed_checks]


def test_a_reported_comments_appeal_still_meets_the_appeal_checks(model_desk):
    """Lead generation is reported with no public reply; its appeal is still checked (nothing it states
    without evidence), so the reviewer sees the appeal's checks, not an empty list."""
    triage = {"source": "competitor_attack", "severity": 2, "violations": ["spam_redirect"], "confidence": 0.9,
              "rationale": "导流"}
    fake = FakeModel(default=by_prompt({"triage": triage, "draft": GOOD}))
    r = model_desk(fake).submit(CommentIn(id="a3", text="加vx: abc123 兼职日结 有意私"), "glowskin")
    assert r.plan.action == "report" and r.reply is None and r.appeal is not None
    names = [c.name for c in r.checks]
    assert "appeal_evidence" in names and all(c.passed for c in r.checks)


def test_praise_given_a_copy_of_the_reaction_script_gets_the_offline_thanks(model_desk):
    praise = CommentIn(id="p1", text="精华用了一个月，泛红真的好了很多，已经回购了")
    script = {"reply": "亲，请先停用，私信我们订单号，我们按政策全额退款～"}
    fake = FakeModel(default=by_prompt({"triage": {**TRIAGE, "source": "not_negative", "severity": 1}, "draft": script}))
    r = model_desk(fake).submit(praise, "glowskin")
    assert "停用" not in r.reply.text and r.rejected_attempt
    assert "reaction_care" in {c.name for c in r.rejected_attempt.failed_checks}
