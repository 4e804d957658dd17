"""Classes of comments whose action the words alone misread: a customer carrying a complaint on in a thread, a
marketplace named with nobody sent there, another brand's goods praised, a civil question about how a group is
treated, and a single comment telling of using the goods up."""

from __future__ import annotations

import pytest

from agent.config import Settings
from agent.knowledge.brands import load_brand
from agent.planning.action import decide_action
from agent.planning.action_input import ActionInput
from agent.schemas import Action, Context, ThreadMessage, Violation
from agent.triage import kind_model
from agent.triage.safety import describes_reaction
from tests.unit.test_action_classes import triage as triaged

KNOWLEDGE = Settings().knowledge_dir
GLOWSKIN = load_brand(KNOWLEDGE, "glowskin")
THREADLINE = load_brand(KNOWLEDGE, "threadline")


def decide(text: str, relation: str | None = "tags", parent: str = "", brand=GLOWSKIN) -> Action:
    thread = [ThreadMessage(id=parent, text="姐妹你后来怎么样了")] if parent else []
    ctx = Context(note_relation=relation, parent_id=parent or None, thread=thread)  # type: ignore[arg-type]
    triage = triaged(text)
    return decide_action(ActionInput(text, triage, kind_model.load().guess(text), ctx, brand))[0]


@pytest.mark.parametrize("text", [
    "客服电话打了三次都没人接 留言也不回",
    "私信发了订单号 两天了都没人回我",
])
def test_a_customer_telling_in_a_thread_that_nobody_answered_gets_a_reply(text):
    assert decide(text, "own", parent="p1") == Action.reply


@pytest.mark.parametrize("text", ["围巾洗了一次就起球起得不成样子 三百块就这质量？", "我的那件也是 领口洗两次就变形了 太失望了"])
def test_a_quality_complaint_in_a_thread_is_answered(text):
    assert decide(text, "tags", parent="p1", brand=THREADLINE) == Action.reply


def test_chatter_between_users_is_still_left():
    assert decide("哈哈哈你也太可爱了吧", "tags", parent="p1") == Action.leave


@pytest.mark.parametrize("text", [
    "闲鱼上那件的图我笑死 袖子都不一样长",
    "拼夕夕那种九块九的我也买过 洗一次就不能看了",
])
def test_a_marketplace_named_with_nobody_sent_there_is_no_spam_report(text):
    triage = triaged(text)
    assert Violation.spam_redirect not in triage.violations
    assert decide(text, "tags", brand=THREADLINE) != Action.report


@pytest.mark.parametrize("text", ["同款闲鱼只要一半价 要的私我", "某宝搜同款 便宜一半 戳我主页"])
def test_an_invitation_to_a_marketplace_is_still_reported(text):
    assert decide(text, "tags") == Action.report


@pytest.mark.parametrize("text", ["理肤泉那支我也回购了好几次 真的温和", "无印良品的亚麻裙才是yyds 穿了好几年"])
def test_praise_of_another_brand_in_a_section_is_left(text):
    assert decide(text, "tags") == Action.leave


@pytest.mark.parametrize("text", ["用了一次脸就刺痛 还是回去用理肤泉吧", "三百多的衬衫洗一次就皱得没法穿 下次还是买优衣库"])
def test_a_complaint_beside_another_brand_is_the_brands(text):
    assert decide(text, "tags", brand=THREADLINE if "衬衫" in text else GLOWSKIN) == Action.reply


@pytest.mark.parametrize("text", [
    "东北女生去广东上大学会被排挤吗？",
    "戴助听器去面试会不会被人看不起啊",
    "混血小孩在国内上学会受到区别对待吗",
])
def test_a_civil_question_about_how_people_are_treated_is_never_abuse(text):
    triage = triaged(text)
    assert Violation.abuse not in triage.violations
    assert decide(text, None) not in (Action.report, Action.thank)


def test_an_insult_at_a_group_is_still_abuse():
    text = "河南人都是骗子 活该被看不起"
    triage = triaged(text)
    assert Violation.abuse in triage.violations


@pytest.mark.parametrize("text", [
    "一瓶30ml两周就用完了 出个大瓶装吧",
    "一盒才6片 三天就敷完了 能不能多放几片",
])
def test_a_single_comment_telling_of_using_the_goods_up_is_answered(text):
    assert decide(text, None) == Action.reply


@pytest.mark.parametrize("text", [
    "155/45穿阔腿裤什么码合适 喜欢垂一点的",
    "店铺的满199减30券在哪领 找半天了",
    "衬衫大了一号 标签还在 能换吗",
    "棉麻线的针织开衫怎么洗才不会变形",
])
def test_a_shopping_question_heard_as_talk_is_answered(text):
    assert decide(text, "tags", brand=THREADLINE) == Action.answer


def test_praise_naming_the_brand_is_thanked_whatever_the_sentiment_model_misses():
    # The sentiment model scores this 0.97 negative (a fault negated: "没变形"); the kind model hears praise.
    assert decide("棉麻线的开衫真的好穿 洗了十几次都没变形 真的值", "tags", brand=THREADLINE) == Action.thank


def test_praise_naming_the_brand_beside_a_reaction_is_never_thanked():
    assert decide("笑死 我也是敷着GlowSkin面膜睡着了 醒来脸干得起皮还有点痒", "tags") != Action.thank


@pytest.mark.parametrize("text", ["图三那个卷发棒是哪家的 求推荐 预算两百内", "那件驼色大衣是哪家店的 求店名"])
def test_asking_the_author_to_name_a_shop_or_recommend_is_left(text):
    assert decide(text, "tags") == Action.leave


@pytest.mark.parametrize("text", [
    "干皮能用这个面膜吗 我换季容易起皮 担心敷了更干",
    "油皮适合这款精华吗 我一上火就长痘 万一用了爆痘怎么办",
])
def test_a_question_telling_of_a_habit_and_a_feared_use_is_answered(text):
    assert decide(text, "tags") == Action.answer



def test_a_use_told_keeps_a_questions_reaction():
    assert describes_reaction("用了两天就爆痘了 是不是要停用啊")
    assert not describes_reaction("油皮适合这款精华吗 我一上火就长痘 万一用了爆痘怎么办")


@pytest.mark.parametrize("text", ["尾货的和专柜的有区别吗 会不会是假的", "双十一有满减吗 想多囤两件"])
def test_a_shopping_question_asked_in_a_thread_is_answered(text):
    assert decide(text, "tags", parent="p1", brand=THREADLINE) == Action.answer


@pytest.mark.parametrize("text", ["官方人呢？？出来回应一下啊 这么多人说刺痛", "@GlowSkin官方旗舰店 能不能给个说法？"])
def test_a_demand_on_the_brand_asked_as_a_question_gets_a_reply(text):
    assert decide(text, "tags") == Action.reply


@pytest.mark.parametrize("text", ["雅思口语题库 机经 范文全都有 私信", "四六级真题+听力音频 全都有 私我"])
def test_goods_offered_with_a_private_channel_are_reported(text):
    assert decide(text, "tags") == Action.report


def test_a_word_of_privacy_in_talk_is_no_lead_generation():
    assert decide("人人都有私心 不用太较真", "tags") != Action.report


@pytest.mark.parametrize("text", [
    "还没用，看到评论区有人过敏有点怕，敏感肌能用吗",
    "买了还没拆，看评论说有人刺痛，我要不要退",
    "之前用别家的烂脸了，换了这个精华一个月，刺痛感没了，好用",
])
def test_someone_elses_reaction_an_unused_bottle_or_another_brands_is_no_reaction_of_the_commenters(text):
    assert not describes_reaction(text)


@pytest.mark.parametrize("text", ["看到评论区有人过敏，我用了两天也有点刺痛", "精华用了三天脸上起红疹了"])
def test_the_commenters_own_reaction_beside_others_is_still_one(text):
    assert describes_reaction(text)


@pytest.mark.parametrize("text", [
    "新买的衬衫味道有点大 是不是甲醛超标啊",
    "这衣服甲醛超标吧？穿了有点痒",
    "刚收到的裤子一股味 会不会甲醛超标",
])
def test_a_worry_asked_of_goods_just_got_is_a_customers_question_never_a_rumour(text):
    triage = triaged(text)
    assert Violation.rumor not in triage.violations
    assert decide(text, "tags", brand=THREADLINE) != Action.report


@pytest.mark.parametrize("text", ["你们家衣服甲醛超标，大家别买了", "这牌子衣服甲醛超标吧？垃圾黑心商家"])
def test_the_claim_stated_to_warn_others_is_still_a_rumour(text):
    triage = triaged(text)
    assert Violation.rumor in triage.violations
