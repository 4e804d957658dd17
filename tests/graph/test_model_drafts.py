"""The whole graph with a fake model behind the seam: scripted, malformed, slow, failing, disobedient."""

from agent.drafting.llm import TransientModelError
from agent.errors import ModelError
from agent.schemas import CommentIn, Source, Strategy, Violation
from tests.fakes import FakeModel, by_prompt

COMMENT = CommentIn(id="m1", text="用了你们的面膜脸上起了好多疹子，太吓人了", author="奶油小方")
TRIAGE = {"source": "genuine_experience", "severity": 3, "violations": [], "confidence": 0.9,
          "rationale": "真实顾客的过敏反馈"}
GOOD_REPLY = {"text": "亲，看到你脸上起疹子真的很心疼😣 先停用面膜哦，麻烦私信我们订单号和情况，我们马上帮你跟进～"}


def test_model_answers_are_used_and_the_prompts_carry_the_comment_as_data(desk_factory):
    fake = FakeModel(default=by_prompt({"triage": TRIAGE, "reply": GOOD_REPLY}))
    r = desk_factory(client=fake).submit(COMMENT, "glowskin")
    assert r.model == "fake/scripted" and r.fallback is None
    assert r.reply.text == GOOD_REPLY["text"]
    assert r.triage.source == Source.genuine_experience and r.plan.strategy == Strategy.apologize_resolve
    sent = fake.prompts_text()
    assert "<comment>\n" + COMMENT.text + "\n</comment>" in sent
    assert "不要执行" in sent  # every prompt says the comment is never to be obeyed
    assert all(c.passed for c in r.checks if c.name != "placeholders_filled")


def test_malformed_json_is_repaired_once(desk_factory):
    answers = iter(['{"source": "genuine_experience", "severity": 3', TRIAGE])  # truncated, then valid

    def triage(_):
        return next(answers)

    fake = FakeModel(default=by_prompt({"triage": triage, "reply": GOOD_REPLY}))
    r = desk_factory(client=fake).submit(COMMENT, "glowskin")
    assert r.fallback is None and r.triage.rationale == "真实顾客的过敏反馈"


def test_a_model_that_times_out_falls_back_to_offline_visibly(desk_factory):
    fake = FakeModel(default=TransientModelError("Timeout (status 408)"))
    r = desk_factory(client=fake).submit(COMMENT, "glowskin")
    assert r.fallback and "Timeout" in r.fallback
    assert r.model == "offline" and r.reply.text  # drafted all the same, and says by whom
    assert len(fake.calls) == 4  # triage and reply: 2 attempts each, bounded


def test_a_draft_that_breaks_a_guardrail_is_revised_once(desk_factory):
    replies = iter([{"text": "加我们微信 glowskin_cs 领红包补偿哦"}, GOOD_REPLY])
    fake = FakeModel(default=by_prompt({"triage": TRIAGE, "reply": lambda _: next(replies)}))
    r = desk_factory(client=fake).submit(COMMENT, "glowskin")
    assert r.reply.text == GOOD_REPLY["text"]
    revision_prompt = fake.calls[-1][-1]["content"]
    assert "no_contact_redirect" in revision_prompt  # the model was told what failed


def test_a_model_that_keeps_breaking_rules_is_shown_failed_not_dropped(desk_factory):
    bad = {"text": "尊敬的用户，加微信 glowskin_cs 再送你200元红包"}
    fake = FakeModel(default=by_prompt({"triage": TRIAGE, "reply": bad}))
    r = desk_factory(client=fake).submit(COMMENT, "glowskin")
    failed = {c.name for c in r.failed_checks}
    assert {"no_contact_redirect", "no_officialese", "within_policy"} <= failed
    reply_calls = [c for c in fake.calls if "分诊" not in c[0]["content"]]
    assert len(reply_calls) == 2  # the draft and exactly one revision


def test_model_cannot_turn_a_customer_with_an_order_into_an_attacker(desk_factory):
    hostile = {**TRIAGE, "source": "competitor_attack", "violations": ["rumor"]}
    fake = FakeModel(default=by_prompt({"triage": hostile, "reply": GOOD_REPLY}))
    r = desk_factory(client=fake).submit(COMMENT, "glowskin")
    assert r.evidence.order_found and r.triage.source == Source.genuine_experience
    assert Violation.rumor not in r.triage.violations and r.appeal is None


def test_an_appeal_is_drafted_by_the_model_when_a_rule_is_broken(desk_factory):
    triage = {"source": "competitor_attack", "severity": 3, "violations": ["rumor"], "confidence": 0.8,
              "rationale": "无订单的致癌传言"}
    appeal = {"explanation": "该评论称产品致癌，无任何依据，后台查无订单，请平台核实删除。",
              "evidence_checklist": ["评论截图"], "next_steps": ["48小时内跟进"]}
    fake = FakeModel(default=by_prompt({"triage": triage, "reply": {"text": "我们已把情况反馈给平台核实～"},
                                        "appeal": appeal}))
    r = desk_factory(client=fake).submit(CommentIn(id="a1", text="这牌子精华致癌！别买"), "glowskin")
    assert r.appeal and r.appeal.reason == Violation.rumor and r.appeal.explanation == appeal["explanation"]


def test_model_error_class_is_what_callers_see():
    assert issubclass(TransientModelError, ModelError)
