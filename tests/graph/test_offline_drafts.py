"""The whole graph on the offline default, as `redreply draft` runs it: one test per kind of comment."""

import pytest

from agent.schemas import CommentIn, Escalation, Source, Strategy, Violation
from agent.text import detect_script


def draft(drafter, text, brand="glowskin", **kw):
    return drafter.draft(CommentIn(id=kw.pop("id", "t1"), text=text, **kw), brand)


def test_genuine_customer_with_order_gets_apology_and_private_message(drafter):
    r = draft(drafter, "等了十天还没收到货，物流一直不更新，太失望了", author="小鹿爱护肤")
    assert r.evidence.order_found
    assert r.triage.source == Source.genuine_experience
    assert r.plan.strategy == Strategy.apologize_resolve and r.appeal is None
    assert "私信" in r.reply.text
    assert any(w in r.reply.text for w in ("抱歉", "对不起", "不好意思"))


def test_undiluted_essential_oil_gets_gentle_education_with_the_correct_usage(drafter):
    r = draft(drafter, "玫瑰精油直接涂脸上，刺痛发红，什么破东西")
    assert r.triage.source == Source.misunderstanding and r.triage.severity == 3
    assert r.plan.strategy == Strategy.educate and r.plan.product == "oil"
    assert "稀释" in r.reply.text


def test_unbacked_rumor_gets_neutral_rebuttal_and_a_rumor_appeal(drafter):
    r = draft(drafter, "听说GlowSkin精华含激素还致癌，大家千万别买！", author="路人甲")
    assert r.triage.source == Source.competitor_attack
    assert r.plan.strategy == Strategy.neutral_rebuttal
    assert r.appeal is not None and r.appeal.reason == Violation.rumor
    assert r.appeal.reason_label == "造谣、虚假信息"
    assert r.plan.escalation == Escalation.platform_report
    assert r.appeal.evidence_checklist and r.appeal.next_steps


def test_traditional_comment_gets_a_traditional_reply(drafter):
    r = draft(drafter, "等了兩個禮拜還沒收到貨，客服也不回，很失望")
    assert r.reply.script == "zh-Hant" and detect_script(r.reply.text) == "zh-Hant"


def test_every_draft_cites_its_sources_and_runs_every_check(drafter):
    r = draft(drafter, "面膜敷完脸好干，是不是质量有问题")
    assert any(s.kind == "brand_fact" for s in r.sources) and any(s.kind == "guideline" for s in r.sources)
    assert all(s.path.startswith("knowledge/") for s in r.sources)
    assert {c.name for c in r.checks} >= {"no_pii_echo", "no_contact_redirect", "no_officialese", "no_blame",
                                          "within_policy", "grounded_claims", "no_concession", "no_injection",
                                          "within_length", "script_match", "placeholders_filled"}


def test_flood_of_near_identical_comments_is_flooding(drafter):
    text = "这个精华用了三天就烂脸了，大家千万别买，智商税！"
    results = drafter.draft_many([CommentIn(id=f"f{i}", text=text + "!" * i, author=f"号{i}") for i in range(3)],
                                 "glowskin")
    assert all(Violation.flooding in r.triage.violations for r in results)
    assert sorted(results[0].evidence.duplicate_cluster) == ["f1", "f2"]


def test_personal_data_is_found_and_never_echoed(drafter):
    r = draft(drafter, "快递员把我电话13800138000和地址浙江省杭州市西湖区文三路90号贴出来了，差评")
    assert {h.kind for h in r.triage.pii} >= {"phone", "address"}
    assert "13800138000" not in r.reply.text
    assert next(c for c in r.checks if c.name == "no_pii_echo").passed


def test_extortion_goes_to_the_legal_route(drafter):
    r = draft(drafter, "给我转账500块，不然我天天来刷差评，说你们的面膜烂脸")
    assert r.triage.source == Source.extortion and r.plan.escalation == Escalation.legal_letter
    assert r.plan.strategy == Strategy.neutral_rebuttal


def test_unknown_brand_names_the_known_ones(drafter):
    with pytest.raises(Exception, match="known brands: glowskin"):
        draft(drafter, "太慢了", brand="nosuch")
