"""Comments of a section that are no customer's complaint are never met by a complaint's script: chatter and
opinions about the note that tell of nothing bought or used are left, an insult at a person is reported, a
question telling of a reaction is answered as a complaint, a price opinion is no copy to rebut, lead generation
in its disguises is reported; and a draft whose action is an answer or a thank-you never apologises or carries a
complaint's script, by the choice of script and by a hard guardrail."""

from __future__ import annotations

import pytest

from agent.config import Settings
from agent.drafting.check_input import CheckInput
from agent.drafting.guardrails import fits_action, hard_failures, run_checks
from agent.knowledge.brands import load_brand
from agent.knowledge.script_library import load_script_library
from agent.planning.action import decide_action
from agent.planning.action_input import ActionInput
from agent.planning.inputs import PlanInput
from agent.planning.policy import strategy_for
from agent.planning.scripts import script_for_action
from agent.schemas import Action, Context, Evidence, Source, Strategy, Triage, Violation
from agent.text import normalize_for_match
from agent.triage import kind_model
from agent.triage.pii import find_pii
from agent.triage.rules import rule_triage
from agent.triage.signals import lexicons_for

KNOWLEDGE = Settings().knowledge_dir
GLOWSKIN = load_brand(KNOWLEDGE, "glowskin")


def triage(text: str) -> Triage:
    return rule_triage(normalize_for_match(text), find_pii(text), Evidence(), KNOWLEDGE)


def action(text: str, relation: str = "tags") -> Action:
    """The action of a comment under a creator's note that tags GlowSkin (or the brand's own note)."""
    ctx = Context(note_relation=relation)  # type: ignore[arg-type]
    return decide_action(ActionInput(text, triage(text), kind_model.load().guess(text), ctx, GLOWSKIN))[0]


@pytest.mark.parametrize("text", [
    "取消收藏了 不买了",  # a purchase given up
    "这种软广现在太多了",  # an opinion about the note
    "评论区都是托吧",  # about the other commenters
    "我一次就挤一泵 够全脸了 挤多了确实浪费",  # a usage remark
])
def test_chatter_or_an_opinion_telling_of_nothing_bought_or_used_is_not_a_complaint(text):
    assert action(text) == Action.leave


@pytest.mark.parametrize("text", [
    "用了一周脸上起了好多小疙瘩 你们家这精华到底行不行",  # her own use
    "@GlowSkin官方旗舰店 出来说明一下 评论区好多人都说刺痛",  # a demand to the brand
])
def test_a_complaint_telling_of_use_or_addressing_the_brand_is_still_answered(text):
    assert action(text) == Action.reply


@pytest.mark.parametrize("text", ["模特这脸盘子跟大饼似的 丑得要死 恶心", "这个代言人丑得像鬼 恶心"])
def test_an_insult_at_the_brands_model_is_reported(text):
    assert action(text, "own") == Action.report


def test_praise_of_the_model_is_no_insult():
    assert action("模特身材好绝", "own") == Action.leave


@pytest.mark.parametrize("text", [
    "擦完眼周有点肿 这个眼周能用吗",
    "孩子用了脸上起了红疹 几岁能用啊",
])
def test_a_question_telling_of_a_reaction_is_answered_as_a_complaint(text):
    assert action(text) == Action.reply


@pytest.mark.parametrize("text", [
    "说白了就是贵在牌子 配方跟超市二十块的一模一样",
    "溢价太狠了 成分跟平价那款同厂出的",
])
def test_a_price_opinion_is_no_copy_to_rebut(text):
    t = triage(text)
    assert Violation.ip_infringement not in t.violations
    assert strategy_for(t) != Strategy.neutral_rebuttal


def test_a_copy_of_the_brands_goods_is_still_reported_as_one():
    assert Violation.ip_infringement in triage("这家跟GlowSkin包装一模一样 高仿的吧").violations


@pytest.mark.parametrize("text", [
    "需要的姐妹扣个1 我拉你",
    "护肤干货都在我卫星号里 加卫星领",
    "wx同号 搜名字就行",
    "姐妹们 副业日入两三百 宝妈学生都行",
])
def test_lead_generation_in_its_disguises_is_reported(text):
    assert action(text) == Action.report


def _plan_input(text: str) -> PlanInput:
    return PlanInput(triage=triage(text), text=text, has_brand_reply=False, duplicates=0, brand=GLOWSKIN,
                     library=load_script_library(KNOWLEDGE), lexicons=lexicons_for(KNOWLEDGE))


def _complaint_script(situation: str, strategy: Strategy = Strategy.apologize_resolve):
    library = load_script_library(KNOWLEDGE)
    return next(t for t in library.candidates(strategy, GLOWSKIN.category) if t.situation == situation)


@pytest.mark.parametrize(("strategy", "situation"), [
    (Strategy.apologize_resolve, "quality_defect"), (Strategy.apologize_resolve, "general"),
    (Strategy.neutral_rebuttal, "general"),
])
def test_an_answer_is_never_drafted_with_a_complaints_script(strategy, situation):
    # "能退吗" under a note about a bad batch: whichever complaint script the words matched, the answer's is used.
    text = "买了还没拆封 现在还能退吗"
    chosen, template = script_for_action(_plan_input(text), Action.answer, strategy,
                                         _complaint_script(situation, strategy), None)
    assert chosen == Strategy.educate and template.strategy == Strategy.educate


def test_a_thank_you_naming_a_drawback_thanks_first():
    text = "很好用 已经回购两瓶了 就是泵头有点松"
    _, template = script_for_action(_plan_input(text), Action.thank, Strategy.apologize_resolve,
                                    _complaint_script("quality_defect"), None)
    assert template.situation == "mixed_praise"


def _check(reply: str, act: Action | None) -> CheckInput:
    return CheckInput(reply=reply, comment="这个能和A醇一起用吗", comment_script="zh-Hans",
                      source=Source.not_negative, pii=[], brand=GLOWSKIN, action=act)


APOLOGY = "看到你说收到的东西有瑕疵，真的抱歉🙏 私信我们订单号和问题部位的照片，按售后政策处理。"
REBUTTAL = "你好，暂未查询到与这条评论相关的订单信息，相关情况已同步平台核查。"
ANSWER = "谢谢宝子的提问💛 关于精华：不与A醇同一晚叠加使用。还有其他想了解的，随时私信我们～"
MIXED = "谢谢宝子这么用心的分享💛 你提到的泵头有点松，没能让你满意，真的抱歉🙏 方便的话私信我们订单号～"


@pytest.mark.parametrize("act", [Action.answer, Action.thank, Action.leave])
@pytest.mark.parametrize("reply", [APOLOGY, REBUTTAL])
def test_a_draft_not_answering_a_complaint_fails_a_hard_check_if_it_carries_a_complaints_script(reply, act):
    result = fits_action(_check(reply, act))
    assert not result.passed and result.hard
    assert "fits_action" in {c.name for c in hard_failures(run_checks(_check(reply, act)))}


def test_an_answer_a_thank_you_with_its_drawback_and_a_complaints_reply_pass():
    assert fits_action(_check(ANSWER, Action.answer)).passed
    assert fits_action(_check(MIXED, Action.thank)).passed
    assert fits_action(_check(APOLOGY, Action.reply)).passed
    assert not fits_action(_check(MIXED, Action.answer)).passed


def _rules_template(text: str):
    from agent.planning.scripts import rules_script
    return rules_script(_plan_input(text)).template


@pytest.mark.parametrize("text", [
    "盒子都压瘪了，里面的瓶子也裂了...这就是你们的包装？",  # a fault stated beside a rhetorical question
    "等了十天还没发货，到底还发不发了",  # a complaint with no question word the brand can answer
])
def test_a_complaint_asked_as_a_question_is_replied_to_with_its_script(text):
    from agent.planning.scripts import complaint_asked
    assert complaint_asked(_plan_input(text), _rules_template(text))


def test_a_question_whose_only_problem_word_is_its_question_is_answered():
    from agent.planning.scripts import complaint_asked
    text = "上周签收的还没拆封 现在还能退吗"
    assert not complaint_asked(_plan_input(text), _rules_template(text))


def test_praise_naming_a_defect_is_replied_to_and_praise_naming_a_price_is_thanked():
    from agent.planning.scripts import praise_names_defect
    assert praise_names_defect(_complaint_script("quality_defect"))
    assert not praise_names_defect(_complaint_script("price_value"))
    assert not praise_names_defect(_complaint_script("mixed_praise"))
