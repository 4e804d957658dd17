"""The planning policy as tables: what each kind of comment is answered with, appealed and escalated to;
which script situation the rules choose; when the learned situation model is asked and when it decides."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agent.config import Settings
from agent.knowledge.brands import load_brand
from agent.knowledge.script_library import load_script_library
from agent.planning.inputs import PlanInput
from agent.planning.model_gate import asks_model, model_decides
from agent.planning.planner import plan_for
from agent.planning.policy import STRATEGY, escalation, should_appeal, strategy_for
from agent.planning.scripts import rules_script
from agent.schemas import Escalation, Source, Strategy, Triage, Violation
from agent.triage.signals import lexicons_for
from agent.triage.situation_model import SituationGuess

KNOWLEDGE = Settings().knowledge_dir
G, M, C = Source.genuine_experience, Source.misunderstanding, Source.competitor_attack
X, N = Source.extortion, Source.not_negative
AR, ED, NR = Strategy.apologize_resolve, Strategy.educate, Strategy.neutral_rebuttal
WORDS = {Violation.abuse: "傻逼", Violation.privacy: "13812345678", Violation.porn: "约吗", Violation.political: "台独",
         Violation.spam_redirect: "私我", Violation.rumor: "汞超标", Violation.flooding: "", Violation.ip_infringement: ""}


def triage(source: Source, violations: tuple[Violation, ...] = (),
           scores: dict[str, float] | None = None) -> Triage:
    # Each rule's signal names the words it matched: a report is filed only with the words that show it.
    return Triage(source=source, severity=2, violations=list(violations), confidence=0.8, scores=scores or {},
                  signals=[f"{v.value}: {WORDS[v]}" for v in violations])


def plan_input(source: Source, text: str, violations: tuple[Violation, ...] = (),
               has_brand_reply: bool = False, duplicates: int = 0,
               scores: dict[str, float] | None = None) -> PlanInput:
    return PlanInput(triage=triage(source, violations, scores), text=text, has_brand_reply=has_brand_reply,
                     duplicates=duplicates, brand=load_brand(KNOWLEDGE, "glowskin"),
                     library=load_script_library(KNOWLEDGE), lexicons=lexicons_for(KNOWLEDGE))


def guess(situation: str, confident: bool = True, known: tuple[str, ...] | None = None) -> SituationGuess:
    p = 0.9 if confident else 0.3
    return SituationGuess(situation=situation, p=p, top={situation: p}, confident=confident,
                          known=list(known or (situation, "general", "delivery", "smell_texture")))


def test_every_source_has_a_strategy():
    assert set(STRATEGY) == set(Source)


@pytest.mark.parametrize("source, violations, cluster_size, strategy, appeal, step", [
    # A real customer: answered with an apology, reported only for what harms third parties.
    (G, (), 1, AR, False, Escalation.none),
    (G, (Violation.abuse,), 1, AR, False, Escalation.none),  # angry, not reported
    (G, (Violation.privacy,), 1, AR, True, Escalation.platform_report),  # someone else's data
    (G, (Violation.porn,), 1, AR, True, Escalation.platform_report),
    (G, (Violation.political,), 1, AR, True, Escalation.platform_report),
    (G, (Violation.spam_redirect,), 5, AR, True, Escalation.account_manager),
    (M, (), 1, ED, False, Escalation.none),
    (M, (Violation.rumor,), 1, ED, False, Escalation.none),
    (M, (Violation.rumor, Violation.privacy), 1, ED, True, Escalation.platform_report),
    # An attack with a violation is reported; a brigade goes to the account manager.
    (C, (), 1, NR, False, Escalation.none),
    (C, (Violation.rumor,), 1, NR, True, Escalation.platform_report),
    (C, (Violation.rumor,), 4, NR, True, Escalation.platform_report),
    (C, (Violation.rumor,), 5, NR, True, Escalation.account_manager),
    (C, (Violation.abuse,), 6, NR, True, Escalation.account_manager),
    # Extortion is reported on its own track (illegal content, the DM evidence, the police) and is a legal matter.
    (X, (), 1, NR, False, Escalation.legal_letter),
    (X, (Violation.rumor,), 6, NR, True, Escalation.legal_letter),
    # Not a complaint: educated; spam, lewd or doxxing gets a calm reply that hands it to the platform.
    (N, (), 1, ED, False, Escalation.none),
    (N, (Violation.spam_redirect,), 1, NR, True, Escalation.platform_report),
    (N, (Violation.abuse,), 1, NR, False, Escalation.none),
    (N, (Violation.privacy,), 7, NR, True, Escalation.account_manager),
])
def test_strategy_appeal_and_escalation(source, violations, cluster_size, strategy, appeal, step):
    inp = plan_input(source, "", violations, duplicates=cluster_size - 1)
    assert strategy_for(inp.triage) == strategy
    assert should_appeal(inp) == appeal
    assert escalation(inp, appeal) == step


@pytest.mark.parametrize(
        "source, violations, text, has_brand_reply, duplicates, scores, prefer, situation, asked", [
    # The triggers choose, and the model may be asked.
    (G, (), "收到的精华漏液了，盒子都湿了", False, 0, {}, None, "damaged_package", True),
    (G, (), "太失望了", False, 0, {}, None, "general", True),
    (G, (), "快递很快，就是坏了", False, 0, {}, None, "quality_defect", True),  # about the damage, not the speed
    # A described reaction takes the reaction script; the model is not asked.
    (G, (), "用了之后脸上起红疹，快递也慢", False, 0, {}, "allergy_reaction", "allergy_reaction", False),
    # After the brand's reply in the thread: a follow-up, reaction or not.
    (G, (), "私信也没人回，都两天了，到底有没有人管", True, 0, {}, "follow_up", "follow_up", False),
    (G, (), "用了之后脸上起红疹", True, 0, {}, "follow_up", "follow_up", False),
    # A glowing review with a small drawback: mixed praise where the sentiment model reads praise.
    (G, (), "精华很好用，吸收也快，回购了。缺点是瓶子有点小，用得太快", False, 0, {"negative": 0.1},
     None, "mixed_praise", True),
    (G, (), "精华很好用，吸收也快，回购了。缺点是瓶子有点小，用得太快", False, 0, {"negative": 0.9},
     None, "general", True),
    # An insult at a group: no discussion, unless it is part of a cluster.
    (C, (Violation.abuse,), "河南人都是骗子，没一个好东西", False, 0, {}, "group_attack", "group_attack", False),
    (C, (Violation.abuse,), "河南人都是骗子，没一个好东西", False, 3, {}, None, "competitor_attack", False),
    (C, (Violation.rumor,), "这牌子致癌，大家别买", False, 6, {}, None, "unverified_safety_claim", False),
    # Praise is thanked; with no product named, without a usage tip. A question is answered.
    (N, (), "精华很好用，回购了", False, 0, {}, "praise", "praise", False),
    (N, (), "快递小哥辛苦啦，谢谢", False, 0, {}, "praise", "praise_thanks", False),
    (N, (), "请问孕妇能用吗", False, 0, {}, None, "ingredient_worry", False),
    (M, (), "这个是不是假货啊", False, 0, {}, None, "counterfeit_worry", False),
    (X, (), "不给我赔五千我就一直发", False, 0, {}, None, "general", False),
])
def test_the_rules_script_choice(source, violations, text, has_brand_reply, duplicates, scores, prefer,
                                 situation, asked):
    choice = rules_script(plan_input(source, text, violations, has_brand_reply, duplicates, scores))
    assert (choice.prefer, choice.situation, asks_model(choice)) == (prefer, situation, asked)


@pytest.mark.parametrize("model, confident, known, rules, decides", [
    ("quality_defect", True, None, "general", True),
    ("quality_defect", False, None, "general", False),  # unsure: the triggers decide
    ("allergy_reaction", True, None, "general", False),  # a reaction is the safety rules' call
    ("quality_defect", True, None, "smell_texture", False),  # a named defect keeps its own script
    ("delivery", True, None, "smell_texture", True),
    ("delivery", True, ("delivery",), "general", False),  # the triggers chose one the model does not know
    ("no_such_situation", True, None, "general", False),  # no script for it
])
def test_when_the_model_decides(model, confident, known, rules, decides):
    scripts = load_script_library(KNOWLEDGE).candidates(AR, load_brand(KNOWLEDGE, "glowskin").category)
    assert model_decides(guess(model, confident, known), rules, scripts) == decides


@pytest.mark.parametrize("p, rules_p, decides", [
    (0.45, 0.05, True),  # under the old bar (0.5), but far ahead of the triggers' situation: the model decides
    (0.45, 0.30, False),  # the model finds the triggers' reading nearly as likely: the triggers keep it
    (0.90, 0.05, True),
    (0.55, 0.40, False),  # sure by the old bar, yet the triggers' situation is close behind
])
def test_a_situation_the_triggers_named_yields_to_the_model_only_where_the_model_leads_it(p, rules_p, decides):
    # "等了三天才到，打开一股味": the triggers read the wait, the model the smell.
    scripts = load_script_library(KNOWLEDGE).candidates(AR, load_brand(KNOWLEDGE, "glowskin").category)
    probs = {"smell_texture": p, "delivery": rules_p, "general": round(1 - p - rules_p, 4)}
    g = SituationGuess(situation="smell_texture", p=p, top=probs, probs=probs, confident=True, known=list(probs))
    assert model_decides(g, "delivery", scripts) == decides
    inp = plan_input(G, "等了三天才到，打开一股味")
    choice = rules_script(inp)
    assert choice.situation == "delivery" and asks_model(choice)
    plan = plan_for(inp, choice, g)
    assert (plan.situation, plan.situation_by) == (("smell_texture", "model") if decides else ("delivery", "rules"))


@pytest.mark.parametrize("source, text, model, confident, situation, by, scores", [
    (G, "太失望了", None, False, "general", "rules", {}),
    (G, "太失望了", "quality_defect", True, "quality_defect", "model", {"quality_defect": 0.9}),
    (G, "太失望了", "quality_defect", False, "general", "rules", {"quality_defect": 0.3}),
    # A reaction is not the model's to ask: a guess passed anyway is ignored.
    (G, "用了之后脸上起红疹，快递也慢", "delivery", True, "allergy_reaction", "rules", {}),
    (N, "精华很好用，回购了", "delivery", True, "praise", "rules", {}),
])
def test_the_plan_takes_the_models_situation_only_where_it_decides(source, text, model, confident, situation,
                                                                   by, scores):
    inp = plan_input(source, text)
    p = plan_for(inp, rules_script(inp), guess(model, confident) if model else None)
    assert (p.situation, p.situation_by, p.situation_scores) == (situation, by, scores)
    template = inp.library.reply(p.template)
    assert template is not None and template.situation == situation


@pytest.mark.parametrize(("text", "about", "elsewhere"), [
    ("同款泛红 我是在某宝代购店买的", None, True),
    ("在天猫买的 用完脸红了", None, True),
    # The brand file names the channel: a purchase there is the brand's own order.
    ("在天猫买的 用完脸红了", "通过小红书官方旗舰店和天猫官方店销售", False),
    ("在官方旗舰店买的 用完脸红了", None, False),
])
def test_a_purchase_outside_the_brands_channels_gets_the_channel_answer_and_no_refund(text, about, elsewhere):
    inp = plan_input(G, text)
    if about:
        inp = replace(inp, brand=inp.brand.model_copy(update={"about": about}))
    choice = rules_script(inp)
    assert (choice.strategy == ED and choice.situation in ("counterfeit_worry", "bought_elsewhere")) is elsewhere
    assert (choice.situation == "allergy_reaction") is not elsewhere  # the script that promises the refund
