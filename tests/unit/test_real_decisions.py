"""Decisions that must hold on real reviews nobody tuned the rules on: the sentiment model decides polarity
where it is sure, a single comment is rebutted only on evidence beyond its words, praise of a reaction gone
is thanked, and money for deleting a comment is extortion."""

from __future__ import annotations

from agent.config import Settings
from agent.knowledge.brands import load_brand
from agent.knowledge.script_library import load_script_library
from agent.planning.inputs import PlanInput
from agent.planning.scripts import THANKS, rules_script
from agent.schemas import Evidence, Source, Strategy, Triage
from agent.text import normalize_for_match
from agent.triage.pii import find_pii
from agent.triage.rules import rule_triage
from agent.triage.safety import describes_reaction
from agent.triage.signals import lexicons_for

KNOWLEDGE = Settings().knowledge_dir


def triage(text: str, evidence: Evidence | None = None) -> Triage:
    return rule_triage(normalize_for_match(text), find_pii(text), evidence or Evidence(), KNOWLEDGE)


def script_for(text: str, evidence: Evidence | None = None) -> tuple[Triage, str]:
    t = triage(text, evidence)
    inp = PlanInput(triage=t, text=normalize_for_match(text), has_brand_reply=False, duplicates=0,
                    brand=load_brand(KNOWLEDGE, "glowskin"), library=load_script_library(KNOWLEDGE),
                    lexicons=lexicons_for(KNOWLEDGE))
    return t, rules_script(inp).situation


def test_a_complaint_the_model_is_sure_of_is_no_pre_purchase_question_and_is_not_thanked():
    t, situation = script_for("果子太烂了，不但不新鲜而且都是烂果，就没买过这么差的东西")
    assert t.scores["negative"] >= 0.9
    assert t.source == Source.genuine_experience and situation not in THANKS


def test_a_real_customer_warning_others_off_is_answered_not_rebutted():
    for text in ("前两张图片跟后边的不一样了，东西跟图片严重不符，千万别买了",
                 "垃圾苹果，一箱12个烂4个，还有几个磕碰的，千万别买"):
        t = triage(text)
        assert t.source == Source.genuine_experience, text


def test_the_same_words_from_a_cluster_of_authors_or_an_author_with_a_record_are_rebutted():
    text = "智商税，大家千万别买"
    assert triage(text).source == Source.genuine_experience
    cluster = Evidence(duplicate_cluster=["c2", "c3"])
    assert triage(text, cluster).source == Source.competitor_attack
    record = Evidence(author_history=["c7", "c8"])
    assert triage(text, record).source == Source.competitor_attack
    # One earlier comment is a customer's follow-up, not a record.
    assert triage(text, Evidence(author_history=["c7"])).source == Source.genuine_experience


def test_a_reaction_that_went_away_is_praise_and_is_never_told_to_stop_using():
    for text in ("用了一周红肿消下去了，太好用了", "用了三天，脸上的红肿消下去了，爱了", "痘痘都消了，回购第三瓶"):
        t, situation = script_for(text)
        assert t.source == Source.not_negative and situation in THANKS, text
        assert not describes_reaction(text)


def test_a_reaction_still_there_keeps_the_reaction_script():
    for text in ("用了以后脸上红肿刺痛", "用了两天红肿还没消", "刺痛一直没有缓解"):
        assert describes_reaction(text), text
    t, situation = script_for("用了以后脸上红肿刺痛，一直没好")
    assert t.severity == 3 and situation == "allergy_reaction"


def test_money_for_deleting_or_a_threat_to_keep_posting_is_extortion():
    for text in ("给我转账3000我就删评，不然我天天来发", "转账3000我就删评",
                 "赔我5000，不然我每天都来你们笔记下面发"):
        t = triage(text)
        assert t.source == Source.extortion and t.severity == 3, text
    # A refund asked for, or a price named, is a customer's complaint.
    assert triage("质量太差了，我要退款，退我299").source != Source.extortion


def test_a_complaint_sure_negative_never_gets_a_thank_you_even_when_called_harmless():
    t = Triage(source=Source.not_negative, severity=1, confidence=0.6, scores={"negative": 0.95})
    inp = PlanInput(triage=t, text="物流到现在都没动过", has_brand_reply=False, duplicates=0,
                    brand=load_brand(KNOWLEDGE, "glowskin"), library=load_script_library(KNOWLEDGE),
                    lexicons=lexicons_for(KNOWLEDGE))
    choice = rules_script(inp)
    assert choice.strategy == Strategy.educate and choice.situation not in THANKS


def test_no_symptom_another_products_and_a_skins_habit_asked_before_buying_are_no_reaction():
    for text in ("之前用别的精华会过敏，这个用了一个月都没泛红，已经回购第三瓶了",
                 "回购了！用了以后脸不红不痒了，爱了",
                 "敏感肌，一用香的就起疹子，这款有香味吗？想入",
                 "我皮肤超敏感，经常红痒，这个精华适合我吗"):
        assert not describes_reaction(text), text
    # Told of this product, the same words are a reaction: compared, asked about, or soon after use.
    for text in ("用了这个以后比别的牌子还过敏", "用了这个精华经常刺痛，是正常的吗", "没用几天就过敏了",
                 "和别的一样过敏"):
        assert describes_reaction(text), text
