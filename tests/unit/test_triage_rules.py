"""The deterministic triage: what a community manager expects from each kind of comment."""

import pytest

from agent.config import Settings
from agent.schemas import Evidence, Source, Violation
from agent.text import normalize_for_match
from agent.triage.bounds import enforce_rules
from agent.triage.pii import find_pii
from agent.triage.rules import appeal_reason, decide
from agent.triage.signals import load_lexicons, scan

LEX = load_lexicons(Settings().knowledge_dir / "lexicons.yaml")
ORDER = Evidence(order_found=True, order={"order_id": "GS1", "status": "已签收"})


def triage(text: str, evidence: Evidence | None = None):
    evidence = evidence or Evidence()
    folded = normalize_for_match(text)
    return decide(scan(folded, find_pii(text), evidence, LEX), evidence, folded)


def test_product_called_garbage_is_a_complaint_not_abuse():
    t = triage("这精华真的垃圾，用了两周一点效果都没有", ORDER)
    assert t.source == Source.genuine_experience
    assert Violation.abuse not in t.violations
    assert t.severity == 2


def test_insult_at_people_is_abuse():
    t = triage("客服都是脑残吧，你们老板不得好死")
    assert Violation.abuse in t.violations and t.severity == 3


def test_safety_claim_is_severity_3_even_for_a_real_customer():
    t = triage("用了你们的面膜过敏了，脸又红又肿", ORDER)
    assert t.source == Source.genuine_experience and t.severity == 3
    assert Violation.rumor not in t.violations


def test_real_customer_is_never_an_attacker_even_with_attack_words():
    t = triage("智商税，大家别买，物流还慢", ORDER)
    assert t.source == Source.genuine_experience


def test_unbacked_carcinogen_claim_is_a_rumor_attack():
    t = triage("听说这牌子含激素还致癌，大家千万别买！")
    assert t.source == Source.competitor_attack
    assert Violation.rumor in t.violations and t.severity == 3


def test_misuse_is_a_misunderstanding():
    t = triage("精油直接涂脸上，皮肤刺痛发红")
    assert t.source == Source.misunderstanding and t.severity == 3


def test_extortion():
    t = triage("给我转账500，不然我天天来刷差评，删评也可以谈")
    assert t.source == Source.extortion and t.severity == 3


def test_wechat_redirect_is_spam_and_a_phone_alone_is_privacy():
    assert Violation.spam_redirect in triage("同款更便宜，加v：abc_12345").violations
    t = triage("这个快递员电话13800138000，大家去骂他")
    assert Violation.privacy in t.violations


def test_flooding_needs_three_accounts():
    two = Evidence(duplicate_cluster=["c2"])
    three = Evidence(duplicate_cluster=["c2", "c3"])
    text = "这个精华用了就烂脸，千万别买"
    assert Violation.flooding not in triage(text, two).violations
    t = triage(text, three)
    assert Violation.flooding in t.violations and t.source == Source.competitor_attack


def test_a_question_is_not_negative():
    t = triage("请问这个面膜敏感肌可以用吗？")
    assert t.source == Source.not_negative and t.violations == [] and t.severity == 1


@pytest.mark.parametrize("text", ["這個精華液用了過敏爛臉，大家千萬別買", "这个精华液用了过敏烂脸，大家千万别买"])
def test_both_scripts_triage_alike(text):
    t = triage(text)
    assert t.severity == 3


def test_appeal_reason_prefers_the_strictest():
    assert appeal_reason([Violation.flooding, Violation.rumor]) == Violation.rumor
    assert appeal_reason([]) is None


def test_model_cannot_drop_proven_violations_or_call_a_customer_an_attacker():
    rules = triage("加v abc_12345 更便宜", ORDER)
    model = rules.model_copy(update={"source": Source.competitor_attack, "violations": [Violation.rumor]})
    out = enforce_rules(model, rules, ORDER)
    assert out.source == Source.genuine_experience
    assert Violation.spam_redirect in out.violations and Violation.rumor not in out.violations


def test_a_complaint_phrased_as_a_question_is_still_a_complaint():
    t = triage("这瓶精华怎么是淡黄色的，比我上一瓶稀好多，闻着也有点不一样？")
    assert t.source == Source.genuine_experience


def test_a_usage_question_is_not_negative():
    assert triage("敏感肌可以用这个面膜吗？").source == Source.not_negative


@pytest.mark.parametrize("text", ["快递小哥态度特别好…辛苦啦谢谢", "菜品味道很好，配送员态度很好", "送货速度真的太快了！！"])
def test_praise_gets_no_apology(text):
    assert triage(text).source == Source.not_negative


@pytest.mark.parametrize("text", ["菜不错，但是晚了半小时，过分", "不推荐，不好吃", "客服态度不太满意", "玫瑰精华油味道好冲", "客服态度好差"])
def test_praise_that_is_negated_or_followed_by_but_stays_a_complaint(text):
    assert triage(text).source == Source.genuine_experience


def test_the_commenters_own_phone_is_not_a_privacy_violation():
    t = triage("想取消一瓶，客服排队半小时没人理，我电话13912345678 看到直接打给我")
    assert t.violations == [] and t.source == Source.genuine_experience


def test_a_second_hand_safety_claim_with_no_order_is_a_rumor_but_asking_about_one_is_not():
    t = triage("我表姐在化妆品厂上班，她说这种精华都偷偷加了激素，一停就爆痘，懂的都懂")
    assert Violation.rumor in t.violations and t.source == Source.competitor_attack
    assert triage("听说这个精华用了会爆痘，是真的吗？").violations == []


def test_posing_as_after_sales_with_a_contact_is_an_ad_not_a_complaint():
    t = triage("收到貨有漏液、過敏的寶子不用寄回，直接加售後QQ：2837465910 登記一下，當天原路退款")
    assert t.source == Source.not_negative
    assert set(t.violations) == {Violation.ip_infringement, Violation.spam_redirect}


def test_a_lewd_ad_with_attack_words_is_still_an_ad():
    t = triage("玫瑰油按摩真的会让人很有感觉 想看我亲自示范的进扣扣群739215046 懂的都懂")
    assert t.source == Source.not_negative and Violation.porn in t.violations


def test_a_disappointed_first_try_is_a_misunderstanding_even_with_harsh_words():
    t = triage("昨晚抹了一次今早痘印一点没淡，急救了个寂寞，妥妥智商税")
    assert t.source == Source.misunderstanding and t.violations == []


@pytest.mark.parametrize("text", ["請問急救精華有沒有酒精？我一擦酒精就紅，怕踩雷一直不敢下單",
                                  "158的小个子穿这条阔腿裤会拖地吗，该拿S还是M啊"])
def test_questions_before_buying_are_not_complaints(text):
    assert triage(text).source == Source.not_negative
