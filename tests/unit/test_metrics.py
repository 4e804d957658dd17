"""The eval metrics on hand-made cases whose right scores are known, good ones and bad ones."""

from __future__ import annotations

import pytest

from agent.knowledge.brands import Brand
from agent.schemas import (
    CheckResult,
    DraftResult,
    Source,
    SourceRef,
    Strategy,
    Violation,
)
from agent.text import to_traditional
from evals.metrics.classification import (
    accuracy,
    appeal_scores,
    confusion,
    guardrail_pass_rate,
    multilabel_f1,
    spearman,
)
from evals.metrics.groundedness import groundedness
from evals.metrics.reply_text import must_not_say_hits, must_use_coverage, rubric, script_match
from evals.metrics.scoring import Expected, score_case, summarize
from tests.factories import draft_result

BRAND = Brand.model_validate({
    "id": "demo", "name": "DemoSkin", "category": "护肤", "aliases": ["德摩"], "about": "一个演示品牌。",
    "service": {"hours": "每天 9:00–21:00", "channels": ["小红书私信"], "response_time": "24小时内回复"},
    "products": [
        {"id": "oil", "name": "玫瑰精华油", "aliases": ["玫瑰油"], "category": "精华油", "description": "复方精华油。",
         "ingredients": ["大马士革玫瑰花油", "荷荷巴籽油"],
         "usage": "取2-3滴与乳液或面霜混合稀释后使用，不可直接涂抹原液",
         "cautions": ["孕期请先咨询医生"], "claims": ["通过皮肤刺激性测试"]},
        {"id": "mask", "name": "舒缓修护面膜", "aliases": ["修护面膜"], "category": "面膜", "description": "片状面膜。",
         "usage": "洁面后敷15-20分钟，每周2-3次", "cautions": [], "claims": []},
    ],
    "certifications": [{"id": "irritation", "title": "人体皮肤斑贴测试", "issuer": "某第三方检测机构",
                        "products": ["oil", "mask"], "summary": "30名受试者斑贴测试未见刺激反应"}],
    "policies": [{"id": "returns", "title": "退换货", "text": "签收后7天内未拆封可无理由退换。",
                  "promises": ["协助退换货"]}],
})

GOOD_APOLOGY = "真的很抱歉让你遇到这种情况，理解你现在的心情～麻烦私信我们订单号，我们马上安排专人跟进处理。"
COLD_REBUTTAL = "尊敬的用户，经核实我们的产品不存在质量问题，请你自己检查使用方法。"
GOOD_EDUCATE = ("谢谢宝子分享～玫瑰精华油是浓缩的精华油，需要取2-3滴与乳液或面霜混合稀释后使用，不可直接涂抹原液哦。"
                "有任何疑问随时私信我们～")
GOOD_REBUTTAL = "我们非常重视你提到的情况。经后台核实，未查询到与该账号相关的订单记录，我们已提交平台核查，相信平台会公正处理。"


def result(*, source=Source.genuine_experience, severity=2, violations=(), strategy=Strategy.apologize_resolve,
           appeal_reason=None, reply=GOOD_APOLOGY, checks=None, product=None, sources=()) -> DraftResult:
    return draft_result(brand="demo", source=source, severity=severity, violations=violations, strategy=strategy,
                        appeal_reason=appeal_reason, reply=reply, product=product, sources=sources,
                        checks=checks if checks is not None else [CheckResult(name="no_pii_echo", passed=True)])


def expected(**kw) -> Expected:
    base = {"source": "genuine_experience", "severity": 2, "violations": [], "strategy": "apologize_resolve",
            "appeal": False, "appeal_reason": None}
    return Expected.model_validate(base | kw)


# ---------------------------------------------------------------- classification

def test_accuracy_and_confusion():
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]
    assert accuracy(pairs) == 0.75
    assert accuracy([]) == 0.0
    m = confusion(pairs, ["a", "b"])
    assert m == {"a": {"a": 1, "b": 1}, "b": {"a": 0, "b": 2}}


def test_multilabel_f1_known_values():
    pairs = [({"abuse"}, {"abuse"}), ({"rumor"}, set()), (set(), {"spam_redirect"}),
             ({"abuse", "rumor"}, {"abuse"}), (set(), set())]
    s = multilabel_f1(pairs)
    assert s.micro_precision == pytest.approx(2 / 3)
    assert s.micro_recall == pytest.approx(0.5)
    assert s.micro_f1 == pytest.approx(4 / 7)
    assert s.per_label == {"abuse": 1.0, "rumor": 0.0, "spam_redirect": 0.0}
    assert s.macro_f1 == pytest.approx(1 / 3)


def test_multilabel_f1_perfect_and_empty():
    assert multilabel_f1([({"porn"}, {"porn"}), (set(), set())]).macro_f1 == 1.0
    assert multilabel_f1([(set(), set())]).micro_f1 == 1.0
    # Everything invented: precision 0 and F1 0.
    bad = multilabel_f1([(set(), {"abuse", "rumor"})])
    assert bad.micro_precision == 0.0 and bad.micro_f1 == 0.0


def test_appeal_scores():
    rows = [(True, "rumor", True, "rumor"), (True, "abuse", True, "rumor"), (True, "flooding", False, None),
            (False, None, True, "abuse"), (False, None, False, None)]
    s = appeal_scores(rows)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 3)
    assert s.reason_accuracy == 0.5
    assert s.support == 3
    # A real customer's complaint appealed: precision falls to 0.
    assert appeal_scores([(False, None, True, "abuse")]).precision == 0.0


def test_guardrail_pass_rate():
    r1 = result(checks=[CheckResult(name="a", passed=True), CheckResult(name="b", passed=False)])
    r2 = result(checks=[CheckResult(name="a", passed=True), CheckResult(name="b", passed=True)])
    overall, per = guardrail_pass_rate([r1, r2])
    assert overall == 0.75
    assert per == {"a": 1.0, "b": 0.5}
    assert guardrail_pass_rate([result(checks=[])])[0] == 1.0


def test_spearman():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.9487, abs=1e-4)
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    assert spearman([1], [1]) is None


# ---------------------------------------------------------------- rubric

def test_rubric_apologize_resolve_good_and_bad():
    good = rubric(Strategy.apologize_resolve, GOOD_APOLOGY)
    assert good.score == 1.0 and not good.failed
    bad = rubric(Strategy.apologize_resolve, COLD_REBUTTAL)
    assert bad.score <= 0.4
    assert {"apology", "empathy", "private_message", "no_blame"} <= set(bad.failed)
    assert rubric(Strategy.apologize_resolve, "").score == 0.0


def test_rubric_reads_traditional_like_simplified():
    assert rubric(Strategy.apologize_resolve, to_traditional(GOOD_APOLOGY)).score == 1.0
    assert rubric(Strategy.educate, to_traditional(GOOD_EDUCATE), BRAND, "oil", "玫瑰油直接涂脸红了").score == 1.0


def test_rubric_educate_needs_the_products_usage():
    good = rubric(Strategy.educate, GOOD_EDUCATE, BRAND, None, "玫瑰油直接涂脸红了")
    assert good.score == 1.0
    vague = rubric(Strategy.educate, "谢谢反馈，我们的玫瑰精华油很温和，有问题随时私信～", BRAND, None, "玫瑰油直接涂脸红了")
    assert vague.items["usage"] < 0.5 and vague.score < 0.6
    # The mask's usage does not answer a question about the oil.
    wrong = rubric(Strategy.educate, "修护面膜洁面后敷15-20分钟，每周2-3次就好～", BRAND, "oil", "玫瑰油直接涂脸红了")
    assert wrong.items["usage"] < 0.5
    blame = rubric(Strategy.educate, "是你用错了，" + GOOD_EDUCATE, BRAND, "oil", "玫瑰油")
    assert blame.items["no_blame"] == 0.0


def test_rubric_neutral_rebuttal_good_and_argumentative():
    assert rubric(Strategy.neutral_rebuttal, GOOD_REBUTTAL).score == 1.0
    fight = rubric(Strategy.neutral_rebuttal, "你就是同行派来的水军吧，别在这里造谣了！")
    assert fight.score == 0.0


# ---------------------------------------------------------------- groundedness

FACTS = [*BRAND.model_dump_json().split('"')]


def test_groundedness_supported_claims():
    g = groundedness("玫瑰精华油已通过人体皮肤斑贴测试，取2-3滴稀释后使用，7天内未拆封可退换～", FACTS)
    assert g.unsupported == [] and g.score == 1.0
    assert "7天" in g.claims


def test_groundedness_lists_invented_claims():
    g = groundedness("我们的精华经过SGS检测，含5%烟酰胺，坚持使用28天即可焕白。", FACTS)
    assert set(g.unsupported) >= {"sgs", "5%", "28天", "烟酰胺"}
    assert g.score == 0.0


def test_groundedness_placeholders_comment_and_brand_are_not_claims():
    g = groundedness("检测报告编号是【待确认：检测报告编号】，DemoSkin会尽快补充。你说的等了12天我们很抱歉。",
                     FACTS, ignore=["DemoSkin"], comment="等了12天还没发货")
    assert g.unsupported == [] and g.score == 1.0
    assert groundedness("谢谢喜欢～", FACTS).score == 1.0


def test_groundedness_counts_retrieved_sources():
    reply = "这款已备案，备案编号可在国家药监局网站查询。"
    assert groundedness(reply, FACTS).score < 1.0
    assert groundedness(reply, [*FACTS, "该产品已在国家药监局备案，备案编号可在国家药监局网站查询"]).score == 1.0


# ---------------------------------------------------------------- phrases and script

def test_must_use_and_must_not_say():
    cov, missing = must_use_coverage(to_traditional(GOOD_EDUCATE), ["稀释", "2-3滴", "斑贴"])
    assert cov == pytest.approx(2 / 3) and missing == ["斑贴"]
    assert must_use_coverage("随便", []) == (1.0, [])
    assert must_not_say_hits("尊敬的用户，我们全额賠償", ["尊敬的用户", "全额赔偿", "假货"]) == ["尊敬的用户", "全额赔偿"]


def test_script_match():
    assert script_match("這個面膜真的很難用", "非常抱歉給你帶來不好的體驗，麻煩私訊我們。")
    assert not script_match("這個面膜真的很難用", "非常抱歉给你带来不好的体验，麻烦私信我们。")
    assert script_match("this serum is bad", "非常抱歉给你带来不好的体验")


# ---------------------------------------------------------------- one case and a dataset

def test_score_case_perfect():
    exp = expected(must_use=["私信"], must_not_say=["尊敬的用户"])
    s = score_case("c", "面膜收到就漏液了", exp, result(), BRAND)
    assert s.overall == 1.0 and s.failures == []


def test_score_case_bad_draft_scores_badly_and_says_why():
    exp = expected(source="misunderstanding", severity=3, strategy="educate", must_use=["稀释"],
                   must_not_say=["你用错了", "全额赔偿"])
    got = result(source=Source.competitor_attack, severity=3, violations=[Violation.rumor],
                 strategy=Strategy.neutral_rebuttal, appeal_reason=Violation.rumor,
                 reply="你用错了，产品通过SGS认证，不存在问题，可以全额赔偿。",
                 checks=[CheckResult(name="no_blame", passed=False, detail="blames the customer")])
    s = score_case("c", "玫瑰油直接涂脸上红了", exp, got, BRAND)
    assert s.overall < 0.35
    text = " | ".join(s.failures)
    for part in ("source", "strategy", "appeal", "check no_blame", "unsupported", "missing facts: 稀释", "says:"):
        assert part in text


def test_summarize_dataset_level():
    exps = [expected(), expected(source="competitor_attack", severity=3, violations=["rumor"],
                                 strategy="neutral_rebuttal", appeal=True, appeal_reason="rumor")]
    got = [result(), result(source=Source.competitor_attack, severity=3, violations=[Violation.rumor],
                            strategy=Strategy.neutral_rebuttal, appeal_reason=Violation.rumor, reply=GOOD_REBUTTAL,
                            sources=[SourceRef(id="g", title="t", path="p", kind="guideline")])]
    scores = [score_case(str(i), "评论", e, r, BRAND) for i, (e, r) in enumerate(zip(exps, got, strict=True))]
    data = summarize(scores, got, exps)
    m = data["metrics"]
    assert m["source_accuracy"] == 1.0 and m["violation_micro_f1"] == 1.0 and m["appeal_precision"] == 1.0
    assert m["rubric_mean"] == 1.0
    assert data["confusion"]["strategy"]["neutral_rebuttal"]["neutral_rebuttal"] == 1
    # A case that produced no draft counts as zero in every per-case mean.
    with_error = summarize(scores, got, exps, errors=2)["metrics"]
    assert with_error["source_accuracy"] == 0.5 and with_error["overall_mean"] == 0.5
